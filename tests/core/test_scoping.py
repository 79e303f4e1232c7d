"""Every role sees exactly its subtree; everything else is absent (so pages answer 404)."""
import pytest
from django.http import Http404

from dangjian.members.models import Member
from dangjian.organizations.models import Organization
from dangjian.regions.models import Region
from dangjian.units.models import Unit


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
    assert names(Unit.objects.scoped(user)) == ["庚科技有限公司"]
    assert Unit.objects.scoped(user, for_write=True).count() == 0


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert Unit.objects.scoped(AnonymousUser()).count() == 0
