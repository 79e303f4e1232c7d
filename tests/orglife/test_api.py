"""/api/v1/orglife: meetings, sign-in, votes, appraisal and talks — with scope on every endpoint."""
import datetime as dt

import pytest
from django.utils import timezone

from dangjian.orglife import actions, signin
from tests.api.conftest import text

pytestmark = pytest.mark.django_db
API = "/api/v1/orglife"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_plan_notify_signin_held_vote_through_the_api(world, login, started):
    staff = login(world.users.secretary)
    when = (timezone.now() + dt.timedelta(minutes=20)).isoformat()
    r = post(staff, f"{API}/meetings", {"organization": world.orgs.jia.pk, "kind": "general_meeting",
                                        "title": "党员大会", "starts_at": when, "place": "会议室"})
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    assert r.json()["kind_label"] == "支部党员大会" and r.json()["status"] == "planned"
    assert post(staff, f"{API}/meetings/{mid}/notify").json() == {"count": 3}
    code = staff.get(f"{API}/meetings/{mid}/signin-code").json()["code"]

    phone = login(world.users.member)
    assert post(phone, f"{API}/meetings/{mid}/signin", {"code": "000000" if code != "000000" else "111111"}).status_code == 422
    r = post(phone, f"{API}/meetings/{mid}/signin", {"code": code})
    assert r.status_code == 200 and r.json()["presence"] == "present"
    r = post(phone, f"{API}/meetings/{mid}/signin", {"code": code})
    assert r.status_code == 422 and "无需重复签到" in r.json()["detail"]["code"][0]
    assert phone.get(f"{API}/meetings/{mid}").json()["mine"]["presence"] == "present"
    assert phone.get(f"{API}/meetings/mine").json()["count"] == 1

    from dangjian.orglife.models import Meeting
    started(Meeting.objects.get(pk=mid))
    r = post(staff, f"{API}/meetings/{mid}/presence", {"presence": {str(world.members.wang.pk): "present"}})
    assert r.json() == {"count": 1}
    r = post(staff, f"{API}/meetings/{mid}/held", {"held_on": "2999-01-01"})
    assert r.status_code == 422 and "held_on" in r.json()["detail"]
    r = post(staff, f"{API}/meetings/{mid}/held", {"decisions": "通过"})
    assert r.json()["status"] == "held" and r.json()["present_count"] == 2
    assert post(staff, f"{API}/meetings/{mid}/minutes", {"text": "记录"}).json() == {"count": 1}
    r = post(staff, f"{API}/meetings/{mid}/votes", {"subject": "接收预备党员", "yes": 2})
    assert r.status_code == 201 and r.json()["passed"] is True and r.json()["entitled"] == 2
    assert len(staff.get(f"{API}/meetings/{mid}/votes").json()) == 1
    rows = staff.get(f"{API}/meetings/{mid}/attendances").json()
    assert {a["member"]["name"]: a["presence"] for a in rows} == {"张伟": "present", "王芳": "present", "李强": "absent"}


def test_reply_leave_without_reason_is_422(world, login, plan):
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    r = post(login(world.users.member), f"{API}/meetings/{m.pk}/reply", {"answer": "leave"})
    assert r.status_code == 422 and r.json()["detail"]["reason"] == ["请假须写明事由"]


def test_out_of_scope_meetings_answer_404(world, login, plan):
    m = plan()
    other = login(world.users.lirang)
    assert m.title not in text(other.get(f"{API}/meetings"))
    assert other.get(f"{API}/meetings/{m.pk}").status_code == 404
    for path in ["notify", "cancel", "held", "presence", "minutes", "votes", "signin", "reply", "makeup"]:
        assert post(other, f"{API}/meetings/{m.pk}/{path}", {}).status_code in (404, 422), path
        # 422 only where the body is checked before the meeting is looked up; make sure it is still hidden:
    for path in ["attendances", "signin-code", "votes"]:
        assert other.get(f"{API}/meetings/{m.pk}/{path}").status_code == 404
    assert other.patch(f"{API}/meetings/{m.pk}", {"title": "x"}, content_type="application/json").status_code == 404
    r = post(other, f"{API}/meetings", {"organization": world.orgs.jia.pk, "kind": "committee", "title": "x",
                                        "starts_at": timezone.now().isoformat()})
    assert r.status_code == 422 and "organization" in r.json()["detail"]


def test_members_cannot_run_meetings(world, login, plan):
    m = plan()
    phone = login(world.users.member)
    assert phone.get(f"{API}/meetings/{m.pk}").status_code == 200
    assert post(phone, f"{API}/meetings/{m.pk}/notify").status_code == 404
    assert phone.get(f"{API}/meetings/{m.pk}/signin-code").status_code == 404


