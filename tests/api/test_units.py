"""/api/v1/units: list (shared UnitFilter), detail with organisations, create, patch — all scoped."""
import datetime as dt

from dangjian.core.models import AuditLog
from dangjian.core.validators import USCC_ALPHABET
from dangjian.units.models import Unit
from tests.api.conftest import names
from tests.fixtures import credit_code, serve

URL = "/api/v1/units"


def new_unit(region, **extra):
    return {"name": "新华印刷有限公司", "credit_code": credit_code(50), "industry_section": "C", "industry_division": "23",
            "employees": 12, "region": region.pk, **extra}


def test_list_gives_codes_labels_and_references(world, login):
    response = login(world.users.district).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    assert [u["name"] for u in body["items"]] == sorted(u["name"] for u in body["items"])
    jia = next(u for u in body["items"] if u["id"] == world.units.jia.pk)
    assert jia["kind"] == "enterprise" and jia["kind_label"] == "非公企业"
    assert jia["industry_section"] == "C" and jia["industry_section_label"] == "制造业"
    assert jia["size_band"] == "medium" and jia["size_band_label"] == "50–299人"
    assert jia["status_label"] == "存续经营"
    assert jia["region"] == {"id": world.community.pk, "name": "城东社区"}
    assert jia["covered"] is True
    wu = next(u for u in body["items"] if u["id"] == world.units.wu.pk)
    assert wu["covered"] is False


def test_town_admin_lists_only_the_town(world, login):
    assert names(login(world.users.shuanggui).get(URL)) == sorted(["甲印务有限公司", "乙商贸有限公司", "丙物流有限公司"])


def test_member_and_instructor_lists(world, login):
    empty = {"items": [], "count": 0, "page": 1, "page_size": 50, "pages": 0}
    assert login(world.users.member).get(URL).json() == empty
    assert login(world.users.instructor).get(URL).json() == empty  # based in the park, nothing assigned yet
    serve(world.users.instructor, world.units.geng)
    assert names(login(world.users.instructor).get(URL)) == ["庚科技有限公司"]


def test_list_uses_the_shared_filters(world, login):
    client = login(world.users.district)
    assert names(client.get(URL, {"covered": "false"})) == sorted(["戊食品有限公司", "己建材有限公司", "庚科技有限公司"])
    assert names(client.get(URL, {"region": world.shuanggui.pk})) == sorted(["甲印务有限公司", "乙商贸有限公司", "丙物流有限公司"])
    assert names(client.get(URL, {"status": "closed"})) == ["己建材有限公司"]
    assert names(client.get(URL, {"size": "micro"})) == ["乙商贸有限公司"]
    assert names(client.get(URL, {"q": "丁机械"})) == ["丁机械有限公司"]
    assert names(client.get(URL, {"covered": "true", "region": world.lirang.pk})) == ["丁机械有限公司"]


def test_filtering_by_a_region_outside_the_scope_is_422(world, login):
    response = login(world.users.shuanggui).get(URL, {"region": world.lirang.pk})
    assert response.status_code == 422
    assert list(response.json()["detail"]) == ["region"]


def test_detail_lists_covering_organisations(world, login):
    client = login(world.users.shuanggui)
    response = client.get(f"{URL}/{world.units.bing.pk}")
    assert response.status_code == 200
    orgs = response.json()["organizations"]
    assert [o["name"] for o in orgs] == ["双桂街道商贸物流联合党支部"]
    assert orgs[0]["kind"] == "joint_branch" and orgs[0]["kind_label"] == "联合党支部"


def test_detail_out_of_scope_is_404(world, login):
    client = login(world.users.shuanggui)
    assert client.get(f"{URL}/{world.units.ding.pk}").status_code == 404
    assert client.get(f"{URL}/{world.units.geng.pk}").status_code == 404
    assert login(world.users.member).get(f"{URL}/{world.units.jia.pk}").status_code == 404


