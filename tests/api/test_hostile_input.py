"""Input that used to answer 500 now answers 4xx with a message saying what is wrong and where: huge page numbers,
ids beyond the database's 64-bit integers, years past the calendar, an enterprise contact asking for compliance,
half a coordinate, and more linkage groups than units."""
import datetime as dt

import pytest
from django.test import Client

from dangjian.accounts.models import Role
from dangjian.learning import actions as learning
from dangjian.units.models import Unit
from tests.fixtures import user_with_role

BEYOND_64_BITS = 2**64  # 18446744073709551616: past what orjson and the database take
BEYOND_ID = 2**63  # 9223372036854775808: one more than the largest id


def _client(login, user) -> Client:
    client = login(user)
    client.raise_request_exception = False  # a server error answers 500, as in production, instead of raising
    return client


def _send(client, method: str, url: str, body: dict):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def qu(world, login):
    return _client(login, world.users.district)


@pytest.fixture
def qiye(world, login, django_user_model):
    """The enterprise contact of 甲 (covered by 甲's own branch in 城东社区)."""
    return _client(login, user_with_role(django_user_model, "qiye", Role.ENTERPRISE, unit=world.units.jia))


def _paged_lists(client) -> list[str]:
    """Every API list that pages by number, from the OpenAPI document (so a new list is covered too)."""
    paths = client.get("/api/openapi.json").json()["paths"]
    return [path for path, ops in paths.items() if "{" not in path
            and any(p["name"] == "page" for p in ops.get("get", {}).get("parameters", []))]


def test_a_page_number_beyond_64_bits_answers_422_on_every_api_list(qu):
    lists = _paged_lists(qu)
    assert "/api/v1/units" in lists and "/api/v1/members" in lists and len(lists) >= 10
    for path in lists:
        response = qu.get(path, {"page": BEYOND_64_BITS})
        assert response.status_code == 422, (path, response.status_code)
        assert response.json()["detail"]["page"] == ["应不大于 2147483647"], path


def test_a_page_past_the_last_still_answers_200_empty(qu):
    body = qu.get("/api/v1/units", {"page": 2**31 - 1}).json()
    assert body["items"] == [] and body["count"] == 7 and body["page"] == 2**31 - 1


@pytest.mark.parametrize("url", ["/units/", "/members/", "/organizations/"])
def test_html_lists_show_their_last_page_for_a_huge_page_number(qu, url):
    response = qu.get(url, {"page": BEYOND_64_BITS})
    assert response.status_code == 200


def test_ids_beyond_64_bits_in_bodies_answer_422_on_their_field(world, qu, pin):
    pin(dt.date(2026, 12, 4))
    content = learning.create_content(world.users.district, kind="micro_lecture", title="学习党章",
                                      url="https://intranet.example/v/1")
    today = "2026-12-04"
    cases = [
        ("put", f"/api/v1/organizations/{world.orgs.joint.pk}/units", {"units": [world.units.yi.pk, BEYOND_ID]},
         "units", "第 2 项：应不大于 9223372036854775807"),
        ("post", "/api/v1/organizations", {"name": "新支部", "kind": "branch", "formation": "own",
                                           "region": BEYOND_ID, "units": []}, "region", "应不大于 9223372036854775807"),
        ("post", "/api/v1/organizations", {"name": "新支部", "kind": "branch", "formation": "own",
                                           "region": world.district.pk, "units": [BEYOND_ID]},
         "units", "第 1 项：应不大于 9223372036854775807"),
        ("post", f"/api/v1/learning/contents/{content.pk}/pushes", {"date": today, "organizations": [BEYOND_ID]},
         "organizations", "第 1 项：应不大于 9223372036854775807"),
        ("post", f"/api/v1/orglife/organizations/{world.orgs.jia.pk}/talks",
         {"date": today, "first": world.members.zhang.pk, "second": BEYOND_ID}, "second", "应不大于 9223372036854775807"),
        ("post", "/api/v1/alliances/schemes", {"region": world.district.pk, "units": [BEYOND_ID], "groups": 2},
         "units", "第 1 项：应不大于 9223372036854775807"),
        ("patch", f"/api/v1/units/{world.units.jia.pk}", {"region": 0}, "region", "应不小于 1"),
    ]
    for method, url, body, field, message in cases:
        response = _send(qu, method, url, body)
        assert response.status_code == 422, (url, response.status_code)
        assert response.json()["detail"][field] == [message], url


