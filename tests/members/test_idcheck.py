"""Issue 12, finding 1: an ID number already registered elsewhere is refused without saying where (unless the
other record is in the user's scope); every such look-up is audited and rate-limited per user.
Entry points here: the API, the form page and its inline check (imports: tests/imports, hosting: tests/orglife)."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dangjian.core import pii
from dangjian.core.models import AuditLog
from dangjian.core.validators import make_citizen_id
from dangjian.members.models import Member

URL = "/api/v1/members"
NEUTRAL = "该身份证号码不能在此登记（已登记）"
LIMIT = "按身份证号码查询过于频繁：每10分钟最多%d次，请稍后再试"
MORNING = dt.datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_seq = iter(range(601, 999, 2))


@pytest.fixture(autouse=True)
def morning(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return time_machine


def payload(org, number=None, **extra):
    """A new member of ``org``; with ``number`` (another member's ID) birth date and gender follow that number."""
    number = number or make_citizen_id("500228", dt.date(1998, 3, 9), next(_seq))
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return {"name": "刘洋", "gender": "M" if int(number[16]) % 2 else "F", "id_number": number,
            "birth_date": birth.isoformat(), "organization": org.pk, "join_date": "2017-07-01",
            "confirm_date": "2018-07-01", **extra}


def lookups(user):
    return list(AuditLog.objects.filter(action="lookup", actor=user).order_by("id"))


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def test_api_refuses_a_number_registered_elsewhere_without_saying_where_and_audits_it(world, login):
    zhao = world.members.zhao  # 双桂街道商贸物流联合党支部: outside 甲's secretary's scope
    response = post(login(world.users.secretary), payload(world.orgs.jia, zhao.id_number))
    assert response.status_code == 422
    assert response.json()["detail"] == {"id_number": [NEUTRAL]}
    assert "联合党支部" not in response.content.decode() and "赵敏" not in response.content.decode()
    [entry] = lookups(world.users.secretary)
    assert entry.object_type == "members.member" and entry.object_id == str(zhao.pk)
    assert entry.changes == {"entry": "api", "id_number": zhao.id_number_masked, "result": "registered_out_of_scope"}
    assert zhao.id_number not in str(entry.changes) and entry.at == MORNING
    assert not Member.objects.filter(name="刘洋").exists()


@pytest.mark.parametrize("user, member, org_name", [
    ("district", "zhao", "双桂街道商贸物流联合党支部"),  # the district sees every member
    ("secretary", "wang", "甲印务有限公司党支部"),  # the same branch
])
def test_inside_the_read_scope_the_answer_names_where(world, login, user, member, org_name):
    actor, number = getattr(world.users, user), getattr(world.members, member).id_number
    response = post(login(actor), payload(world.orgs.jia, number))
    assert response.json()["detail"] == {"id_number": [f"该身份证号码已登记为党员（{org_name}）"]}
    [entry] = lookups(actor)
    assert entry.changes["result"] == "registered_in_scope" and entry.changes["entry"] == "api"


def test_a_changed_number_on_patch_is_checked_the_same_way(world, login):
    response = login(world.users.secretary).patch(f"{URL}/{world.members.zhang.pk}",
                                                  {"id_number": world.members.sun.id_number, "birth_date": "1990-05-17"},
                                                  content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"] == {"id_number": [NEUTRAL]}
    assert lookups(world.users.secretary)[0].changes["result"] == "registered_out_of_scope"


def test_the_inline_check_and_the_form_answer_the_same_and_are_audited(client, world):
    client.force_login(world.users.secretary)
    data = payload(world.orgs.jia, world.members.sun.id_number)  # 丁's branch: out of scope
    checked = client.post(reverse("members:validate"), data, headers={"HX-Request": "true", "HX-Trigger-Name": "id_number"})
    assert NEUTRAL in checked.content.decode() and "丁机械" not in checked.content.decode()
    submitted = client.post(reverse("members:create"), {**data, "category": "formal", "status": "normal", "ethnicity": "汉族"})
    assert NEUTRAL in submitted.content.decode() and "丁机械" not in submitted.content.decode()
    assert [e.changes["entry"] for e in lookups(world.users.secretary)] == ["validate", "form"]
    assert not Member.objects.filter(name="刘洋").exists()


def test_out_of_scope_hits_are_rate_limited_then_every_look_up_is_refused_until_the_window_passes(
        world, login, lookup_limit, morning):
    lookup_limit(2)
    client = login(world.users.secretary)
    for member in ("zhao", "sun", "zhao"):  # asking again about the same number costs nothing more
        assert post(client, payload(world.orgs.jia, getattr(world.members, member).id_number)).status_code == 422
    fresh = payload(world.orgs.jia)
    refused = post(client, fresh)  # a free number is refused too: the refusal must not tell hit from miss
    assert refused.status_code == 429
    assert refused.json()["detail"] == {"id_number": [LIMIT % 2]}
    assert lookups(world.users.secretary)[-1].changes == {
        "entry": "api", "id_number": pii.mask_citizen_id(fresh["id_number"]), "result": "limit_reached"}
    assert not Member.objects.filter(name="刘洋").exists()
    # other users keep their own allowance
    assert post(login(world.users.shuanggui), payload(world.orgs.joint)).status_code == 201
    morning.move_to(MORNING + dt.timedelta(minutes=10, seconds=1), tick=False)
    assert post(client, fresh).status_code == 201


def test_hits_inside_the_scope_do_not_use_up_the_allowance(world, login, lookup_limit):
    lookup_limit(1)
    client = login(world.users.district)
    for member in ("zhao", "sun", "wang"):
        assert post(client, payload(world.orgs.jia, getattr(world.members, member).id_number)).status_code == 422
    assert post(client, payload(world.orgs.jia)).status_code == 201


def test_beyond_the_limit_the_form_says_so_next_to_the_id_number(client, world, lookup_limit):
    lookup_limit(1)
    client.force_login(world.users.secretary)
    base = {"category": "formal", "status": "normal", "ethnicity": "汉族"}
    client.post(reverse("members:create"), {**payload(world.orgs.jia, world.members.zhou.id_number), **base})
    response = client.post(reverse("members:create"), {**payload(world.orgs.jia), **base})
    assert response.status_code == 200 and LIMIT % 1 in response.content.decode()
    assert not Member.objects.filter(name="刘洋").exists()
