"""Daily work enqueued by `dangjian serve` reaches the task backend and does its job."""
import datetime as dt

from django.utils import timezone

from dangjian.core import schedule
from dangjian.coverage.models import CoverageSnapshot


def test_daily_tasks_take_this_months_coverage_snapshot(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert schedule.enqueue_daily() == schedule.DAILY_TASKS
    this_month = timezone.localdate().replace(day=1)
    snapshot = CoverageSnapshot.objects.get(month=this_month, region=world.district)
    assert (snapshot.units, snapshot.covered) == (6, 4)  # 己 is closed; 甲 乙 丙 丁 covered
    assert CoverageSnapshot.objects.filter(month__lt=this_month).exists()  # last month's final figures
    assert snapshot.month <= dt.date.today()
