"""A meeting's life through the actions: notice, replies, sign-in, held, make-up study, votes, files."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.models import Notification
from dangjian.learning.models import PointEntry
from dangjian.orglife import actions, review, signin
from dangjian.orglife.models import Attendance, HostedMember, Meeting, MeetingFile, MinutesRevision, Vote

pytestmark = pytest.mark.django_db


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_notice_invites_members_and_hosted_guests(world, plan):
    HostedMember.objects.create(organization=world.orgs.jia, member=world.members.zhao, since=dt.date(2026, 1, 1))
    m = plan()
    assert actions.notify_attendees(world.users.secretary, m) == 4
    rows = {a.member.name: a for a in Attendance.objects.filter(meeting=m).select_related("member")}
    assert rows["张伟"].can_vote and rows["王芳"].can_vote
    assert not rows["李强"].can_vote  # probationary: attends, does not vote
    assert rows["赵敏"].role == "guest" and not rows["赵敏"].can_vote
    m.refresh_from_db()
    assert (m.status, m.expected_count) == ("notified", 3)  # guests are not counted as expected
    assert Notification.objects.filter(user=world.users.member, key=f"meeting:{m.pk}:notice").count() == 1
    # a second notice adds only newcomers and tells nobody twice
    assert actions.notify_attendees(world.users.secretary, m) == 0
    assert Notification.objects.filter(user=world.users.member).count() == 1


def test_kind_must_apply_to_the_organisation(world, plan):
    with pytest.raises(ValidationError) as exc:
        plan(kind="group")  # 党小组会 is for party groups, not a branch
    assert "不召开党小组会" in messages(exc)
    assert not Meeting.objects.exists()


def test_out_of_scope_organisation_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        actions.plan_meeting(world.users.lirang, world.orgs.jia, kind="committee", title="x", starts_at=timezone.now())
    assert "不在您的管理范围内" in messages(exc)


def test_leave_needs_a_reason_and_must_come_before_the_meeting(world, plan, started):
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    with pytest.raises(ValidationError) as exc:
        actions.reply(world.users.member, m, "leave", "  ")
    assert "请假须写明事由" in messages(exc)
    actions.reply(world.users.member, m, "leave", "出差")
    m.refresh_from_db()
    assert m.leave_count == 1
    started(m)
    with pytest.raises(ValidationError) as exc:
        actions.reply(world.users.member, m, "leave", "生病")
    assert "不能再报名或请假" in messages(exc)
    assert Attendance.objects.get(meeting=m, member=world.members.zhang).leave_reason == "出差"


def test_sign_in_with_the_current_code_once(world, plan):
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    code, _ = signin.current_code(m)
    actions.sign_in(world.users.member, m, code)
    m.refresh_from_db()
    assert m.present_count == 1
    assert PointEntry.objects.filter(member=world.members.zhang, event="meeting_attended").count() == 1
    with pytest.raises(ValidationError) as exc:
        actions.sign_in(world.users.member, m, code)
    assert "无需重复签到" in messages(exc)
    assert PointEntry.objects.filter(member=world.members.zhang).count() == 1


def test_sign_in_refuses_forged_and_expired_codes(world, plan, wang_user):
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    now = timezone.now()
    old_code, _ = signin.current_code(m, now.timestamp() - 3 * signin.window_seconds())
    for code in ["000000" if signin.current_code(m)[0] != "000000" else "111111", old_code, "12ab56"]:
        with pytest.raises(ValidationError) as exc:
            actions.sign_in(wang_user, m, code, now=now)
        assert "签到码无效或已过期" in messages(exc)
    assert not Attendance.objects.filter(meeting=m, presence="present").exists()


def test_sign_in_only_for_invited_members_and_not_days_before(world, plan, django_user_model):
    from tests.fixtures import user_with_role

    m = plan(starts_at=timezone.now() + dt.timedelta(days=2))
    actions.notify_attendees(world.users.secretary, m)
    code, _ = signin.current_code(m)
    with pytest.raises(ValidationError) as exc:
        actions.sign_in(world.users.member, m, code)
    assert "不在签到时间内" in messages(exc)
    stranger = user_with_role(django_user_model, "sunlei", "member", member=world.members.sun)
    with pytest.raises(ValidationError) as exc:
        actions.sign_in(stranger, m, code)
    assert "不在本次会议的参会名单中" in messages(exc)


def test_a_future_meeting_cannot_be_marked_held(world, plan, started):
    m = plan()
    with pytest.raises(ValidationError) as exc:
        actions.mark_held(world.users.secretary, m)
    assert "会议尚未开始" in messages(exc)
    started(m)
    with pytest.raises(ValidationError) as exc:
        actions.mark_held(world.users.secretary, m, held_on=timezone.localdate() + dt.timedelta(days=1))
    assert "召开日期不能晚于今天" in messages(exc)
    m.refresh_from_db()
    assert m.status == "planned" and m.held_on is None


def held_meeting(world, plan, started):
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    actions.sign_in(world.users.member, m, signin.current_code(m)[0])
    started(m, minutes=10)
    actions.mark_presence(world.users.secretary, m, {world.members.li.pk: "present"})
    actions.mark_held(world.users.secretary, m, decisions="同意接收李强为预备党员")
    m.refresh_from_db()
    return m


def test_held_marks_the_rest_absent_and_counts(world, plan, started):
    m = held_meeting(world, plan, started)
    assert (m.status, m.held_on, m.expected_count, m.present_count) == ("held", timezone.localdate(), 3, 2)
    assert Attendance.objects.get(meeting=m, member=world.members.wang).presence == "absent"
    assert Attendance.objects.get(meeting=m, member=world.members.li).sign_in_method == "marked"


def test_make_up_needs_material_then_counts_apart_from_present(world, plan, started, wang_user):
    m = held_meeting(world, plan, started)
    with pytest.raises(ValidationError) as exc:
        actions.make_up(wang_user, m, "认真学习了会议精神，收获很大")
    assert "还没有回放或会议记录" in messages(exc)
    actions.add_minutes(world.users.secretary, m, "会议讨论了发展党员工作。")
    with pytest.raises(ValidationError) as exc:
        actions.make_up(wang_user, m, "好")
    assert "不少于10个字" in messages(exc)
    actions.make_up(wang_user, m, "认真学习了会议精神，收获很大")
    m.refresh_from_db()
    assert (m.present_count, m.made_up_count) == (2, 1)
    assert PointEntry.objects.filter(member=world.members.wang, event="makeup_done").count() == 1
    with pytest.raises(ValidationError):
        actions.make_up(wang_user, m, "再学一遍，再学一遍，再学一遍")
    with pytest.raises(ValidationError) as exc:
        actions.make_up(world.users.member, m, "我出席了但还想补学一次")
    assert "不需要补学" in messages(exc)


def test_minutes_are_append_only(world, plan):
    m = plan()
    actions.add_minutes(world.users.secretary, m, "第一稿")
    actions.add_minutes(world.users.secretary, m, "第二稿")
    assert list(MinutesRevision.objects.filter(meeting=m).values_list("text", flat=True)) == ["第二稿", "第一稿"]
    with pytest.raises(ValidationError):
        actions.add_minutes(world.users.secretary, m, "   ")


def test_vote_quorum_and_count(world, plan, started):
    m = held_meeting(world, plan, started)  # entitled: 张伟, 王芳 (formal); present: 张伟 (+ 李强, no vote)
    with pytest.raises(ValidationError) as exc:
        actions.record_vote(world.users.secretary, m, "接收预备党员", yes=1, no=0, abstain=0)
    assert "未超过应到2人的半数" in messages(exc)
    actions.mark_presence(world.users.secretary, m, {world.members.wang.pk: "present"})
    with pytest.raises(ValidationError) as exc:
        actions.record_vote(world.users.secretary, m, "接收预备党员", yes=3, no=0, abstain=0)
    assert "超过到会有表决权的2人" in messages(exc)
    passed = actions.record_vote(world.users.secretary, m, "接收预备党员", yes=2, no=0, abstain=0)
    failed = actions.record_vote(world.users.secretary, m, "另一事项", yes=1, no=1, abstain=0)
    assert passed.passed and not failed.passed
    assert Vote.objects.count() == 2


@pytest.mark.parametrize("name, size, kind, error", [
    ("evil.exe", 100, "attachment", "不支持的文件类型"),
    ("photo.pdf", 100, "photo", "不支持的文件类型"),
    ("big.pdf", 21 * 1024 * 1024, "attachment", "文件过大"),
])
def test_forbidden_or_oversized_files_are_refused(world, plan, settings, tmp_path, name, size, kind, error):
    settings.MEDIA_ROOT = tmp_path
    m = plan()
    upload = SimpleUploadedFile(name, b"x" * size)
    with pytest.raises(ValidationError) as exc:
        actions.add_file(world.users.secretary, m, kind, upload)
    assert error in messages(exc)
    assert not MeetingFile.objects.exists() and not any(tmp_path.rglob("*.*"))


def test_file_upload_is_stored(world, plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    f = actions.add_file(world.users.secretary, plan(), "photo", SimpleUploadedFile("会场.jpg", b"\xff\xd8\xffjpeg"))
    assert (f.name, f.size) == ("会场.jpg", 7) and f.file.storage.exists(f.file.name)


def test_cancelled_meeting_refuses_everything(world, plan):
    m = plan()
    actions.notify_attendees(world.users.secretary, m)
    actions.cancel_meeting(world.users.secretary, m)
    with pytest.raises(ValidationError):
        actions.sign_in(world.users.member, m, signin.current_code(m)[0])
    assert Notification.objects.filter(key=f"meeting:{m.pk}:cancelled").count() == 1


def test_appraisal_quota_is_enforced_over_the_whole_year(world):
    org, sec, ms = world.orgs.jia, world.users.secretary, world.members
    year = timezone.localdate().year
    with pytest.raises(ValidationError) as exc:
        review.record_appraisal(sec, org, year, {ms.zhang.pk: "excellent", ms.wang.pk: "excellent", ms.li.pk: "qualified"})
    assert "最多1名优秀" in messages(exc)
    assert not review.Appraisal.objects.exists()
    review.record_appraisal(sec, org, year, {ms.zhang.pk: "excellent", ms.wang.pk: "qualified", ms.li.pk: "qualified"})
    with pytest.raises(ValidationError):  # a later batch may not push the year over the quota
        review.record_appraisal(sec, org, year, {ms.wang.pk: "excellent"})
    review.record_appraisal(sec, org, year, {ms.zhang.pk: "qualified", ms.wang.pk: "excellent"})
    assert review.Appraisal.objects.get(member=ms.wang).grade == "excellent"
    with pytest.raises(ValidationError) as exc:
        review.record_appraisal(sec, org, year, {ms.sun.pk: "qualified"})
    assert "不是本组织的党员" in messages(exc)
    with pytest.raises(ValidationError):
        review.record_appraisal(sec, org, year + 1, {ms.zhang.pk: "qualified"})


def test_talk_kind_follows_the_committee(world):
    from dangjian.organizations.models import CommitteeMember

    CommitteeMember.objects.create(organization=world.orgs.jia, member=world.members.zhang, post="secretary",
                                   start=dt.date(2024, 1, 1))
    sec, ms, today = world.users.secretary, world.members, timezone.localdate()
    assert review.record_talk(sec, world.orgs.jia, today, ms.wang, ms.zhang).kind == "cm"
    assert review.record_talk(sec, world.orgs.jia, today, ms.wang, ms.li).kind == "mm"
    with pytest.raises(ValidationError) as exc:
        review.record_talk(sec, world.orgs.jia, today + dt.timedelta(days=1), ms.wang, ms.li)
    assert "不能晚于今天" in messages(exc)
    with pytest.raises(ValidationError):
        review.record_talk(sec, world.orgs.jia, today, ms.wang, ms.wang)
    with pytest.raises(ValidationError):
        review.record_talk(sec, world.orgs.jia, today, ms.wang, ms.sun)


def test_committee_meeting_invites_the_committee_only(world, plan):
    from dangjian.organizations.models import CommitteeMember

    CommitteeMember.objects.create(organization=world.orgs.jia, member=world.members.zhang, post="secretary",
                                   start=dt.date(2024, 1, 1))
    CommitteeMember.objects.create(organization=world.orgs.jia, member=world.members.wang, post="member",
                                   start=dt.date(2020, 1, 1), end=dt.date(2023, 1, 1))  # term over
    m = plan(kind="committee", title="支委会")
    actions.notify_attendees(world.users.secretary, m)
    assert list(Attendance.objects.filter(meeting=m).values_list("member__name", flat=True)) == ["张伟"]


def test_attendance_points_record_who_marked_the_presence(world, plan, started, login):
    from django.urls import reverse

    m = held_meeting(world, plan, started)  # 张伟 signed in by QR; 李强 marked present by the secretary
    entries = {e.member_id: e for e in PointEntry.objects.filter(event="meeting_attended", source=f"meeting:{m.pk}")}
    assert entries[world.members.zhang.pk].recorded_by == world.users.member
    assert entries[world.members.li.pk].recorded_by == world.users.secretary
    page = login(world.users.secretary).get(reverse("learning:member_points", args=[world.members.li.pk]))
    assert "登记人：shuji" in page.content.decode()
    api = login(world.users.secretary).get(f"/api/v1/learning/members/{world.members.li.pk}/points").json()
    assert api["entries"][0]["recorded_by"] == "shuji"
