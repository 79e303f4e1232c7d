"""Rule sets as data: national defaults in rules/national.toml, local overrides by file."""
import tomllib
from functools import lru_cache
from pathlib import Path

from django.conf import settings

NATIONAL = Path(__file__).resolve().parent.parent / "rules" / "national.toml"


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


@lru_cache(maxsize=8)
def _load(local_file: str) -> dict:
    rules = tomllib.loads(NATIONAL.read_text(encoding="utf-8"))
    if local_file:
        rules = _merge(rules, tomllib.loads(Path(local_file).read_text(encoding="utf-8")))
    return rules


def rules() -> dict:
    return _load(settings.DANGJIAN_RULES_FILE)


def rule(path: str):
    """rule("organization.joint_branch_max_units") -> 5"""
    node = rules()
    for part in path.split("."):
        node = node[part]
    return node
