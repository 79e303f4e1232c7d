"""Region pages: scoped list with subtree counts (fixed query count), detail, create/edit."""
import pytest
from django.urls import reverse

from dangjian.core.models import AuditLog
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import Unit
from tests.fixtures import credit_code, serve
from tests.registry_pages import field_error, html

LIST = reverse("regions:list")
CREATE = reverse("regions:create")


def rows_by_name(response) -> dict:
    return {r.name: r for r in response.context["list"].rows}


def test_list_counts_the_whole_subtree(client, world):
    client.force_login(world.users.district)
    rows = rows_by_name(client.get(LIST))
    assert set(rows) == {"梁平区", "双桂街道", "城东社区", "礼让镇", "高新区"}
    # 双桂街道 includes 城东社区: units 甲 (community) + 乙 丙; orgs 甲's branch + the joint branch; members 4
    assert (rows["双桂街道"].unit_count, rows["双桂街道"].org_count, rows["双桂街道"].member_count) == (3, 2, 4)
    # closed units are not counted: 礼让镇 has 丁 戊 operating and 己 closed
    assert rows["礼让镇"].unit_count == 2
    assert (rows["梁平区"].unit_count, rows["梁平区"].org_count, rows["梁平区"].member_count) == (6, 3, 6)


def test_town_admin_sees_its_town_only(client, world):
    client.force_login(world.users.shuanggui)
    assert set(rows_by_name(client.get(LIST))) == {"双桂街道", "城东社区"}


def test_search_by_code_prefix_and_kind(client, world):
    client.force_login(world.users.district)
    assert set(rows_by_name(client.get(LIST, {"q": "500155101"}))) == {"礼让镇"}
    assert set(rows_by_name(client.get(LIST, {"kind": "community"}))) == {"城东社区"}
    assert set(rows_by_name(client.get(LIST, {"parent": world.shuanggui.pk}))) == {"城东社区"}


@pytest.mark.parametrize("extra", [0, 60])
def test_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries, extra):
    for n in range(extra):
        village = Region.objects.add_child(Region.objects.get(pk=world.lirang.pk), dict(name=f"村{n:02d}", kind=RegionKind.VILLAGE))
        Unit.objects.create(name=f"村企{n:02d}", credit_code=credit_code(700 + n), industry_section="A", region=village)
    client.force_login(world.users.district)
    # session, user, read scope, count, rows, 3 subtree counts, write scope + exists(), parent choices
    with django_assert_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["list"].rows) == min(50, 5 + extra)


def test_htmx_gets_the_table_only(client, world):
    client.force_login(world.users.district)
    page = html(client.get(LIST, {"kind": "town"}, headers={"HX-Request": "true"}))
    assert "<html" not in page and "礼让镇" in page and "双桂街道" not in page


def test_detail_counts_and_children(client, world):
    client.force_login(world.users.district)
    response = client.get(reverse("regions:detail", args=[world.district.pk]))
    assert response.status_code == 200
    ctx = response.context
    assert (ctx["unit_count"], ctx["covered_count"], ctx["org_count"], ctx["member_count"]) == (6, 4, 3, 6)
    assert {c.name: c.unit_count for c in ctx["children"]} == {"双桂街道": 3, "礼让镇": 2, "高新区": 1}


@pytest.mark.parametrize("user,region,status", [
    ("shuanggui", "lirang", 404), ("shuanggui", "community", 200), ("lirang", "shuanggui", 404),
    ("instructor", "park", 200), ("instructor", "lirang", 404), ("member", "lirang", 404),
])
def test_detail_scope(client, world, user, region, status):
    serve(world.users.instructor, world.units.geng)  # the region of an assigned unit
    client.force_login(getattr(world.users, user))
    assert client.get(reverse("regions:detail", args=[getattr(world, region).pk])).status_code == status


def test_town_admin_adds_a_community(client, world):
    client.force_login(world.users.shuanggui)
    data = {"parent": world.shuanggui.pk, "name": "城西社区", "kind": "community", "code": "500155001002", "code_year": "2023"}
    response = client.post(CREATE, data)
    region = Region.objects.get(name="城西社区")
    assert response.status_code == 302 and response["Location"] == reverse("regions:detail", args=[region.pk])
    assert region.path.startswith(Region.objects.get(pk=world.shuanggui.pk).path) and region.depth == 3
    assert AuditLog.objects.filter(action="create", object_type="regions.region").exists()


def test_bad_code_is_shown_next_to_the_field(client, world):
    client.force_login(world.users.shuanggui)
    before = Region.objects.count()
    response = client.post(CREATE, {"parent": world.shuanggui.pk, "name": "城西社区", "kind": "community", "code": "50015500100"})
    assert field_error(response, "code") == "统计用区划代码应为6、9或12位数字"
    response = client.post(CREATE, {"parent": world.shuanggui.pk, "name": "城西社区", "kind": "community", "code": "500155001002"})
    assert field_error(response, "code_year") == "填写区划代码时须注明代码所属年份"
    assert Region.objects.count() == before


def test_parent_outside_the_town_is_not_a_choice(client, world):
    client.force_login(world.users.shuanggui)
    response = client.post(CREATE, {"parent": world.lirang.pk, "name": "某村", "kind": "village"})
    assert field_error(response, "parent")
    assert not Region.objects.filter(name="某村").exists()


@pytest.mark.parametrize("user", ["secretary", "instructor", "member"])
def test_only_region_administrators_register_regions(client, world, user):
    client.force_login(getattr(world.users, user))
    assert client.get(CREATE).status_code == 404
    # the secretary's branch sits in 城东社区, which is not theirs to rename
    assert client.get(reverse("regions:edit", args=[world.community.pk])).status_code == 404


def test_edit_and_scope(client, world):
    client.force_login(world.users.shuanggui)
    url = reverse("regions:edit", args=[world.community.pk])
    response = client.post(url, {"name": "城东社区居委会", "kind": "community", "code": "500155001001", "code_year": "2023"})
    assert response.status_code == 302
    assert Region.objects.get(pk=world.community.pk).name == "城东社区居委会"
    assert client.get(reverse("regions:edit", args=[world.lirang.pk])).status_code == 404
