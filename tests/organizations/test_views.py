"""Organisation pages: list, lazy tree browser, detail (units, committee, terms), forms, covered units."""
import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.models import AuditLog
from dangjian.organizations.models import CommitteeMember, Formation, Organization, OrgKind, OrgUnit
from dangjian.organizations.terms import add_months
from dangjian.units.models import Unit
from tests.fixtures import add_member, credit_code, serve
from tests.registry_pages import field_error, html, text_of

LIST = reverse("organizations:list")
TREE = reverse("organizations:tree")
CREATE = reverse("organizations:create")


@pytest.fixture
def committee(world):
    """高新区综合党委 with two branches, each with a party group; one member per branch."""
    top = Organization.objects.add_root(instance=Organization(
        name="高新区非公企业综合党委", kind=OrgKind.PRIMARY_COMMITTEE, region=world.park))
    branches = []
    for n in (1, 2):
        top = Organization.objects.get(pk=top.pk)
        branch = Organization.objects.add_child(top, instance=Organization(
            name=f"高新区第{n}联合党支部", kind=OrgKind.JOINT_BRANCH, formation=Formation.JOINT, region=world.park))
        Organization.objects.add_child(branch, instance=Organization(name=f"第{n}党小组", kind=OrgKind.PARTY_GROUP, region=world.park))
        add_member(branch, f"园区党员{n}")
        branches.append(branch)
    return Organization.objects.get(pk=top.pk), branches


def names(rows) -> list[str]:
    return sorted(o.name for o in rows)


# --- list -------------------------------------------------------------------------------------

def test_list_scope_and_filters(client, world):
    client.force_login(world.users.district)
    response = client.get(LIST)
    assert response.context["list"].count == 3
    assert names(client.get(LIST, {"kind": "joint_branch"}).context["list"].rows) == ["双桂街道商贸物流联合党支部"]
    assert names(client.get(LIST, {"q": "丁机械"}).context["list"].rows) == ["丁机械有限公司党支部"]
    client.force_login(world.users.secretary)
    assert names(client.get(LIST).context["list"].rows) == ["甲印务有限公司党支部"]


def test_list_shows_subtree_member_counts_and_unit_counts(client, world, committee):
    client.force_login(world.users.district)
    rows = {o.name: o for o in client.get(LIST).context["list"].rows}
    assert rows["高新区非公企业综合党委"].member_count == 2
    assert rows["甲印务有限公司党支部"].member_count == 3
    assert rows["双桂街道商贸物流联合党支部"].unit_count == 2


@pytest.mark.parametrize("extra", [0, 30])
def test_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries, extra):
    for n in range(extra):
        org = Organization.objects.add_root(instance=Organization(name=f"支部{n:02d}", kind=OrgKind.BRANCH, region=world.lirang))
        add_member(org, f"成员{n:02d}")
    client.force_login(world.users.district)
    # session, user, read scope, count, rows, subtree member counts, write scope + exists(), region choices
    with django_assert_num_queries(10):
        response = client.get(LIST, {"sort": "units"})
    assert len(response.context["list"].rows) == 3 + extra


# --- tree -------------------------------------------------------------------------------------

def test_tree_roots_are_the_tops_of_the_users_scope(client, world, committee):
    top, branches = committee
    client.force_login(world.users.district)
    nodes = client.get(TREE).context["nodes"]
    assert names(nodes) == names([world.orgs.jia, world.orgs.joint, world.orgs.ding, top])
    assert {o.name: o.member_count for o in nodes}["高新区非公企业综合党委"] == 2
    client.force_login(world.users.secretary)
    assert names(client.get(TREE).context["nodes"]) == ["甲印务有限公司党支部"]


def test_tree_children_load_one_level_at_a_time(client, world, committee):
    top, branches = committee
    client.force_login(world.users.district)
    page = html(client.get(TREE))
    url = reverse("organizations:tree_children", args=[top.pk])
    assert url in page and 'hx-trigger="toggle once"' in page
    children = client.get(url)
    assert names(children.context["nodes"]) == ["高新区第1联合党支部", "高新区第2联合党支部"]
    assert all(o.member_count == 1 for o in children.context["nodes"])
    assert "第1党小组" not in html(children)  # grandchildren wait for their own request
    assert "<html" not in html(children)


