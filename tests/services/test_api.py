"""The services API: the request life through JSON, 422 for rule errors and stale versions, 404 out of scope,
officers, assignments, visits, coverage, the proposal and the dashboard."""
import datetime as dt

from django.utils import timezone

from dangjian.services.models import Request
from tests.api.conftest import ids, text
from tests.services.test_officers import placed  # noqa: F401  (fixture)

API = "/api/v1/services"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_request_life_through_the_api(svc, login):
    w, u = svc.world.users, svc.users
    qiye, hrss, qu = login(u.qiye), login(u.hrss), login(w.district)
    r = post(qiye, f"{API}/requests", {"unit": svc.world.units.jia.pk, "category": "recruitment", "title": "招工难",
                                       "description": "缺普工 30 名"})
    assert r.status_code == 201 and r.json()["state"] == "submitted" and r.json()["actions"] == []
    pk = r.json()["id"]
    assert qu.get(f"{API}/requests/{pk}").json()["actions"] == ["accept"]
    for client, action, note in ((qu, "accept", ""), (qu, "assign", ""), (hrss, "start", ""), (hrss, "reply", "已对接")):
        version = client.get(f"{API}/requests/{pk}").json()["version"]
        r = post(client, f"{API}/requests/{pk}/actions", {"action": action, "version": version, "note": note})
        assert r.status_code == 200, r.json()
    detail = qiye.get(f"{API}/requests/{pk}").json()
    assert detail["state"] == "replied" and detail["actions"] == ["return", "confirm"]
    assert [e["action"] for e in detail["events"]] == ["submit", "accept", "assign", "start", "reply"]
    post(qiye, f"{API}/requests/{pk}/actions", {"action": "confirm", "version": detail["version"]})
    rated = post(qiye, f"{API}/requests/{pk}/rating", {"rating": 5, "comment": "满意"})
    assert rated.json()["rating"] == 5
    again = post(qiye, f"{API}/requests/{pk}/rating", {"rating": 1})
    assert again.status_code == 422 and "已经评价过了" in text(again)


def test_stale_versions_unknown_actions_and_bad_bodies_answer_422(svc, raised, login):
    qu = login(svc.world.users.district)
    post(qu, f"{API}/requests/{raised.pk}/actions", {"action": "accept", "version": 0})
    stale = post(qu, f"{API}/requests/{raised.pk}/actions", {"action": "assign", "version": 0})
    assert stale.status_code == 422 and "刚被他人处理过" in text(stale)
    assert post(qu, f"{API}/requests/{raised.pk}/actions", {"action": "delete", "version": 1}).status_code == 422
    past = post(qu, f"{API}/requests/{raised.pk}/actions", {"action": "assign", "version": 1,
                                                          "deadline": str(timezone.localdate() - dt.timedelta(days=2))})
    assert past.status_code == 422 and "办理时限不能早于今天" in text(past)
    bad = post(login(svc.users.qiye), f"{API}/requests", {"unit": svc.world.units.jia.pk, "category": "x",
                                                         "title": "t", "description": "d"})
    assert bad.status_code == 422 and Request.objects.count() == 1


def test_requests_are_scoped(svc, raised, login):
    assert ids(login(svc.world.users.shuanggui).get(f"{API}/requests")) == [raised.pk]
    for user in (svc.world.users.lirang, svc.users.qiye_ding, svc.users.commerce):
        client = login(user)
        assert ids(client.get(f"{API}/requests")) == []
        assert client.get(f"{API}/requests/{raised.pk}").status_code == 404
        assert post(client, f"{API}/requests/{raised.pk}/actions", {"action": "accept", "version": 0}).status_code == 404
    other = post(login(svc.users.qiye), f"{API}/requests", {"unit": svc.world.units.ding.pk, "category": "policy",
                                                             "title": "t", "description": "d"})
    assert other.status_code == 404  # a unit outside the enterprise's scope
    assert ids(login(svc.users.hrss).get(f"{API}/requests", {"category": "recruitment"})) == [raised.pk]


def test_officers_assignments_visits_and_coverage(placed, login):
    svc, d = placed, placed.world
    qu = login(d.users.district)
    assert {o["name"] for o in qu.get(f"{API}/officers").json()["items"]} == {"刘服务", "陈指导"}
    assert login(d.users.lirang).get(f"{API}/officers").json()["items"] == []
    made = post(qu, f"{API}/assignments", {"officer": svc.officer.pk, "unit": d.units.jia.pk,
                                            "start": str(timezone.localdate())})
    assert made.status_code == 201
    closed = post(qu, f"{API}/assignments", {"officer": svc.officer.pk, "unit": d.units.ji.pk,
                                              "start": str(timezone.localdate())})
    assert closed.status_code == 422 and "不在营业" in text(closed)
    assert post(login(d.users.lirang), f"{API}/assignments", {"officer": svc.officer.pk, "unit": d.units.ding.pk,
                                                              "start": str(timezone.localdate())}).status_code == 404
    visit = post(login(svc.users.officer), f"{API}/visits", {"unit": d.units.jia.pk, "date": str(timezone.localdate()),
                                                            "purpose": "了解用工"})
    assert visit.status_code == 201 and visit.json()["officer_id"] == svc.officer.pk
    cov = qu.get(f"{API}/coverage").json()
    assert (cov["total"]["units"], cov["total"]["served"]) == (6, 1)
    proposal = qu.get(f"{API}/coverage/proposal", {"kind": "instructor"}).json()
    assert proposal["unserved"] == 5 and len(proposal["suggestions"]) == 5
    assert qu.get(f"{API}/coverage", {"by": "nonsense"}).status_code == 422


def test_dashboard_api(svc, raised, login):
    d = login(svc.world.users.district).get(f"{API}/dashboard").json()
    assert d["total"]["requests"] == 1 and d["overdue"] == 0 and len(d["months"]) >= 11
    assert sum(d["volume"]["招工用工"]) == 1
