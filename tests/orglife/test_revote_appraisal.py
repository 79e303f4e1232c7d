"""Votes and appraisals by the rules (issue 11, item 7): a second vote on a subject in one meeting is a re-vote
with a reason that replaces the first in the record book and the API (history kept); probationary members are
appraised but not graded 优秀 unless the rule set allows it — in the actions, the pages and the demo."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from dangjian.members.models import Category
from dangjian.orglife import actions, queries, review
from dangjian.orglife.models import Appraisal, Vote
from dangjian.orglife.recordbook import recordbook_meetings
from tests.fixtures import add_member
from tests.orglife.test_meetings import held_meeting

pytestmark = pytest.mark.django_db
API = "/api/v1/orglife"
NOON = dt.datetime(2026, 12, 4, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def refused(exc) -> str:
    return " ".join(exc.value.messages)


@pytest.fixture
def meeting(world, plan, started):
    """A held general meeting of 甲's branch where both formal members (the entitled voters) were present."""
    m = held_meeting(world, plan, started)
    actions.mark_presence(world.users.secretary, m, {world.members.wang.pk: "present"})
    return m


def test_a_second_vote_on_a_subject_needs_a_reason_and_replaces_the_first(world, meeting):
    sec = world.users.secretary
    first = actions.record_vote(sec, meeting, "接收李强为预备党员", yes=1, no=1, abstain=0)
    assert not first.passed
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            actions.record_vote(sec, meeting, " 接收李强为预备党员 ", yes=2, no=0, abstain=0, reason=reason)
        assert "本次会议已表决（未通过" in refused(exc) and "须写明事由" in refused(exc)
        assert list(exc.value.message_dict) == ["reason"]
    assert Vote.objects.count() == 1
    second = actions.record_vote(sec, meeting, "接收李强为预备党员", yes=2, no=0, abstain=0, reason="补充材料后复议")
    assert second.passed and second.replaces == first and second.revote_reason == "补充材料后复议"
    third = actions.record_vote(sec, meeting, "接收李强为预备党员", yes=2, no=0, abstain=0, reason="计票有误，重新表决")
    assert third.replaces == second  # one chain per subject: the latest is replaced, not the first again
    other = actions.record_vote(sec, meeting, "另一事项", yes=2, no=0, abstain=0, reason="首次表决不需要事由")
    assert other.replaces is None and other.revote_reason == ""
    assert [v.pk for v in queries.votes([meeting])] == [third.pk, other.pk]
    assert [v.pk for v in queries.votes([meeting], history=True)] == [first.pk, second.pk, third.pk, other.pk]


def test_the_record_book_shows_the_standing_vote_with_its_reason(world, meeting):
    sec = world.users.secretary
    actions.record_vote(sec, meeting, "接收李强为预备党员", yes=1, no=1, abstain=0)
    actions.record_vote(sec, meeting, "接收李强为预备党员", yes=2, no=0, abstain=0, reason="补充材料后复议")
    [m] = recordbook_meetings(world.orgs.jia, meeting.held_on.year)
    assert [(v.yes, v.no) for v in m.vote_list] == [(2, 0)]
    html = render_to_string("orglife/recordbook.html", {"org": world.orgs.jia, "year": meeting.held_on.year,
                                                        "meetings": [m], "printed": meeting.held_on})
    assert "复议/重新表决，事由：补充材料后复议" in html and "取代此前“未通过”的表决" in html
    assert "赞成 1，反对 1" not in html  # the replaced vote is not in the minutes


def test_votes_api_shows_the_standing_vote_and_the_history(world, meeting, login):
    staff = login(world.users.secretary)
    url = f"{API}/meetings/{meeting.pk}/votes"
    first = staff.post(url, {"subject": "接收李强为预备党员", "yes": 1, "no": 1}, content_type="application/json").json()
    r = staff.post(url, {"subject": "接收李强为预备党员", "yes": 2}, content_type="application/json")
    assert r.status_code == 422 and "须写明事由" in r.json()["detail"]["reason"][0]
    r = staff.post(url, {"subject": "接收李强为预备党员", "yes": 2, "reason": "补充材料后复议"},
                   content_type="application/json")
    assert r.status_code == 201 and r.json()["replaces"] == first["id"]
    standing = staff.get(url).json()
    assert [(v["passed"], v["revote_reason"], v["replaces"]) for v in standing] == [(True, "补充材料后复议", first["id"])]
    history = staff.get(f"{url}?history=true").json()
    assert [(v["id"], v["replaced_by"]) for v in history] == [(first["id"], r.json()["id"]), (r.json()["id"], None)]


