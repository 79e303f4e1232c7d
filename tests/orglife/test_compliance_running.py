"""Periods still running: held / owed so far with the rest pending, the theme day owed from its fixed day, the
founding period, and the hard dates (first day of a quarter, 31 December, 1 January, 29 February)."""
import datetime as dt

import pytest

from dangjian.orglife.compliance import Node, rollup
from dangjian.orglife.periods import parse_period
from tests.orglife.conftest import add_formal
from tests.orglife.test_compliance import by_name, held

pytestmark = pytest.mark.django_db
D = dt.date
JIA = "甲印务有限公司党支部"
DING = "丁机械有限公司党支部"


@pytest.fixture(autouse=True)
def today(pin):
    return pin(D(2026, 12, 4))


def report(world, key, today):
    return rollup(world.users.district, Node("region", world.district), parse_period(key, today), today)


@pytest.fixture
def big_jia(world):
    add_formal(world.orgs.jia, 5)  # 7 formal members: a committee
    return world.orgs.jia


def test_a_running_month_is_pending_not_zero(world, big_jia):
    """4 December: nothing in December is due yet, so no rate and nobody behind — not 0%."""
    result = report(world, "2026-12", D(2026, 12, 4))
    assert result.total.rate is None and result.total.behind == 0
    k = by_name(result)[JIA].figures.kinds
    assert (k["committee"].due, k["committee"].pending) == (0, 1)
    assert (k["theme_day"].due, k["theme_day"].pending) == (0, 1)  # the 10th has not come
    assert k["general_meeting"].pending == 1 and k["life_meeting"].pending == 1
    assert result.total.pending == sum(r.figures.pending for r in result.rows) > 0


def test_a_running_quarter_counts_what_is_due(world, big_jia):
    held(big_jia, "committee", D(2026, 10, 9))
    held(big_jia, "committee", D(2026, 11, 9))
    held(big_jia, "theme_day", D(2026, 10, 10))
    held(big_jia, "theme_day", D(2026, 11, 10))
    k = by_name(report(world, "2026-Q4", D(2026, 12, 4)))[JIA].figures.kinds
    assert (k["committee"].held, k["committee"].due, k["committee"].pending, k["committee"].rate) == (2, 2, 1, 1.0)
    assert (k["theme_day"].held, k["theme_day"].due, k["theme_day"].pending) == (2, 2, 1)
    # a meeting already held in the running month counts at once
    held(big_jia, "committee", D(2026, 12, 2))
    k = by_name(report(world, "2026-Q4", D(2026, 12, 4)))[JIA].figures.kinds
    assert (k["committee"].held, k["committee"].due, k["committee"].pending) == (3, 3, 0)


@pytest.mark.parametrize("day, state", [(D(2026, 12, 9), "pending"), (D(2026, 12, 10), "pending"),
                                        (D(2026, 12, 11), "overdue")])
def test_the_theme_day_is_owed_from_the_day_after_its_fixed_day(world, pin, day, state):
    """On the theme day itself it is still pending: it may be held that evening and recorded the next day."""
    pin(day)
    jia = by_name(report(world, "2026-12", day))[JIA]
    f = jia.figures.kinds["theme_day"]
    assert (f.overdue, f.pending) == ((1, 0) if state == "overdue" else (0, 1))
    assert ("theme_day" in jia.overdue_kinds) == (state == "overdue")
    assert "theme_day" in jia.missing_now  # either way, still to be held this month


def test_the_founding_period_is_never_overdue_by_default(world):
    from dangjian.organizations.models import Organization

    Organization.objects.filter(pk=world.orgs.ding.pk).update(founded=D(2026, 11, 5))
    k = by_name(report(world, "2026-Q4", D(2026, 12, 4)))[DING].figures.kinds
    # October: before it existed; November: founded in it, ended without one, excused; December: to come
    assert (k["theme_day"].due, k["theme_day"].overdue, k["theme_day"].pending) == (0, 0, 1)
    assert (k["general_meeting"].due, k["general_meeting"].pending) == (0, 1)
    held(world.orgs.ding, "theme_day", D(2026, 11, 10))  # held anyway: it counts
    k = by_name(report(world, "2026-Q4", D(2026, 12, 4)))[DING].figures.kinds
    assert (k["theme_day"].held, k["theme_day"].due, k["theme_day"].rate) == (1, 1, 1.0)


