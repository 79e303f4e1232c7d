"""Issue 12, finding 6: study time is the server's clock between heartbeats, never the seconds a client claims;
quiz attempts are limited per day by the rule set, and a failed try tells the score, not the right answers."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangjian.learning import actions
from dangjian.learning import models
from dangjian.learning.models import LearningRecord, PointEntry

pytestmark = pytest.mark.django_db
API = "/api/v1/learning"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = dt.datetime(2026, 12, 4, 10, tzinfo=SHANGHAI)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return time_machine


@pytest.fixture
def rules(settings, tmp_path):
    """rules(toml) -> the rule set with a local override file for this test."""
    from dangjian.core.rules import _load

    def use(text: str):
        local = tmp_path / "local.toml"
        local.write_text(text, encoding="utf-8")
        settings.DANGJIAN_RULES_FILE = str(local)
        _load.cache_clear()

    yield use
    settings.DANGJIAN_RULES_FILE = ""
    _load.cache_clear()


def beat(client, content, seconds=999999):
    return client.post(f"{API}/contents/{content.pk}/heartbeat", {"seconds": seconds}, content_type="application/json")


def seconds(world, content) -> int:
    return LearningRecord.objects.get(member=world.members.zhang, content=content).seconds


def test_27_rapid_beats_claiming_999999_add_at_most_one_interval(world, login, lecture, clock):
    """The reported attack: 27 beats of {"seconds": 999999} in 0.2 s recorded 810 s and earned points."""
    phone = login(world.users.member)
    for _ in range(27):
        assert beat(phone, lecture).status_code == 200
        clock.shift(0.0075)
    assert seconds(world, lecture) == 0  # the first beat only starts the clock; the rest came too soon
    assert post_complete(phone, lecture).status_code == 422
    assert not PointEntry.objects.filter(member=world.members.zhang).exists()


def test_after_the_page_opened_a_burst_counts_one_interval(world, login, lecture, clock):
    phone = login(world.users.member)
    assert phone.get(reverse("learning:content", args=[lecture.pk])).status_code == 200  # starts the clock
    clock.shift(15)
    for _ in range(27):
        beat(phone, lecture)
        clock.shift(0.0075)
    assert seconds(world, lecture) == 15


def test_each_beat_adds_the_servers_interval_capped(world, lecture, clock):
    zhang, added = world.members.zhang, []
    for gap in (0, 15, 5, 5, 20, 3600, -60):
        clock.shift(gap)
        added.append(actions.heartbeat(zhang, lecture).seconds)
    # start; +15; 5 s is too soon (clock stays); 10 s since the counted beat: +10; +20; an hour away: +30 at most;
    # a beat "before" the last one (clock skew) adds nothing
    assert added == [0, 15, 15, 25, 45, 75, 75]


def test_the_rule_set_sets_both_limits(world, lecture, clock, rules):
    rules("[learning]\nheartbeat_max_seconds = 60\nheartbeat_min_seconds = 2\n")
    zhang = world.members.zhang
    actions.heartbeat(zhang, lecture)
    clock.shift(3)
    assert actions.heartbeat(zhang, lecture).seconds == 3
    clock.shift(600)
    assert actions.heartbeat(zhang, lecture).seconds == 63


def test_the_study_page_ignores_the_seconds_it_sends(world, login, lecture, clock):
    phone = login(world.users.member)
    phone.get(reverse("learning:content", args=[lecture.pk]))
    clock.shift(15)
    url = reverse("learning:heartbeat", args=[lecture.pk])
    assert phone.post(url, {"seconds": "999999"}).json() == {"seconds": 15}
    clock.shift(15)
    assert phone.post(url, {"seconds": "abc"}).json() == {"seconds": 30}
    clock.shift(15)
    assert phone.post(url).json() == {"seconds": 45}  # what the page's script sends now
    assert beat(phone, lecture, seconds=-5).status_code == 422  # still validated, then ignored


def test_reopening_the_page_does_not_reset_a_running_clock(world, login, lecture, clock):
    phone = login(world.users.member)
    phone.get(reverse("learning:content", args=[lecture.pk]))
    clock.shift(12)
    phone.get(reverse("learning:content", args=[lecture.pk]))  # a reload mid-interval
    clock.shift(12)
    assert beat(phone, lecture).json()["seconds"] == 24


def post_complete(client, content):
    return client.post(f"{API}/contents/{content.pk}/complete", content_type="application/json")


def answers(lecture, right: bool) -> dict:
    return {q.pk: 0 if right else 1 for q in lecture.questions.all()}


def test_quiz_attempts_are_limited_per_day(world, lecture, clock):
    zhang = world.members.zhang
    assert [actions.submit_quiz(zhang, lecture, answers(lecture, False)).attempts_left for _ in range(3)] == [2, 1, 0]
    with pytest.raises(ValidationError) as exc:
        actions.submit_quiz(zhang, lecture, answers(lecture, True))
    assert "今天已提交3次测试，达到每天的上限，请明天再试" in " ".join(exc.value.messages)
    assert models.QuizAttempt.objects.filter(member=zhang).count() == 3
    assert not PointEntry.objects.filter(member=zhang, event="quiz_passed").exists()
    # a new day by the local calendar (00:00:10 in Shanghai is still the 4th in UTC)
    clock.move_to(dt.datetime(2026, 12, 5, 0, 0, 10, tzinfo=SHANGHAI))
    assert actions.submit_quiz(zhang, lecture, answers(lecture, True)).passed


def test_incomplete_answers_use_no_attempt(world, lecture, clock):
    q1 = lecture.questions.first()
    for _ in range(5):
        with pytest.raises(ValidationError):
            actions.submit_quiz(world.members.zhang, lecture, {q1.pk: 0})
    assert not models.QuizAttempt.objects.exists()
    assert actions.submit_quiz(world.members.zhang, lecture, answers(lecture, False)).attempts_left == 2


def test_attempts_per_content_and_member(world, lecture, clock):
    other = actions.create_content(world.users.district, kind="article", title="另一篇", body="……")
    actions.add_question(world.users.district, other, "题", ["甲", "乙"], 0)
    for _ in range(3):
        actions.submit_quiz(world.members.zhang, lecture, answers(lecture, False))
    assert actions.submit_quiz(world.members.zhang, other, {other.questions.get().pk: 0}).attempts_left == 2
    assert actions.submit_quiz(world.members.wang, lecture, answers(lecture, False)).attempts_left == 2


def test_the_attempt_limit_comes_from_the_rule_set(world, lecture, clock, rules):
    rules("[learning]\nquiz_max_attempts_per_day = 1\n")
    actions.submit_quiz(world.members.zhang, lecture, answers(lecture, False))
    with pytest.raises(ValidationError) as exc:
        actions.submit_quiz(world.members.zhang, lecture, answers(lecture, True))
    assert "今天已提交1次测试" in " ".join(exc.value.messages)
    rules("[learning]\nquiz_max_attempts_per_day = 0\n")  # no limit
    for _ in range(5):
        assert actions.submit_quiz(world.members.wang, lecture, answers(lecture, False)).attempts_left is None


def test_the_page_tells_the_score_not_the_answers_until_passed(world, login, lecture, clock):
    phone = login(world.users.member)
    url = reverse("learning:quiz", args=[lecture.pk])
    wrong = {f"q-{pk}": value for pk, value in answers(lecture, False).items()}
    r = phone.post(url, wrong, follow=True)
    body = r.content.decode()
    assert "测试得分：0分（未通过，今天还可以再试2次）" in body and "正确答案：" not in body
    phone.post(url, wrong)
    body = phone.post(url, wrong, follow=True).content.decode()
    assert "未通过，今天的次数已用完，请明天再试" in body and "今天的测试次数已用完" in body
    assert f'action="{url}"' not in body and "正确答案：" not in body  # no form, no answers
    r = phone.post(url, {f"q-{pk}": 0 for pk in answers(lecture, True)}, follow=True)
    assert "今天已提交3次测试，达到每天的上限，请明天再试" in r.content.decode()
    clock.shift(24 * 3600)
    phone = login(world.users.member)  # the next day: a new session
    body = phone.post(url, {f"q-{pk}": 0 for pk in answers(lecture, True)}, follow=True).content.decode()
    assert "测试得分：100分（通过）" in body and "正确答案：交纳党费" in body


def test_the_api_refuses_a_fourth_try_in_chinese(world, login, lecture, clock):
    phone = login(world.users.member)
    url = f"{API}/contents/{lecture.pk}/quiz"
    wrong = {"answers": {str(pk): v for pk, v in answers(lecture, False).items()}}
    tries = [phone.post(url, wrong, content_type="application/json").json() for _ in range(3)]
    assert tries[-1] == {"score": 0, "passed": False, "attempts_left": 0}
    r = phone.post(url, {"answers": {str(pk): 0 for pk in answers(lecture, True)}}, content_type="application/json")
    assert r.status_code == 422 and "请明天再试" in r.json()["detail"]["__all__"][0]
