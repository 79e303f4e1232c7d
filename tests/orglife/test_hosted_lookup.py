"""Issue 12, finding 1, the hosted-member look-up: one neutral answer for "no such member", "member, not mobile",
"not a normal member" and "our own member"; a mobile member is revealed only when hosting is allowed; every
look-up is audited and rate-limited."""
import datetime as dt

import pytest

from dangjian.core.models import AuditLog
from dangjian.core.validators import make_citizen_id
from dangjian.members.models import Member, MemberStatus

API = "/api/v1/orglife"
NEUTRAL = "没有可在本组织登记的流动党员与该身份证号码对应。请核对号码；流动党员须先由其所在党组织登记为流动党员"


@pytest.fixture(autouse=True)
def morning(pin):
    pin(dt.date(2026, 12, 4))


def host(client, org, number):
    return client.post(f"{API}/organizations/{org.pk}/hosted", {"id_number": number}, content_type="application/json")


def test_every_number_that_cannot_be_hosted_gets_the_same_answer_and_each_look_up_is_audited(world, login):
    m = world.members
    Member.objects.filter(pk=m.sun.pk).update(is_mobile=True, status=MemberStatus.SUSPENDED)
    Member.objects.filter(pk=m.wang.pk).update(is_mobile=True)
    nobody = make_citizen_id("110101", dt.date(1990, 3, 7), 777)
    client = login(world.users.secretary)
    cases = [(nobody, "not_found"), (m.zhao.id_number, "not_mobile"), (m.sun.id_number, "not_normal"),
             (m.wang.id_number, "own_member")]
    answers = {(r.status_code, r.content) for r in (host(client, world.orgs.jia, n) for n, _ in cases)}
    assert answers == {(422, host(client, world.orgs.jia, nobody).content)}
    assert host(client, world.orgs.jia, nobody).json()["detail"] == {"id_number": [NEUTRAL]}
    logged = list(AuditLog.objects.filter(action="lookup", actor=world.users.secretary).order_by("id"))[:4]
    assert [e.changes["result"] for e in logged] == [reason for _n, reason in cases]
    assert all(e.changes["entry"] == "hosted" and e.changes["organization"] == world.orgs.jia.pk for e in logged)
    assert logged[1].changes["id_number"] == m.zhao.id_number_masked and logged[1].object_id == str(m.zhao.pk)


def test_a_mobile_member_is_revealed_only_when_hosting_is_allowed(world, login):
    zhao = world.members.zhao
    Member.objects.filter(pk=zhao.pk).update(is_mobile=True)
    response = host(login(world.users.secretary), world.orgs.jia, zhao.id_number)
    assert response.status_code == 201 and response.json()["member"]["name"] == "赵敏"
    entry = AuditLog.objects.get(action="lookup")
    assert entry.changes == {"entry": "hosted", "id_number": zhao.id_number_masked, "result": "found",
                             "organization": world.orgs.jia.pk}


def test_a_mistyped_number_is_said_as_such_and_looks_nothing_up(world, login):
    response = host(login(world.users.secretary), world.orgs.jia, "110101199003077777")
    assert response.status_code == 422 and response.json()["detail"] == {"id_number": ["身份证号码校验位错误"]}
    assert not AuditLog.objects.filter(action="lookup").exists()


def test_hosted_look_ups_are_rate_limited(world, login, lookup_limit):
    lookup_limit(2)
    client = login(world.users.secretary)
    first, second, third = (make_citizen_id("110101", dt.date(1990, 3, 7), n) for n in (771, 773, 775))
    assert host(client, world.orgs.jia, first).status_code == 422
    assert host(client, world.orgs.jia, second).status_code == 422
    assert host(client, world.orgs.jia, first).status_code == 422  # the same number again: no new probe
    refused = host(client, world.orgs.jia, third)
    assert refused.status_code == 429
    assert refused.json()["detail"] == {"id_number": ["按身份证号码查询过于频繁：每10分钟最多2次，请稍后再试"]}
    assert AuditLog.objects.filter(action="lookup").latest("id").changes["result"] == "limit_reached"
