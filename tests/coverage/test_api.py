"""/api/v1/coverage: scoped figures; a region or unit outside the caller's scope answers 404."""
import pytest

from dangjian.coverage.actions import backfill_snapshots

API = "/api/v1/coverage"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_anonymous_callers_are_refused(world, client):
    assert client.get(f"{API}/summary").status_code == 401


def test_summary_states_inputs(world, as_user):
    data = as_user(world.users.district).get(f"{API}/summary").json()
    assert (data["units"], data["covered"], data["own"], data["work"], data["closed"]) == (6, 4, 2, 4, 1)
    assert data["coverage_rate"] == {"numerator": 4, "denominator": 6, "percent": 66.67}
    assert data["region"] is None


def test_missing_rates_are_null(world, as_user):
    data = as_user(world.users.district).get(f"{API}/summary", {"kind": "social_org"}).json()
    assert data["units"] == 0 and data["coverage_rate"]["percent"] is None


def test_a_town_admin_sees_only_its_own_numbers(world, as_user):
    client = as_user(world.users.shuanggui)
    data = client.get(f"{API}/summary").json()
    assert (data["units"], data["covered"]) == (3, 3)
    rows = client.get(f"{API}/breakdown", {"by": "industry"}).json()["rows"]
    assert [(r["key"], r["units"]) for r in rows] == [("C", 3)]


def test_a_town_admin_gets_404_for_another_towns_region(world, as_user):
    client = as_user(world.users.shuanggui)
    for path in ("summary", "breakdown", "blank-spots", "snapshots"):
        response = client.get(f"{API}/{path}", {"region": world.lirang.pk})
        assert response.status_code == 404, path
        assert response.json() == {"detail": "未找到"}
    assert client.get(f"{API}/summary", {"region": world.community.pk}).status_code == 200


def test_breakdown_by_region_drills_down(world, as_user):
    client = as_user(world.users.district)
    data = client.get(f"{API}/breakdown").json()
    assert data["by"] == "region" and data["region"]["id"] == world.district.pk
    assert {r["label"]: r["units"] for r in data["rows"]} == {"高新区": 1, "双桂街道": 3, "礼让镇": 2}
    assert data["total"]["units"] == 6
    data = client.get(f"{API}/breakdown", {"by": "region", "region": world.shuanggui.pk}).json()
    assert {r["label"] for r in data["rows"]} == {"城东社区", "双桂街道（直属）"}


def test_bad_parameters_answer_422_with_a_message(world, as_user):
    client = as_user(world.users.district)
    assert client.get(f"{API}/breakdown", {"by": "colour"}).status_code == 422
    response = client.get(f"{API}/summary", {"industry": "Z"})
    assert response.status_code == 422
    assert "行业门类“Z”不存在" in str(response.json()["detail"])
    assert client.get(f"{API}/summary", {"region": "abc"}).status_code == 422


def test_blank_spots_with_recommendations(world, as_user):
    data = as_user(world.users.district).get(f"{API}/blank-spots", {"sort": "members"}).json()
    assert data["count"] == 2
    assert [i["name"] for i in data["items"]] == ["戊食品有限公司", "庚科技有限公司"]
    assert data["items"][0]["recommendation"]["action"] == "form_joint"
    assert data["items"][1]["recommendation"]["action"] == "instructor"
    assert data["most_uncovered_regions"][0]["uncovered"] == 1


def test_snapshots_for_the_scope(world, as_user):
    backfill_snapshots(2)
    data = as_user(world.users.lirang).get(f"{API}/snapshots").json()
    assert len(data) == 2 and data[-1]["units"] == 2 and data[-1]["coverage_rate"]["percent"] == 50.0


def test_snapshots_of_a_region_the_user_does_not_wholly_see_are_404(world, as_user):
    backfill_snapshots(1)
    client = as_user(world.users.secretary)  # sees 城东社区 only through its organisation
    assert client.get(f"{API}/snapshots", {"region": world.community.pk}).status_code == 404


def test_unit_recommendation_and_scope(world, as_user):
    client = as_user(world.users.lirang)
    data = client.get(f"{API}/units/{world.units.wu.pk}/recommendation").json()
    assert (data["covered"], data["own"], data["work"]) == (False, False, False)
    assert data["recommendation"]["action"] == "form_joint"
    assert data["recommendation"]["formal_members"] == 1
    assert client.get(f"{API}/units/{world.units.jia.pk}/recommendation").status_code == 404
    assert client.get(f"{API}/units/999999/recommendation").status_code == 404
