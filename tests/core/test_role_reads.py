"""Least privilege by role and by field (issue 12, finding 2): officers and instructors read their assigned units,
those units' organisations and those organisations' members as a roster (name, organisation, post); enterprise
contacts their unit and the organisation's public facts; appraisal grades and talk notes only the organisation's
own secretary/clerk and party staff above. And the README's role table says exactly what accounts.reads says."""
import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dangjian.accounts.models import ROLE_ANCHOR, Role
from dangjian.core import pii
from dangjian.core.scoping import get_scope
from dangjian.members.models import Member
from dangjian.organizations.models import CommitteeMember, CommitteePost, Organization
from dangjian.orglife.models import Appraisal, HeartTalk, TalkKind
from dangjian.services.models import Assignment
from dangjian.units.models import Unit
from tests.fixtures import serve, user_with_role

API = "/api/v1"
PERSONAL = ("gender", "id_number_masked", "phone_masked", "ethnicity", "birth_date", "education", "category",
            "join_date", "confirm_date", "status", "is_mobile", "employer", "dues_standard", "dues_paid_until")


@pytest.fixture
def reviewed(world):
    """Last year's grades and a talk in 甲's branch, and its committee (张伟 secretary, 王芳 member)."""
    org, m = world.orgs.jia, world.members
    for member, grade in ((m.zhang, "excellent"), (m.wang, "qualified"), (m.li, "qualified")):
        Appraisal.objects.create(organization=org, year=2025, member=member, grade=grade)
    HeartTalk.objects.create(organization=org, date=dt.date(2025, 6, 1), first=m.zhang, second=m.wang,
                             kind=TalkKind.COMMITTEE_MEMBER, notes="家中老人住院，工作压力大")
    CommitteeMember.objects.create(organization=org, member=m.zhang, post=CommitteePost.SECRETARY,
                                   start=dt.date(2024, 1, 1))
    CommitteeMember.objects.create(organization=org, member=m.wang, post=CommitteePost.MEMBER,
                                   start=dt.date(2024, 1, 1))
    return org


@pytest.fixture
def officer(world, django_user_model):
    """A service officer based in 双桂街道, assigned to 甲 only."""
    user = user_with_role(django_user_model, "zhuqi", Role.OFFICER, unmask=True, region=world.shuanggui)
    serve(user, world.units.jia, kind="service")
    return user


@pytest.fixture
def enterprise(world, django_user_model):
    return user_with_role(django_user_model, "qiye", Role.ENTERPRISE, unit=world.units.jia)


def names(items) -> list[str]:
    return sorted(i["name"] for i in items)


# --- officers and instructors: their assigned units, not the street -----------------------------------------

def test_officer_reads_its_units_organisations_and_a_roster_not_the_street(world, officer, login):
    assert list(Unit.objects.scoped(officer)) == [world.units.jia]  # not 乙, 丙 of the same street
    assert list(Organization.objects.scoped(officer)) == [world.orgs.jia]
    client = login(officer)
    body = client.get(f"{API}/members").json()
    assert names(body["items"]) == ["张伟", "李强", "王芳"] and body["count"] == 3  # not 赵敏 (the joint branch)
    for row in body["items"]:
        assert row["roster_only"] is True and row["organization"]["name"] == "甲印务有限公司党支部"
        assert all(row[field] is None for field in PERSONAL), row
    detail = client.get(f"{API}/members/{world.members.zhang.pk}").json()
    assert detail["residence"] is None and detail["household_registration"] is None and detail["birth_date"] is None
    assert client.get(f"{API}/members/{world.members.zhao.pk}").status_code == 404
    assert client.get(f"{API}/units/{world.units.yi.pk}").status_code == 404


def test_instructor_reads_its_assigned_units_not_its_park(world, login):
    instructor = world.users.instructor  # based in the park, assigned to 丁 in 礼让镇
    serve(instructor, world.units.ding)
    assert list(Unit.objects.scoped(instructor)) == [world.units.ding]  # not 庚, the park's unit
    body = login(instructor).get(f"{API}/members").json()
    assert names(body["items"]) == ["周杰", "孙磊"]
    assert all(row["roster_only"] and row["birth_date"] is None for row in body["items"])


