"""Compliance of organisational life (三会一课 落实情况): for every organisation in scope and a period, how many
of the required meetings (per kind, at the kind's frequency) were held, attendance and make-up rates, and what
is overdue; rolled up for a region or organisation node and its children.

Each required sub-period (month, quarter, year) is held, overdue or pending (still to come); the rate is held /
owed so far (held or overdue), so a running month reads "pending", not 0%. What is required follows the
organisation's real structure (``structure``: committee meetings only where a committee exists, the founding
sub-period, the theme day's fixed day).

Cost is fixed whatever the size: one query for the organisations, one GROUP BY over held meetings (using the
counters kept on each meeting, never the attendance rows), one GROUP BY over formal members (the committee rule),
one for the children; the per-organisation arithmetic and the roll-up by path prefix run in Python over those rows.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from dangjian.core.rows import plain_rows
from dangjian.core.scoping import get_scope
from dangjian.organizations.models import Organization, OrgStatus
from dangjian.orglife import structure
from dangjian.orglife.models import Meeting, MeetingKind, MeetingStatus
from dangjian.orglife.periods import MONTH, QUARTER, YEAR, Period, frequency, period_of, required_kinds
from dangjian.regions.models import Region

KINDS = tuple(MeetingKind.values)  # read once: the enum's .values builds a new list on every access


@dataclass(slots=True)
class KindFigures:
    orgs: int = 0  # organisations owing this kind in the period
    due: int = 0  # sub-periods (months, quarters, years) owed so far: held, or past their due day
    held: int = 0  # of those, with the meeting held
    overdue: int = 0  # past the due day without it
    pending: int = 0  # still to come: not held and not yet due (this month's, before the theme day …)
    behind: int = 0  # organisations with at least one overdue sub-period

    @property
    def rate(self) -> float | None:
        return self.held / self.due if self.due else None

    def add(self, other: "KindFigures") -> None:
        self.orgs += other.orgs
        self.due += other.due
        self.held += other.held
        self.overdue += other.overdue
        self.pending += other.pending
        self.behind += other.behind


class Kinds(dict):
    """Figures per meeting kind; a kind nobody owes reads as zeros (without being stored)."""

    def __missing__(self, kind):
        return KindFigures()


@dataclass
class Figures:
    orgs: int = 0
    behind: int = 0  # organisations overdue on any kind
    meetings: int = 0
    expected: int = 0
    present: int = 0
    made_up: int = 0
    leave: int = 0
    kinds: dict = field(default_factory=lambda: Kinds())  # only the kinds owed or held; others read as zeros

    @property
    def due(self) -> int:
        return sum(k.due for k in self.kinds.values())

    @property
    def held(self) -> int:
        return sum(k.held for k in self.kinds.values())

    @property
    def pending(self) -> int:
        return sum(k.pending for k in self.kinds.values())

    @property
    def rate(self) -> float | None:
        return self.held / self.due if self.due else None

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    @property
    def makeup_rate(self) -> float | None:
        absent = self.expected - self.present
        return self.made_up / absent if absent > 0 else None

    def add(self, other: "Figures") -> None:
        for name in ("orgs", "behind", "meetings", "expected", "present", "made_up", "leave"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, figures in other.kinds.items():
            mine = self.kinds.get(kind)
            if mine is None:
                mine = self.kinds[kind] = KindFigures()
            mine.add(figures)


@dataclass
class OrgRow:
    """One organisation's compliance in the period."""

    id: int
    name: str
    path: str
    region_path: str
    region_name: str
    kind: str
    figures: Figures
    overdue_kinds: list = field(default_factory=list)
    missing_now: list = field(default_factory=list)  # required in the current sub-period, not yet held


@dataclass
class Node:
    """Where the roll-up is anchored: a region (children = sub-regions) or an organisation (sub-organisations)."""

    kind: str  # "region" | "org"
    obj: object

    @property
    def path(self) -> str:
        return self.obj.path

    @property
    def key(self) -> str:
        return f"{self.kind}={self.obj.pk}"


def default_node(user) -> Node | None:
    """The top of the user's scope: their region (district or town) or their organisation."""
    scope = get_scope(user)
    if scope.everything:
        region = Region.objects.filter(depth=1).order_by("path").first()
        return Node("region", region) if region else None
    if scope.region_paths:
        return Node("region", Region.objects.get(path=scope.region_paths[0]))
    if scope.org_paths:
        return Node("org", Organization.objects.get(path=scope.org_paths[0]))
    return None