def test_tree_children_out_of_scope_are_404(client, world, committee):
    top, _ = committee
    client.force_login(world.users.shuanggui)
    assert client.get(reverse("organizations:tree_children", args=[top.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 25])
def test_tree_children_queries_do_not_grow(client, world, committee, django_assert_num_queries, extra):
    top, _ = committee
    for n in range(extra):
        Organization.objects.add_child(Organization.objects.get(pk=top.pk), instance=Organization(
            name=f"新支部{n:02d}", kind=OrgKind.BRANCH, region=world.park))
    client.force_login(world.users.district)
    # session, user, scope (its tables' stamps and the role assignments), the node, its children, one grouped
    # member count
    with django_assert_num_queries(7):
        response = client.get(reverse("organizations:tree_children", args=[top.pk]))
    assert len(response.context["nodes"]) == 2 + extra


def test_tree_search_shows_where_each_hit_sits(client, world, committee):
    client.force_login(world.users.district)
    response = client.get(TREE, {"q": "党小组"}, headers={"HX-Request": "true"})
    assert "<html" not in html(response)
    results = response.context["results"]
    assert names(results) == ["第1党小组", "第2党小组"]
    assert results[0].trail == ["高新区非公企业综合党委", "高新区第1联合党支部"]


# --- detail -----------------------------------------------------------------------------------

def test_joint_branch_detail_lists_each_unit(client, world):
    client.force_login(world.users.shuanggui)
    response = client.get(reverse("organizations:detail", args=[world.orgs.joint.pk]))
    page = html(response)
    assert "乙商贸有限公司" in page and "丙物流有限公司" in page
    assert response.context["units_warning"] == ""
    assert world.members.zhao.id_number_masked in page and world.members.zhao.id_number not in page


def test_joint_branch_over_five_units_is_flagged(client, world):
    extra = [Unit.objects.create(name=f"小微{n}", credit_code=credit_code(800 + n), industry_section="F", region=world.shuanggui)
             for n in range(4)]
    OrgUnit.objects.bulk_create(OrgUnit(organization=world.orgs.joint, unit=u) for u in extra)
    client.force_login(world.users.shuanggui)
    page = html(client.get(reverse("organizations:detail", args=[world.orgs.joint.pk])))
    assert "联合党支部覆盖6家单位，超过一般不超过5家的要求" in page


def test_committee_terms_and_reelection_flag(client, world):
    org = world.orgs.jia
    today = dt.date.today()
    org.term_start, org.term_end = add_months(today, -33), add_months(today, 3)
    org.save()
    CommitteeMember.objects.create(organization=org, member=world.members.zhang, post="secretary", start=org.term_start)
    client.force_login(world.users.secretary)
    response = client.get(reverse("organizations:detail", args=[org.pk]))
    page = html(response)
    assert response.context["reelection_due"] is True and "应换届" in page
    assert "书记" in page and "张伟" in page
    org.term_end = add_months(today, 12)
    org.save()
    assert client.get(reverse("organizations:detail", args=[org.pk])).context["reelection_due"] is False


def test_detail_shows_parent_and_children(client, world, committee):
    top, branches = committee
    client.force_login(world.users.district)
    response = client.get(reverse("organizations:detail", args=[branches[0].pk]))
    assert response.context["parent"].pk == top.pk
    assert names(response.context["children"]) == ["第1党小组"]


@pytest.mark.parametrize("user,org,status", [
    ("shuanggui", "ding", 404), ("shuanggui", "joint", 200), ("lirang", "jia", 404),
    ("secretary", "jia", 200), ("secretary", "joint", 404), ("member", "jia", 200), ("member", "ding", 404),
    ("instructor", "jia", 404),
])
def test_detail_scope(client, world, user, org, status):
    client.force_login(getattr(world.users, user))
    assert client.get(reverse("organizations:detail", args=[getattr(world.orgs, org).pk])).status_code == status


@pytest.mark.parametrize("user,org", [("shuanggui", "ding"), ("secretary", "joint"), ("member", "jia"), ("instructor", "jia")])
def test_edit_and_units_out_of_write_scope_are_404(client, world, user, org):
    client.force_login(getattr(world.users, user))
    target = getattr(world.orgs, org)
    for name in ("organizations:edit", "organizations:units"):
        assert client.get(reverse(name, args=[target.pk])).status_code == 404


def test_instructor_reads_but_cannot_edit(client, world, committee):
    top, _ = committee
    OrgUnit.objects.create(organization=top, unit=world.units.geng)
    serve(world.users.instructor, world.units.geng)  # reads 庚's organisation
    client.force_login(world.users.instructor)
    assert client.get(reverse("organizations:detail", args=[top.pk])).status_code == 200
    assert client.get(reverse("organizations:edit", args=[top.pk])).status_code == 404
    assert client.post(reverse("organizations:edit", args=[top.pk]), {"name": "改名"}).status_code == 404
    assert client.get(CREATE).status_code == 404


# --- forms ------------------------------------------------------------------------------------

def org_form(world, **overrides):
    data = {"name": "礼让镇机关联合党支部", "kind": "joint_branch", "formation": "joint", "region": world.lirang.pk,
            "founded": "2024-03-01", "status": "active", "contact_phone": "023-53221234", "term_start": "2024-03-01"}
    data.update(overrides)
    return data


def test_town_admin_creates_a_joint_branch_with_computed_term(client, world):
    client.force_login(world.users.lirang)
    response = client.post(CREATE, org_form(world))
    org = Organization.objects.get(name="礼让镇机关联合党支部")
    assert response.status_code == 302 and response["Location"] == reverse("organizations:detail", args=[org.pk])
    assert org.term_end == dt.date(2027, 3, 1) and org.depth == 1
    assert AuditLog.objects.filter(action="create", object_type="organizations.organization", object_id=str(org.pk)).exists()


def test_rule_errors_are_shown_next_to_their_fields(client, world):
    client.force_login(world.users.lirang)
    before = Organization.objects.count()
    response = client.post(CREATE, org_form(world, formation="own"))
    assert field_error(response, "formation") == "联合党支部的组建方式应为“联合组建”"
    response = client.post(CREATE, org_form(world, kind="party_group", formation="own"))
    assert field_error(response, "kind") == "党小组必须设在党支部之下"
    response = client.post(CREATE, org_form(world, term_start="2024-03-01", term_end="2024-01-01"))
    assert field_error(response, "term_end") == "任期届满日期应晚于开始日期"
    assert Organization.objects.count() == before


def test_secretary_adds_a_party_group_under_its_branch_only(client, world):
    client.force_login(world.users.secretary)
    form = client.get(CREATE, {"parent": world.orgs.jia.pk})
    assert form.status_code == 200
    assert "丁机械有限公司党支部" not in text_of(form, "id_parent")
    # a secretary cannot found a top-level organisation
    response = client.post(CREATE, org_form(world, name="第一党小组", kind="party_group", formation="own", region=world.community.pk))
    assert field_error(response, "parent")
    data = org_form(world, name="第一党小组", kind="party_group", formation="own", region=world.community.pk, parent=world.orgs.jia.pk)
    assert client.post(CREATE, data).status_code == 302
    group = Organization.objects.get(name="第一党小组")
    assert group.path.startswith(world.orgs.jia.path) and group.depth == 2


def test_edit_updates_through_the_action(client, world):
    client.force_login(world.users.secretary)
    org = world.orgs.jia
    data = {"name": org.name, "kind": "branch", "formation": "own", "region": world.community.pk, "founded": "2018-03-01",
            "status": "active", "contact_phone": "023-53220000", "term_start": "", "term_end": ""}
    response = client.post(reverse("organizations:edit", args=[org.pk]), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.contact_phone == "023-53220000"
    assert AuditLog.objects.filter(action="update", object_id=str(org.pk), changes__has_key="contact_phone").exists()


def test_inline_check_of_the_organisation_form(client, world):
    client.force_login(world.users.lirang)
    response = client.post(reverse("organizations:validate"), {"kind": "joint_branch", "formation": "own"},
                           headers={"HX-Request": "true", "HX-Trigger-Name": "formation"})
    assert field_error(response, "formation") == "联合党支部的组建方式应为“联合组建”"
    assert not Organization.objects.filter(region=world.lirang).exclude(pk=world.orgs.ding.pk).exists()


# --- covered units ------------------------------------------------------------------------------

def test_own_branch_cannot_cover_two_units_and_nothing_changes(client, world):
    client.force_login(world.users.shuanggui)
    url = reverse("organizations:units", args=[world.orgs.jia.pk])
    response = client.post(url, {"units": [world.units.jia.pk, world.units.yi.pk]})
    assert response.status_code == 200
    assert field_error(response, "units") == "单独组建的党支部只能覆盖一家单位，多家单位请建立联合党支部"
    assert list(OrgUnit.objects.filter(organization=world.orgs.jia).values_list("unit", flat=True)) == [world.units.jia.pk]
    # the user's choice is kept on the page for correction
    assert "乙商贸有限公司" in text_of(response, "dj-selected-units")


def test_joint_branch_gains_units_with_the_over_five_warning(client, world):
    extra = [Unit.objects.create(name=f"小微{n}", credit_code=credit_code(850 + n), industry_section="F", region=world.shuanggui)
             for n in range(4)]
    client.force_login(world.users.shuanggui)
    url = reverse("organizations:units", args=[world.orgs.joint.pk])
    page = html(client.get(url))
    assert "小微0" in page  # uncovered units of the region are offered
    response = client.post(url, {"units": [world.units.yi.pk, world.units.bing.pk, *[u.pk for u in extra]]}, follow=True)
    assert OrgUnit.objects.filter(organization=world.orgs.joint).count() == 6
    assert "超过一般不超过5家的要求" in html(response)
    assert AuditLog.objects.filter(action="update", object_id=str(world.orgs.joint.pk), changes__has_key="units").exists()


def test_units_outside_write_scope_cannot_be_added(client, world):
    client.force_login(world.users.shuanggui)
    url = reverse("organizations:units", args=[world.orgs.joint.pk])
    response = client.post(url, {"units": [world.units.yi.pk, world.units.wu.pk]})
    assert field_error(response, "units")
    assert OrgUnit.objects.filter(organization=world.orgs.joint).count() == 2


def test_unit_candidates_search(client, world):
    client.force_login(world.users.shuanggui)
    url = reverse("organizations:unit_candidates", args=[world.orgs.joint.pk])
    page = html(client.get(url, {"q": "甲印务"}))
    assert "甲印务有限公司" in page and 'data-dj-candidate' in page
    assert "丁机械" not in html(client.get(url, {"q": "丁机械"}))