def test_assignments_reach_only_while_they_run(world, officer, login):
    today = timezone.localdate()
    Assignment.objects.filter(officer__user=officer).update(start=today - dt.timedelta(days=30),
                                                            end=today - dt.timedelta(days=1))
    Assignment.objects.create(officer=Assignment.objects.get(officer__user=officer).officer, unit=world.units.ding,
                              start=today + dt.timedelta(days=1))
    assert login(officer).get(f"{API}/members").json()["count"] == 0
    fresh = type(officer).objects.get(pk=officer.pk)
    assert get_scope(fresh).empty


def test_roster_filters_and_search_never_reveal_personal_fields(world, officer, login):
    client = login(officer)
    zhang = world.members.zhang
    assert client.get(f"{API}/members", {"q": "张伟"}).json()["count"] == 1
    assert client.get(f"{API}/members", {"q": pii.decrypt(zhang.id_number_enc)}).json()["count"] == 0  # confirms nothing
    assert client.get(f"{API}/members", {"category": "probationary"}).json()["count"] == 0
    assert client.get(f"{API}/members", {"employer": world.units.jia.pk}).json()["count"] == 0
    assert client.get(f"{API}/members", {"status": "normal"}).json()["count"] == 3
    assert client.post(f"{API}/members/{zhang.pk}/unmask").status_code == 404  # even with the permission


def test_member_pages_show_a_roster_row_without_personal_fields(world, officer, login):
    client = login(officer)
    zhang = world.members.zhang
    Member.objects.filter(pk=zhang.pk).update(job="车间主任", residence="双桂街道人民路 8 号")
    listing = client.get(reverse("members:list")).content.decode()
    assert "张伟" in listing and zhang.id_number_masked not in listing
    page = client.get(reverse("members:detail", args=[zhang.pk])).content.decode()
    assert "车间主任" in page and "甲印务有限公司党支部" in page
    for secret in (zhang.id_number_masked, zhang.phone_masked, "人民路", "1990-05-17"):
        assert secret not in page
    assert client.post(reverse("members:unmask", args=[zhang.pk])).status_code == 404
    org_page = client.get(reverse("organizations:detail", args=[world.orgs.jia.pk])).content.decode()
    assert "王芳" in org_page and world.members.wang.id_number_masked not in org_page


def test_a_secretary_who_also_serves_units_reads_own_members_in_full_and_the_others_as_a_roster(
        world, django_user_model, login):
    from dangjian.accounts.models import RoleAssignment

    user = world.users.secretary  # of 甲's branch
    RoleAssignment.objects.create(user=user, role=Role.OFFICER, region=world.lirang)
    serve(user, world.units.ding, kind="service")
    rows = {r["name"]: r for r in login(user).get(f"{API}/members").json()["items"]}
    assert set(rows) == {"张伟", "王芳", "李强", "孙磊", "周杰"}
    assert rows["张伟"]["roster_only"] is False and rows["张伟"]["birth_date"] == "1990-05-17"
    assert rows["孙磊"]["roster_only"] is True and rows["孙磊"]["birth_date"] is None


# --- enterprise contacts: their unit and the organisation's public facts -------------------------------------

def test_enterprise_reads_no_member_and_of_the_organisation_only_public_facts(world, enterprise, reviewed, login):
    client = login(enterprise)
    assert client.get(f"{API}/members").json()["count"] == 0
    assert client.get(f"{API}/members/{world.members.zhang.pk}").status_code == 404  # employed at 甲
    assert client.get(f"{API}/organizations/{reviewed.pk}/members").json()["count"] == 0
    org = client.get(f"{API}/organizations/{reviewed.pk}").json()
    assert org["name"] == "甲印务有限公司党支部" and org["kind"] == "branch"
    assert [(c["member"]["name"], c["post"]) for c in org["committee"]] == [("张伟", "secretary")]
    page = client.get(reverse("organizations:detail", args=[reviewed.pk])).content.decode()
    assert "张伟" in page and "王芳" not in page and "李强" not in page  # the secretary's name only
    assert reverse("orglife:appraisal", args=[reviewed.pk]) not in page
    assert client.get(reverse("members:detail", args=[world.members.wang.pk])).status_code == 404


# --- appraisal grades and talk notes: the organisation's own committee and party staff above ------------------

REVIEW_PATHS = ("appraisals?year=2025", "talks?year=2025", "talks/coverage?year=2025")