def test_ids_beyond_64_bits_in_paths_answer_422(qu):
    response = qu.get(f"/api/v1/units/{BEYOND_ID}")
    assert response.status_code == 422
    assert response.json()["detail"]["unit_id"] == ["应不大于 9223372036854775807"]


@pytest.mark.parametrize("year", [10000, 0, 1899])
def test_a_year_off_the_calendar_answers_422(world, qu, year):
    for what in ("talks", "talks/coverage", "appraisals"):
        response = qu.get(f"/api/v1/orglife/organizations/{world.orgs.jia.pk}/{what}", {"year": year})
        assert response.status_code == 422, (what, year, response.status_code)
        assert response.json()["detail"]["year"] in (["应不大于 2100"], ["应不小于 1900"])
    assert qu.get(f"/api/v1/orglife/organizations/{world.orgs.jia.pk}/talks", {"year": 2026}).status_code == 200


def test_an_enterprise_contact_gets_404_from_compliance_whatever_node_it_names(world, qiye):
    # Its own organisation and region are in its read scope, but compliance is for those who oversee organisations.
    for query in (f"org={world.orgs.jia.pk}", f"region={world.community.pk}", f"region={world.lirang.pk}", ""):
        for url in (f"/api/v1/orglife/compliance?{query}", f"/api/v1/orglife/compliance/behind?{query}"):
            response = qiye.get(url)
            assert response.status_code == 404, (url, response.status_code)
            assert response.json() == {"detail": "未找到"}
        assert qiye.get(f"/orglife/compliance/?{query}").status_code == 404, query
        assert qiye.get(f"/orglife/compliance/behind/?{query}").status_code == 404, query


def test_compliance_still_answers_for_a_secretary_and_the_district(world, login):
    assert _client(login, world.users.secretary).get(f"/api/v1/orglife/compliance?org={world.orgs.jia.pk}").status_code == 200
    assert _client(login, world.users.district).get(f"/orglife/compliance/?region={world.lirang.pk}").status_code == 200


def test_half_a_coordinate_is_refused(world, qu):
    url = f"/api/v1/units/{world.units.jia.pk}"
    assert _send(qu, "patch", url, {"lng": 107.8, "lat": 30.67}).status_code == 200
    response = _send(qu, "patch", url, {"lat": None})
    assert response.status_code == 422
    assert response.json()["detail"] == {"lat": ["经度和纬度须同时填写或同时留空"]}
    response = _send(qu, "patch", url, {"lat": 91})
    assert response.status_code == 422 and response.json()["detail"] == {"lat": ["应不大于 90"]}
    jia = Unit.objects.get(pk=world.units.jia.pk)
    assert (jia.lng, jia.lat) == (107.8, 30.67)


def test_pairing_proposals_skip_units_with_half_a_coordinate(world, qu):
    # Records from before both were required (or written past the actions) may hold one coordinate only.
    Unit.objects.filter(pk=world.units.jia.pk).update(lng=107.8, lat=None)
    Unit.objects.filter(pk=world.units.ding.pk).update(lng=107.9, lat=30.7)
    response = qu.get("/api/v1/alliances/pairs/proposals")
    assert response.status_code == 200
    assert isinstance(response.json(), list)


@pytest.mark.parametrize("units", [1, 0])
def test_a_scheme_needs_more_units_than_groups(world, qu, units):
    chosen = [world.units.jia.pk][:units]
    response = _send(qu, "post", "/api/v1/alliances/schemes", {"region": world.district.pk, "units": chosen,
                                                              "groups": 2})
    assert response.status_code == 422
    assert response.json()["detail"] == {"units": [f"至少选择 2 家单位才能分组（已选 {units} 家）"]}
