"""/api/v1/organizations: list (shared OrganizationFilter), detail, create, patch, units, children, members."""
import datetime as dt

from dangjian.core.models import AuditLog
from dangjian.organizations.actions import appoint
from dangjian.organizations.models import Organization, OrgKind, OrgUnit
from dangjian.units.models import Unit
from tests.api.conftest import names, text
from tests.fixtures import credit_code

URL = "/api/v1/organizations"


def more_units(region, n):
    return [Unit.objects.create(name=f"双桂第{i}商行", credit_code=credit_code(100 + i), industry_section="F", region=region)
            for i in range(n)]


def test_list_gives_labels_counts_and_tree_order(world, login):
    response = login(world.users.district).get(URL)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [o["id"] for o in items] == list(Organization.objects.order_by("path").values_list("pk", flat=True))
    joint = next(o for o in items if o["id"] == world.orgs.joint.pk)
    assert joint["kind"] == "joint_branch" and joint["kind_label"] == "联合党支部"
    assert joint["formation"] == "joint" and joint["formation_label"] == "联合组建"
    assert joint["status_label"] == "正常" and joint["region"] == {"id": world.shuanggui.pk, "name": "双桂街道"}
    assert joint["unit_count"] == 2 and joint["member_count"] == 1 and joint["parent_id"] is None
    jia = next(o for o in items if o["id"] == world.orgs.jia.pk)
    assert jia["member_count"] == 3 and jia["reelection_due"] is False


def test_lists_are_scoped(world, login):
    assert names(login(world.users.shuanggui).get(URL)) == sorted(["甲印务有限公司党支部", "双桂街道商贸物流联合党支部"])
    assert names(login(world.users.secretary).get(URL)) == ["甲印务有限公司党支部"]
    assert names(login(world.users.member).get(URL)) == ["甲印务有限公司党支部"]
    assert login(world.users.instructor).get(URL).json()["count"] == 0


def test_list_uses_the_shared_filters(world, login):
    client = login(world.users.district)
    assert names(client.get(URL, {"kind": "joint_branch"})) == ["双桂街道商贸物流联合党支部"]
    assert names(client.get(URL, {"region": world.lirang.pk})) == ["丁机械有限公司党支部"]
    assert names(client.get(URL, {"q": "甲印务"})) == ["甲印务有限公司党支部"]
    assert client.get(URL, {"status": "dissolved"}).json()["count"] == 0
    refused = login(world.users.shuanggui).get(URL, {"parent": world.orgs.ding.pk})
    assert refused.status_code == 422 and list(refused.json()["detail"]) == ["parent"]


