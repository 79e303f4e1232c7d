"""The dashboard in Chromium: charts draw, a click on a region's column drills down, tabs switch, phone fits."""
import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_bar_click_drills_down_to_the_units(world, page, live_server):
    login(page, live_server, "qu", world.password)
    assert page.url.endswith("/coverage/")
    page.wait_for_selector("#chart-regions canvas")
    page.wait_for_selector("#chart-formation canvas")
    box = page.locator("#chart-regions").bounding_box()
    # regions are in tree order: 高新区 first; click low inside its column
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] - 60)
    assert page.url.endswith(f"/coverage/?region={world.park.pk}")
    units = page.locator("#region-units")
    assert "庚科技有限公司" in units.inner_text()
    assert units.get_by_role("link", name="庚科技有限公司").get_attribute("href") == f"/units/{world.units.geng.pk}/"


def test_breakdown_tabs_switch(world, page, live_server):
    login(page, live_server, "qu", world.password)
    assert page.locator("#tab-region").is_visible() and not page.locator("#tab-size").is_visible()
    page.get_by_role("tab", name="按规模").click()
    assert page.locator("#tab-size").is_visible() and not page.locator("#tab-region").is_visible()
    assert "10–49人" in page.locator("#tab-size").inner_text()


def test_dashboard_fits_a_phone(world, phone_page, live_server):
    login(phone_page, live_server, "qu", world.password)
    phone_page.wait_for_selector("#chart-regions canvas")
    assert phone_page.get_by_test_id("coverage-rate").inner_text() == "66.67%"
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390
