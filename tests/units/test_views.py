"""Unit pages: the scoped list (filters, search, sort, htmx fragment, fixed query count), the
detail page, and the create/edit forms whose errors come from units.actions."""
import pytest
from django.urls import reverse

from dangjian.core.models import AuditLog
from dangjian.units.models import Unit
from tests.fixtures import credit_code, serve
from tests.registry_pages import field_error, html, text_of

LIST = reverse("units:list")


def names_listed(response) -> list[str]:
    return [unit.name for unit in response.context["list"].rows]


def valid_form(world, **overrides):
    data = {
        "name": "新华电子有限公司", "credit_code": credit_code(900), "kind": "enterprise", "status": "operating",
        "region": world.lirang.pk, "address": "礼让镇工业园1号", "industry_section": "C", "industry_division": "39",
        "employees": "35", "founded": "2020-05-01",
    }
    data.update(overrides)
    return data


def add_units(region, count, start=500):
    Unit.objects.bulk_create(
        Unit(name=f"批量{n:03d}有限公司", credit_code=credit_code(start + n), industry_section="C", region=region)
        for n in range(count)
    )


# --- list -------------------------------------------------------------------------------------

def test_district_admin_lists_every_unit_with_coverage(client, world):
    client.force_login(world.users.district)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["list"].count == 7
    page = html(response)
    assert "双桂街道商贸物流联合党支部" in page and "联合组建" in page
    assert reverse("units:detail", args=[world.units.jia.pk]) in page


def test_town_admin_lists_only_its_town_and_its_regions_as_filter_choices(client, world):
    client.force_login(world.users.shuanggui)
    response = client.get(LIST)
    assert sorted(names_listed(response)) == sorted(["甲印务有限公司", "乙商贸有限公司", "丙物流有限公司"])
    region_options = text_of(response, "id_region")
    assert "城东社区" in region_options and "礼让镇" not in region_options


def test_search_by_name_or_credit_code_and_filter(client, world):
    client.force_login(world.users.district)
    assert names_listed(client.get(LIST, {"q": "物流"})) == ["丙物流有限公司"]
    assert names_listed(client.get(LIST, {"q": world.units.ding.credit_code.lower()})) == ["丁机械有限公司"]
    uncovered = names_listed(client.get(LIST, {"covered": "false", "status": "operating"}))
    assert sorted(uncovered) == sorted(["戊食品有限公司", "庚科技有限公司"])
    assert names_listed(client.get(LIST, {"region": world.lirang.pk, "size": "medium"})) == ["丁机械有限公司"]


def test_sort_by_employees_both_ways(client, world):
    client.force_login(world.users.district)
    ascending = [u.employees for u in client.get(LIST, {"sort": "employees"}).context["list"].rows]
    descending = [u.employees for u in client.get(LIST, {"sort": "-employees"}).context["list"].rows]
    assert ascending == sorted(ascending) and descending == sorted(ascending, reverse=True)
    # an unknown sort key falls back to the default instead of failing
    assert client.get(LIST, {"sort": "password"}).status_code == 200


def test_htmx_request_gets_only_the_table(client, world):
    client.force_login(world.users.district)
    response = client.get(LIST, {"q": "甲"}, headers={"HX-Request": "true"})
    page = html(response)
    assert "<html" not in page and "<table" in page and "甲印务有限公司" in page
    assert "HX-Request" in response["Vary"]
    # a history restore (back button after htmx navigation) needs the whole page again
    restored = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in html(restored)


def test_fifty_per_page(client, world):
    add_units(world.park, 60)
    client.force_login(world.users.district)
    first = client.get(LIST).context["list"]
    assert first.count == 67 and len(first.rows) == 50
    second = client.get(LIST, {"page": 2}).context["list"]
    assert len(second.rows) == 17


@pytest.mark.parametrize("extra", [0, 80])
def test_list_costs_the_same_queries_whatever_the_rows(client, world, django_assert_num_queries, extra):
    add_units(world.lirang, extra)
    client.force_login(world.users.district)
    # session, user, read scope, count, page rows, write scope + exists() for the "new" button, region choices
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["list"].rows) == min(50, 7 + extra)


@pytest.mark.parametrize("extra", [0, 80])
def test_town_admin_list_queries_are_constant_too(client, world, django_assert_num_queries, extra):
    add_units(world.shuanggui, extra)
    client.force_login(world.users.shuanggui)
    with django_assert_num_queries(9):
        client.get(LIST, {"sort": "members"})


# --- detail -----------------------------------------------------------------------------------