def test_detail_has_units_committee_term_and_warning(world, login):
    appoint(None, world.orgs.jia, world.members.zhang, "secretary", dt.date(2023, 1, 1))
    Organization.objects.filter(pk=world.orgs.jia.pk).update(term_start=dt.date(2021, 1, 1), term_end=dt.date(2024, 1, 1))
    response = login(world.users.shuanggui).get(f"{URL}/{world.orgs.jia.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [u["name"] for u in body["units"]] == ["甲印务有限公司"]
    assert body["units"][0]["kind_label"] == "非公企业"
    assert body["committee"] == [{"member": {"id": world.members.zhang.pk, "name": "张伟"}, "post": "secretary",
                                  "post_label": "书记", "start": "2023-01-01", "end": None}]
    assert body["term_end"] == "2024-01-01" and body["reelection_due"] is True
    assert body["warning"] == ""


def test_detail_warns_when_a_joint_branch_covers_more_than_five_units(world, login):
    extra = more_units(world.shuanggui, 4)
    OrgUnit.objects.bulk_create([OrgUnit(organization=world.orgs.joint, unit=u) for u in extra])
    body = login(world.users.shuanggui).get(f"{URL}/{world.orgs.joint.pk}").json()
    assert body["unit_count"] == 6 and len(body["units"]) == 6
    assert "6" in body["warning"] and "5" in body["warning"]


def test_detail_out_of_scope_is_404(world, login):
    client = login(world.users.shuanggui)
    assert client.get(f"{URL}/{world.orgs.ding.pk}").status_code == 404
    assert login(world.users.secretary).get(f"{URL}/{world.orgs.joint.pk}").status_code == 404


def test_create_branch_with_units_and_computed_term(world, login):
    unit = more_units(world.shuanggui, 1)[0]
    response = login(world.users.shuanggui).post(URL, {
        "name": "双桂第0商行党支部", "kind": "branch", "region": world.shuanggui.pk, "units": [unit.pk],
        "founded": "2022-05-01", "term_start": "2022-05-01",
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [u["id"] for u in body["units"]] == [unit.pk] and body["unit_count"] == 1
    assert body["term_end"] == "2025-05-01" and body["reelection_due"] is True
    org = Organization.objects.get(pk=body["id"])
    assert AuditLog.objects.filter(object_type="organizations.organization", object_id=str(org.pk), action="create").exists()


def test_create_joint_branch_over_the_limit_is_saved_with_a_warning(world, login):
    units = [world.units.yi, world.units.bing, *more_units(world.shuanggui, 4)]
    response = login(world.users.shuanggui).post(URL, {
        "name": "双桂街道第二联合党支部", "kind": "joint_branch", "formation": "joint", "region": world.shuanggui.pk,
        "units": [u.pk for u in units],
    }, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["unit_count"] == 6 and "超过" in response.json()["warning"]


def test_secretary_creates_a_party_group_under_the_branch(world, login):
    client = login(world.users.secretary)
    response = client.post(URL, {"name": "甲印务第一党小组", "kind": "party_group", "region": world.community.pk,
                                 "parent": world.orgs.jia.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["parent_id"] == world.orgs.jia.pk and response.json()["depth"] == 2
    assert names(client.get(f"{URL}/{world.orgs.jia.pk}/children")) == ["甲印务第一党小组"]


def test_create_rule_violations_name_the_fields(world, login):
    client = login(world.users.shuanggui)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    group = client.post(URL, {"name": "无支部党小组", "kind": "party_group", "region": world.shuanggui.pk},
                        content_type="application/json")
    assert group.status_code == 422 and list(group.json()["detail"]) == ["kind"]
    joint = client.post(URL, {"name": "某联合党支部", "kind": "joint_branch", "region": world.shuanggui.pk,
                              "founded": tomorrow, "term_start": tomorrow}, content_type="application/json")
    assert joint.status_code == 422
    assert set(joint.json()["detail"]) == {"formation", "founded", "term_start"}
    own = client.post(URL, {"name": "某党支部", "kind": "branch", "region": world.shuanggui.pk,
                            "units": [world.units.yi.pk, world.units.bing.pk]}, content_type="application/json")
    assert own.status_code == 422 and list(own.json()["detail"]) == ["units"]
    assert not Organization.objects.filter(name__in=["无支部党小组", "某联合党支部", "某党支部"]).exists()


def test_create_referencing_objects_outside_the_write_scope_is_422(world, login):
    client = login(world.users.shuanggui)
    response = client.post(URL, {"name": "某党小组", "kind": "party_group", "region": world.lirang.pk,
                                 "parent": world.orgs.ding.pk, "units": [world.units.ding.pk, world.units.yi.pk]},
                           content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"parent", "region", "units"}
    # Only the offending id is named, with the same words as for an id that doesn't exist.
    assert response.json()["detail"]["units"] == [f"编号为{world.units.ding.pk}的单位不存在或不在您的管理范围内"]
    assert "丁机械" not in text(response)


def test_patch_updates_and_audits(world, login):
    response = login(world.users.shuanggui).patch(f"{URL}/{world.orgs.joint.pk}", {"contact_phone": "023-53221234"},
                                                  content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["contact_phone"] == "023-53221234"
    assert AuditLog.objects.filter(object_type="organizations.organization", object_id=str(world.orgs.joint.pk),
                                   action="update").exists()


def test_patch_rule_violation_is_422(world, login):
    response = login(world.users.shuanggui).patch(f"{URL}/{world.orgs.joint.pk}", {"formation": "own"},
                                                  content_type="application/json")
    assert response.status_code == 422 and list(response.json()["detail"]) == ["formation"]


def test_patch_out_of_scope_and_read_only_roles_get_404(world, login):
    assert login(world.users.shuanggui).patch(f"{URL}/{world.orgs.ding.pk}", {"name": "x"},
                                              content_type="application/json").status_code == 404
    assert login(world.users.member).patch(f"{URL}/{world.orgs.jia.pk}", {"name": "x"},
                                           content_type="application/json").status_code == 404
    world.orgs.ding.refresh_from_db()
    world.orgs.jia.refresh_from_db()
    assert world.orgs.ding.name == "丁机械有限公司党支部" and world.orgs.jia.name == "甲印务有限公司党支部"


def test_put_units_replaces_and_returns_the_warning(world, login):
    client = login(world.users.shuanggui)
    url = f"{URL}/{world.orgs.joint.pk}/units"
    three = client.put(url, {"units": [world.units.yi.pk, world.units.bing.pk, world.units.jia.pk]},
                       content_type="application/json")
    assert three.status_code == 200
    assert three.json()["warning"] == "" and three.json()["unit_count"] == 3
    six = [world.units.yi.pk, world.units.bing.pk, *(u.pk for u in more_units(world.shuanggui, 4))]
    over = client.put(url, {"units": six}, content_type="application/json")
    assert over.status_code == 200 and over.json()["unit_count"] == 6
    assert over.json()["warning"] == "联合党支部覆盖6家单位，超过一般不超过5家的要求"
    assert set(OrgUnit.objects.filter(organization=world.orgs.joint).values_list("unit", flat=True)) == set(six)


def test_put_units_refuses_out_of_scope_units_and_own_branch_with_two(world, login):
    client = login(world.users.shuanggui)
    outside = client.put(f"{URL}/{world.orgs.joint.pk}/units", {"units": [world.units.yi.pk, world.units.ding.pk]},
                         content_type="application/json")
    assert outside.status_code == 422 and list(outside.json()["detail"]) == ["units"]
    two = client.put(f"{URL}/{world.orgs.jia.pk}/units", {"units": [world.units.jia.pk, world.units.yi.pk]},
                     content_type="application/json")
    assert two.status_code == 422 and list(two.json()["detail"]) == ["units"]
    assert set(OrgUnit.objects.filter(organization=world.orgs.joint).values_list("unit", flat=True)) == {
        world.units.yi.pk, world.units.bing.pk}
    assert client.put(f"{URL}/{world.orgs.ding.pk}/units", {"units": []},
                      content_type="application/json").status_code == 404
    assert OrgUnit.objects.filter(organization=world.orgs.ding).count() == 1


def test_children_are_scoped(world, login):
    group = Organization.objects.add_child(world.orgs.ding, dict(name="丁机械第一党小组", kind=OrgKind.PARTY_GROUP,
                                                                 region=world.lirang))
    assert names(login(world.users.lirang).get(f"{URL}/{world.orgs.ding.pk}/children")) == [group.name]
    assert login(world.users.shuanggui).get(f"{URL}/{world.orgs.ding.pk}/children").status_code == 404


def test_members_of_an_organisation(world, login):
    client = login(world.users.shuanggui)
    response = client.get(f"{URL}/{world.orgs.jia.pk}/members")
    assert response.status_code == 200
    assert names(response) == sorted(["张伟", "王芳", "李强"])
    assert all("*" in m["id_number_masked"] for m in response.json()["items"])
    assert client.get(f"{URL}/{world.orgs.ding.pk}/members").status_code == 404


def test_members_of_an_organisation_with_subtree(world, login):
    group = Organization.objects.add_child(world.orgs.jia, dict(name="甲印务第一党小组", kind=OrgKind.PARTY_GROUP,
                                                                region=world.community))
    world.members.wang.organization = group
    world.members.wang.save()
    client = login(world.users.secretary)
    assert names(client.get(f"{URL}/{world.orgs.jia.pk}/members")) == sorted(["张伟", "李强"])
    assert names(client.get(f"{URL}/{world.orgs.jia.pk}/members", {"subtree": "true"})) == sorted(["张伟", "王芳", "李强"])
    # A member sees their branch but, among its members, only themselves.
    assert names(login(world.users.member).get(f"{URL}/{world.orgs.jia.pk}/members")) == ["张伟"]
