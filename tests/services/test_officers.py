"""Officers and their units: limits per kind, instructors counting for work coverage, suggested assignments
accepted all or nothing, visits, service coverage."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.coverage.models import WorkLink
from dangjian.services import actions, queries
from dangjian.services.models import Assignment, Officer, OfficerKind, Visit
from dangjian.units.models import Unit


@pytest.fixture
def placed(svc):
    """Coordinates for the world's units (the solver works on the map)."""
    spots = {"jia": (107.80, 30.67), "yi": (107.81, 30.67), "bing": (107.82, 30.68), "ding": (107.60, 30.50),
             "wu": (107.61, 30.51), "geng": (107.90, 30.70)}
    for name, (lng, lat) in spots.items():
        Unit.objects.filter(pk=getattr(svc.world.units, name).pk).update(lng=lng, lat=lat)
    return svc


def test_assignments_stop_at_the_kinds_limit(svc, settings):
    d, today = svc.world, timezone.localdate()
    units = [d.units.jia, d.units.yi, d.units.bing, d.units.ding, d.units.wu]
    for unit in units:
        actions.assign_officer(d.users.district, svc.instructor, unit, today)
    with pytest.raises(ValidationError, match="已联系 5 家单位，达到上限（5 家）"):
        actions.assign_officer(d.users.district, svc.instructor, d.units.geng, today)
    actions.assign_officer(d.users.district, svc.officer, d.units.jia, today)
    with pytest.raises(ValidationError, match="已联系“甲印务有限公司”"):
        actions.assign_officer(d.users.district, svc.officer, d.units.jia, today)
    assert Assignment.objects.filter(officer=svc.instructor).count() == 5


def test_closed_units_other_towns_and_non_dispatchers_are_refused(svc):
    d, today = svc.world, timezone.localdate()
    with pytest.raises(ValidationError, match="不在营业"):
        actions.assign_officer(d.users.district, svc.officer, d.units.ji, today)
    with pytest.raises(Exception):  # another town's unit is out of the town admin's scope: 404
        actions.assign_officer(d.users.shuanggui, svc.officer, d.units.ding, today)
    with pytest.raises(ValidationError, match="区、镇街（园区）管理员"):
        actions.assign_officer(d.users.secretary, svc.officer, d.units.jia, today)
    assert not Assignment.objects.exists()


def test_an_instructor_assignment_counts_for_work_coverage_until_it_ends(svc):
    d, today = svc.world, timezone.localdate()
    a = actions.assign_officer(d.users.district, svc.instructor, d.units.wu, today - dt.timedelta(days=10))
    link = WorkLink.objects.get(unit=d.units.wu, user=svc.instructor.user)
    assert link.end is None
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        actions.end_assignment(d.users.district, a, today - dt.timedelta(days=20))
    actions.end_assignment(d.users.district, a, today)
    link.refresh_from_db()
    assert link.end == today


def test_suggested_assignment_fills_gaps_within_limits(placed):
    d = placed.world
    proposal = queries.propose(d.users.district, OfficerKind.INSTRUCTOR)
    assert proposal.unserved == 6 and proposal.free_places == 5
    assert len(proposal.suggestions) == 5  # one instructor, five places
    pairs = [(s.unit_id, s.officer_id) for s in proposal.suggestions]
    assert actions.apply_suggestions(d.users.district, pairs, timezone.localdate()) == 5
    total, _rows = queries.service_coverage(d.users.district)
    assert (total.units, total.served) == (6, 5)


def test_accepting_suggestions_is_all_or_nothing(placed):
    d, today = placed.world, timezone.localdate()
    pairs = [(d.units.jia.pk, placed.instructor.pk), (d.units.ji.pk, placed.instructor.pk)]  # 己 is closed
    with pytest.raises(ValidationError, match="不在营业"):
        actions.apply_suggestions(d.users.district, pairs, today)
    assert not Assignment.objects.exists()


def test_visits_only_to_ones_own_units_and_not_in_the_future(svc):
    d, today = svc.world, timezone.localdate()
    with pytest.raises(Http404):  # not assigned: the officer doesn't even see 甲
        actions.record_visit(svc.users.officer, d.units.jia, today, "了解用工")
    actions.assign_officer(d.users.district, svc.officer, d.units.jia, today - dt.timedelta(days=30))
    officer_user = type(svc.users.officer).objects.get(pk=svc.users.officer.pk)  # the next request's user
    with pytest.raises(ValidationError, match="没有联系“甲印务有限公司”"):  # before the assignment began
        actions.record_visit(officer_user, d.units.jia, today - dt.timedelta(days=40), "了解用工")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.record_visit(officer_user, d.units.jia, today + dt.timedelta(days=1), "了解用工")
    with pytest.raises(ValidationError, match="请填写走访事由"):
        actions.record_visit(officer_user, d.units.jia, today, " ")
    visit = actions.record_visit(officer_user, d.units.jia, today, "了解用工", "缺普工 30 名")
    assert visit.officer == svc.officer
    bench = queries.workbench(svc.officer)
    assert [a.unit for a in bench["assignments"]] == [d.units.jia]
    assert bench["due"] == [] and bench["visits"] == [visit]


def test_service_coverage_by_region_and_kind(svc):
    d, today = svc.world, timezone.localdate()
    actions.assign_officer(d.users.district, svc.officer, d.units.jia, today - dt.timedelta(days=10))
    actions.assign_officer(d.users.district, svc.officer, d.units.ding, today)
    total, rows = queries.service_coverage(d.users.district, "region")
    assert (total.units, total.served) == (6, 2)  # 己 is closed and not counted
    by_town = {r.label: (r.units, r.served) for r in rows}
    assert by_town == {"双桂街道": (3, 1), "礼让镇": (2, 1), "高新区": (1, 0)}
    _t, by_kind = queries.service_coverage(d.users.district, "kind")
    assert sum(r.units for r in by_kind) == 6
    town_total, _r = queries.service_coverage(d.users.shuanggui, "region")
    assert (town_total.units, town_total.served) == (3, 1)
    assert set(queries.unserved_units(d.users.shuanggui)) == {d.units.yi, d.units.bing}
    # An assignment that ended yesterday no longer serves.
    Assignment.objects.filter(unit=d.units.jia).update(end=today - dt.timedelta(days=1))
    assert queries.service_coverage(d.users.shuanggui)[0].served == 0


def test_officers_are_scoped_by_their_base(svc):
    d = svc.world
    assert set(Officer.objects.scoped(d.users.shuanggui)) == {svc.officer, svc.instructor}
    assert set(Officer.objects.scoped(d.users.lirang)) == set()
    assert set(Visit.objects.scoped(d.users.lirang)) == set()
