"""Background work for coverage (django-tasks, run by the database worker of `dangjian serve`)."""
from datetime import date

from django.utils import timezone
from django_tasks import task

from dangjian.coverage.actions import add_months, month_start, take_snapshot


@task()
def monthly_snapshot(month: str | None = None) -> list[str]:
    """Snapshot the coverage figures of every region.

    With ``month`` ("YYYY-MM") only that month; without it, the month just ended (final figures)
    and the current month (figures so far). Enqueue it early each month, e.g.
    ``monthly_snapshot.enqueue()`` from a scheduler or ``dangjian coverage --snapshot``.
    """
    if month:
        year, mon = (int(part) for part in month.split("-"))
        months = [date(year, mon, 1)]
    else:
        current = month_start(timezone.localdate())
        months = [add_months(current, -1), current]
    for m in months:
        take_snapshot(m)
    return [f"{m:%Y-%m}" for m in months]
