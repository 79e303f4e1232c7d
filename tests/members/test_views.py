"""Member pages: scoped list, the record with masked ID and phone, unmasking (permission + audit),
and the form whose ID-number rules come from members.actions."""
import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core import pii
from dangjian.core.models import AuditLog
from dangjian.members.models import Member
from dangjian.organizations.models import Organization, OrgKind
from dangjian.units.models import Unit
from tests.fixtures import add_member, citizen_id, credit_code
from tests.registry_pages import field_error, html, text_of

LIST = reverse("members:list")
CREATE = reverse("members:create")
BIRTH = dt.date(1988, 3, 9)


def member_form(world, **overrides):
    data = {
        "name": "刘洋", "gender": "M", "id_number": citizen_id(BIRTH, male=True), "birth_date": BIRTH.isoformat(),
        "ethnicity": "汉族", "education": "bachelor", "organization": world.orgs.jia.pk, "category": "formal",
        "join_date": "2012-07-01", "confirm_date": "2013-07-01", "status": "normal", "employer": world.units.jia.pk,
        "job": "工程师", "phone": "13912345678", "household_registration": "重庆市梁平区", "residence": "双桂街道",
        "dues_standard": "12.50", "dues_paid_until": "2026-03",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def counts():
    return Member.objects.count(), AuditLog.objects.count()


# --- list -------------------------------------------------------------------------------------

@pytest.mark.parametrize("user,expected", [
    ("secretary", ["张伟", "李强", "王芳"]),
    ("shuanggui", ["张伟", "李强", "王芳", "赵敏"]),
    ("lirang", ["周杰", "孙磊"]),
    ("member", ["张伟"]),
    ("instructor", []),
])
def test_list_shows_only_the_users_members(client, world, user, expected):
    client.force_login(getattr(world.users, user))
    response = client.get(LIST, {"sort": "name"})
    assert response.status_code == 200
    assert sorted(m.name for m in response.context["list"].rows) == sorted(expected)


def test_list_masks_ids_and_searches_by_full_id(client, world):
    zhang = world.members.zhang
    client.force_login(world.users.district)
    page = html(client.get(LIST))
    assert zhang.id_number_masked in page and zhang.id_number not in page
    found = client.get(LIST, {"q": zhang.id_number}).context["list"].rows
    assert [m.name for m in found] == ["张伟"]
    # part of an ID number finds nothing (the number is stored encrypted and matched whole)
    assert list(client.get(LIST, {"q": zhang.id_number[:10]}).context["list"].rows) == []


def test_filters_by_organisation_subtree_and_category(client, world):
    client.force_login(world.users.district)
    rows = client.get(LIST, {"organization": world.orgs.jia.pk, "category": "probationary"}).context["list"].rows
    assert [m.name for m in rows] == ["李强"]
    # the organisation choices are the user's own
    client.force_login(world.users.secretary)
    options = text_of(client.get(LIST), "id_organization")
    assert "甲印务有限公司党支部" in options and "丁机械有限公司党支部" not in options


@pytest.mark.parametrize("extra", [0, 70])
def test_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries, extra):
    for n in range(extra):
        add_member(world.orgs.jia, f"党员{n:03d}", world.units.jia)
    client.force_login(world.users.secretary)
    # session, user, read scope, count, rows, write scope + exists() ("new" button), organisation choices
    with django_assert_num_queries(9):
        response = client.get(LIST)
    assert len(response.context["list"].rows) == min(50, 3 + extra)


# --- detail and unmasking -----------------------------------------------------------------------

@pytest.mark.parametrize("user,member,status", [
    ("member", "zhang", 200),      # their own record
    ("member", "wang", 404),
    ("secretary", "li", 200),
    ("secretary", "sun", 404),
    ("shuanggui", "zhao", 200),
    ("lirang", "zhang", 404),      # another town's member
    ("instructor", "zhang", 404),
])
def test_detail_scope(client, world, user, member, status):
    client.force_login(getattr(world.users, user))
    assert client.get(reverse("members:detail", args=[getattr(world.members, member).pk])).status_code == status


