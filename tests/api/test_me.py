"""/api/v1/me: who the session user is, their roles with anchors, and what they may do."""
from django.contrib.auth.models import Permission

URL = "/api/v1/me"


def test_town_admin(world, login):
    response = login(world.users.shuanggui).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "username": "shuanggui", "full_name": "", "is_superuser": False,
        "roles": [{"role": "region_admin", "role_label": "镇街园区管理员", "anchor_type": "region",
                   "anchor": {"id": world.shuanggui.pk, "name": "双桂街道"}}],
        "permissions": {"can_write": True, "can_unmask": False},
    }


def test_secretary_with_unmask_permission(world, login):
    body = login(world.users.secretary).get(URL).json()
    assert body["roles"] == [{"role": "secretary", "role_label": "党组织书记", "anchor_type": "organization",
                              "anchor": {"id": world.orgs.jia.pk, "name": "甲印务有限公司党支部"}}]
    assert body["permissions"] == {"can_write": True, "can_unmask": True}


def test_read_only_roles(world, login):
    member = login(world.users.member).get(URL).json()
    assert member["roles"][0]["anchor"] == {"id": world.members.zhang.pk, "name": "张伟"}
    assert member["permissions"] == {"can_write": False, "can_unmask": False}
    instructor = login(world.users.instructor).get(URL).json()
    assert instructor["roles"][0]["role_label"] == "党建指导员"
    assert instructor["permissions"]["can_write"] is False


def test_unmask_permission_through_a_group_counts(world, login):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="保密审查")
    group.permissions.add(Permission.objects.get(codename="unmask_pii"))
    world.users.lirang.groups.add(group)
    assert login(world.users.lirang).get(URL).json()["permissions"]["can_unmask"] is True


def test_superuser_without_roles(world, login, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password=world.password)
    body = login(admin).get(URL).json()
    assert body["is_superuser"] is True and body["roles"] == []
    assert body["permissions"] == {"can_write": True, "can_unmask": True}
