"""A branch secretary registers a member in the browser: a wrong ID number is flagged next to the
field (inline on change, and again on submit), nothing is saved until it is fixed, and the saved
record shows the ID masked until "查看完整信息" (which is audited). Also: the record on a phone,
and the registry lists filtering in place with htmx."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from dangjian.core.models import AuditLog
from dangjian.members.models import Member
from dangjian.organizations.models import Organization, OrgKind
from tests.e2e.conftest import login, shot
from tests.fixtures import citizen_id

pytestmark = pytest.mark.e2e

BIRTH = dt.date(1988, 3, 9)


def test_secretary_adds_a_member_after_fixing_the_id_number(page, live_server, world):
    good = citizen_id(BIRTH, male=True)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    login(page, live_server, "shuji", world.password)
    page.goto("/members/new/")
    expect(page.get_by_role("heading", name="新增党员")).to_be_visible()

    page.fill("#id_name", "刘洋")
    page.select_option("#id_gender", "M")
    page.fill("#id_id_number", bad)
    page.fill("#id_birth_date", BIRTH.isoformat())  # leaving the ID box runs the inline check
    error = page.locator("#err-id_number")
    expect(error).to_have_text("身份证号码校验位错误")
    # the message sits right under the ID box, inside the same field block
    assert page.locator("#field-id_number #err-id_number").count() == 1

    page.fill("#id_join_date", "2012-07-01")
    page.fill("#id_confirm_date", "2013-07-01")
    page.fill("#id_phone", "13912345678")
    page.fill("#id_dues_paid_until", "2026-03")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    # submitted anyway: the server answers with the same error next to the field, nothing saved
    expect(page.locator(".alert-danger")).to_contain_text("表单有 1 处需要修改")
    expect(page.locator("#err-id_number")).to_have_text("身份证号码校验位错误")
    expect(page.locator("#id_id_number")).to_have_value(bad)
    assert not Member.objects.filter(name="刘洋").exists()
    shot(page, "member-form-id-error")

    page.fill("#id_id_number", good)
    page.locator("#id_job").focus()
    expect(page.locator("#err-id_number")).to_be_empty()
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    member = Member.objects.get(name="刘洋")
    assert page.url.endswith(f"/members/{member.pk}/")
    expect(page.locator(".alert-success")).to_contain_text("已新增党员“刘洋”")
    id_box = page.locator('[data-dj-field="id_number"]')
    expect(id_box).to_have_text(member.id_number_masked)
    assert good not in page.content()

    page.get_by_role("button", name="查看完整信息").click()
    expect(id_box).to_have_text(good)
    expect(page.locator('[data-dj-field="phone"]')).to_have_text("13912345678")
    assert AuditLog.objects.filter(action="unmask", object_id=str(member.pk), actor__username="shuji").count() == 1


def test_member_record_fits_a_phone(phone_page, live_server, world):
    page = phone_page
    zhang = world.members.zhang
    login(page, live_server, "shuji", world.password)
    page.goto(f"/members/{zhang.pk}/")
    expect(page.locator('[data-dj-field="id_number"]')).to_have_text(zhang.id_number_masked)
    # nothing sticks out sideways at 390 px
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="查看完整信息").click()
    expect(page.locator('[data-dj-field="id_number"]')).to_have_text(zhang.id_number)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    shot(page, "member-detail-phone")


def test_lists_and_tree_update_in_place(page, live_server, world):
    login(page, live_server, "qu", world.password)
    page.goto("/units/")
    rows = page.locator("#dj-results tbody tr")
    expect(rows).to_have_count(7)
    shot(page, "unit-list")
    page.select_option("#id_covered", "false")  # a filter swaps only the table and updates the address
    expect(rows).to_have_count(3)
    assert "covered=false" in page.url
    page.fill("input[name=q]", "戊食品")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("戊食品有限公司")
    page.get_by_role("link", name="清除筛选").click()
    expect(rows).to_have_count(7)

    group = Organization(name="商贸党小组", kind=OrgKind.PARTY_GROUP, region=world.shuanggui)
    Organization.objects.add_child(Organization.objects.get(pk=world.orgs.joint.pk), instance=group)
    page.goto("/organizations/tree/")
    label = page.locator(".dj-tree-label").filter(has_text="甲印务有限公司党支部")
    expect(label).to_contain_text("3 名党员")
    expect(page.get_by_text("商贸党小组")).to_have_count(0)
    page.locator("details summary").filter(has_text="双桂街道商贸物流联合党支部").click()  # loads the children
    expect(page.get_by_role("link", name="商贸党小组")).to_be_visible()
    shot(page, "organization-tree")
    page.fill("input[name=q]", "小组")
    expect(page.locator(".dj-tree-results li")).to_have_count(1)
    expect(page.locator(".dj-tree-results li")).to_contain_text("双桂街道商贸物流联合党支部")
