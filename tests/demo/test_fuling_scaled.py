"""Fuling's structure on a small scale (the full 20,000-unit district is for benchmarks), and determinism."""
import pytest
from django.db import transaction
from django.db.models import Count

from dangjian.core.validators import validate_citizen_id, validate_credit_code
from dangjian.demo import generate
from dangjian.demo.profiles import get_profile
from dangjian.members.actions import BRANCH_KINDS
from dangjian.members.models import Member
from dangjian.organizations.models import Organization, OrgKind, OrgStatus
from dangjian.orglife.models import Meeting
from dangjian.regions.models import Region, RegionKind
from dangjian.units.models import Unit

pytestmark = pytest.mark.django_db
SCALE = 0.02


def fingerprint():
    units = list(Unit.objects.order_by("credit_code").values_list("credit_code", "name", "employees", "founded"))
    orgs = list(Organization.objects.order_by("path").values_list("path", "name", "kind", "founded", "term_end"))
    members = sorted((m.name, m.birth_date, m.id_number, m.phone, m.organization.path) for m in
                     Member.objects.select_related("organization"))
    meetings = list(Meeting.objects.order_by("organization__path", "starts_at", "kind").values_list(
        "organization__path", "kind", "starts_at", "status", "expected_count", "present_count", "made_up_count"))
    return units, orgs, members, meetings


def test_scaled_fuling_has_every_town_and_a_consistent_structure():
    summary = generate("fuling", scale=SCALE)
    assert summary["created"] and summary["towns"] == 26
    district = Region.objects.get(code="500102")
    assert {"敦仁街道", "崇义街道", "白涛镇", "蔺市镇", "武陵山乡"} <= set(
        Region.objects.filter(path__startswith=district.path).values_list("name", flat=True))
    assert Region.objects.filter(path__startswith=district.path, kind=RegionKind.PARK).count() == 1
    profile = get_profile("fuling", SCALE)
    assert summary["operating_units"] == profile.operating
    assert summary["coverage_rate"] == round(100 * round(profile.operating * profile.covered_rate) / profile.operating, 2)
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    joints = Organization.objects.filter(kind=OrgKind.JOINT_BRANCH, status=OrgStatus.ACTIVE).annotate(n=Count("unit_links"))
    assert joints.exists() and all(2 <= j.n <= 6 for j in joints)
    assert not Member.objects.exclude(organization__kind__in=BRANCH_KINDS).exists()  # never in a 党委/党总支
    for m in Member.objects.all():
        validate_citizen_id(m.id_number, m.birth_date, m.gender)
    for code in Unit.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    # Fuling's ID numbers carry its codes over time: 512321 涪陵县, 512301 涪陵市, 511402 枳城区, 500102 涪陵区.
    areas = {m.id_number[:6] for m in Member.objects.all()}
    assert {"512321", "500102"} <= areas
    # A year of organisational life for every kind of organisation, including those without members of their
    # own (party groups meet with their share of the branch, party committees with their committee).
    assert summary["orglife"]["meetings"] > 0 and summary["learning"]["points"] > 0
    held = Meeting.objects.filter(status="held")
    kinds = set(held.filter(expected_count__gt=0).values_list("organization__kind", flat=True))
    assert {OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.PARTY_GROUP, OrgKind.PRIMARY_COMMITTEE} <= kinds
    assert not held.filter(expected_count=0).exists()
    # Officers for about one unit in twelve, serving most of them (nearly all at full size), with requests and visits.
    services = summary["services"]
    assert services["officers"] > 0 and services["requests"] > 0 and services["visits"] > services["assignments"]
    assert services["assignments"] > 0.75 * summary["operating_units"]


def test_same_seed_same_district_other_seed_other_district():
    def run(seed):
        sid = transaction.savepoint()
        generate("fuling", seed=seed, scale=SCALE)
        result = fingerprint()
        transaction.savepoint_rollback(sid)
        return result

    first, again, other = run(7), run(7), run(8)
    assert first == again
    assert first[0] != other[0] and first[2] != other[2] and first[3] != other[3]


def test_unknown_profile_and_bad_scale_are_refused():
    with pytest.raises(ValueError, match="unknown demo profile"):
        generate("chongqing")
    with pytest.raises(ValueError, match="scale"):
        generate("fuling", scale=2)
    assert not Unit.objects.exists()
