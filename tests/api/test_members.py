"""/api/v1/members: masked lists and details, create/patch through the actions, audited unmasking."""
import datetime as dt
import json

import pytest

from dangjian.core.models import AuditLog
from dangjian.core.validators import make_citizen_id
from dangjian.members.models import Member
from dangjian.organizations.models import Organization, OrgKind
from tests.api.conftest import names, text

URL = "/api/v1/members"
BIRTH = dt.date(1998, 3, 9)  # 500228 (梁平县) is a valid area code for this year


def new_member(org, **extra):
    return {"name": "刘洋", "gender": "M", "id_number": make_citizen_id("500228", BIRTH, 731), "phone": "13912345678",
            "birth_date": BIRTH.isoformat(), "organization": org.pk, "join_date": "2017-07-01",
            "confirm_date": "2018-07-01", **extra}


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def test_list_is_masked_and_never_carries_ciphertext_or_hashes(world, login):
    response = login(world.users.district).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    zhang = world.members.zhang
    row = next(m for m in body["items"] if m["id"] == zhang.pk)
    assert row["id_number_masked"] == zhang.id_number_masked and row["id_number_masked"].count("*") == 11
    assert row["phone_masked"] == zhang.phone_masked and "*" in row["phone_masked"]
    assert row["gender_label"] == "男" and row["category_label"] == "正式党员" and row["status_label"] == "正常"
    assert row["organization"] == {"id": world.orgs.jia.pk, "name": "甲印务有限公司党支部"}
    assert row["employer"] == {"id": world.units.jia.pk, "name": "甲印务有限公司"}
    body_text = text(response)
    assert not any(k.endswith(("_enc", "_hash")) for item in body["items"] for k in item)
    for member in Member.objects.all():
        for secret in (member.id_number, member.phone, member.id_number_enc, member.id_number_hash, member.phone_hash):
            assert secret not in body_text


def test_lists_are_scoped(world, login):
    assert names(login(world.users.shuanggui).get(URL)) == sorted(["张伟", "王芳", "李强", "赵敏"])
    assert names(login(world.users.lirang).get(URL)) == sorted(["孙磊", "周杰"])
    assert names(login(world.users.member).get(URL)) == ["张伟"]
    assert login(world.users.instructor).get(URL).json()["count"] == 0


def test_list_uses_the_shared_filters(world, login):
    client = login(world.users.district)
    assert names(client.get(URL, {"category": "probationary"})) == ["李强"]
    assert names(client.get(URL, {"organization": world.orgs.jia.pk})) == sorted(["张伟", "王芳", "李强"])
    assert names(client.get(URL, {"employer": world.units.wu.pk})) == ["周杰"]
    assert names(client.get(URL, {"q": world.members.wang.id_number})) == ["王芳"]
    assert names(client.get(URL, {"q": world.members.sun.phone})) == ["孙磊"]
    assert names(client.get(URL, {"q": "赵"})) == ["赵敏"]
    refused = login(world.users.shuanggui).get(URL, {"organization": world.orgs.ding.pk})
    assert refused.status_code == 422 and list(refused.json()["detail"]) == ["organization"]


