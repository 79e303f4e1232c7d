"""Organisational life in the browser: a secretary plans a meeting and shows the rotating QR code; a member
on a phone signs in with it; after the meeting an absent member does the make-up study on a phone; the
compliance dashboard reflects it and the meeting record book opens as a PDF."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.orglife.models import Attendance, Meeting
from tests.e2e.conftest import login, shot
from tests.fixtures import user_with_role

pytestmark = pytest.mark.e2e


def test_meeting_from_plan_to_make_up(page, phone_page, browser, live_server, world, django_user_model):
    user_with_role(django_user_model, "wangfang", Role.MEMBER, member=world.members.wang)
    login(page, live_server, "shuji", world.password)
    page.goto("/orglife/meetings/new/")
    page.select_option("#id_organization", str(world.orgs.jia.pk))
    page.select_option("#id_kind", "theme_day")
    page.fill("#id_title", "主题党日：学习新修订的条例")
    when = timezone.localtime() + dt.timedelta(minutes=20)
    page.fill("#id_starts_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "甲印务三楼会议室")
    page.check("#id_online")
    page.click("form button[type=submit]")
    expect(page.get_by_text("已保存会议")).to_be_visible()
    page.get_by_role("button", name="发出会议通知").click()
    expect(page.get_by_text("已向参会人员发出会议通知")).to_be_visible()
    expect(page.get_by_role("cell", name="王芳")).to_be_visible()
    meeting = Meeting.objects.get()

    page.get_by_role("link", name="签到二维码").click()
    qr = page.locator("#dj-signin-qr svg")
    expect(qr).to_be_visible()
    code_box = page.locator("#dj-signin-code")
    scan_url = code_box.get_attribute("data-scan-url")
    shot(page, "orglife-signin-qr")

    # the member's phone opens the scanned link, logs in, and signs in with one tap
    login(phone_page, live_server, "dangyuan", world.password)
    phone_page.goto(scan_url)
    expect(phone_page.get_by_role("heading", name="会议签到")).to_be_visible()
    phone_page.get_by_role("button", name="确认签到").click()
    expect(phone_page.get_by_text("签到成功")).to_be_visible()
    shot(phone_page, "orglife-phone-signed-in")
    assert Attendance.objects.get(meeting=meeting, member=world.members.zhang).presence == "present"
    # the secretary's screen shows the new count without reloading (htmx polling)
    expect(page.locator("#dj-signin-qr")).to_contain_text("已签到 1 / 3 人", timeout=10_000)

    # after the meeting: held, minutes and a replay link
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    page.goto(f"/orglife/meetings/{meeting.pk}/")
    page.get_by_role("button", name="标记为已召开").click()
    expect(page.get_by_text("未签到的党员记为缺席")).to_be_visible()
    page.fill("#id_replay_url", "https://intranet.example/replay/theme-day")
    page.get_by_role("button", name="保存回放").click()
    expect(page.get_by_text("缺席党员可以补学")).to_be_visible()
    shot(page, "orglife-meeting-held")

    # an absent member makes up on their phone
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    other = context.new_page()
    try:
        login(other, live_server, "wangfang", world.password)
        other.goto("/orglife/mine/")
        other.get_by_role("link", name="去补学").click()
        other.fill("#id_note", "观看了回放，学习了条例修订的主要内容。")
        other.get_by_role("button", name="完成补学").click()
        expect(other.get_by_text("补学完成")).to_be_visible()
        shot(other, "orglife-phone-makeup")
        assert other.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.made_up_count, meeting.expected_count) == (1, 1, 3)

    # the compliance dashboard reflects the meeting, and the record book opens as a PDF
    page.goto("/orglife/compliance/")
    expect(page.get_by_role("heading", name="组织生活落实情况 · 甲印务有限公司党支部")).to_be_visible()
    theme = page.get_by_role("row").filter(has_text="主题党日").first
    expect(theme).to_contain_text("1")
    expect(page.locator("#compliance-calendar canvas")).to_be_visible()
    stats = page.locator(".subheader + .h1")
    expect(stats.nth(1)).to_have_text("33.3%")  # attendance: 1 present of 3 expected
    expect(stats.nth(2)).to_have_text("50.0%")  # make-up: 1 of the 2 absent made up
    shot(page, "orglife-compliance-branch")
    link = page.get_by_role("link", name="记录本").first
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
