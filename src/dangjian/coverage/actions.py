"""Coverage writes: monthly snapshots (CoverageSnapshot) for every region.

A snapshot holds a region's figures as of the end of the month (or today, for the current
month). History is reconstructed from ``Unit.founded`` and ``Organization.founded`` (an empty
founded date means the unit/organisation always existed) and the WorkLink start/end dates, so
a backfill draws a real trend. Known limit: units carry no closing date, so a unit closed today
is left out of every month's denominator, and a dissolved organisation covers nothing in any month.
"""
import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.coverage.figures import Figures
from dangjian.coverage.models import CoverageSnapshot
from dangjian.coverage.queries import coverage_flags, counts
from dangjian.regions.models import Region
from dangjian.units.models import Unit

SNAPSHOT_FIELDS = ["units", "covered", "own", "work_covered", "taken_at"]


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def figures_by_region(as_of: date) -> dict[str, Figures]:
    """Every region's figures as of a day, keyed by region path (one query, rolled up in Python)."""
    units = Unit.objects.filter(Q(founded__isnull=True) | Q(founded__lte=as_of)).alias(**coverage_flags(as_of))
    totals: dict[str, Figures] = {}
    step = Region.steplen
    for row in units.values("region__path").annotate(**counts()).order_by():
        path = row.pop("region__path")
        figures = Figures.from_counts(row)
        for end in range(step, len(path) + 1, step):
            totals.setdefault(path[:end], Figures()).add(figures)
    return totals


@transaction.atomic
def take_snapshot(month: date, actor=None) -> int:
    """Store (or refresh) every region's figures for the month containing ``month``; returns rows written."""
    month = month_start(month)
    today = timezone.localdate()
    if month > today:
        raise ValidationError({"month": _("不能为未来的月份（%(m)s）生成快照") % {"m": f"{month:%Y-%m}"}})
    as_of = min(month_end(month), today)
    totals = figures_by_region(as_of)
    empty = Figures()
    rows = [
        CoverageSnapshot(
            month=month, region_id=pk, units=f.units, covered=f.covered, own=f.own, work_covered=f.work,
        )
        for pk, path in Region.objects.values_list("pk", "path")
        for f in [totals.get(path, empty)]
    ]
    CoverageSnapshot.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["month", "region"], update_fields=SNAPSHOT_FIELDS
    )
    audit.record(actor, audit.Action.CREATE, object_type="coverage.coveragesnapshot", object_id=f"{month:%Y-%m}",
                 changes={"month": f"{month:%Y-%m}", "as_of": as_of.isoformat(), "regions": len(rows)})
    return len(rows)


def backfill_snapshots(months: int = 12, actor=None) -> list[date]:
    """Snapshots for the last ``months`` months up to and including the current one (idempotent)."""
    if months < 1:
        raise ValidationError({"months": _("月数至少为1")})
    current = month_start(timezone.localdate())
    done = []
    for back in range(months - 1, -1, -1):
        month = add_months(current, -back)
        take_snapshot(month, actor=actor)
        done.append(month)
    return done
