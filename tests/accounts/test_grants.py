"""Role grants: administrators manage users and grant roles only within their own scope, through the actions,
audited; pages, API and admin agree."""
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from dangjian.accounts import actions, grants
from dangjian.accounts.models import Role, RoleAssignment
from dangjian.core.models import AuditLog

NEW_PASSWORD = "Hongqi-Piaopiao-7"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def usernames(qs):
    return sorted(qs.values_list("username", flat=True))


def test_each_administrator_manages_the_users_inside_their_scope(world):
    assert usernames(grants.manageable_users(world.users.district)) == [
        "dangyuan", "lirang", "shuanggui", "shuji", "zhidao"]
    assert usernames(grants.manageable_users(world.users.shuanggui)) == ["dangyuan", "shuji"]
    assert usernames(grants.manageable_users(world.users.lirang)) == []
    for nobody in (world.users.secretary, world.users.member, world.users.instructor):
        assert not grants.may_manage_users(nobody) and not grants.manageable_users(nobody).exists()


def test_town_admin_grants_within_the_town_and_it_is_audited(world):
    shuji = world.users.secretary
    ra = actions.grant_role(world.users.shuanggui, shuji, Role.CLERK, world.orgs.joint)
    assert ra.organization == world.orgs.joint
    log = AuditLog.objects.get(action="create", object_type="accounts.roleassignment")
    assert log.actor == world.users.shuanggui and log.changes == {
        "user": "shuji", "role": "clerk", "anchor_type": "organization", "anchor_id": world.orgs.joint.pk,
        "anchor": world.orgs.joint.name}


def test_town_admin_cannot_grant_a_district_role_or_outside_the_town(world):
    town, shuji = world.users.shuanggui, world.users.secretary
    with pytest.raises(ValidationError) as exc:
        actions.grant_role(town, shuji, Role.DISTRICT_ADMIN, world.shuanggui)
    assert exc.value.message_dict == {"role": ["只有区级管理员才能授予区级管理员角色"]}
    with pytest.raises(ValidationError) as exc:
        actions.grant_role(town, shuji, Role.REGION_ADMIN, world.district)
    assert exc.value.message_dict == {"anchor": ["“梁平区”不在您的管理范围内"]}
    with pytest.raises(ValidationError) as exc:
        actions.grant_role(town, shuji, Role.SECRETARY, world.orgs.ding)  # 礼让镇's branch
    assert exc.value.message_dict == {"anchor": [f"“{world.orgs.ding.name}”不在您的管理范围内"]}
    with pytest.raises(ValidationError):
        actions.grant_role(town, shuji, Role.ENTERPRISE, world.units.ding)
    with pytest.raises(PermissionDenied):  # 礼让's administrator is not the town's to change
        actions.grant_role(town, world.users.lirang, Role.CLERK, world.orgs.jia)
    assert not AuditLog.objects.exists() and RoleAssignment.objects.count() == 6


def test_nobody_grants_themselves_or_beyond_their_roles(world):
    with pytest.raises(PermissionDenied, match="不能给自己授予角色"):
        actions.grant_role(world.users.shuanggui, world.users.shuanggui, Role.REGION_ADMIN, world.community)
    with pytest.raises(PermissionDenied, match="不能给自己授予角色"):
        actions.grant_role(world.users.district, world.users.district, Role.CLERK, world.orgs.jia)
    with pytest.raises(PermissionDenied):  # a secretary writes members, but grants nothing
        actions.grant_role(world.users.secretary, world.users.member, Role.CLERK, world.orgs.jia)
    with pytest.raises(PermissionDenied):  # a town admin cannot change the district admin who made them
        actions.revoke_role(world.users.shuanggui, RoleAssignment.objects.get(user=world.users.district))
    # a district administrator may make another one for the district
    ra = actions.grant_role(world.users.district, world.users.lirang, Role.DISTRICT_ADMIN, world.district)
    assert ra.region == world.district


def test_revoke_and_deactivate_but_never_orphan_a_user(world):
    district, shuji = world.users.district, world.users.secretary
    extra = actions.grant_role(district, shuji, Role.CLERK, world.orgs.joint)
    actions.revoke_role(district, extra)
    assert not RoleAssignment.objects.filter(pk=extra.pk).exists()
    assert AuditLog.objects.filter(action="delete", object_type="accounts.roleassignment").count() == 1
    with pytest.raises(ValidationError, match="最后一个角色"):
        actions.revoke_role(district, RoleAssignment.objects.get(user=shuji))
    actions.set_active(district, shuji, False)
    shuji.refresh_from_db()
    assert not shuji.is_active and shuji in grants.manageable_users(district)  # still reachable to reactivate
    with pytest.raises(PermissionDenied):
        actions.set_active(district, district, False)


