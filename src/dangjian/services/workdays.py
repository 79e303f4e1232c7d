"""The working-day calendar for deadlines: weekends and public holidays off, make-up weekend days on.

Holidays and make-up working days come from the ``holidays`` library's China calendar, which carries the State
Council's arrangement (放假安排) for each year it has been published for and is released monthly; the rule set's
``[calendar]`` lists add or override days locally. A year with neither the library's arrangement nor a local
entry is *unknown*: its days off are then only the statutory holidays themselves (the exact bridging days and
make-up Saturdays are not announced yet), and a deadline counted through it is provisional.
"""
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from dangjian.core.rules import rule


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    unknown_years: tuple[int, ...] = ()  # years counted through whose holiday arrangement the calendar lacks

    @property
    def provisional(self) -> bool:
        return bool(self.unknown_years)


@lru_cache(maxsize=1)
def _arranged_years() -> frozenset[int]:
    """The years whose State Council arrangement the library carries (its special holidays and swaps)."""
    import holidays  # on first use: it adds 0.1 s to every process start otherwise

    return frozenset(holidays.China().special_public_holidays)


@lru_cache(maxsize=64)
def _library_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """The library's days off in ``year`` and its make-up working days (the library adds a year's own swaps
    when it builds that year)."""
    import holidays

    # Without the year's arrangement the library would guess substitute days; keep to the statutory days.
    china = holidays.China(years=year, observed=year in _arranged_years())
    return frozenset(china), frozenset(china.weekend_workdays)


@lru_cache(maxsize=4)
def _overrides(days_off: tuple, working: tuple) -> tuple[frozenset, frozenset, frozenset[int]]:
    """The rule set's local days off and working days, checked: a bad entry names its list and value."""
    def parse(values, name):
        days = set()
        for value in values:
            try:
                days.add(dt.date.fromisoformat(str(value)))
            except ValueError:
                raise ImproperlyConfigured(_("规则集 %(name)s 中的“%(value)s”不是日期，应写作 YYYY-MM-DD") % {
                    "name": name, "value": value}) from None
        return frozenset(days)

    off, on = parse(days_off, "calendar.holidays"), parse(working, "calendar.working_weekends")
    if both := sorted(off & on):
        raise ImproperlyConfigured(_("规则集 calendar.holidays 和 calendar.working_weekends 都列了 %(day)s") % {
            "day": both[0].isoformat()})
    return off, on, frozenset(d.year for d in off | on)


def local_overrides() -> tuple[frozenset, frozenset, frozenset[int]]:
    """(local days off, local working days, the years they make known) from the rule set."""
    lists = []
    for name in ("calendar.holidays", "calendar.working_weekends"):
        if not isinstance(value := rule(name), list):
            raise ImproperlyConfigured(_("规则集 %(name)s 应为日期列表，如 [\"2027-02-09\"]") % {"name": name})
        lists.append(tuple(value))
    return _overrides(*lists)


def known_year(year: int) -> bool:
    """Is the year's arrangement known: published in the library, or entered in the rule set?"""
    return year in _arranged_years() or year in local_overrides()[2]


def is_working_day(day: dt.date) -> bool:
    off, on, _years = local_overrides()
    if day in on:
        return True
    if day in off:
        return False
    library_off, library_on = _library_year(day.year)
    return day in library_on or (day.weekday() < 5 and day not in library_off)


def deadline(start: dt.date, days: int) -> Deadline:
    """The ``days``-th working day after ``start`` (a request accepted on Friday with 1 day is due Monday), and
    the unknown years it was counted through."""
    day, unknown = start, set()
    while days > 0:
        day += dt.timedelta(days=1)
        if not known_year(day.year):
            unknown.add(day.year)
        days -= is_working_day(day)
    return Deadline(day, tuple(sorted(unknown)))


def add_working_days(start: dt.date, days: int) -> dt.date:
    return deadline(start, days).day