def test_appraisal_and_talks_api(world, login):
    staff, ms, org = login(world.users.secretary), world.members, world.orgs.jia
    year = timezone.localdate().year
    r = post(staff, f"{API}/organizations/{org.pk}/appraisals",
             {"year": year, "grades": {str(ms.zhang.pk): "excellent", str(ms.wang.pk): "excellent"}})  # 3 members: 1 at most
    assert r.status_code == 422 and "最多1名优秀" in r.json()["detail"]["grades"][0]
    r = post(staff, f"{API}/organizations/{org.pk}/appraisals",
             {"year": year, "grades": {str(ms.zhang.pk): "excellent", str(ms.wang.pk): "qualified", str(ms.li.pk): "qualified"}})
    assert r.status_code == 200 and len(r.json()) == 3
    assert len(staff.get(f"{API}/organizations/{org.pk}/appraisals?year={year}").json()) == 3
    r = post(staff, f"{API}/organizations/{org.pk}/talks", {"date": timezone.localdate().isoformat(),
                                                              "first": ms.zhang.pk, "second": ms.wang.pk})
    assert r.status_code == 201 and r.json()["kind"] == "mm"
    cov = staff.get(f"{API}/organizations/{org.pk}/talks/coverage").json()
    assert cov["members_required"] == 3 and cov["members_done"] == 0  # no committee recorded: nobody reached

    other = login(world.users.lirang)
    for path in ["appraisals", "talks", "talks/coverage"]:
        assert other.get(f"{API}/organizations/{org.pk}/{path}").status_code == 404
    assert post(other, f"{API}/organizations/{org.pk}/appraisals", {"year": year, "grades": {}}).status_code == 404
    assert post(other, f"{API}/organizations/{org.pk}/talks", {"date": "2026-01-01", "first": 1, "second": 2}).status_code == 404


def test_hosting_through_the_api_and_the_guest_sees_the_meeting(world, login, plan, django_user_model):
    from dangjian.core import pii
    from dangjian.members.models import Member
    from tests.fixtures import user_with_role

    zhao = world.members.zhao
    Member.objects.filter(pk=zhao.pk).update(is_mobile=True)
    staff = login(world.users.secretary)
    r = post(staff, f"{API}/organizations/{world.orgs.jia.pk}/hosted", {"id_number": "123"})
    assert r.status_code == 422 and "id_number" in r.json()["detail"]
    r = post(staff, f"{API}/organizations/{world.orgs.jia.pk}/hosted", {"id_number": pii.decrypt(zhao.id_number_enc)})
    assert r.status_code == 201 and r.json()["home_organization"]["name"] == "双桂街道商贸物流联合党支部"
    assert len(staff.get(f"{API}/organizations/{world.orgs.jia.pk}/hosted").json()) == 1
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    guest = login(user_with_role(django_user_model, "zhaomin", "member", member=zhao))
    assert guest.get(f"{API}/meetings/{m.pk}").json()["mine"]["role"] == "guest"
    other = login(world.users.lirang)
    assert other.get(f"{API}/organizations/{world.orgs.jia.pk}/hosted").status_code == 404
    assert post(other, f"{API}/organizations/{world.orgs.jia.pk}/hosted", {"id_number": "x"}).status_code == 404


def test_compliance_api_and_scope(world, login, pin):
    from tests.orglife.conftest import add_formal
    from tests.orglife.test_compliance import held

    pin(dt.date(2026, 12, 4))
    held(world.orgs.jia, "general_meeting", dt.date(2026, 10, 15))
    c = login(world.users.district)
    r = c.get(f"{API}/compliance?period=2026-Q4").json()
    assert r["node_name"] == "梁平区" and r["period"] == "2026-Q4" and r["total"]["orgs"] == 3
    assert {ch["name"] for ch in r["children"]} == {"双桂街道", "礼让镇"}
    general = next(k for k in r["total"]["kinds"] if k["kind"] == "general_meeting")
    assert (general["held"], general["due"], general["pending"]) == (1, 1, 2)
    month = c.get(f"{API}/compliance?period=2026-12").json()["total"]
    assert month["rate"] == 1.0 and month["pending"] > 0 and month["behind"] == 0  # only Q4's held meeting is due
    add_formal(world.orgs.jia, 5)  # only 甲's branch has a committee
    behind = c.get(f"{API}/compliance/behind?period=2025&kind=committee").json()
    assert behind["count"] == 1 and behind["items"][0]["overdue"]["committee"] == 12
    town = login(world.users.lirang)
    assert town.get(f"{API}/compliance?region={world.shuanggui.pk}").status_code == 404
    assert town.get(f"{API}/compliance?org={world.orgs.jia.pk}").status_code == 404
    assert town.get(f"{API}/compliance/behind?org={world.orgs.jia.pk}").status_code == 404
    assert town.get(f"{API}/compliance").json()["total"]["orgs"] == 1