def test_detail_shows_the_record_masked(client, world):
    zhang = world.members.zhang
    client.force_login(world.users.shuanggui)  # no unmask permission
    response = client.get(reverse("members:detail", args=[zhang.pk]))
    page = html(response)
    for text in ("张伟", "汉族", "1990-05-17", "甲印务有限公司党支部", "2015-07-01", "正式党员", zhang.id_number_masked, zhang.phone_masked):
        assert text in page
    assert zhang.id_number not in page and zhang.phone not in page
    assert "查看完整信息" not in page


def test_unmask_shows_plain_values_and_is_audited(client, world):
    zhang = world.members.zhang
    client.force_login(world.users.secretary)
    detail = html(client.get(reverse("members:detail", args=[zhang.pk])))
    assert "查看完整信息" in detail
    response = client.post(reverse("members:unmask", args=[zhang.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert text_of(response, "dj-pii") is not None and "<html" not in html(response)
    assert zhang.id_number in html(response) and zhang.phone in html(response)
    assert response["Cache-Control"] == "no-store"
    log = AuditLog.objects.get(action="unmask")
    assert (log.actor, log.object_type, log.object_id) == (world.users.secretary, "members.member", str(zhang.pk))
    assert zhang.id_number not in str(log.changes)


def test_unmask_without_permission_is_refused_and_not_logged(client, world):
    client.force_login(world.users.shuanggui)
    response = client.post(reverse("members:unmask", args=[world.members.zhang.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert world.members.zhang.id_number not in html(response)
    assert not AuditLog.objects.filter(action="unmask").exists()


def test_unmask_out_of_scope_is_404_even_with_permission(client, world):
    client.force_login(world.users.secretary)
    response = client.post(reverse("members:unmask", args=[world.members.sun.pk]))
    assert response.status_code == 404
    assert not AuditLog.objects.filter(action="unmask").exists()


def test_unmask_only_by_post(client, world):
    client.force_login(world.users.secretary)
    assert client.get(reverse("members:unmask", args=[world.members.zhang.pk])).status_code == 405


# --- create ---------------------------------------------------------------------------------------

def test_secretary_adds_a_member(client, world):
    client.force_login(world.users.secretary)
    form = client.get(CREATE)
    assert form.status_code == 200
    data = member_form(world)
    response = client.post(CREATE, data)
    member = Member.objects.get(name="刘洋")
    assert response.status_code == 302 and response["Location"] == reverse("members:detail", args=[member.pk])
    assert member.id_number == data["id_number"] and member.phone == "13912345678"
    assert member.dues_paid_until == dt.date(2026, 3, 1)
    page = html(client.get(response["Location"]))
    assert member.id_number_masked in page and data["id_number"] not in page
    log = AuditLog.objects.get(action="create", object_type="members.member")
    assert data["id_number"] not in str(log.changes) and "13912345678" not in str(log.changes)


def test_wrong_check_digit_is_shown_next_to_the_id_and_nothing_is_written(client, world):
    client.force_login(world.users.secretary)
    before = counts()
    bad = wrong_check_digit(citizen_id(BIRTH, male=True))
    response = client.post(CREATE, member_form(world, id_number=bad))
    assert response.status_code == 200
    assert field_error(response, "id_number") == "身份证号码校验位错误"
    assert field_error(response, "birth_date") == ""
    assert counts() == before


def test_birth_date_must_match_the_id(client, world):
    client.force_login(world.users.secretary)
    before = counts()
    response = client.post(CREATE, member_form(world, birth_date="1988-03-10"))
    assert field_error(response, "birth_date") == "出生日期与身份证号码不一致（号码中为1988-03-09）"
    assert counts() == before


def test_gender_must_match_the_id(client, world):
    client.force_login(world.users.secretary)
    response = client.post(CREATE, member_form(world, gender="F"))
    assert field_error(response, "gender") == "性别与身份证号码不一致"
    assert not Member.objects.filter(name="刘洋").exists()


def test_an_id_already_registered_is_refused(client, world):
    client.force_login(world.users.secretary)
    response = client.post(CREATE, member_form(world, id_number=world.members.sun.id_number, birth_date="1990-05-17"))
    # 孙磊 is in 丁's branch, outside the secretary's scope: refused without saying where.
    assert field_error(response, "id_number") == "该身份证号码不能在此登记（已登记）"
    assert "丁机械" not in response.content.decode()
    assert not Member.objects.filter(name="刘洋").exists()


def test_several_errors_at_once_each_next_to_its_field(client, world):
    client.force_login(world.users.secretary)
    response = client.post(CREATE, member_form(world, phone="12345", join_date="2000-01-01", name=""))
    assert field_error(response, "phone").startswith("电话号码格式错误")
    assert field_error(response, "join_date") == "入党时应年满18周岁"
    assert field_error(response, "name")  # required
    assert not Member.objects.filter(id_number_hash=pii.blind_index(member_form(world)["id_number"])).exists()


def test_organisation_outside_write_scope_is_not_a_choice(client, world):
    client.force_login(world.users.secretary)
    response = client.post(CREATE, member_form(world, organization=world.orgs.ding.pk))
    assert field_error(response, "organization")
    assert not Member.objects.filter(name="刘洋").exists()


@pytest.mark.parametrize("kind,label", [(OrgKind.PRIMARY_COMMITTEE, "基层党委"), (OrgKind.GENERAL_BRANCH, "党总支")])
def test_a_member_is_not_registered_directly_in_a_committee_or_general_branch(client, world, kind, label):
    leading = Organization.objects.add_root(instance=Organization(name="双桂街道非公企业党组织", kind=kind,
                                                                  region=world.shuanggui))
    client.force_login(world.users.shuanggui)
    options = text_of(client.get(CREATE), "id_organization")
    assert "双桂街道商贸物流联合党支部" in options and "双桂街道非公企业党组织" not in options  # not offered
    before = counts()
    response = client.post(CREATE, member_form(world, organization=leading.pk, employer=world.units.yi.pk))
    assert response.status_code == 200
    assert field_error(response, "organization") == (
        f"党员应编入党支部、联合党支部、临时党支部或党小组，不能直接编入{label}“双桂街道非公企业党组织”")
    assert counts() == before
    # Nor moved there on edit.
    zhao = world.members.zhao
    data = member_form(world, name=zhao.name, id_number="", phone="", gender="F", birth_date=zhao.birth_date.isoformat(),
                       organization=leading.pk, employer=world.units.yi.pk)
    response = client.post(reverse("members:edit", args=[zhao.pk]), data)
    assert field_error(response, "organization").startswith("党员应编入党支部")
    zhao.refresh_from_db()
    assert zhao.organization == world.orgs.joint


def test_a_party_group_takes_members(client, world):
    group = Organization.objects.add_child(world.orgs.jia, instance=Organization(
        name="甲印务有限公司党支部第一党小组", kind=OrgKind.PARTY_GROUP, region=world.community))
    client.force_login(world.users.secretary)
    assert "第一党小组" in text_of(client.get(CREATE), "id_organization")
    response = client.post(CREATE, member_form(world, organization=group.pk))
    assert response.status_code == 302
    assert Member.objects.get(name="刘洋").organization == group


@pytest.mark.parametrize("user", ["instructor", "member"])
def test_readers_cannot_add_members(client, world, user):
    client.force_login(getattr(world.users, user))
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, member_form(world)).status_code == 404
    assert not Member.objects.filter(name="刘洋").exists()


def test_inline_check_of_the_id_number_writes_nothing(client, world):
    client.force_login(world.users.secretary)
    before = counts()
    response = client.post(
        reverse("members:validate"),
        {"name": "刘洋", "id_number": wrong_check_digit(citizen_id(BIRTH)), "organization": world.orgs.jia.pk},
        headers={"HX-Request": "true", "HX-Trigger-Name": "id_number"},
    )
    assert field_error(response, "id_number") == "身份证号码校验位错误"
    assert field_error(response, "join_date") is None  # untouched fields are left alone
    assert counts() == before
    # once the number is right the error is cleared
    fixed = client.post(reverse("members:validate"), {"id_number": citizen_id(BIRTH)},
                        headers={"HX-Request": "true", "HX-Trigger-Name": "id_number"})
    assert field_error(fixed, "id_number") == ""


# --- edit -----------------------------------------------------------------------------------------

def test_edit_never_prefills_the_plain_id_or_phone(client, world):
    zhang = world.members.zhang
    client.force_login(world.users.secretary)
    page = html(client.get(reverse("members:edit", args=[zhang.pk])))
    assert zhang.id_number not in page and zhang.phone not in page
    assert zhang.id_number_masked in page  # as a hint: "已登记：…，留空表示不修改"


def test_edit_with_blank_id_keeps_it_and_a_new_id_is_logged_without_its_value(client, world):
    zhang = world.members.zhang
    client.force_login(world.users.secretary)
    data = member_form(world, name="张伟", id_number="", phone="", birth_date="1990-05-17", job="车间主任")
    response = client.post(reverse("members:edit", args=[zhang.pk]), data)
    assert response.status_code == 302
    old_hash = zhang.id_number_hash
    zhang.refresh_from_db()
    assert zhang.job == "车间主任" and zhang.id_number_hash == old_hash and zhang.phone_masked
    assert not AuditLog.objects.filter(changes__has_key="changed_protected_fields").exists()

    new_number = citizen_id(dt.date(1990, 5, 17), male=True)
    client.post(reverse("members:edit", args=[zhang.pk]), {**data, "id_number": new_number})
    zhang.refresh_from_db()
    assert zhang.id_number == new_number
    log = AuditLog.objects.get(changes__has_key="changed_protected_fields")
    assert log.changes == {"changed_protected_fields": ["id_number"]}


@pytest.mark.parametrize("user,member", [
    ("instructor", "zhang"), ("member", "zhang"), ("lirang", "zhang"), ("secretary", "sun"),
])
def test_edit_out_of_write_scope_is_404(client, world, user, member):
    target = getattr(world.members, member)
    client.force_login(getattr(world.users, user))
    assert client.get(reverse("members:edit", args=[target.pk])).status_code == 404
    response = client.post(reverse("members:edit", args=[target.pk]), member_form(world, name="改名"))
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.name != "改名"


def test_long_employer_lists_are_searched_instead_of_listed(client, world):
    Unit.objects.bulk_create(
        Unit(name=f"礼让{n:02d}号商行", credit_code=credit_code(600 + n), industry_section="F", region=world.lirang)
        for n in range(55)
    )
    sun = world.members.sun
    client.force_login(world.users.lirang)
    form = client.get(reverse("members:edit", args=[sun.pk]))
    employer = text_of(form, "id_employer")
    # only the current employer is rendered; the rest come from the search box
    assert "丁机械有限公司" in employer and "礼让07号商行" not in employer
    assert reverse("units:options") in html(form)
    options = html(client.get(reverse("units:options"), {"q": "07号"}))
    assert "礼让07号商行" in options and "甲印务" not in options
    # any writable unit is still accepted on submit
    target = Unit.objects.get(name="礼让07号商行")
    data = member_form(world, name=sun.name, id_number="", phone="", birth_date="1990-05-17",
                       organization=world.orgs.ding.pk, employer=target.pk)
    assert client.post(reverse("members:edit", args=[sun.pk]), data).status_code == 302
    sun.refresh_from_db()
    assert sun.employer == target
