"""The working-day calendar of the rule set: weekends and public holidays off, make-up weekend days on."""
import datetime as dt
from functools import lru_cache

from dangjian.core.rules import rule


@lru_cache(maxsize=4)
def _calendar(holidays: tuple, working: tuple) -> tuple[frozenset, frozenset]:
    return frozenset(map(dt.date.fromisoformat, holidays)), frozenset(map(dt.date.fromisoformat, working))


def _days():
    return _calendar(tuple(rule("calendar.holidays")), tuple(rule("calendar.working_weekends")))


def is_working_day(day: dt.date) -> bool:
    holidays, working = _days()
    if day in working:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (a request accepted on Friday with 1 day is due Monday)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        days -= is_working_day(day)
    return day