def test_detail_shows_organisation_coverage_and_masked_members(client, world):
    client.force_login(world.users.district)
    response = client.get(reverse("units:detail", args=[world.units.jia.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "甲印务有限公司党支部" in page and "组织已覆盖" in page
    zhang = world.members.zhang
    assert zhang.id_number_masked in page
    assert zhang.id_number not in page and zhang.phone not in page


def test_detail_of_a_blank_spot_says_so(client, world):
    client.force_login(world.users.lirang)
    page = html(client.get(reverse("units:detail", args=[world.units.wu.pk])))
    assert "组织未覆盖" in page and "空白点" in page


@pytest.mark.parametrize("user,unit,status", [
    ("shuanggui", "ding", 404),   # another town's unit
    ("lirang", "jia", 404),
    ("shuanggui", "jia", 200),
    ("instructor", "geng", 200),  # instructors read their assigned units (庚, below)
    ("instructor", "jia", 404),
    ("secretary", "jia", 200),    # the unit its organisation covers
    ("secretary", "yi", 404),
    ("member", "jia", 404),       # a member sees only their own record
])
def test_detail_scope(client, world, user, unit, status):
    serve(world.users.instructor, world.units.geng)
    client.force_login(getattr(world.users, user))
    assert client.get(reverse("units:detail", args=[getattr(world.units, unit).pk])).status_code == status


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- create / edit ------------------------------------------------------------------------------

def test_town_admin_creates_a_unit(client, world):
    client.force_login(world.users.lirang)
    response = client.post(reverse("units:create"), valid_form(world))
    unit = Unit.objects.get(name="新华电子有限公司")
    assert response.status_code == 302 and response["Location"] == reverse("units:detail", args=[unit.pk])
    assert unit.region == world.lirang and unit.employees == 35
    assert AuditLog.objects.filter(action="create", object_type="units.unit", object_id=str(unit.pk)).exists()
    follow = client.get(response["Location"])
    assert "已新增单位" in html(follow)


def test_wrong_check_character_is_shown_next_to_the_field_and_nothing_is_written(client, world):
    client.force_login(world.users.lirang)
    good = credit_code(900)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    before = (Unit.objects.count(), AuditLog.objects.count())
    response = client.post(reverse("units:create"), valid_form(world, credit_code=bad))
    assert response.status_code == 200
    assert field_error(response, "credit_code") == "统一社会信用代码校验位错误"
    assert field_error(response, "name") == ""
    assert (Unit.objects.count(), AuditLog.objects.count()) == before
    # what the user typed is kept for correction
    assert f'value="{bad}"' in html(response)


def test_duplicate_credit_code_names_the_unit_that_has_it(client, world):
    client.force_login(world.users.lirang)
    before = Unit.objects.count()
    response = client.post(reverse("units:create"), valid_form(world, credit_code=world.units.ding.credit_code))
    assert field_error(response, "credit_code") == "该统一社会信用代码已被“丁机械有限公司”使用"
    assert Unit.objects.count() == before


def test_division_must_belong_to_the_section(client, world):
    client.force_login(world.users.lirang)
    response = client.post(reverse("units:create"), valid_form(world, industry_section="F", industry_division="39"))
    assert "与所选门类不符" in field_error(response, "industry_division")
    assert not Unit.objects.filter(name="新华电子有限公司").exists()


def test_region_outside_the_users_scope_is_not_a_choice(client, world):
    client.force_login(world.users.lirang)
    response = client.post(reverse("units:create"), valid_form(world, region=world.shuanggui.pk))
    assert field_error(response, "region")  # "select a valid choice"
    assert not Unit.objects.filter(name="新华电子有限公司").exists()


@pytest.mark.parametrize("user", ["secretary", "instructor", "member"])
def test_users_without_region_grants_cannot_create_units(client, world, user):
    client.force_login(getattr(world.users, user))
    assert client.get(reverse("units:create")).status_code == 404
    assert client.post(reverse("units:create"), valid_form(world)).status_code == 404
    assert not Unit.objects.filter(name="新华电子有限公司").exists()


def test_edit_changes_only_what_was_changed(client, world):
    ding = world.units.ding
    client.force_login(world.users.lirang)
    form = client.get(reverse("units:edit", args=[ding.pk]))
    assert form.status_code == 200 and f'value="{ding.credit_code}"' in html(form)
    data = valid_form(world, name=ding.name, credit_code=ding.credit_code, industry_division="23", employees="75",
                      address="", founded="")
    response = client.post(reverse("units:edit", args=[ding.pk]), data)
    assert response.status_code == 302
    ding.refresh_from_db()
    assert ding.employees == 75
    log = AuditLog.objects.get(action="update", object_id=str(ding.pk), object_type="units.unit")
    assert log.changes["employees"] == [60, 75]


@pytest.mark.parametrize("user,unit", [("shuanggui", "ding"), ("instructor", "geng"), ("member", "jia"), ("secretary", "yi")])
def test_edit_out_of_write_scope_is_404(client, world, user, unit):
    client.force_login(getattr(world.users, user))
    target = getattr(world.units, unit)
    assert client.get(reverse("units:edit", args=[target.pk])).status_code == 404
    assert client.post(reverse("units:edit", args=[target.pk]), valid_form(world, name="改名")).status_code == 404
    target.refresh_from_db()
    assert target.name != "改名"


def test_inline_check_reports_the_field_without_saving(client, world):
    client.force_login(world.users.lirang)
    bad = credit_code(901)[:-1] + "I"
    before = (Unit.objects.count(), AuditLog.objects.count())
    response = client.post(
        reverse("units:validate"), {"name": "试试", "credit_code": bad},
        headers={"HX-Request": "true", "HX-Trigger-Name": "credit_code"},
    )
    assert response.status_code == 200
    assert "不得含 I、O、S、V、Z" in field_error(response, "credit_code")
    assert 'hx-swap-oob="true"' in html(response)
    # fields the user has not filled yet are left alone
    assert field_error(response, "region") is None
    assert (Unit.objects.count(), AuditLog.objects.count()) == before


def test_options_offer_only_writable_units(client, world):
    client.force_login(world.users.shuanggui)
    page = html(client.get(reverse("units:options"), {"q": "有限公司"}))
    assert "甲印务有限公司" in page and "丁机械有限公司" not in page