def node_for(user, region_id=None, org_id=None) -> Node:
    """The region or organisation asked for (in the user's scope, else 404), or the top of the user's scope.
    Compliance is for those who oversee organisations (a region or organisation grant): for anyone else (an
    enterprise contact, a member) every node answers 404, as the default one does."""
    top = default_node(user)
    if top is None:
        raise Http404
    if org_id is not None:
        return Node("org", Organization.objects.get_for_user(org_id, user))
    if region_id is not None:
        return Node("region", Region.objects.get_for_user(region_id, user))
    return top


def scoped_orgs(user, node: Node):
    return Organization.objects.scoped(user).filter(status=OrgStatus.ACTIVE, **{_org_prefix(node): node.path})


def _meeting_figures(user, node: Node, period: Period, today: dt.date) -> dict:
    """{(org id, kind): (held mask, n, expected, present, made_up, leave)} from one GROUP BY over the held meetings
    of the period (and, for kinds owed less often than the period is long, of the enclosing quarter or year).
    Bit i of the mask is set when a meeting was held in the i-th sub-period of ``period.split(frequency)``."""
    by_freq = {f: [k for k in KINDS if frequency(k) == f] for f in (MONTH, QUARTER, YEAR)}
    window = Q(pk__in=[])
    for f, kinds in by_freq.items():
        parts = period.split(f)
        window |= Q(kind__in=kinds, held_on__gte=parts[0].start, held_on__lte=min(parts[-1].end, today))
    # The sub-period a meeting falls in, by date comparisons only: a date function would be a Python
    # callback per row on SQLite (three times slower at district size). SUM(DISTINCT bit) is the OR of the bits.
    bit = Case(*[When(kind__in=kinds, held_on__lte=part.end, then=Value(1 << i))
                 for f, kinds in by_freq.items() if kinds for i, part in enumerate(period.split(f))],
               default=Value(0), output_field=IntegerField())
    meetings = Meeting.objects.scoped(user).filter(window, status=MeetingStatus.HELD)
    meetings = meetings.filter(**{_org_prefix(node, "organization__"): node.path})
    rows = plain_rows(meetings.values_list("organization_id", "kind").annotate(
        mask=Sum(bit, distinct=True), n=Count("pk"), expected=Sum("expected_count"),
        present=Sum("present_count"), made_up=Sum("made_up_count"), leave=Sum("leave_count")).order_by())
    return {(r[0], r[1]): r[2:] for r in rows}


def _org_prefix(node: Node, via: str = "") -> str:
    """The lookup that keeps organisations under the node: by region path or by organisation path."""
    return f"{via}region__path__startswith" if node.kind == "region" else f"{via}path__startswith"


def _kind_figures(kind, parts, mask, founded, today, owed=None) -> tuple[KindFigures, bool]:
    """One organisation's figures for one kind over the sub-periods begun so far (``owed(part)``, if given, says
    whether its structure requires the kind then), and whether the current one is required and not held."""
    fig, missing_now = KindFigures(), False
    for i, part in enumerate(parts):
        if (founded is not None and founded > part.end) or (owed is not None and not owed(part)):
            continue
        held = bool(mask >> i & 1)
        state = structure.standing(kind, part, founded, held, today)
        fig.held += state == structure.HELD
        fig.due += state in (structure.HELD, structure.OVERDUE)
        fig.overdue += state == structure.OVERDUE
        fig.pending += state == structure.PENDING
        fig.orgs = 1
        missing_now = missing_now or (not held and part.contains(today))
    fig.behind = int(fig.overdue > 0)
    return fig, missing_now