def test_meeting_page_refuses_a_second_vote_without_reason_and_keeps_history(world, meeting, login):
    c = login(world.users.secretary)
    url = reverse("orglife:meeting_vote", args=[meeting.pk])
    data = {"subject": "接收李强为预备党员", "yes": 1, "no": 1, "abstain": 0, "written_yes": 0, "written_no": 0}
    c.post(url, data)
    r = c.post(url, data | {"yes": 2, "no": 0}, follow=True)
    assert r.status_code == 200 and "须写明事由" in r.content.decode() and Vote.objects.count() == 1
    c.post(url, data | {"yes": 2, "no": 0, "reason": "补充材料后复议"})
    page = c.get(reverse("orglife:meeting", args=[meeting.pk])).content.decode()
    assert "已被重新表决取代" in page and "复议/重新表决" in page and "补充材料后复议" in page


@time_machine.travel(NOON, tick=False)
def test_probationary_members_are_appraised_but_not_excellent(world):
    org, sec, ms = world.orgs.jia, world.users.secretary, world.members
    with pytest.raises(ValidationError) as exc:
        review.record_appraisal(sec, org, 2026, {ms.li.pk: "excellent", ms.zhang.pk: "qualified"})
    assert "预备党员参加评议，但不能评为优秀：李强" in refused(exc)
    assert not Appraisal.objects.exists()
    review.record_appraisal(sec, org, 2026, {ms.li.pk: "qualified", ms.zhang.pk: "excellent"})
    assert Appraisal.objects.get(member=ms.li).grade == "qualified"


@time_machine.travel(NOON, tick=False)
def test_probation_is_judged_at_the_end_of_the_appraisal_year(world):
    recent = add_member(world.orgs.jia, "陈晨")
    recent.confirm_date = dt.date(2026, 3, 1)  # formal now, still probationary at the end of 2025
    recent.save()
    with pytest.raises(ValidationError):
        review.record_appraisal(world.users.secretary, world.orgs.jia, 2025, {recent.pk: "excellent"})
    review.record_appraisal(world.users.secretary, world.orgs.jia, 2026, {recent.pk: "excellent"})


@time_machine.travel(NOON, tick=False)
def test_the_rule_set_may_allow_probationary_members_to_be_excellent(world, settings, tmp_path):
    from dangjian.core.rules import _load

    local = tmp_path / "local.toml"
    local.write_text("[orglife]\nprobationary_may_be_excellent = true\n", encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(local)
    _load.cache_clear()
    try:
        review.record_appraisal(world.users.secretary, world.orgs.jia, 2026, {world.members.li.pk: "excellent"})
    finally:
        settings.DANGJIAN_RULES_FILE = ""
        _load.cache_clear()
    assert Appraisal.objects.get(member=world.members.li).grade == "excellent"


@time_machine.travel(NOON, tick=False)
def test_appraisal_page_offers_no_excellent_to_probationary_members(world, login):
    c = login(world.users.secretary)
    url = reverse("orglife:appraisal", args=[world.orgs.jia.pk])
    page = c.get(url).content.decode()
    assert f'name="g-{world.members.li.pk}"' in page and "不能评为优秀" in page
    li_select = page.split(f'name="g-{world.members.li.pk}"')[1].split("</select>")[0]
    assert 'value="excellent"  disabled' in li_select or 'value="excellent" disabled' in li_select
    r = c.post(url, {f"g-{world.members.li.pk}": "excellent"}, follow=True)
    assert r.status_code == 200 and "不能评为优秀：李强" in r.content.decode()
    assert not Appraisal.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_demo_appraisals_never_grade_probationary_members_excellent(world):
    from dangjian.demo.build_orglife import OrglifeBuilder

    for i in range(12):
        add_member(world.orgs.ding, f"正式{i}")
        add_member(world.orgs.ding, f"预备{i}", category=Category.PROBATIONARY)
    confirmed = add_member(world.orgs.ding, "今年转正")
    confirmed.confirm_date = dt.date(2026, 5, 1)
    confirmed.save()
    for seed in range(8):
        Appraisal.objects.all().delete()
        OrglifeBuilder(world.district, seed, dt.date(2026, 12, 4))._appraisals()
        excellent = Appraisal.objects.filter(grade="excellent", year=2025)
        assert excellent.exists()
        assert not excellent.filter(member__category=Category.PROBATIONARY).exists()
        assert not excellent.filter(member=confirmed).exists()