def test_create_user_checks_everything_at_once_and_writes_nothing_on_error(world):
    with pytest.raises(ValidationError) as exc:
        actions.create_user(world.users.shuanggui, "shuji", "", "shuji12345", Role.SECRETARY, world.orgs.ding)
    errors = exc.value.message_dict
    assert errors["username"] == ["用户名“shuji”已被使用"]
    assert "密码不能包含用户名“shuji”。" in errors["password"]
    assert errors["anchor"] == [f"“{world.orgs.ding.name}”不在您的管理范围内"]
    with pytest.raises(PermissionDenied):
        actions.create_user(world.users.secretary, "xinren", "", NEW_PASSWORD, Role.MEMBER, world.members.wang)
    user = actions.create_user(world.users.shuanggui, "xinren", "新人", NEW_PASSWORD, Role.MEMBER, world.members.wang)
    assert user.check_password(NEW_PASSWORD) and user.role_assignments.get().member == world.members.wang
    assert AuditLog.objects.filter(actor=world.users.shuanggui, action="create").count() == 2
    assert "Hongqi" not in json.dumps(list(AuditLog.objects.values_list("changes", flat=True)))


# --- pages ---------------------------------------------------------------------------------------------------

def test_user_pages_list_create_grant_and_revoke(client, world):
    client.force_login(world.users.shuanggui)
    home = client.get(reverse("accounts:password_change")).content.decode()
    assert f'href="{reverse("accounts:users")}"' in home  # in the user menu of administrators
    page = client.get(reverse("accounts:users")).content.decode()
    # the user names listed (a bare "qu" substring also turns up in random CSRF tokens)
    listed = set(re.findall(r'<a href="/accounts/users/\d+/">([^<]+)</a>', page))
    assert "shuji" in listed and "lirang" not in listed and "qu" not in listed

    bad = client.post(reverse("accounts:user_new"), {"username": "new1", "password": "new1-abcdefg",
                                                      "role": Role.SECRETARY, "organization": world.orgs.ding.pk})
    assert bad.status_code == 400
    errors = bad.context["form"].errors
    assert errors["password"] == ["密码不能包含用户名“new1”。"] and "organization" in errors  # not a town choice
    missing = client.post(reverse("accounts:user_new"), {"username": "new1", "password": NEW_PASSWORD,
                                                          "role": Role.ENTERPRISE, "unit_code": world.units.ding.credit_code})
    assert missing.context["form"].errors == {"unit_code": ["在您的管理范围内找不到该单位"]}
    made = client.post(reverse("accounts:user_new"), {"username": "new1", "password": NEW_PASSWORD,
                                                       "role": Role.ENTERPRISE, "unit_code": world.units.jia.credit_code})
    user = get_user_model().objects.get(username="new1")
    assert made.status_code == 302 and made["Location"] == reverse("accounts:user", args=[user.pk])

    detail = reverse("accounts:user", args=[user.pk])
    no_anchor = client.post(detail, {"role": Role.CLERK})
    assert no_anchor.status_code == 400 and no_anchor.context["form"].errors == {
        "organization": ["角色“党务工作者”需要填写这一项"]}
    district_role = client.post(detail, {"role": Role.DISTRICT_ADMIN, "region": world.shuanggui.pk})
    assert district_role.context["form"].errors == {"role": ["只有区级管理员才能授予区级管理员角色"]}
    assert client.post(detail, {"role": Role.CLERK, "organization": world.orgs.jia.pk}).status_code == 302
    clerk = user.role_assignments.get(role=Role.CLERK)
    assert client.post(reverse("accounts:revoke", args=[user.pk, clerk.pk])).status_code == 302
    assert not user.role_assignments.filter(role=Role.CLERK).exists()


