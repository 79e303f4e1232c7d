"""Service to enterprises in the browser: an enterprise raises a request on a phone, the district office accepts
and routes it, the department replies, the enterprise confirms and rates it, and the dashboard moves."""
import pytest
from playwright.sync_api import expect

from dangjian.services.models import Request
from tests.e2e.conftest import login, shot
from tests.services.conftest import svc  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def test_request_from_enterprise_to_rating(page, phone_page, live_server, svc):  # noqa: F811
    password = svc.world.password
    login(phone_page, live_server, "qiye_jia", password)
    phone_page.goto("/services/requests/new/")
    phone_page.select_option("#id_unit", str(svc.world.units.jia.pk))
    phone_page.select_option("#id_category", "recruitment")
    phone_page.fill("#id_title", "急需招聘普工")
    phone_page.fill("#id_description", "新接订单，需要普工 30 名，附近招不到人。")
    phone_page.click("form button[type=submit]")
    expect(phone_page.get_by_text("诉求已提交")).to_be_visible()
    shot(phone_page, "services-phone-raised")
    item = Request.objects.get()
    assert item.department == svc.hrss

    login(page, live_server, "qu", password)
    page.goto("/services/requests/")
    page.get_by_role("link", name="急需招聘普工").click()
    page.locator('button[data-step="accept"]').click()
    expect(page.get_by_text("已受理").first).to_be_visible()
    expect(page.locator("#id_department")).to_have_value(str(svc.hrss.pk))
    page.locator('button[data-step="assign"]').click()
    expect(page.get_by_text("已交办").first).to_be_visible()
    shot(page, "services-routed")

    login(page, live_server, "renshe", password)
    page.goto(f"/services/requests/{item.pk}/")
    page.locator('form:has(button[data-step="reply"]) textarea[name=note]').fill("已推送两场专场招聘会，并对接劳务公司。")
    page.locator('button[data-step="reply"]').click()
    expect(page.get_by_text("已推送两场专场招聘会").first).to_be_visible()

    phone_page.goto(f"/services/requests/{item.pk}/")
    phone_page.locator('button[data-step="confirm"]').click()
    expect(phone_page.get_by_text("已办结").first).to_be_visible()
    phone_page.select_option("select[name=rating]", "5")
    phone_page.fill("input[name=comment]", "很及时")
    phone_page.get_by_role("button", name="提交评价").click()
    expect(phone_page.get_by_text("感谢您的评价")).to_be_visible()
    shot(phone_page, "services-phone-rated")

    login(page, live_server, "qu", password)
    page.goto("/services/dashboard/")
    expect(page.locator('[data-figure="satisfaction"]')).to_have_text("100.0")
    expect(page.locator('[data-figure="on-time"]')).to_have_text("100.0%")
    expect(page.locator("#volume-chart canvas")).to_be_visible()
    shot(page, "services-dashboard")
    assert Request.objects.get().rating == 5
