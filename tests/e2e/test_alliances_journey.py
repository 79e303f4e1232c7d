"""Joint building in the browser: the district proposes linkage groups for its units, drags one unit to another
group and accepts; an enterprise publishes a need, sees the matching resource with its reasons, and records a
deal that the overview counts."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.alliances import actions
from dangjian.alliances.models import Deal, LinkMember, Scheme
from tests.alliances.conftest import al  # noqa: F401  (fixture)
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.e2e


def test_groups_then_a_need_meets_a_resource(page, live_server, al):  # noqa: F811
    w = al.world
    login(page, live_server, "qu", w.password)
    page.goto("/alliances/schemes/new/")
    page.select_option("#id_region", str(w.district.pk))
    page.uncheck("#id_organised_only")
    page.fill("#id_min_employees", "0")
    page.fill("#id_groups", "2")
    page.fill("#id_name", "梁平测试联动组")
    page.click("form button[type=submit]")
    expect(page.get_by_text("已为 6 家单位生成分组方案")).to_be_visible()
    expect(page.locator("#scheme-chart canvas")).to_be_visible()
    scheme = Scheme.objects.get()

    # Drag a unit from the first group onto the second: the page moves it and scores again.
    first, second = page.locator(".dj-group").nth(0), page.locator(".dj-group").nth(1)
    target = int(second.get_attribute("data-group"))
    with page.expect_navigation():
        first.locator(".dj-unit").first.drag_to(second)
    expect(page.get_by_text("调整到“第2联动组”")).to_be_visible()
    moved = LinkMember.objects.get(scheme=scheme, moved=True)
    assert moved.group_id == target
    expect(page.locator(f'.dj-group[data-group="{target}"] .dj-unit[data-unit="{moved.unit_id}"]')).to_contain_text("已调整")
    shot(page, "alliances-scheme-moved")
    page.get_by_role("button", name="确定方案").click()
    expect(page.get_by_text("方案已确定")).to_be_visible()

    # The other enterprise offers printing; 甲 publishes a need and finds it.
    actions.publish_item(al.qiye_ding, w.units.ding, "resource", "包装盒彩印", "承接包装盒、礼盒、宣传单印刷",
                         "services", timezone.localdate() + dt.timedelta(days=60), "李经理")
    login(page, live_server, "qiye_jia", w.password)
    page.goto("/alliances/market/new/?kind=need")
    page.select_option("#id_unit", str(w.units.jia.pk))
    page.fill("#id_title", "中秋礼盒包装印刷")
    page.fill("#id_description", "需要定制 5000 个礼盒包装，并印刷宣传单。")
    page.select_option("#id_category", "services")
    page.fill("#id_contact", "王经理")
    page.click("form button[type=submit]")
    expect(page.get_by_text("已发布，下面是为您找到的匹配")).to_be_visible()
    match = page.locator("[data-match]").first
    expect(match).to_contain_text("包装盒彩印")
    expect(match).to_contain_text("共同关键词")
    match.locator("input[name=value]").fill("12")
    match.locator("button[data-deal]").click()
    expect(page.get_by_text("已登记成交")).to_be_visible()
    shot(page, "alliances-deal")
    assert Deal.objects.get().need.title == "中秋礼盒包装印刷"

    login(page, live_server, "qu", w.password)
    page.goto("/alliances/")
    expect(page.locator('[data-figure="deal-value"]')).to_contain_text("12.0")
