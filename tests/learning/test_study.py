"""Learning rules: points caps at their boundaries, no self-award, the quiz pass mark, completion time,
pushes reaching members by organisation, region and group."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangjian.learning import actions, queries
from dangjian.learning.models import LearningRecord, PointEntry, Push
from dangjian.learning.points import award, capped

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("points, earned, cap, credited", [
    (2, 0, 10, 2), (2, 8, 10, 2), (2, 9, 10, 1), (2, 10, 10, 0), (2, 12, 10, 0), (5, 0, 0, 5), (-3, 0, 10, -3)])
def test_capped(points, earned, cap, credited):
    assert capped(points, earned, cap) == credited


def test_daily_cap_and_one_payment_per_source(world):
    zhang, day = world.members.zhang, dt.date(2026, 11, 23)
    paid = [award(zhang, "study_completed", f"content:{i}", day=day) for i in range(7)]
    assert [e.points if e else None for e in paid] == [2, 2, 2, 2, 2, None, None]  # cap 10 a day
    assert award(zhang, "study_completed", "content:99", day=day + dt.timedelta(days=1)).points == 2
    assert award(zhang, "study_completed", "content:0", day=day + dt.timedelta(days=1)) is None  # paid already


def test_no_one_awards_themselves(world, django_user_model):
    from tests.fixtures import user_with_role

    secretary_member = user_with_role(django_user_model, "sec2", "secretary", organization=world.orgs.jia)
    from dangjian.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=secretary_member, role="member", member=world.members.wang)
    with pytest.raises(ValidationError) as exc:
        actions.manual_award(secretary_member, world.members.wang, 5, "自己加分")
    assert "不能给自己加积分" in " ".join(exc.value.messages)
    entry = actions.manual_award(world.users.secretary, world.members.wang, 5, "志愿服务")
    assert entry.points == 5 and entry.recorded_by == world.users.secretary
    with pytest.raises(ValidationError):
        actions.manual_award(world.users.lirang, world.members.wang, 5, "越权")  # out of scope
    with pytest.raises(ValidationError):
        actions.manual_award(world.users.secretary, world.members.wang, 500, "太多")


def test_quiz_pass_mark_is_inclusive(world, lecture):
    q1, q2 = list(lecture.questions.all())
    zhang = world.members.zhang
    result = actions.submit_quiz(zhang, lecture, {q1.pk: 1, q2.pk: 1})
    assert (result.score, result.passed) == (0, False)
    result = actions.submit_quiz(zhang, lecture, {q1.pk: 0, q2.pk: 1})
    assert (result.score, result.passed) == (50, False)  # pass mark is 60
    with pytest.raises(ValidationError) as exc:
        actions.submit_quiz(zhang, lecture, {q1.pk: 0})
    assert "第2题未作答" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        actions.submit_quiz(zhang, lecture, {q1.pk: 0, q2.pk: 7})
    assert actions.submit_quiz(zhang, lecture, {q1.pk: 0, q2.pk: 0}) == actions.QuizResult(100, True, 0)
    assert LearningRecord.objects.get(member=zhang, content=lecture).quiz_score == 100
    assert PointEntry.objects.filter(member=zhang, event="quiz_passed").count() == 1


def test_quiz_at_exactly_the_pass_score(world, settings, tmp_path, lecture):
    from dangjian.core.rules import _load

    local = tmp_path / "local.toml"
    local.write_text("[learning]\nquiz_pass_score = 50\n", encoding="utf-8")
    settings.DANGJIAN_RULES_FILE = str(local)
    _load.cache_clear()
    try:
        q1, q2 = list(lecture.questions.all())
        assert actions.submit_quiz(world.members.zhang, lecture, {q1.pk: 0, q2.pk: 1}).passed
    finally:
        settings.DANGJIAN_RULES_FILE = ""
        _load.cache_clear()


def test_completion_needs_half_the_minutes(world, lecture, time_machine):
    from django.utils import timezone

    zhang = world.members.zhang
    with pytest.raises(ValidationError) as exc:
        actions.complete(zhang, lecture)
    assert "学习时间不足" in " ".join(exc.value.messages)
    time_machine.move_to(timezone.now(), tick=False)
    actions.heartbeat(zhang, lecture)  # starts the clock
    for _ in range(25):
        time_machine.shift(60)
        actions.heartbeat(zhang, lecture)  # a minute away counts at most 30 s
    assert LearningRecord.objects.get(member=zhang, content=lecture).seconds == 750
    actions.complete(zhang, lecture)
    actions.complete(zhang, lecture)  # twice: still one payment
    assert PointEntry.objects.filter(member=zhang, event="study_completed").count() == 1


def test_pushes_reach_by_organisation_region_and_group(world, lecture, today, yesterday):
    from dangjian.units.models import Unit

    to_jia = actions.push_content(world.users.district, lecture, today, organizations=[world.orgs.jia])
    actions.push_content(world.users.district, lecture, today, regions=[world.lirang])
    couriers = actions.create_content(world.users.district, kind="article", title="快递小哥安全骑行", body="……")
    actions.push_content(world.users.district, couriers, today, regions=[world.district], group="couriers")
    assert Push.objects.count() == 3

    def seen(member):
        m = queries.member_with_place(member.pk)
        return {p.content.title for p in queries.todays_study(m, today)["today"]}

    assert seen(world.members.zhang) == {"新就业群体党员的责任"}
    assert seen(world.members.sun) == {"新就业群体党员的责任"}  # 丁's branch is in 礼让镇
    assert seen(world.members.zhao) == set()
    Unit.objects.filter(pk=world.units.yi.pk).update(industry_section="G", industry_division="60")
    assert seen(world.members.zhao) == {"快递小哥安全骑行"}
    # yesterday's push not completed stays as catch-up; completed ones drop off
    Push.objects.filter(pk=to_jia.pk).update(date=yesterday)
    study = queries.todays_study(queries.member_with_place(world.members.zhang.pk), today)
    assert [p.content.title for p in study["earlier"]] == ["新就业群体党员的责任"]


def test_push_validation(world, lecture, yesterday, today):
    with pytest.raises(ValidationError) as exc:
        actions.push_content(world.users.district, lecture, today)
    assert "请至少选择一个党组织或区域" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        actions.push_content(world.users.district, lecture, yesterday, organizations=[world.orgs.jia])
    with pytest.raises(ValidationError) as exc:
        actions.push_content(world.users.lirang, lecture, today, organizations=[world.orgs.jia])
    assert "不在您的管理范围内" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        actions.create_content(world.users.member, kind="article", title="x", body="y")  # members don't write


def test_content_validation(world):
    with pytest.raises(ValidationError) as exc:
        actions.create_content(world.users.district, kind="video", title="无链接视频")
    assert "url" in exc.value.message_dict
    lecture = actions.create_content(world.users.district, kind="micro_lecture", title="微党课", url="https://x.example/v")
    assert lecture.minutes == 25
    with pytest.raises(ValidationError) as exc:
        actions.add_question(world.users.district, lecture, "题", ["只有一个"], 0)
    assert "options" in exc.value.message_dict


def test_rankings(world, lecture):
    day = dt.date.today()
    award(world.members.zhang, "study_completed", "a", day=day)
    award(world.members.wang, "quiz_passed", "b", day=day)
    award(world.members.sun, "meeting_attended", "c", day=day)
    members = queries.member_ranking(world.users.district, "all")
    assert [r["member__name"] for r in members] == ["孙磊", "王芳", "张伟"]
    orgs = queries.organization_ranking(world.users.district, "all")
    assert orgs[0]["member__organization__name"] == "丁机械有限公司党支部" and orgs[1]["points"] == 5
    regions = {r["region"]: r["points"] for r in queries.region_ranking(world.users.district, "all")}
    assert regions == {"双桂街道": 5, "礼让镇": 5}
    assert [r["member__name"] for r in queries.member_ranking(world.users.lirang, "all")] == ["孙磊"]