def test_a_local_rule_owes_the_founding_period(world, settings, tmp_path):
    from dangjian.core.rules import _load
    from dangjian.organizations.models import Organization

    Organization.objects.filter(pk=world.orgs.ding.pk).update(founded=D(2026, 11, 5))
    local = tmp_path / "local.toml"
    local.write_text("[orglife]\nowe_founding_period = true\n", encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(local)
    _load.cache_clear()
    try:
        k = by_name(report(world, "2026-Q4", D(2026, 12, 4)))[DING].figures.kinds
        assert (k["theme_day"].due, k["theme_day"].overdue) == (1, 1)  # November's, after the founding day
    finally:
        settings.DANGJIAN_RULES_FILE = ""
        _load.cache_clear()


def test_first_day_of_a_quarter(world, pin, big_jia):
    day = pin(D(2026, 4, 1))
    q2 = report(world, "2026-Q2", day)
    assert q2.total.rate is None and q2.total.behind == 0 and q2.total.pending > 0
    held(big_jia, "general_meeting", D(2026, 2, 3))
    q1 = by_name(report(world, "2026-Q1", day))[JIA].figures.kinds
    assert (q1["committee"].due, q1["committee"].overdue, q1["committee"].pending) == (3, 3, 0)  # all ended
    assert (q1["general_meeting"].held, q1["general_meeting"].due) == (1, 1)
    assert q1["life_meeting"].pending == 1  # the year runs on


def test_31_december_and_1_january(world, pin, big_jia):
    held(big_jia, "life_meeting", D(2026, 12, 20))
    eve = by_name(report(world, "2026", pin(D(2026, 12, 31))))[JIA].figures.kinds
    assert (eve["committee"].due, eve["committee"].pending) == (11, 1)  # December's still possible today
    assert (eve["appraisal"].due, eve["appraisal"].pending) == (0, 1)
    assert (eve["life_meeting"].held, eve["life_meeting"].due) == (1, 1)
    new_year = pin(D(2027, 1, 1))
    last = by_name(report(world, "2026", new_year))[JIA].figures.kinds
    assert (last["committee"].due, last["committee"].overdue, last["committee"].pending) == (12, 12, 0)
    assert (last["appraisal"].overdue, last["life_meeting"].overdue) == (1, 0)
    this = report(world, "2027", new_year)
    assert this.total.rate is None and this.total.behind == 0
    k = by_name(this)[JIA].figures.kinds
    assert (k["committee"].pending, k["theme_day"].pending, k["general_meeting"].pending) == (1, 1, 1)


def test_29_february_2028(world, pin, big_jia):
    held(big_jia, "committee", D(2028, 2, 29))
    leap = pin(D(2028, 2, 29))
    k = by_name(report(world, "2028-02", leap))[JIA].figures.kinds
    assert (k["committee"].held, k["committee"].due) == (1, 1)
    assert (k["theme_day"].overdue, k["theme_day"].pending) == (1, 0)  # 10 February passed
    d = by_name(report(world, "2028-02", leap))[DING].figures.kinds
    assert "committee" not in d  # a small branch: no committee
    ding_theme = d["theme_day"]
    assert ding_theme.overdue == 1
    march = by_name(report(world, "2028-Q1", pin(D(2028, 3, 1))))[JIA].figures.kinds
    assert (march["committee"].held, march["committee"].due, march["committee"].overdue,
            march["committee"].pending) == (1, 2, 1, 1)  # January missed, February held, March to come
