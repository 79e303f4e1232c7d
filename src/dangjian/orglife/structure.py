"""What an organisation owes in one sub-period (month, quarter or year), by its real structure: the one rule used
by compliance, reminders, the behind list, the record book, the planning form and the demo.

- A kind is owed only by the organisation kinds of rule ``orglife.applies`` (so 党小组会 only by party groups that
  exist).
- 支委会: a branch or joint branch has a committee only while it has at least
  ``organization.committee_required_from_members`` formal members on the sub-period's first day (below that, a
  secretary and no committee); primary committees and general branches always have one.
- The sub-period in which the organisation was founded (after its first day) is never overdue unless
  ``orglife.owe_founding_period`` says so; a meeting held in it still counts.
- A sub-period is due on its last day; the theme day on its fixed day (``periods.theme_day``). On the due day
  itself it is still pending: the meeting may be that evening and recorded the next morning.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from dangjian.core.rules import rule
from dangjian.members.models import Category, Member, MemberStatus
from dangjian.orglife.periods import MONTH, Period, required_kinds, theme_day

ALWAYS_COMMITTEE = frozenset({"primary_committee", "general_branch"})
COMMITTEE = "committee"

HELD, OVERDUE, PENDING, EXCUSED = "held", "overdue", "pending", "excused"


def has_committee(org_kind: str, formal: int) -> bool:
    return org_kind in ALWAYS_COMMITTEE or formal >= int(rule("organization.committee_required_from_members"))


def due_day(kind: str, part: Period) -> dt.date:
    """The last day the meeting of ``part`` can be held without being late."""
    if kind == "theme_day" and part.kind == MONTH:
        return theme_day(part.start.year, part.start.month)
    return part.end


def founded_during(founded: dt.date | None, part: Period) -> bool:
    return founded is not None and part.start < founded <= part.end


def excused(founded: dt.date | None, part: Period) -> bool:
    """The founding sub-period, when the rule set does not owe it: never overdue, a meeting held still counts."""
    return founded_during(founded, part) and not rule("orglife.owe_founding_period")


def standing(kind: str, part: Period, founded: dt.date | None, held: bool, today: dt.date) -> str:
    """HELD, PENDING (still to come), OVERDUE, or EXCUSED (the founding sub-period ended without the meeting)."""
    if held:
        return HELD
    due = due_day(kind, part)
    if founded_during(founded, part):
        if excused(founded, part):
            return PENDING if today <= part.end else EXCUSED
        due = max(due, founded)  # owed, but never before the organisation existed
    return PENDING if today <= due else OVERDUE


@dataclass(frozen=True)
class Structure:
    """Formal-member counts of organisations on given days (the first days of the sub-periods asked about)."""

    days: tuple
    formal: dict  # organisation id -> counts, one per day

    def formal_on(self, org_id: int, day: dt.date) -> int:
        counts = self.formal.get(org_id)
        return counts[self.days.index(day)] if counts else 0

    def owes(self, org_id: int, org_kind: str, kind: str, part: Period) -> bool:
        """Whether the organisation must hold ``kind`` in ``part`` (founding aside: see ``standing``)."""
        if kind not in required_kinds(org_kind):
            return False
        return kind != COMMITTEE or has_committee(org_kind, self.formal_on(org_id, part.start))


def load(members: Q, days) -> Structure:
    """Formal members per organisation on each of ``days``, in one GROUP BY with a conditional count per day.

    ``members`` narrows the members (e.g. to a region's organisations). Formal from the confirmation date (a
    formal member without one, from the join date). Members are those on the register now: a transfer carries no
    date to go back by, so a member who left counts nowhere and one who arrived counts from the start."""
    days = tuple(sorted(set(days)))
    if not days:
        return Structure(days, {})
    counts = {f"d{i}": Count("pk", filter=Q(confirm_date__lte=day) | Q(confirm_date__isnull=True, join_date__lte=day))
              for i, day in enumerate(days)}
    rows = (Member.objects.filter(members, category=Category.FORMAL, status=MemberStatus.NORMAL)
            .values_list("organization_id").annotate(**counts).order_by())
    return Structure(days, {r[0]: r[1:] for r in rows})