def test_detail_and_scope(world, login):
    client = login(world.users.shuanggui)
    response = client.get(f"{URL}/{world.members.zhao.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "赵敏" and "household_registration" in response.json()
    assert client.get(f"{URL}/{world.members.sun.pk}").status_code == 404
    me = login(world.users.member)
    assert me.get(f"{URL}/{world.members.zhang.pk}").status_code == 200
    assert me.get(f"{URL}/{world.members.wang.pk}").status_code == 404


def test_create_member_stores_pii_encrypted_and_audits_without_it(world, login):
    payload = new_member(world.orgs.joint, employer=world.units.bing.pk, dues_standard="12.50")
    response = login(world.users.shuanggui).post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id_number_masked"] == payload["id_number"][:3] + "*" * 11 + payload["id_number"][-4:]
    assert body["phone_masked"] == "139****5678"
    assert body["employer"]["id"] == world.units.bing.pk and body["dues_standard"] == "12.50"
    assert payload["id_number"] not in text(response)
    member = Member.objects.get(pk=body["id"])
    assert member.id_number == payload["id_number"] and member.phone == "13912345678"
    log = AuditLog.objects.get(object_type="members.member", object_id=str(member.pk), action="create")
    assert payload["id_number"] not in json.dumps(log.changes) and "13912345678" not in json.dumps(log.changes)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"id_number": wrong_check_digit(make_citizen_id("500228", BIRTH, 731))}, "id_number"),
        ({"id_number": make_citizen_id("500228", dt.date(1998, 3, 10), 731)}, "birth_date"),  # ID says another day
        ({"id_number": make_citizen_id("500228", BIRTH, 732)}, "gender"),  # even sequence = female
        ({"join_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(), "confirm_date": None}, "join_date"),
        ({"birth_date": "2099-01-01"}, "birth_date"),
        ({"phone": "12345"}, "phone"),
    ],
)
def test_create_with_bad_input_names_the_field(world, login, change, field):
    payload = new_member(world.orgs.joint, **change)
    response = login(world.users.shuanggui).post(URL, payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert not Member.objects.filter(name="刘洋").exists()


def test_create_with_duplicate_id_number(world, login):
    client = login(world.users.shuanggui)
    assert client.post(URL, new_member(world.orgs.joint), content_type="application/json").status_code == 201
    again = client.post(URL, new_member(world.orgs.jia, name="刘洋洋"), content_type="application/json")
    assert again.status_code == 422
    assert again.json()["detail"] == {"id_number": ["该身份证号码已登记为党员（双桂街道商贸物流联合党支部）"]}
    assert Member.objects.filter(name__startswith="刘洋").count() == 1


@pytest.mark.parametrize("kind,label", [(OrgKind.PRIMARY_COMMITTEE, "基层党委"), (OrgKind.GENERAL_BRANCH, "党总支")])
def test_member_cannot_be_put_straight_into_a_committee_or_general_branch(world, login, kind, label):
    leading = Organization.objects.add_root(instance=Organization(name="双桂街道非公企业党组织", kind=kind, region=world.shuanggui))
    client = login(world.users.shuanggui)
    response = client.post(URL, new_member(leading), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == {"organization": [
        f"党员应编入党支部、联合党支部、临时党支部或党小组，不能直接编入{label}“双桂街道非公企业党组织”"]}
    assert not Member.objects.filter(name="刘洋").exists()
    moved = client.patch(f"{URL}/{world.members.zhao.pk}", {"organization": leading.pk}, content_type="application/json")
    assert moved.status_code == 422 and list(moved.json()["detail"]) == ["organization"]
    world.members.zhao.refresh_from_db()
    assert world.members.zhao.organization == world.orgs.joint


def test_create_referencing_objects_outside_the_scope_is_422(world, login):
    client = login(world.users.shuanggui)
    org = client.post(URL, new_member(world.orgs.ding), content_type="application/json")
    assert org.status_code == 422 and list(org.json()["detail"]) == ["organization"]
    employer = client.post(URL, new_member(world.orgs.joint, employer=world.units.wu.pk), content_type="application/json")
    assert employer.status_code == 422 and list(employer.json()["detail"]) == ["employer"]
    assert not Member.objects.filter(name="刘洋").exists()


def test_create_with_bad_types_is_422_naming_the_fields(world, login):
    response = login(world.users.shuanggui).post(
        URL, new_member(world.orgs.joint, birth_date="03/09/1988", gender="X"), content_type="application/json"
    )
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"birth_date", "gender"}


def test_patch_changes_and_protected_fields_are_audited_without_values(world, login):
    client = login(world.users.shuanggui)
    response = client.patch(f"{URL}/{world.members.zhao.pk}", {"job": "财务", "phone": "13700001111"},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["job"] == "财务" and response.json()["phone_masked"] == "137****1111"
    world.members.zhao.refresh_from_db()
    assert world.members.zhao.phone == "13700001111"
    logs = AuditLog.objects.filter(object_type="members.member", object_id=str(world.members.zhao.pk), action="update")
    assert any(log.changes == {"changed_protected_fields": ["phone"]} for log in logs)
    assert all("13700001111" not in json.dumps(log.changes) for log in logs)


def test_patch_rule_violation_is_422(world, login):
    response = login(world.users.shuanggui).patch(f"{URL}/{world.members.li.pk}", {"confirm_date": "2020-01-01"},
                                                  content_type="application/json")
    assert response.status_code == 422 and list(response.json()["detail"]) == ["confirm_date"]


def test_patch_out_of_scope_and_read_only_roles_get_404(world, login):
    assert login(world.users.shuanggui).patch(f"{URL}/{world.members.sun.pk}", {"job": "x"},
                                              content_type="application/json").status_code == 404
    assert login(world.users.member).patch(f"{URL}/{world.members.zhang.pk}", {"job": "x"},
                                           content_type="application/json").status_code == 404
    assert login(world.users.instructor).patch(f"{URL}/{world.members.zhang.pk}", {"job": "x"},
                                               content_type="application/json").status_code == 404
    assert not Member.objects.filter(job="x").exists()


def unmask_logs():
    return AuditLog.objects.filter(action=AuditLog.Action.UNMASK)


def test_unmask_with_permission_gives_plain_values_and_one_audit_row(world, login):
    zhang = world.members.zhang
    response = login(world.users.district).post(f"{URL}/{zhang.pk}/unmask")
    assert response.status_code == 200
    assert response.json() == {"id_number": zhang.id_number, "phone": zhang.phone}
    log = unmask_logs().get()
    assert log.actor == world.users.district and log.object_id == str(zhang.pk)


def test_unmask_without_permission_is_403_and_not_logged(world, login):
    response = login(world.users.shuanggui).post(f"{URL}/{world.members.zhang.pk}/unmask")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有查看完整身份证号和电话的权限"}
    assert not unmask_logs().exists()


def test_unmask_out_of_scope_is_404_even_with_permission(world, login):
    assert login(world.users.shuanggui).post(f"{URL}/{world.members.sun.pk}/unmask").status_code == 404
    assert login(world.users.secretary).post(f"{URL}/{world.members.sun.pk}/unmask").status_code == 404
    assert not unmask_logs().exists()


def test_patch_clears_a_nullable_reference_but_not_a_required_one(world, login):
    client = login(world.users.shuanggui)
    cleared = client.patch(f"{URL}/{world.members.zhao.pk}", {"employer": None}, content_type="application/json")
    assert cleared.status_code == 200 and cleared.json()["employer"] is None
    refused = client.patch(f"{URL}/{world.members.zhao.pk}", {"organization": None}, content_type="application/json")
    assert refused.status_code == 422 and list(refused.json()["detail"]) == ["organization"]
    world.members.zhao.refresh_from_db()
    assert world.members.zhao.employer is None and world.members.zhao.organization == world.orgs.joint


def test_list_pages_by_number_in_list_order(world, login, django_assert_num_queries):
    client = login(world.users.district)
    in_order = list(Member.objects.order_by("organization_id", "name", "id").values_list("pk", flat=True))
    first = client.get(URL, {"page": 1, "page_size": 4}).json()
    with django_assert_num_queries(5):  # session, user, stamps of the scope and of the list (both reused), the page
        second = client.get(URL, {"page": 2, "page_size": 4}).json()
    assert [m["id"] for m in first["items"] + second["items"]] == in_order
    assert (first["count"], first["pages"], second["page"], len(second["items"])) == (6, 2, 2, 2)
    past = client.get(URL, {"page": 3, "page_size": 4}).json()
    assert past["items"] == [] and past["count"] == 6 and past["pages"] == 2
