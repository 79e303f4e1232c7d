"""The /coverage/ dashboard: headline rates with their inputs, drill-down, constant queries."""
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.coverage.actions import backfill_snapshots
from tests.coverage.conftest import make_unit
from tests.coverage.datagen import grow

URL = "/coverage/"


def page(client, user, params=None):
    client.force_login(user)
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response.content.decode()


def chart_data(html):
    match = re.search(r'<script id="coverage-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_headline_rates_state_numerator_and_denominator(world, client):
    html = page(client, world.users.district)
    assert "66.67%" in html and "33.33%" in html
    assert "已建党组织 4 / 在营 6" in html
    assert "不计入：注销/吊销 1，停业 0" in html


def test_the_home_page_of_an_admin_is_the_dashboard(world, client):
    client.force_login(world.users.district)
    assert client.get("/").url == URL


def test_bar_chart_links_each_region_for_drill_down(world, client):
    data = chart_data(page(client, world.users.district))
    rows = {r["name"]: r for r in data["regions"]}
    assert rows["礼让镇"]["url"] == f"{URL}?region={world.lirang.pk}"
    assert rows["礼让镇"]["coverage"] == 50.0 and rows["礼让镇"]["covered"] == 1
    assert {f["key"]: f["value"] for f in data["formation"]} == {"own": 2, "joint": 2, "fallback": 0, "uncovered": 2}


def test_a_town_shows_its_units_with_flags_and_links(world, client):
    html = page(client, world.users.district, {"region": world.lirang.pk})
    assert "礼让镇的在营单位" in html
    assert f'href="/units/{world.units.wu.pk}/"' in html and f'href="/units/{world.units.ding.pk}/"' in html
    assert "己建材有限公司" not in html.split("礼让镇的在营单位")[1].split("</table>")[0]  # closed


def test_the_district_level_shows_no_unit_list(world, client):
    assert 'id="region-units"' not in page(client, world.users.district)


def test_blank_spots_list_recommendations(world, client):
    html = page(client, world.users.district, {"sort": "members"})
    spots = html.split('id="blank-spots"')[1]
    assert spots.index("戊食品有限公司") < spots.index("庚科技有限公司")
    assert "联合组建联合党支部" in spots and "选派党建指导员" in spots


def test_blank_spots_paginate(world, client):
    for i in range(20):
        make_unit(world.park, f"空白单位{i:02d}", employees=100 - i)
    html = page(client, world.users.district, {"page": 2})
    spots = html.split('id="blank-spots"')[1]
    assert "第 2 / 2 页" in spots and "空白单位15" in spots and "空白单位14" not in spots


def test_trend_appears_once_snapshots_exist(world, client):
    assert "暂无月度快照" in page(client, world.users.district)
    backfill_snapshots(3)
    html = page(client, world.users.district)
    assert len(chart_data(html)["trend"]) == 3 and 'id="chart-trend"' in html


def test_out_of_scope_or_malformed_region_is_404(world, client):
    client.force_login(world.users.shuanggui)
    assert client.get(URL, {"region": world.lirang.pk}).status_code == 404
    assert client.get(URL, {"region": "x"}).status_code == 404
    assert client.get(URL, {"region": world.community.pk}).status_code == 200


def test_an_unknown_filter_value_is_reported_and_ignored(world, client):
    html = page(client, world.users.district, {"kind": "bank"})
    assert "单位类型“bank”不存在" in html
    assert "66.67%" in html


def test_a_scope_without_units_shows_missing_not_zero(world, client):
    html = page(client, world.users.member)
    assert 'data-testid="coverage-rate">—<' in html


def test_no_inline_javascript(world, client):
    html = page(client, world.users.district)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "vendor/echarts/echarts.min.js" in html and "dangjian/coverage.js" in html


def count(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("level", ["district", "town"])
def test_query_count_does_not_grow_with_regions_or_units(world, client, level):
    client.force_login(world.users.district)
    params = {"region": world.lirang.pk} if level == "town" else {}
    before = count(client, params)
    grow(world.district, towns=4, villages=3, units_per_village=5, seed=11)
    for i in range(30):
        make_unit(world.lirang, f"礼让新单位{i}", employees=i)
    after = count(client, params)
    assert before == after
    assert after == {"district": 17, "town": 20}[level]  # one aggregate for the summary and all breakdowns
