"""Learning API and pages: today's study on a phone, heartbeat/complete/quiz, pushes with scope, points,
rankings; constant query counts for today's page."""
import pytest
from django.urls import reverse

from dangjian.learning import actions
from dangjian.learning.models import LearningRecord
from tests.api.conftest import text

pytestmark = pytest.mark.django_db
API = "/api/v1/learning"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_member_studies_through_the_api(world, login, lecture, today, time_machine):
    import datetime as dt
    from zoneinfo import ZoneInfo

    # mid-morning of today: the 13 minutes of heartbeats below never cross midnight
    time_machine.move_to(dt.datetime.combine(today, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    actions.push_content(world.users.district, lecture, today, organizations=[world.orgs.jia], note="今天学这个")
    phone = login(world.users.member)
    day = phone.get(f"{API}/today").json()
    assert [i["content"]["title"] for i in day["today"]] == ["新就业群体党员的责任"] and day["today"][0]["record"] is None
    detail = phone.get(f"{API}/contents/{lecture.pk}").json()
    assert detail["seconds_needed"] == 750 and "answer" not in text(phone.get(f"{API}/contents/{lecture.pk}"))
    r = post(phone, f"{API}/contents/{lecture.pk}/complete")
    assert r.status_code == 422 and "学习时间不足" in r.json()["detail"]["__all__"][0]
    for _ in range(26):  # the first beat starts the server's clock; each later one adds the 30 s since
        post(phone, f"{API}/contents/{lecture.pk}/heartbeat", {"seconds": 30})
        time_machine.shift(30)
    assert post(phone, f"{API}/contents/{lecture.pk}/complete").json()["completed_at"]
    q1, q2 = [q["id"] for q in detail["questions"]]
    r = post(phone, f"{API}/contents/{lecture.pk}/quiz", {"answers": {str(q1): 0}})
    assert r.status_code == 422 and "第2题未作答" in r.json()["detail"]["answers"][0]
    assert post(phone, f"{API}/contents/{lecture.pk}/quiz", {"answers": {str(q1): 0, str(q2): 0}}).json() == \
        {"score": 100, "passed": True, "attempts_left": 2}
    points = phone.get(f"{API}/points").json()
    assert points["total"] == 5 and {e["event"] for e in points["entries"]} == {"study_completed", "quiz_passed"}
    assert phone.get(f"{API}/today").json()["today"][0]["record"]["completed_at"]


def test_pushes_are_scoped(world, login, lecture, today):
    town = login(world.users.lirang)
    r = post(town, f"{API}/contents/{lecture.pk}/pushes", {"date": today.isoformat(), "organizations": [world.orgs.jia.pk]})
    assert r.status_code == 422 and "organizations" in r.json()["detail"]
    r = post(town, f"{API}/contents/{lecture.pk}/pushes", {"date": today.isoformat(), "regions": [world.lirang.pk],
                                                           "group": "couriers"})
    assert r.status_code == 201 and r.json()["regions"][0]["name"] == "礼让镇"
    assert town.get(f"{API}/pushes").json()["count"] == 1
    assert login(world.users.shuanggui).get(f"{API}/pushes").json()["count"] == 0
    assert post(login(world.users.member), f"{API}/contents", {"kind": "article", "title": "x", "body": "y"}).status_code == 422
    assert post(town, f"{API}/contents/999999/pushes", {"date": today.isoformat()}).status_code == 404


def test_staff_without_member_record_get_404_on_member_endpoints(world, login, lecture):
    staff = login(world.users.lirang)
    assert staff.get(f"{API}/today").status_code == 404
    assert post(staff, f"{API}/contents/{lecture.pk}/heartbeat", {"seconds": 10}).status_code == 404
    assert staff.get(f"{API}/points").status_code == 404


def test_drafts_are_hidden_from_members(world, login):
    draft = actions.create_content(world.users.district, kind="article", title="草稿", body="……", published=False)
    assert login(world.users.member).get(f"{API}/contents/{draft.pk}").status_code == 404
    assert login(world.users.member).get(reverse("learning:content", args=[draft.pk])).status_code == 404
    assert login(world.users.district).get(f"{API}/contents/{draft.pk}").status_code == 200


def test_rankings_api_scope(world, login):
    from dangjian.learning.points import award

    award(world.members.zhang, "meeting_attended", "m1")
    award(world.members.sun, "meeting_attended", "m2")
    assert [r["member__name"] for r in login(world.users.lirang).get(f"{API}/rankings?period=all").json()["members"]] == ["孙磊"]
    assert len(login(world.users.district).get(f"{API}/rankings").json()["members"]) == 2


@pytest.mark.parametrize("pushes", [1, 12])
def test_today_page_costs_a_fixed_number_of_queries(world, login, lecture, today, django_assert_num_queries, pushes):
    for i in range(pushes):
        c = actions.create_content(world.users.district, kind="article", title=f"文章{i}", body="……")
        actions.push_content(world.users.district, c, today, organizations=[world.orgs.jia])
        LearningRecord.objects.create(member=world.members.zhang, content=c, seconds=60)
    phone = login(world.users.member)
    # session, user, member, pushes, records, role lookup for the member; the user menu asks whether they manage
    # users (the scope: its change stamps and, on a first request, its roles)
    with django_assert_num_queries(8):
        r = phone.get(reverse("learning:today"))
    assert r.status_code == 200 and "文章0" in r.content.decode()


def test_study_page_and_quiz_form(world, login, lecture, today):
    phone = login(world.users.member)
    page = phone.get(reverse("learning:content", args=[lecture.pk])).content.decode()
    assert "data-heartbeat-url" in page and "随堂测试" in page
    q1, q2 = lecture.questions.all()
    r = phone.post(reverse("learning:quiz", args=[lecture.pk]), {f"q-{q1.pk}": 0}, follow=True)
    assert "第2题未作答" in r.content.decode()
    r = phone.post(reverse("learning:quiz", args=[lecture.pk]), {f"q-{q1.pk}": 0, f"q-{q2.pk}": 0}, follow=True)
    assert "测试得分：100分" in r.content.decode()
    assert phone.get(reverse("learning:index")).url == reverse("learning:today")
    assert phone.get("/").url == reverse("learning:today")


def test_staff_pages(world, login, lecture, today):
    staff = login(world.users.district)
    assert "新就业群体党员的责任" in staff.get(reverse("learning:index")).content.decode()
    from dangjian.learning.models import Content

    r = staff.post(reverse("learning:content_create"), {"kind": "article", "title": "新文章", "published": "on"})
    assert r.status_code == 200 and "文章须有正文" in r.content.decode()
    assert not Content.objects.filter(title="新文章").exists()
    r = staff.post(reverse("learning:push", args=[lecture.pk]), {"date": today.isoformat(), "group": ""}, follow=True)
    assert "请至少选择一个党组织或区域" in r.content.decode()
    r = staff.post(reverse("learning:push", args=[lecture.pk]), {"date": today.isoformat(), "regions": [world.district.pk]},
                   follow=True)
    assert "已推送" in r.content.decode()
    r = staff.post(reverse("learning:question_add", args=[lecture.pk]), {"text": "题", "options": "甲\n乙", "answer": 3},
                   follow=True)
    assert "正确选项" in r.content.decode()
    page = staff.get(reverse("learning:rankings")).content.decode()
    assert "积分排行" in page
    sec = login(world.users.secretary)
    r = sec.post(reverse("learning:member_points", args=[world.members.wang.pk]), {"points": 3, "reason": "志愿服务"},
                 follow=True)
    assert "已记录积分" in r.content.decode()
    assert login(world.users.lirang).get(reverse("learning:member_points", args=[world.members.wang.pk])).status_code == 404
