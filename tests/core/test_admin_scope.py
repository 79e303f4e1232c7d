"""The Django admin for support staff is scoped like every other view."""
from django.contrib.auth.models import Permission


def staff(user, *codenames):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_admin_lists_only_the_scope(client, world):
    user = staff(world.users.shuanggui, "view_unit", "change_unit", "view_member")
    client.force_login(user)
    page = client.get("/admin/units/unit/").content.decode()
    assert "甲印务有限公司" in page and "丁机械有限公司" not in page
    assert client.get(f"/admin/units/unit/{world.units.ding.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/units/unit/{world.units.jia.pk}/change/").status_code == 200


def test_admin_never_shows_ciphertext(client, world):
    user = staff(world.users.district, "view_member", "change_member")
    client.force_login(user)
    page = client.get(f"/admin/members/member/{world.members.zhang.pk}/change/").content.decode()
    assert world.members.zhang.id_number_masked in page
    assert world.members.zhang.id_number_enc not in page
    assert world.members.zhang.id_number not in page
