import json

import pytest
from django.test import Client

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login():
    """login(user) -> a test Client with that user's session (CSRF not enforced unless asked)."""

    def make(user, enforce_csrf_checks=False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf_checks)
        if user is not None:
            client.force_login(user, backend=BACKEND)
        return client

    return make


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["items"]]


def names(response) -> list[str]:
    return sorted(row["name"] for row in response.json()["items"])


def text(response) -> str:
    """The JSON body with non-ASCII kept, so "not in" checks on Chinese names really check."""
    return json.dumps(response.json(), ensure_ascii=False)
