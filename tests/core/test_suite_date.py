"""The suite's own clock: DANGJIAN_TEST_TODAY moves "today" for the code under test; a test's own pin wins."""
import datetime as dt

from django.utils import timezone

from dangjian.orglife.periods import QUARTER, period_of
from tests.conftest import suite_today


def test_the_suite_runs_as_of_the_date_it_is_given():
    moment = suite_today()
    if moment is None:  # no date given: the real clock, which the rest of the suite must not depend on
        assert abs((timezone.now() - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 60
        return
    assert timezone.localdate() == moment.date() and dt.date.today() == moment.date()
    assert 0 <= (timezone.now() - moment).total_seconds() < 3600  # it ticks on from there
    assert period_of(timezone.localdate(), QUARTER).contains(moment.date())


def test_a_test_can_pin_its_own_date_over_the_suites(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
    assert timezone.localdate() == dt.date(2026, 12, 4) and dt.date.today() == dt.date(2026, 12, 4)
