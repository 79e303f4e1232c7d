"""Schemathesis over the whole JSON API: every operation of /api/openapi.json, called in-process through the WSGI
handler (no server) with data generated from its documented parameters and bodies, as a district administrator
and as an enterprise contact on the ``world`` fixture. Fails on any 5xx and on any answer that its documented
response schema does not describe.

Bounded so that it runs in the normal suite: EXAMPLES cases an operation, derandomized (the same cases every
run), no shrinking (the first failing case is reported as generated). Raise ``DANGJIAN_FUZZ_EXAMPLES`` for a
deeper local run.
"""
import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from dangjian.accounts.models import Role
from tests.fixtures import user_with_role

EXAMPLES = int(os.environ.get("DANGJIAN_FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, response_schema_conformance]


@contextmanager
def wsgi_app():
    """Django's WSGI handler for in-process calls inside the test's transaction. Like the test client, it must not
    close the database connection at each request's start and end (on PostgreSQL the test's data would go); the
    test client reconnects those handlers after each of its own requests, so make none inside this block."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture(params=["district", "enterprise"])
def caller(request, world, django_user_model, login):
    """(role, logged-in test client, session cookies and CSRF header as a browser or htmx sends them)."""
    if request.param == "district":
        user = world.users.district
    else:
        user = user_with_role(django_user_model, "qiye", Role.ENTERPRISE, unit=world.units.jia)
    client = login(user)
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return request.param, client, cookies, {"X-CSRFToken": token}


def _fuzz(operation, cookies: dict, headers: dict) -> None:
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=False,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


def test_every_operation_answers_as_documented(caller):
    role, client, cookies, headers = caller
    # The document as the app serves it to this user; the calls then go through Django's WSGI handler.
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").json())
    failures = []
    with wsgi_app() as app:
        schema.app = app
        for result in schema.get_all_operations():
            operation = result.ok()
            try:
                _fuzz(operation, cookies, headers)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every failure, report them all
                failures.append(f"--- {role} {operation.label}\n{exc}")
    assert not failures, f"{len(failures)} operation(s) failed:\n" + "\n".join(failures)
