"""The OpenAPI document and the Swagger page: generated, local-only, and changed only on purpose.

Regenerate the snapshot after a deliberate API change with:
    UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi.py
"""
import json
import os
import re
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")


@pytest.fixture
def client(world, login):
    return login(world.users.district)


def test_openapi_json_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Dangjian API"
    assert "/api/v1/members/{member_id}/unmask" in schema["paths"]
    member = schema["components"]["schemas"]["MemberOut"]["properties"]
    assert "id_number_masked" in member and not any(k.endswith(("_enc", "_hash")) or k == "id_number" for k in member)


def test_docs_page_uses_only_local_assets(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"https?://[^\"'\s]*cdn", html, re.IGNORECASE)
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html, re.IGNORECASE)
    for asset in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html):
        assert client.get(asset).status_code == 200, asset


def _summary(old: dict, new: dict) -> str:
    lines = []
    for key in ("paths", "components"):
        old_part = old.get(key, {}) if key == "paths" else old.get(key, {}).get("schemas", {})
        new_part = new.get(key, {}) if key == "paths" else new.get(key, {}).get("schemas", {})
        label = "path" if key == "paths" else "schema"
        lines += [f"  + {label} {k}" for k in sorted(set(new_part) - set(old_part))]
        lines += [f"  - {label} {k}" for k in sorted(set(old_part) - set(new_part))]
        lines += [f"  ~ {label} {k}" for k in sorted(set(old_part) & set(new_part)) if old_part[k] != new_part[k]]
    return "\n".join(lines) or "  (only top-level fields differ)"


def test_openapi_matches_the_snapshot(client):
    schema = client.get("/api/openapi.json").json()
    if os.environ.get("UPDATE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert SNAPSHOT.exists(), "No OpenAPI snapshot yet: run UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi.py"
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if schema != expected:
        pytest.fail(
            "The generated OpenAPI schema differs from tests/api/openapi_snapshot.json:\n"
            + _summary(expected, schema)
            + "\nIf the change is intended (new or changed endpoints, e.g. /api/v1/coverage), regenerate with:\n"
            "    UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi.py\n"
            "and review the diff of the snapshot before committing.",
            pytrace=False,
        )


def test_docs_need_a_login(db):
    from django.test import Client

    assert Client().get("/api/openapi.json").status_code == 302
