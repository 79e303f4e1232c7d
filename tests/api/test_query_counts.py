"""List endpoints run a fixed number of queries whatever the page holds (no N+1).

Per request: session, user, the scope (the change stamps of its tables, then the user's role assignments
while not cached), the change stamps of the listed tables (core.stamps), the list's count or ids (while
not cached) and rows; a model-choice filter adds one look-up of the chosen object. Each request below
follows a write, so nothing is cached.
"""
import pytest
from django.test import Client

from dangjian.organizations.models import Organization, OrgKind, OrgUnit
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import Unit
from tests.fixtures import LOGIN_BACKEND as BACKEND
from tests.fixtures import add_member, credit_code

LISTS = {
    "regions": (lambda w: "/api/v1/regions", 7),
    "regions, filtered": (lambda w: f"/api/v1/regions?parent={w.shuanggui.pk}", 8),
    "region children": (lambda w: f"/api/v1/regions/{w.shuanggui.pk}/children", 8),
    "units": (lambda w: "/api/v1/units", 7),
    "units, filtered": (lambda w: f"/api/v1/units?region={w.shuanggui.pk}&covered=true", 8),
    "organizations": (lambda w: "/api/v1/organizations", 7),
    "organizations, filtered": (lambda w: f"/api/v1/organizations?region={w.shuanggui.pk}&kind=branch", 8),
    "organization children": (lambda w: f"/api/v1/organizations/{w.orgs.joint.pk}/children", 8),
    "organization members": (lambda w: f"/api/v1/organizations/{w.orgs.joint.pk}/members?subtree=true", 8),
    "members": (lambda w: "/api/v1/members", 7),
    "members, filtered": (lambda w: f"/api/v1/members?organization={w.orgs.joint.pk}&status=normal", 8),
}


def grow(world, n: int) -> None:
    """Add n of everything under 双桂街道, below the joint branch, so every list above gets longer."""
    for i in range(n):
        Region.objects.add_child(world.shuanggui, dict(name=f"新社区{i}", kind=RegionKind.COMMUNITY))
        world.shuanggui.refresh_from_db()
        unit = Unit.objects.create(name=f"新单位{i}", credit_code=credit_code(200 + i), industry_section="F",
                                   region=world.shuanggui)
        group = Organization.objects.add_child(world.orgs.joint, dict(
            name=f"新党小组{i}", kind=OrgKind.PARTY_GROUP, region=world.shuanggui))
        world.orgs.joint.refresh_from_db()
        OrgUnit.objects.create(organization=world.orgs.joint, unit=unit)
        branch = Organization.objects.add_root(instance=Organization(
            name=f"新党支部{i}", kind=OrgKind.BRANCH, region=world.shuanggui))
        OrgUnit.objects.create(organization=branch, unit=unit)
        add_member(group, f"新党员{i}", unit)
        add_member(world.orgs.joint, f"新党员乙{i}", unit)


@pytest.mark.parametrize("name", list(LISTS))
def test_list_query_count_does_not_grow_with_the_data(world, django_assert_num_queries, name):
    url_of, expected = LISTS[name]
    client = Client()
    client.force_login(world.users.shuanggui, backend=BACKEND)
    with django_assert_num_queries(expected):
        small = client.get(url_of(world))
    assert small.status_code == 200
    grow(world, 8)
    with django_assert_num_queries(expected):
        large = client.get(url_of(world))
    assert large.status_code == 200
    assert len(large.json()["items"]) >= len(small.json()["items"]) + 8