def test_create_unit_and_it_is_audited(world, login):
    response = login(world.users.shuanggui).post(URL, new_unit(world.community), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"]["id"] == world.community.pk and body["organizations"] == [] and body["covered"] is False
    assert body["size_band"] == "small"
    assert AuditLog.objects.filter(object_type="units.unit", object_id=str(body["id"]), action="create").count() == 1


def test_create_with_bad_credit_code_check_character(world, login):
    code = credit_code(50)
    wrong = next(c for c in USCC_ALPHABET if c != code[-1])
    response = login(world.users.shuanggui).post(URL, new_unit(world.community, credit_code=code[:-1] + wrong),
                                                 content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == {"credit_code": ["统一社会信用代码校验位错误"]}
    assert not Unit.objects.filter(name="新华印刷有限公司").exists()


def test_create_with_duplicate_credit_code_and_future_date_reports_both(world, login):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = login(world.users.shuanggui).post(
        URL, new_unit(world.community, credit_code=world.units.jia.credit_code, founded=tomorrow), content_type="application/json"
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert set(detail) == {"credit_code", "founded"}
    assert "甲印务有限公司" in detail["credit_code"][0]


def test_create_in_a_region_outside_the_write_scope_is_422_on_region(world, login):
    town = login(world.users.shuanggui).post(URL, new_unit(world.lirang), content_type="application/json")
    assert town.status_code == 422 and list(town.json()["detail"]) == ["region"]
    instructor = login(world.users.instructor).post(URL, new_unit(world.park), content_type="application/json")
    assert instructor.status_code == 422 and list(instructor.json()["detail"]) == ["region"]
    assert not Unit.objects.filter(name="新华印刷有限公司").exists()


def test_create_with_bad_types_is_422_naming_the_fields(world, login):
    response = login(world.users.district).post(
        URL, {"name": "某公司", "industry_section": "C", "region": "abc", "employees": -3}, content_type="application/json"
    )
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"region", "employees"}


def test_patch_changes_and_audits(world, login):
    response = login(world.users.shuanggui).patch(f"{URL}/{world.units.yi.pk}", {"employees": 400, "above_size": True},
                                                  content_type="application/json")
    assert response.status_code == 200
    assert response.json()["size_band"] == "large" and response.json()["above_size"] is True
    world.units.yi.refresh_from_db()
    assert world.units.yi.employees == 400
    log = AuditLog.objects.get(object_type="units.unit", object_id=str(world.units.yi.pk), action="update")
    assert log.changes["employees"] == [8, 400]


def test_patch_validation_and_moving_out_of_scope(world, login):
    client = login(world.users.shuanggui)
    bad = client.patch(f"{URL}/{world.units.yi.pk}", {"industry_division": "01"}, content_type="application/json")
    assert bad.status_code == 422 and list(bad.json()["detail"]) == ["industry_division"]
    moved = client.patch(f"{URL}/{world.units.yi.pk}", {"region": world.lirang.pk}, content_type="application/json")
    assert moved.status_code == 422 and list(moved.json()["detail"]) == ["region"]
    world.units.yi.refresh_from_db()
    assert world.units.yi.region == world.shuanggui


def test_patch_out_of_scope_is_404(world, login):
    client = login(world.users.shuanggui)
    assert client.patch(f"{URL}/{world.units.ding.pk}", {"employees": 1}, content_type="application/json").status_code == 404
    serve(world.users.instructor, world.units.geng)
    instructor = login(world.users.instructor)
    assert instructor.get(f"{URL}/{world.units.geng.pk}").status_code == 200
    assert instructor.patch(f"{URL}/{world.units.geng.pk}", {"employees": 1}, content_type="application/json").status_code == 404
    world.units.ding.refresh_from_db()
    world.units.geng.refresh_from_db()
    assert world.units.ding.employees == 60 and world.units.geng.employees == 45


def test_patch_with_null_for_a_required_field_is_422(world, login):
    client = login(world.users.shuanggui)
    response = client.patch(f"{URL}/{world.units.yi.pk}", {"region": None, "name": None, "founded": None},
                            content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"region", "name"}  # founded may be cleared
    world.units.yi.refresh_from_db()
    assert world.units.yi.region == world.shuanggui


def test_secretary_gets_the_new_unit_echoed_even_before_covering_it(world, login):
    client = login(world.users.secretary)
    response = client.post(URL, new_unit(world.community), content_type="application/json")
    assert response.status_code == 201 and response.json()["name"] == "新华印刷有限公司"
    # A secretary reads the units their organisations cover; this one isn't covered yet.
    assert client.get(f"{URL}/{response.json()['id']}").status_code == 404


def test_schema_errors_use_the_same_shape_in_the_users_language(world, login):
    client = login(world.users.district)
    response = client.post(
        "/api/v1/units", {"name": "新单位", "employees": "很多"}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["employees"] == ["应为整数"]
    assert "必填" in detail["region"]
