"""Every endpoint needs a session (401 without), and unsafe methods need the CSRF token."""
from django.test import Client

from dangjian.core.models import AuditLog
from dangjian.units.models import Unit


def endpoints(w):
    r, u, o, m = w.shuanggui.pk, w.units.jia.pk, w.orgs.jia.pk, w.members.zhang.pk
    return [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/regions"), ("get", f"/api/v1/regions/{r}"), ("post", "/api/v1/regions"),
        ("patch", f"/api/v1/regions/{r}"), ("get", f"/api/v1/regions/{r}/children"),
        ("get", "/api/v1/units"), ("get", f"/api/v1/units/{u}"), ("post", "/api/v1/units"), ("patch", f"/api/v1/units/{u}"),
        ("get", "/api/v1/organizations"), ("get", f"/api/v1/organizations/{o}"), ("post", "/api/v1/organizations"),
        ("patch", f"/api/v1/organizations/{o}"), ("put", f"/api/v1/organizations/{o}/units"),
        ("get", f"/api/v1/organizations/{o}/children"), ("get", f"/api/v1/organizations/{o}/members"),
        ("get", "/api/v1/members"), ("get", f"/api/v1/members/{m}"), ("post", "/api/v1/members"),
        ("patch", f"/api/v1/members/{m}"), ("post", f"/api/v1/members/{m}/unmask"),
    ]


def test_anonymous_gets_401_everywhere(world):
    client = Client()
    for method, url in endpoints(world):
        response = getattr(client, method)(url, {}, content_type="application/json") if method != "get" else client.get(url)
        assert response.status_code == 401, (method, url, response.status_code)
    assert not AuditLog.objects.filter(action="unmask").exists()


def test_the_list_above_covers_every_registry_endpoint(world):
    """So a new endpoint can't slip in without the anonymous check."""
    from dangjian.api import api

    def shape(path):
        return "/".join("{id}" if part.isdigit() or part.startswith("{") else part for part in path.split("/"))

    prefixes = ("/api/v1/me", "/api/v1/regions", "/api/v1/units", "/api/v1/organizations", "/api/v1/members")
    documented = {
        (method, shape(path))
        for path, operations in api.get_openapi_schema()["paths"].items() if path.startswith(prefixes)
        for method in operations
    }
    assert documented == {(method, shape(url)) for method, url in endpoints(world)}


UNIT = {"name": "新华印刷有限公司", "industry_section": "C", "employees": 3}


def test_post_without_csrf_token_is_refused(world, login):
    client = login(world.users.shuanggui, enforce_csrf_checks=True)
    response = client.post("/api/v1/units", {**UNIT, "region": world.shuanggui.pk}, content_type="application/json")
    assert response.status_code == 403
    assert not Unit.objects.filter(name=UNIT["name"]).exists()
    patch = client.patch(f"/api/v1/units/{world.units.jia.pk}", {"employees": 1}, content_type="application/json")
    assert patch.status_code == 403
    world.units.jia.refresh_from_db()
    assert world.units.jia.employees == 120
    unmask = login(world.users.district, enforce_csrf_checks=True).post(f"/api/v1/members/{world.members.zhang.pk}/unmask")
    assert unmask.status_code == 403 and not AuditLog.objects.filter(action="unmask").exists()


def test_post_with_csrf_token_is_accepted_and_reads_need_none(world, login):
    client = login(world.users.shuanggui, enforce_csrf_checks=True)
    assert client.get("/api/v1/units").status_code == 200
    client.get("/accounts/login/")  # any page with a form sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/units", {**UNIT, "region": world.shuanggui.pk}, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content