def test_user_pages_refuse_others(client, world):
    client.force_login(world.users.shuanggui)
    assert client.get(reverse("accounts:user", args=[world.users.lirang.pk])).status_code == 404
    assert client.get(reverse("accounts:user", args=[world.users.shuanggui.pk])).status_code == 404  # oneself
    assert client.post(reverse("accounts:set_active", args=[world.users.district.pk])).status_code == 404
    client.force_login(world.users.secretary)
    assert client.get(reverse("accounts:users")).status_code == 403
    assert f'href="{reverse("accounts:users")}"' not in client.get(reverse("accounts:password_change")).content.decode()


# --- API -----------------------------------------------------------------------------------------------------

def test_api_users_and_grants(client, world):
    client.force_login(world.users.shuanggui)
    listed = client.get("/api/v1/accounts/users").json()
    assert [u["username"] for u in listed["items"]] == ["dangyuan", "shuji"]
    assert listed["items"][1]["roles"][0]["anchor"] == {"id": world.orgs.jia.pk, "name": world.orgs.jia.name}

    body = {"username": "api1", "password": NEW_PASSWORD, "role": "clerk", "anchor_id": world.orgs.joint.pk}
    created = client.post("/api/v1/accounts/users", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["roles"][0]["role"] == "clerk"
    uid = created.json()["id"]
    outside = client.post(f"/api/v1/accounts/users/{uid}/roles", {"role": "clerk", "anchor_id": world.orgs.ding.pk},
                          content_type="application/json")
    absent = client.post(f"/api/v1/accounts/users/{uid}/roles", {"role": "clerk", "anchor_id": 999999},
                         content_type="application/json")
    assert outside.status_code == absent.status_code == 422
    assert outside.json()["detail"]["anchor_id"][0].replace(str(world.orgs.ding.pk), "N") == \
        absent.json()["detail"]["anchor_id"][0].replace("999999", "N")
    district = client.post(f"/api/v1/accounts/users/{uid}/roles", {"role": "district_admin",
                                                                   "anchor_id": world.shuanggui.pk},
                           content_type="application/json")
    assert district.status_code == 422 and district.json()["detail"] == {"role": ["只有区级管理员才能授予区级管理员角色"]}
    grant = client.post(f"/api/v1/accounts/users/{uid}/roles", {"role": "secretary", "anchor_id": world.orgs.jia.pk},
                        content_type="application/json")
    assert grant.status_code == 201
    assert client.delete(f"/api/v1/accounts/users/{uid}/roles/{grant.json()['id']}").status_code == 204
    last = client.get(f"/api/v1/accounts/users/{uid}").json()["roles"][0]["id"]
    assert client.delete(f"/api/v1/accounts/users/{uid}/roles/{last}").status_code == 422
    off = client.patch(f"/api/v1/accounts/users/{uid}", {"is_active": False}, content_type="application/json")
    assert off.status_code == 200 and off.json()["is_active"] is False

    assert client.get(f"/api/v1/accounts/users/{world.users.lirang.pk}").status_code == 404
    assert client.post(f"/api/v1/accounts/users/{world.users.shuanggui.pk}/roles",
                       {"role": "region_admin", "anchor_id": world.community.pk},
                       content_type="application/json").status_code == 404  # oneself: not among the managed
    weak = client.post("/api/v1/accounts/users", {**body, "username": "api2", "password": "12345678901"},
                       content_type="application/json")
    assert weak.status_code == 422 and "密码只包含数字。" in weak.json()["detail"]["password"]
    client.force_login(world.users.secretary)
    assert client.get("/api/v1/accounts/users").status_code == 403


def test_admin_shows_users_and_roles_but_never_writes(client, world):
    admin = get_user_model().objects.create_superuser("root", password=NEW_PASSWORD)
    client.force_login(admin)
    ra = RoleAssignment.objects.get(user=world.users.secretary)
    assert client.get("/admin/accounts/roleassignment/").status_code == 200
    assert client.get("/admin/accounts/roleassignment/add/").status_code == 403
    client.post(f"/admin/accounts/roleassignment/{ra.pk}/change/", {"role": Role.DISTRICT_ADMIN})
    client.post(f"/admin/accounts/roleassignment/{ra.pk}/delete/", {"post": "yes"})
    ra.refresh_from_db()
    assert ra.role == Role.SECRETARY
    assert client.get("/admin/auth/user/add/").status_code == 403
    client.post(f"/admin/auth/user/{world.users.member.pk}/change/", {"username": "dangyuan", "is_superuser": "on"})
    world.users.member.refresh_from_db()
    assert not world.users.member.is_superuser
