"""Enterprise requests through their states: who may do what, deadlines, one of two clicks wins, ratings,
escalation, and scope."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.core.models import AuditLog, Notification
from dangjian.services import actions
from dangjian.services.models import Channel, Request, RequestEvent, State
from dangjian.services.workdays import add_working_days


def go(svc, request, *steps):
    """Run steps [(user, action, note)] with the version each user would see on the page."""
    for user, action, note in steps:
        request = actions.act(user, request, action, request.version, note)
    return request


def test_an_enterprise_raises_a_request_routed_by_category(svc, raised):
    assert raised.channel == Channel.ENTERPRISE and raised.state == State.SUBMITTED
    assert raised.department == svc.hrss  # recruitment → human resources and social security
    assert list(raised.events.values_list("action", "to_state")) == [("submit", "submitted")]
    told = set(Notification.objects.filter(text__contains="新诉求").values_list("user__username", flat=True))
    assert {"qu", "shuanggui"} <= told and "lirang" not in told  # the unit's town and the district only


def test_the_whole_life_of_a_request(svc, raised):
    u, w = svc.users, svc.world.users
    r = go(svc, raised, (w.shuanggui, "accept", ""))
    assert r.deadline == add_working_days(timezone.localdate(), 10)
    r = go(svc, r, (w.shuanggui, "assign", ""), (u.hrss, "start", ""), (u.hrss, "reply", "已推送 3 场招聘会"))
    assert r.state == State.REPLIED and r.reply == "已推送 3 场招聘会" and r.replied_at
    r = go(svc, r, (u.qiye, "confirm", ""))
    assert r.state == State.CLOSED and r.closed_at
    r = actions.rate(u.qiye, r, 5, "很及时")
    assert (r.rating, r.rating_comment) == (5, "很及时")
    assert list(r.events.values_list("action", flat=True)) == ["submit", "accept", "assign", "start", "reply",
                                                               "confirm", "rate"]
    assert Notification.objects.filter(user=u.qiye, text__contains="答复").exists()
    assert AuditLog.objects.filter(object_type="services.request", object_id=str(r.pk)).count() >= 6


def test_returned_for_rework_and_reopened(svc, raised, settings):
    u, w = svc.users, svc.world.users
    r = go(svc, raised, (w.district, "accept", ""), (w.district, "assign", ""), (u.hrss, "reply", "请自行招聘"))
    r = go(svc, r, (u.qiye, "return", "答复没有解决问题"))
    assert r.state == State.RETURNED
    r = go(svc, r, (u.hrss, "start", ""), (u.hrss, "reply", "已对接劳务公司"), (u.qiye, "confirm", ""))
    r = go(svc, r, (u.qiye, "reopen", "劳务公司没来"))
    assert r.state == State.REOPENED and r.closed_at is None and r.replied_at is None
    r = go(svc, r, (w.district, "assign", ""))
    assert r.state == State.ASSIGNED and r.deadline >= timezone.localdate()


@pytest.mark.parametrize("who,action,message", [
    ("hrss", "accept", "不能对这条诉求执行“受理”"),  # the department does not accept, the dispatcher does
    ("qiye", "accept", "不能对这条诉求执行“受理”"),
    ("lirang", "accept", "不能对这条诉求执行“受理”"),  # another town's administrator
    ("shuanggui", "reply", "不能对这条诉求执行“答复”"),
    ("commerce", "start", "不能对这条诉求执行“开始办理”"),  # not the department it was routed to
])
def test_who_may_act_is_enforced(svc, raised, who, action, message):
    user = getattr(svc.users, who, None) or getattr(svc.world.users, who)
    with pytest.raises(ValidationError, match=message):
        actions.act(user, raised, action, raised.version)
    assert Request.objects.get(pk=raised.pk).state == State.SUBMITTED


def test_a_reply_on_a_closed_request_and_other_wrong_states_are_refused(svc, raised):
    u, w = svc.users, svc.world.users
    r = go(svc, raised, (w.district, "accept", ""), (w.district, "assign", ""), (u.hrss, "reply", "好"),
           (u.qiye, "confirm", ""))
    with pytest.raises(ValidationError, match="诉求当前为“已办结”，不能答复"):
        actions.act(u.hrss, r, "reply", r.version, "再答复一次")
    with pytest.raises(ValidationError, match="请填写退回重办的说明"):
        r2 = actions.raise_request(u.qiye, svc.world.units.jia, "policy", "政策", "咨询")
        r2 = go(svc, r2, (w.district, "accept", ""), (w.district, "assign", ""))
        r2 = actions.act(svc.users.commerce, r2, "reply", r2.version, "答复")
        actions.act(u.qiye, r2, "return", r2.version, "  ")


def test_two_dispatchers_at_once_one_wins_and_the_other_is_told(svc, raised):
    w = svc.world.users
    seen = raised.version  # both opened the page at this version
    first = actions.act(w.district, Request.objects.get(pk=raised.pk), "accept", seen)
    assert first.state == State.ACCEPTED
    with pytest.raises(ValidationError, match="刚被他人处理过"):
        actions.act(w.shuanggui, Request.objects.get(pk=raised.pk), "assign", seen)
    assert RequestEvent.objects.filter(request=raised, action="assign").count() == 0


def test_a_deadline_in_the_past_is_refused(svc, raised):
    w = svc.world.users
    r = go(svc, raised, (w.district, "accept", ""))
    with pytest.raises(ValidationError, match="办理时限不能早于今天"):
        actions.act(w.district, r, "assign", r.version, deadline=timezone.localdate() - dt.timedelta(days=1))
    assert Request.objects.get(pk=r.pk).state == State.ACCEPTED
    r = actions.act(w.district, r, "assign", r.version, deadline=timezone.localdate() + dt.timedelta(days=3),
                    department=svc.commerce)
    assert r.department == svc.commerce and r.deadline == timezone.localdate() + dt.timedelta(days=3)


def test_ratings_only_by_the_enterprise_once_and_after_closing(svc, raised):
    u, w = svc.users, svc.world.users
    with pytest.raises(ValidationError, match="办结后才能评价"):
        actions.rate(u.qiye, raised, 5)
    r = go(svc, raised, (w.district, "accept", ""), (w.district, "assign", ""), (u.hrss, "reply", "好"),
           (u.qiye, "confirm", ""))
    with pytest.raises(ValidationError, match="只有提出诉求的企业可以评价"):
        actions.rate(w.district, r, 5)
    with pytest.raises(ValidationError, match="1 到 5"):
        actions.rate(u.qiye, r, 6)
    actions.rate(u.qiye, r, 4)
    with pytest.raises(ValidationError, match="已经评价过了"):
        actions.rate(u.qiye, Request.objects.get(pk=r.pk), 1)
    assert Request.objects.get(pk=r.pk).rating == 4


def test_reopening_is_limited_in_time(svc, raised):
    u, w = svc.users, svc.world.users
    r = go(svc, raised, (w.district, "accept", ""), (w.district, "assign", ""), (u.hrss, "reply", "好"),
           (u.qiye, "confirm", ""))
    Request.objects.filter(pk=r.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))
    r.refresh_from_db()
    with pytest.raises(ValidationError, match="办结已超过 30 天"):
        actions.act(u.qiye, r, "reopen", r.version, "又出问题了")


def test_bad_input_when_raising(svc):
    u, d = svc.users, svc.world
    with pytest.raises(ValidationError) as exc:
        actions.raise_request(u.qiye, d.units.jia, "weather", " ", "")
    assert set(exc.value.message_dict) == {"category", "title", "description"}
    with pytest.raises(Http404):  # another enterprise's unit is not even visible
        actions.raise_request(u.qiye, d.units.ding, "policy", "政策", "咨询")
    with pytest.raises(ValidationError, match="不能替“甲印务有限公司”提交诉求"):
        actions.raise_request(d.users.secretary, d.units.jia, "policy", "政策", "咨询")  # sees it, may not raise
    assert not Request.objects.exists()


def test_channels_follow_who_raises(svc):
    d = svc.world
    actions.assign_officer(d.users.district, svc.officer, d.units.yi, timezone.localdate())
    by_officer = actions.raise_request(svc.users.officer, d.units.yi, "financing", "贷款", "需要流动资金贷款")
    by_phone = actions.raise_request(d.users.lirang, d.units.ding, "land", "用地", "扩建用地")
    assert (by_officer.channel, by_officer.officer) == (Channel.VISIT, svc.officer)
    assert by_phone.channel == Channel.PHONE and by_phone.department is None  # no planning department registered


def test_overdue_requests_are_escalated_once(svc, raised):
    w = svc.world.users
    r = go(svc, raised, (w.district, "accept", ""), (w.district, "assign", ""))
    Request.objects.filter(pk=r.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    assert actions.escalate_overdue() == 2  # the department head and the district administrator
    assert set(Notification.objects.filter(text__contains="超期督办").values_list("user__username", flat=True)) == \
        {"juzhang", "qu"}
    assert actions.escalate_overdue() == 0


def test_scope_of_requests(svc, raised):
    u, w = svc.users, svc.world.users
    other = actions.raise_request(u.qiye_ding, svc.world.units.ding, "policy", "政策", "咨询")
    def seen(user):
        return set(Request.objects.scoped(user).values_list("pk", flat=True))
    assert seen(w.district) == {raised.pk, other.pk}
    assert seen(w.shuanggui) == {raised.pk} and seen(w.lirang) == {other.pk}
    assert seen(u.qiye) == {raised.pk} and seen(u.qiye_ding) == {other.pk}
    assert seen(u.hrss) == {raised.pk} and seen(u.commerce) == {other.pk}  # routed to their department
    assert seen(w.secretary) == {raised.pk}  # 甲's own branch sees its unit's requests
    assert seen(w.member) == set()
