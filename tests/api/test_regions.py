"""/api/v1/regions: list (shared RegionFilter), detail, create, patch, children — all scoped."""
import pytest

from dangjian.core.models import AuditLog
from dangjian.regions.models import Region
from tests.api.conftest import ids, names, text
from tests.fixtures import serve

URL = "/api/v1/regions"


def test_district_admin_lists_the_whole_tree_in_tree_order(world, login):
    response = login(world.users.district).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert ids(response) == list(Region.objects.order_by("path").values_list("pk", flat=True))
    first = body["items"][0]
    assert first["name"] == "梁平区" and first["kind"] == "district" and first["kind_label"] == "区县"
    assert first["parent_id"] is None
    town = next(r for r in body["items"] if r["name"] == "双桂街道")
    assert town["parent_id"] == world.district.pk and town["kind_label"] == "街道"


def test_town_admin_lists_only_the_town(world, login):
    response = login(world.users.shuanggui).get(URL)
    assert names(response) == ["双桂街道", "城东社区"]


def test_list_uses_the_shared_filters(world, login):
    client = login(world.users.district)
    assert names(client.get(URL, {"kind": "town"})) == ["礼让镇"]
    assert names(client.get(URL, {"parent": world.district.pk})) == ["双桂街道", "礼让镇", "高新区"]
    assert names(client.get(URL, {"q": "500155001"})) == ["双桂街道", "城东社区"]


def test_filtering_by_a_region_outside_the_scope_is_refused_like_a_missing_one(world, login):
    client = login(world.users.shuanggui)
    outside = client.get(URL, {"parent": world.lirang.pk})
    missing = client.get(URL, {"parent": 999999})
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == missing.json()
    assert list(outside.json()["detail"]) == ["parent"]


def test_bad_filter_type_is_422_from_ninja(world, login):
    response = login(world.users.district).get(URL, {"kind": "planet"})
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"kind"}


def test_pages_by_number_are_stable_and_say_where_they_are(world, login):
    client = login(world.users.district)
    pages = [client.get(URL, {"page": n, "page_size": 2}).json() for n in (1, 2, 3)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert [(p["count"], p["page"], p["page_size"], p["pages"]) for p in pages] == [(5, n, 2, 3) for n in (1, 2, 3)]
    seen = [r["id"] for page in pages for r in page["items"]]
    assert seen == ids(client.get(URL)) and len(set(seen)) == 5


def test_page_past_the_end_is_empty_with_the_real_count(world, login):
    body = login(world.users.district).get(URL, {"page": 4, "page_size": 2}).json()
    assert body == {"items": [], "count": 5, "page": 4, "page_size": 2, "pages": 3}


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "x"}, {"page_size": 0}, {"page_size": 501}])
def test_bad_page_parameters_are_422(world, login, params):
    response = login(world.users.district).get(URL, params)
    assert response.status_code == 422
    assert set(response.json()["detail"]) == set(params)


def test_detail_and_out_of_scope_is_404(world, login):
    client = login(world.users.shuanggui)
    response = client.get(f"{URL}/{world.community.pk}")
    assert response.status_code == 200
    assert response.json()["parent_id"] == world.shuanggui.pk
    assert client.get(f"{URL}/{world.lirang.pk}").status_code == 404
    assert client.get(f"{URL}/{world.district.pk}").status_code == 404
    assert client.get(f"{URL}/999999").json() == client.get(f"{URL}/{world.lirang.pk}").json()


def test_town_admin_creates_a_sub_region_and_it_is_audited(world, login):
    client = login(world.users.shuanggui)
    response = client.post(
        URL,
        {"parent": world.shuanggui.pk, "name": "城西社区", "kind": "community", "code": "500155001002", "code_year": 2023},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent_id"] == world.shuanggui.pk and body["kind_label"] == "社区" and body["depth"] == 3
    region = Region.objects.get(pk=body["id"])
    assert Region.objects.get_parent(region) == world.shuanggui
    assert AuditLog.objects.filter(object_type="regions.region", object_id=str(region.pk), action="create").count() == 1


def test_create_under_a_region_outside_the_scope_is_422_on_parent(world, login):
    client = login(world.users.shuanggui)
    outside = client.post(URL, {"parent": world.lirang.pk, "name": "某村", "kind": "village"}, content_type="application/json")
    missing = client.post(URL, {"parent": 999999, "name": "某村", "kind": "village"}, content_type="application/json")
    assert outside.status_code == missing.status_code == 422
    # Same words for "not there" and "not yours": a request body cannot probe outside the scope.
    assert outside.json()["detail"] == {"parent": [f"编号为{world.lirang.pk}的区域不存在或不在您的管理范围内"]}
    assert missing.json()["detail"] == {"parent": ["编号为999999的区域不存在或不在您的管理范围内"]}
    assert "礼让" not in text(outside)
    assert not Region.objects.filter(name="某村").exists()


def test_create_without_parent_needs_a_system_administrator(world, login):
    response = login(world.users.district).post(URL, {"name": "另一区", "kind": "district"}, content_type="application/json")
    assert response.status_code == 422
    assert "parent" in response.json()["detail"]


def test_create_with_bad_code_names_the_fields(world, login):
    client = login(world.users.district)
    bad = client.post(URL, {"parent": world.district.pk, "name": "某镇", "kind": "town", "code": "12345"}, content_type="application/json")
    assert bad.status_code == 422 and list(bad.json()["detail"]) == ["code"]
    no_year = client.post(URL, {"parent": world.district.pk, "name": "某镇", "kind": "town", "code": "500155102"}, content_type="application/json")
    assert no_year.status_code == 422 and list(no_year.json()["detail"]) == ["code_year"]
    bad_kind = client.post(URL, {"parent": world.district.pk, "name": "某镇", "kind": "planet"}, content_type="application/json")
    assert bad_kind.status_code == 422 and set(bad_kind.json()["detail"]) == {"kind"}


def test_patch_renames_and_out_of_scope_is_404(world, login):
    client = login(world.users.shuanggui)
    response = client.patch(f"{URL}/{world.community.pk}", {"name": "城东新社区"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["name"] == "城东新社区" and response.json()["parent_id"] == world.shuanggui.pk
    world.community.refresh_from_db()
    assert world.community.name == "城东新社区"
    assert AuditLog.objects.filter(object_type="regions.region", object_id=str(world.community.pk), action="update").exists()
    assert client.patch(f"{URL}/{world.lirang.pk}", {"name": "x"}, content_type="application/json").status_code == 404
    world.lirang.refresh_from_db()
    assert world.lirang.name == "礼让镇"


def test_instructor_reads_but_cannot_patch(world, login):
    serve(world.users.instructor, world.units.geng)  # reads its assigned unit's region
    client = login(world.users.instructor)
    assert client.get(f"{URL}/{world.park.pk}").status_code == 200
    assert client.patch(f"{URL}/{world.park.pk}", {"name": "x"}, content_type="application/json").status_code == 404


def test_children_are_direct_and_scoped(world, login):
    district = login(world.users.district)
    assert names(district.get(f"{URL}/{world.district.pk}/children")) == ["双桂街道", "礼让镇", "高新区"]
    town = login(world.users.shuanggui)
    assert names(town.get(f"{URL}/{world.shuanggui.pk}/children")) == ["城东社区"]
    assert town.get(f"{URL}/{world.lirang.pk}/children").status_code == 404
    assert town.get(f"{URL}/{world.district.pk}/children").status_code == 404
