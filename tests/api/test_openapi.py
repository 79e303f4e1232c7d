"""The OpenAPI document and the Swagger page: generated, local-only, and changed only on purpose.

Regenerate the snapshot after a deliberate API change with:
    UPDATE_OPENAPI_SNAPSHOT=1 .venv/bin/pytest tests/api/test_openapi.py
"""
import json
import os
import re
import typing
from collections import defaultdict
from pathlib import Path

import pytest
from pydantic import BaseModel

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


def _models(annotation, found: set) -> None:
    """The pydantic models an annotation uses, nested ones included."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _models(arg, found)


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document keys schemas by class name, so a second class of the same name silently replaces the
    first and one operation's response is documented with the other's fields (two ``FiguresOut`` once did that to
    /api/v1/coverage/breakdown). Same name, same JSON schema is harmless (ninja makes a ``Paged…`` per list)."""
    from dangjian.api import api

    found: set = set()
    # ninja wraps each operation's parameters and responses in models of its own (inlined, not named in the
    # document): start from their fields. Bound routers are what ninja's own OpenAPI generator walks.
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for wrapper in [*(operation.response_models or {}).values(), *operation.models]:
                    for field in getattr(wrapper, "model_fields", {}).values():
                        _models(field.annotation, found)
    by_name = defaultdict(dict)
    for model in found:
        schema = json.dumps(model.model_json_schema(mode="serialization"), sort_keys=True, default=str)
        by_name[model.__name__].setdefault(schema, f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(classes.values()) for name, classes in by_name.items() if len(classes) > 1}
    assert not clashes, f"schemas sharing a name (rename one): {clashes}"
