"""Every role sees exactly its subtree; everything else is absent (so pages answer 404)."""
import pytest
from django.http import Http404

from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit
from tests.fixtures import serve


def names(qs):
    return sorted(o.name for o in qs)


def test_district_admin_sees_everything_in_the_district(world):
    user = world.users.district
    assert Unit.objects.scoped(user).count() == 7
    assert Organization.objects.scoped(user).count() == 3
    assert Member.objects.scoped(user).count() == 6


def test_town_admin_sees_only_its_town(world):
    user = world.users.shuanggui
    assert names(Unit.objects.scoped(user)) == names([world.units.jia, world.units.yi, world.units.bing])
    assert names(Region.objects.scoped(user)) == ["双桂街道", "城东社区"]
    assert Member.objects.scoped(user).count() == 4
    with pytest.raises(Http404):
        Unit.objects.get_for_user(world.units.ding.pk, user)
    with pytest.raises(Http404):
        Member.objects.get_for_user(world.members.sun.pk, user)


def test_secretary_sees_own_organization_and_its_units(world):
    user = world.users.secretary
    assert names(Organization.objects.scoped(user)) == ["甲印务有限公司党支部"]
    assert names(Unit.objects.scoped(user)) == ["甲印务有限公司"]
    assert Member.objects.scoped(user).count() == 3


def test_member_sees_only_self(world):
    user = world.users.member
    assert list(Member.objects.scoped(user)) == [world.members.zhang]
    assert Unit.objects.scoped(user).count() == 0


def test_instructor_reads_but_cannot_write(world):
    user = world.users.instructor
    serve(user, world.units.geng)
    assert names(Unit.objects.scoped(user)) == ["庚科技有限公司"]
    assert Unit.objects.scoped(user, for_write=True).count() == 0


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert Unit.objects.scoped(AnonymousUser()).count() == 0


# --- the scope is cached between requests only while the role assignments and tree paths are unchanged --

def test_a_revoked_role_takes_effect_on_the_next_request(world, login):
    from dangjian.accounts.models import RoleAssignment

    client = login(world.users.shuanggui)
    url = f"/api/v1/units/{world.units.jia.pk}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # the scope now comes from the cache
    RoleAssignment.objects.filter(user=world.users.shuanggui).delete()
    assert client.get(url).status_code == 404


def test_a_new_role_and_a_moved_region_take_effect_at_once(world, login):
    from dangjian.accounts.models import Role, RoleAssignment

    client = login(world.users.lirang)
    url = f"/api/v1/members/{world.members.zhao.pk}"
    assert client.get(url).status_code == 404
    RoleAssignment.objects.create(user=world.users.lirang, role=Role.REGION_ADMIN, region=world.shuanggui)
    assert client.get(url).status_code == 200
    # The town's paths change (a subtree move rewrites them): a scope holding the old path would see nothing.
    from django.db import connection

    from dangjian.core.scoping import get_scope

    old = Region.objects.get(pk=world.shuanggui.pk).path
    with connection.cursor() as cursor:
        cursor.execute("UPDATE regions_region SET path = 'Z' || path WHERE path LIKE %s", [old + "%"])
    fresh = type(world.users.lirang).objects.get(pk=world.users.lirang.pk)  # the next request's user
    assert "Z" + old in get_scope(fresh).region_paths


def test_read_and_write_scopes_come_from_one_look_up(world, django_assert_num_queries):
    from dangjian.core.scoping import get_scope

    user = type(world.users.shuanggui).objects.get(pk=world.users.shuanggui.pk)
    with django_assert_num_queries(2):  # the stamps of the scope's tables, the role assignments
        assert get_scope(user).region_paths == get_scope(user, for_write=True).region_paths
    again = type(world.users.shuanggui).objects.get(pk=world.users.shuanggui.pk)
    with django_assert_num_queries(1):  # the stamps only
        assert get_scope(again, for_write=True).region_paths == (world.shuanggui.path,)
    instructor = world.users.instructor  # based in the park: reaches its assigned units only, not the park
    assert get_scope(instructor).empty and get_scope(instructor, for_write=True).empty
