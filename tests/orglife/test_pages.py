"""Meeting pages: staff plan and run a meeting, the QR screen, a member signs in from the scanned link,
scope (other towns get 404), and constant query counts."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core.validators import make_citizen_id
from dangjian.orglife import actions, signin
from dangjian.orglife.models import Attendance, Meeting
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def in_page(response) -> str:
    return response.content.decode()


def test_secretary_plans_a_meeting_with_the_form(world, login):
    c = login(world.users.secretary)
    when = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(reverse("orglife:meeting_create"), {"organization": world.orgs.jia.pk, "kind": "lecture", "title": "专题党课",
                                                   "starts_at": when, "place": "会议室"})
    m = Meeting.objects.get()
    assert r.status_url if False else r.url == reverse("orglife:meeting", args=[m.pk])
    r = c.post(reverse("orglife:meeting_create"), {"organization": world.orgs.jia.pk, "kind": "group", "title": "x",
                                                   "starts_at": when})
    assert r.status_code == 200 and "不召开党小组会" in in_page(r)
    assert Meeting.objects.count() == 1


def test_the_flow_through_the_pages(world, login, plan, started):
    m = plan()
    staff = login(world.users.secretary)
    r = staff.post(reverse("orglife:meeting_notify", args=[m.pk]), follow=True)
    assert "已向参会人员发出会议通知" in in_page(r) and "王芳" in in_page(r)
    screen = staff.get(reverse("orglife:signin_screen", args=[m.pk]))
    code = re.search(r'data-code="(\d{6})"', in_page(screen)).group(1)
    assert "<svg" in in_page(screen) and f"scan/?c={code}" in in_page(screen)
    fragment = staff.get(reverse("orglife:signin_screen", args=[m.pk]), HTTP_HX_REQUEST="true")
    assert "<svg" in in_page(fragment) and "<html" not in in_page(fragment)

    phone = login(world.users.member)
    landing = phone.get(reverse("orglife:scan", args=[m.pk]) + f"?c={code}")
    assert f'value="{code}"' in in_page(landing)
    r = phone.post(reverse("orglife:scan", args=[m.pk]), {"code": code}, follow=True)
    assert "签到成功" in in_page(r)
    r = phone.post(reverse("orglife:scan", args=[m.pk]), {"code": code}, follow=True)
    assert "无需重复签到" in in_page(r)

    started(m)
    r = staff.post(reverse("orglife:meeting_held", args=[m.pk]), {"held_on": "2999-01-01"}, follow=True)
    assert "召开日期不能晚于今天" in in_page(r)
    r = staff.post(reverse("orglife:meeting_held", args=[m.pk]), {"held_on": timezone.localdate().isoformat(),
                                                                  "decisions": "通过"}, follow=True)
    assert "未签到的党员记为缺席" in in_page(r)
    m.refresh_from_db()
    assert (m.status, m.present_count, m.expected_count) == ("held", 1, 3)


def test_member_reply_and_makeup_pages(world, login, plan, started, wang_user):
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    phone = login(wang_user)
    r = phone.get(reverse("orglife:mine"))
    assert m.title in in_page(r)
    r = phone.post(reverse("orglife:reply", args=[m.pk]), {"answer": "leave", "reason": ""}, follow=True)
    assert "请假事由：请假须写明事由" in in_page(r)
    phone.post(reverse("orglife:reply", args=[m.pk]), {"answer": "leave", "reason": "值班"})
    assert Attendance.objects.get(meeting=m, member=world.members.wang).reply == "leave"
    started(m)
    actions.mark_held(world.users.secretary, m)
    actions.set_replay(world.users.secretary, m, url="https://intranet.example/replay/1")
    from dangjian.learning.models import Content

    assert Content.objects.get(meeting=m).kind == "replay"  # the replay is learning content too
    r = phone.get(reverse("orglife:meeting", args=[m.pk]))
    assert "完成补学" in in_page(r)
    r = phone.post(reverse("orglife:makeup", args=[m.pk]), {"note": "观看了回放，学习了会议精神和部署"}, follow=True)
    assert "补学完成" in in_page(r)
    m.refresh_from_db()
    assert m.made_up_count == 1


def test_pages_of_another_town_answer_404(world, login, plan):
    m = plan()
    other = login(world.users.lirang)
    for name in ["meeting", "meeting_edit", "signin_screen", "scan"]:
        assert other.get(reverse(f"orglife:{name}", args=[m.pk])).status_code == 404
    for name in ["meeting_notify", "meeting_held", "meeting_cancel", "meeting_vote", "reply", "makeup"]:
        assert other.post(reverse(f"orglife:{name}", args=[m.pk])).status_code == 404
    assert other.get(reverse("orglife:appraisal", args=[world.orgs.jia.pk])).status_code == 404
    assert other.get(reverse("orglife:talks", args=[world.orgs.jia.pk])).status_code == 404
    assert m.title not in in_page(other.get(reverse("orglife:meetings")))


def test_members_see_but_cannot_run_their_meeting(world, login, plan):
    m = plan()
    phone = login(world.users.member)
    assert phone.get(reverse("orglife:meeting", args=[m.pk])).status_code == 200
    assert phone.get(reverse("orglife:signin_screen", args=[m.pk])).status_code == 404
    assert phone.post(reverse("orglife:meeting_notify", args=[m.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 15])
def test_meeting_pages_keep_a_constant_number_of_queries(world, login, plan, started, django_assert_num_queries, extra):
    from tests.fixtures import add_member

    for i in range(extra):
        add_member(world.orgs.jia, f"党员{i}")
        plan(title=f"会议{i}")
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    c = login(world.users.secretary)
    with django_assert_num_queries(9):
        assert c.get(reverse("orglife:meetings")).status_code == 200
    with django_assert_num_queries(10):
        assert c.get(reverse("orglife:meeting", args=[m.pk])).status_code == 200


def test_appraisal_page_enforces_the_quota(world, login):
    c = login(world.users.secretary)
    ms = world.members
    url = reverse("orglife:appraisal", args=[world.orgs.jia.pk])
    r = c.post(url, {f"g-{ms.zhang.pk}": "excellent", f"g-{ms.wang.pk}": "excellent", f"g-{ms.li.pk}": "qualified"}, follow=True)
    assert "最多1名优秀" in in_page(r)
    r = c.post(url, {f"g-{ms.zhang.pk}": "excellent", f"g-{ms.wang.pk}": "qualified", f"g-{ms.li.pk}": "basic"}, follow=True)
    assert "已保存" in in_page(r)


def test_talks_page_shows_coverage(world, login):
    from dangjian.organizations.models import CommitteeMember

    CommitteeMember.objects.create(organization=world.orgs.jia, member=world.members.zhang, post="secretary",
                                   start=dt.date(2024, 1, 1))
    c = login(world.users.secretary)
    url = reverse("orglife:talks", args=[world.orgs.jia.pk])
    r = c.post(url, {"date": timezone.localdate().isoformat(), "first": world.members.zhang.pk,
                     "second": world.members.wang.pk, "notes": "工作交流"}, follow=True)
    assert "已登记谈心谈话" in in_page(r)
    assert "50%" in in_page(r)  # 王芳 done, 李强 still missing
    assert "李强" in in_page(r)


def test_hosting_a_mobile_member_by_id_number(world, login, plan):
    from dangjian.core import pii
    from dangjian.orglife.models import Attendance, HostedMember

    zhao = world.members.zhao  # member of the joint branch, out of 甲's secretary's scope
    c = login(world.users.secretary)
    url = reverse("orglife:hosted", args=[world.orgs.jia.pk])
    number = pii.decrypt(zhao.id_number_enc)
    neutral = "没有可在本组织登记的流动党员与该身份证号码对应"
    r = c.post(url, {"id_number": number}, follow=True)  # a member, not mobile: the same answer as nobody
    assert neutral in in_page(r) and "赵敏" not in in_page(r)
    type(zhao).objects.filter(pk=zhao.pk).update(is_mobile=True)
    r = c.post(url, {"id_number": make_citizen_id("110101", dt.date(1990, 3, 7), 777)}, follow=True)
    assert neutral in in_page(r)
    r = c.post(url, {"id_number": "110101199003077777"}, follow=True)  # a typing mistake is said as such
    assert "身份证号码校验位错误" in in_page(r)
    r = c.post(url, {"id_number": number}, follow=True)
    assert "已登记流动党员“赵敏”" in in_page(r)
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    assert Attendance.objects.get(meeting=m, member=zhao).role == "guest"
    hosted = HostedMember.objects.get()
    c.post(url, {"end": hosted.pk})
    hosted.refresh_from_db()
    assert hosted.until == timezone.localdate()
    assert login(world.users.lirang).get(url).status_code == 404
