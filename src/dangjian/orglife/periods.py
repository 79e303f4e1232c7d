"""Calendar periods of organisational life: months, quarters and years (calendar-correct, across year ends),
the fixed theme day, and which meeting kinds an organisation owes how often (rule set ``orglife``)."""
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.core.rules import rule

MONTH, QUARTER, YEAR = "month", "quarter", "year"
FINENESS = {MONTH: 0, QUARTER: 1, YEAR: 2}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str

    @property
    def key(self) -> str:
        """2026 / 2026-Q4 / 2026-11: the form used in URLs and reports."""
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return _("%(y)d年") % {"y": self.start.year}
        if self.kind == QUARTER:
            return _("%(y)d年第%(q)d季度") % {"y": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, day: dt.date) -> int:
        """Days from ``day`` to the last day of the period (0 on the last day)."""
        return (self.end - day).days

    def next(self) -> "Period":
        return period_of(self.end + dt.timedelta(days=1), self.kind)

    def previous(self) -> "Period":
        return period_of(self.start - dt.timedelta(days=1), self.kind)

    def split(self, kind: str) -> list["Period"]:
        """The periods of ``kind`` that meet this one: its months or quarters, or the one enclosing it."""
        if FINENESS[kind] >= FINENESS[self.kind]:
            return [period_of(self.start, kind)]
        parts, p = [], period_of(self.start, kind)
        while p.start <= self.end:
            parts.append(p)
            p = p.next()
        return parts


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def period_of(day: dt.date, kind: str) -> Period:
    if kind == YEAR:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), YEAR)
    if kind == QUARTER:
        first = 3 * ((day.month - 1) // 3) + 1
        return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2), QUARTER)
    if kind == MONTH:
        return Period(dt.date(day.year, day.month, 1), _month_end(day.year, day.month), MONTH)
    raise ValueError(kind)


def parse_period(value: str, today: dt.date) -> Period:
    """"2026", "2026-Q4" or "2026-11"; anything else (or a period after this year) → this year."""
    value = (value or "").strip().upper()
    m = re.fullmatch(r"(\d{4})(?:-Q([1-4])|-(\d{1,2}))?", value)
    if not m or not 2000 <= int(m.group(1)) <= today.year:
        return period_of(today, YEAR)
    year = int(m.group(1))
    if m.group(2):
        return period_of(dt.date(year, 3 * int(m.group(2)) - 2, 1), QUARTER)
    if m.group(3) and 1 <= int(m.group(3)) <= 12:
        return period_of(dt.date(year, int(m.group(3)), 1), MONTH)
    return period_of(dt.date(year, 1, 1), YEAR)


def theme_day(year: int, month: int) -> dt.date:
    """The fixed theme party day of a month (rule orglife.theme_day; the last day in a shorter month)."""
    return min(dt.date(year, month, 1) + dt.timedelta(days=int(rule("orglife.theme_day")) - 1),
               _month_end(year, month))


def frequency(meeting_kind: str) -> str:
    return rule("orglife.frequency")[meeting_kind]


def required_kinds(org_kind: str) -> list[str]:
    """Meeting kinds an organisation of this kind must hold, in the rule set's order."""
    return [k for k, kinds in rule("orglife.applies").items() if org_kind in kinds]
