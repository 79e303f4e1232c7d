"""Monthly snapshots: figures as of a month's end from founding dates; idempotent; trend reads them."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.models import AuditLog
from dangjian.coverage import queries
from dangjian.coverage.actions import add_months, backfill_snapshots, month_start, take_snapshot
from dangjian.coverage.models import CoverageSnapshot, WorkLink, WorkLinkKind
from dangjian.coverage.tasks import monthly_snapshot
from dangjian.organizations.models import OrgStatus
from dangjian.regions.models import Region
from tests.coverage.conftest import fresh


def snap(month, region):
    s = CoverageSnapshot.objects.get(month=month, region=region)
    return (s.units, s.covered, s.own, s.work_covered)


@pytest.fixture
def months():
    current = month_start(timezone.localdate())
    return {"current": current, "past": add_months(current, -3), "older": add_months(current, -6)}


def test_month_arithmetic():
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert add_months(dt.date(2025, 11, 1), 3) == dt.date(2026, 2, 1)


def test_a_snapshot_of_today_matches_the_live_figures(world, months):
    take_snapshot(months["current"])
    live = queries.summary(world.users.district)
    assert snap(months["current"], world.district) == (live.units, live.covered, live.own, live.work)
    assert CoverageSnapshot.objects.filter(month=months["current"]).count() == Region.objects.count()


def test_regions_roll_up_and_empty_regions_are_stored_as_zero(world, months):
    take_snapshot(months["current"])
    assert snap(months["current"], world.shuanggui) == (3, 3, 1, 3)
    assert snap(months["current"], world.community) == (1, 1, 1, 1)
    assert snap(months["current"], world.lirang) == (2, 1, 1, 1)
    assert snap(months["current"], world.park) == (1, 0, 0, 0)


def test_a_past_month_uses_founding_dates(world, months):
    past = months["past"]
    after = add_months(past, 1) + dt.timedelta(days=3)  # founded after that month ended
    geng = world.units.geng
    geng.founded = after
    geng.save()
    joint = fresh(world.orgs.joint)
    joint.founded = after
    joint.save()
    WorkLink.objects.create(unit=world.units.wu, kind=WorkLinkKind.INSTRUCTOR, start=after)
    take_snapshot(past)
    # 庚 did not exist yet; 乙 and 丙 were not covered yet; 戊's instructor had not started.
    assert snap(past, world.district) == (5, 2, 2, 2)
    assert snap(past, world.park) == (0, 0, 0, 0)
    take_snapshot(months["current"])
    assert snap(months["current"], world.district) == (6, 4, 2, 5)


def test_a_unit_founded_on_the_last_day_counts_for_that_month(world, months):
    past = months["past"]
    last_day = add_months(past, 1) - dt.timedelta(days=1)
    geng = world.units.geng
    geng.founded = last_day
    geng.save()
    take_snapshot(past + dt.timedelta(days=10))  # any day of the month names the month
    assert snap(past, world.park)[0] == 1


def test_snapshots_are_idempotent_and_refresh_their_figures(world, months):
    take_snapshot(months["current"])
    take_snapshot(months["current"])
    assert CoverageSnapshot.objects.filter(month=months["current"]).count() == Region.objects.count()
    org = fresh(world.orgs.ding)
    org.status = OrgStatus.DISSOLVED
    org.save()
    take_snapshot(months["current"])
    assert snap(months["current"], world.lirang) == (2, 0, 0, 0)
    assert CoverageSnapshot.objects.count() == Region.objects.count()


def test_backfill_writes_one_row_per_region_and_month(world, months):
    done = backfill_snapshots(4)
    assert done == [add_months(months["current"], -3), add_months(months["current"], -2),
                    add_months(months["current"], -1), months["current"]]
    assert CoverageSnapshot.objects.count() == 4 * Region.objects.count()
    backfill_snapshots(4)
    assert CoverageSnapshot.objects.count() == 4 * Region.objects.count()
    assert AuditLog.objects.filter(object_type="coverage.coveragesnapshot").count() == 8


def test_future_months_and_empty_backfills_are_refused(world, months):
    with pytest.raises(ValidationError):
        take_snapshot(add_months(months["current"], 1))
    with pytest.raises(ValidationError):
        backfill_snapshots(0)


def test_trend_reads_snapshots_oldest_first(world, months):
    geng = world.units.geng
    geng.founded = add_months(months["current"], -1) + dt.timedelta(days=2)
    geng.save()
    backfill_snapshots(3)
    points = queries.trend(world.users.district)
    assert [p["month"] for p in points] == [add_months(months["current"], -2), add_months(months["current"], -1),
                                            months["current"]]
    assert [p["units"] for p in points] == [5, 6, 6]
    assert points[0]["coverage_rate"] == {"numerator": 4, "denominator": 5, "percent": 80.0}
    assert len(queries.trend(world.users.district, months=2)) == 2


def test_trend_is_only_for_users_who_see_the_whole_region(world, months):
    take_snapshot(months["current"])
    assert queries.trend(world.users.lirang)[0]["units"] == 2
    assert queries.trend(world.users.secretary) == []  # an organisation's scope is not a region's total
    assert queries.trend(world.users.member) == []


def test_the_monthly_task_snapshots_last_month_and_this_month(world, months):
    result = monthly_snapshot.call()
    assert result == [f"{add_months(months['current'], -1):%Y-%m}", f"{months['current']:%Y-%m}"]
    assert CoverageSnapshot.objects.filter(region=world.district).count() == 2
    assert monthly_snapshot.call(f"{months['older']:%Y-%m}") == [f"{months['older']:%Y-%m}"]