def org_rows(user, node: Node, period: Period, today: dt.date | None = None) -> list[OrgRow]:
    today = today or timezone.localdate()
    stats = _meeting_figures(user, node, period, today)
    parts = {k: [p for p in period.split(frequency(k)) if p.start <= today] for k in KINDS}
    # Committee meetings are owed by sub-period, as the formal-member count stood then: one more GROUP BY.
    struct = structure.load(Q(**{_org_prefix(node, "organization__"): node.path}),
                            [p.start for p in parts[structure.COMMITTEE]])
    rows = []
    orgs = scoped_orgs(user, node).values_list("id", "name", "path", "kind", "founded", "region__path", "region__name")
    for pk, name, path, org_kind, founded, region_path, region_name in orgs.order_by("path"):
        fig = Figures(orgs=1)
        row = OrgRow(pk, name, path, region_path, region_name, org_kind, fig)
        for kind in required_kinds(org_kind):
            owed = (lambda part: struct.owes(pk, org_kind, kind, part)) if kind == structure.COMMITTEE else None
            s = stats.get((pk, kind))
            kind_fig, missing_now = _kind_figures(kind, parts[kind], s[0] if s else 0, founded, today, owed)
            if not kind_fig.orgs:
                continue
            fig.kinds[kind] = kind_fig
            if kind_fig.overdue:
                row.overdue_kinds.append(kind)
            if missing_now:
                row.missing_now.append(kind)
        for kind in KINDS:  # attendance counts every held meeting, required or not
            s = stats.get((pk, kind))
            if s:
                fig.meetings += s[1]
                fig.expected += s[2] or 0
                fig.present += s[3] or 0
                fig.made_up += s[4] or 0
                fig.leave += s[5] or 0
        fig.behind = int(bool(row.overdue_kinds))
        rows.append(row)
    return rows


def still_owed(user, org, today: dt.date | None = None) -> list[tuple[str, Period]]:
    """(kind, its current month/quarter/year) the organisation must still hold, by the same rules as the
    roll-up: the planning form's hint."""
    today = today or timezone.localdate()
    rows = org_rows(user, Node("org", org), period_of(today, YEAR), today)
    row = next((r for r in rows if r.id == org.pk), None)
    return [(k, period_of(today, frequency(k))) for k in row.missing_now] if row else []


def children(user, node: Node) -> list:
    if node.kind == "region":
        return list(Region.objects.scoped(user).filter(path__startswith=node.path, depth=node.obj.depth + 1)
                    .order_by("path"))
    return list(Organization.objects.scoped(user).filter(path__startswith=node.path, depth=node.obj.depth + 1)
                .order_by("path"))


@dataclass
class Rollup:
    node: Node
    period: Period
    total: Figures
    children: list  # [(child object, Figures)], plus (None, Figures) for organisations directly at the node
    rows: list  # OrgRow of every organisation in the node


def rollup(user, node: Node, period: Period, today: dt.date | None = None) -> Rollup:
    rows = org_rows(user, node, period, today)
    kids = children(user, node)
    total, direct = Figures(), Figures()
    per_child = {c.path: Figures() for c in kids}
    width = len(node.path) + (Region.steplen if node.kind == "region" else Organization.steplen)
    for row in rows:
        key = (row.region_path if node.kind == "region" else row.path)[:width]
        (per_child.get(key) or direct).add(row.figures)
    for figures in (direct, *per_child.values()):  # the total from the few children, not every organisation
        total.add(figures)
    listed = [(c, per_child[c.path]) for c in kids if per_child[c.path].orgs]
    if direct.orgs:
        listed.insert(0, (None, direct))
    return Rollup(node, period, total, listed, rows)


def behind(rows: list[OrgRow], kind: str = "") -> list[OrgRow]:
    """Organisations with an overdue sub-period (of ``kind``, or of any kind), most overdue first."""
    picked = [r for r in rows if (kind in r.overdue_kinds if kind else r.overdue_kinds)]
    weight = (lambda r: r.figures.kinds[kind].overdue) if kind else (lambda r: sum(k.overdue for k in r.figures.kinds.values()))
    return sorted(picked, key=lambda r: (-weight(r), r.path))


def calendar(user, node: Node, period: Period) -> list[tuple[str, int]]:
    """Meetings held per day of the period's year (for the heat map)."""
    year = period_of(period.start, YEAR)
    meetings = Meeting.objects.scoped(user).filter(status=MeetingStatus.HELD, held_on__gte=year.start,
                                                   held_on__lte=year.end)
    meetings = meetings.filter(**{_org_prefix(node, "organization__"): node.path})
    return [(d.isoformat(), n) for d, n in meetings.values_list("held_on").annotate(n=Count("pk")).order_by("held_on")]