@pytest.mark.parametrize("who", ["enterprise", "officer", "member", "instructor"])
def test_grades_and_talk_notes_are_404_to_everyone_else(world, reviewed, enterprise, officer, login, who):
    user = {"enterprise": enterprise, "officer": officer, "member": world.users.member,
            "instructor": world.users.instructor}[who]
    if who == "instructor":
        serve(user, world.units.jia)
    client = login(user)
    assert client.get(f"{API}/organizations/{reviewed.pk}").status_code == 200  # the organisation itself is read
    for path in REVIEW_PATHS:
        assert client.get(f"{API}/orglife/organizations/{reviewed.pk}/{path}").status_code == 404, path
    for name in ("orglife:appraisal", "orglife:talks"):
        assert client.get(reverse(name, args=[reviewed.pk])).status_code == 404, name
    if who != "member":  # which members are mobile members is personal too (a member reads their own branch's)
        assert client.get(f"{API}/orglife/organizations/{reviewed.pk}/hosted").status_code == 404
        assert client.get(reverse("orglife:hosted", args=[reviewed.pk])).status_code == 404


@pytest.mark.parametrize("who", ["secretary", "shuanggui", "district"])
def test_grades_and_talk_notes_are_read_by_the_own_secretary_and_staff_above(world, reviewed, login, who):
    client = login(getattr(world.users, who))
    grades = client.get(f"{API}/orglife/organizations/{reviewed.pk}/appraisals?year=2025").json()
    assert {g["member"]["name"]: g["grade"] for g in grades} == {"张伟": "excellent", "王芳": "qualified",
                                                                  "李强": "qualified"}
    talks = client.get(f"{API}/orglife/organizations/{reviewed.pk}/talks?year=2025").json()
    assert talks[0]["notes"] == "家中老人住院，工作压力大"
    assert client.get(reverse("orglife:appraisal", args=[reviewed.pk])).status_code == 200
    org_page = client.get(reverse("organizations:detail", args=[reviewed.pk])).content.decode()
    assert reverse("orglife:appraisal", args=[reviewed.pk]) in org_page


def test_officer_member_list_queries_do_not_grow(world, officer, login, django_assert_num_queries):
    from tests.fixtures import add_member

    client = login(officer)
    client.get(f"{API}/members")  # the role assignments are cached from here on (accounts.scope)
    # session, user, scope stamps, assigned units (the one query an officer adds), listed tables' stamps, ids, rows
    with django_assert_num_queries(7):
        assert client.get(f"{API}/members").json()["count"] == 3
    for n in range(10):
        add_member(world.orgs.jia, f"新党员{n}", world.units.jia)
    with django_assert_num_queries(7):
        assert client.get(f"{API}/members").json()["count"] == 13


# --- the README's role table is this definition ----------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
FIELDS_SAID = {"all": "all", "name, organisation, post": "roster", "none": "none"}  # README words: MemberFields
YES_NO = {"yes": True, "no": False}


def role_table() -> dict[Role, dict[str, str]]:
    """The rows of the table under "## Roles and demo logins", by role (found by its Chinese label)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Roles and demo logins", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    labels = {str(role.label): role for role in Role}
    rows = {}
    for line in lines[2:]:
        cells = dict(zip(header, (c.strip() for c in line.strip("|").split("|"))))
        label = re.match(r"\S+", cells["role"]).group(0)
        rows[labels[label]] = cells
    return rows


def test_the_readme_role_table_says_what_each_role_reads():
    from dangjian.accounts.reads import ROLE_READS, ROSTER_FIELDS

    with translation.override("zh-hans"):
        rows = role_table()
    assert set(rows) == set(Role), "every role has one row"
    for role, cells in rows.items():
        reads = ROLE_READS[role]
        assert cells["bound to"].split(" (")[0] == ROLE_ANCHOR[role], role
        assert FIELDS_SAID[cells["members' fields"].split(" (")[0]] == reads.members.value, role
        assert YES_NO[cells["grades & talk notes"].split(" (")[0]] is reads.reviews, role
        assert ("assigned units" in cells["bound to"]) is reads.serves_units, role
    assert ROSTER_FIELDS == ("id", "name", "organization", "job")  # what "name, organisation, post" means


def test_where_a_member_works_is_not_on_an_officers_unit_page(world, officer, login):
    page = login(officer).get(reverse("units:detail", args=[world.units.jia.pk]))
    assert page.status_code == 200 and list(page.context["members"]) == []
    staff = login(world.users.shuanggui).get(reverse("units:detail", args=[world.units.jia.pk]))
    assert sorted(m.name for m in staff.context["members"]) == ["张伟", "李强", "王芳"]


def test_an_officers_day_starts_at_the_workbench_of_its_units(officer, login):
    assert login(officer).get(reverse("home")).headers["Location"] == reverse("services:home")
