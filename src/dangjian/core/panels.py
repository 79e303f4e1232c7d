"""Panels that a higher app adds to a lower app's page: the unit page (units) shows a unit's coverage status and its
service timeline, which the coverage and services apps register from their AppConfig.ready() — the registry never
imports a capability app (the import-linter contracts in pyproject.toml check it).

``register("unit", "coverage", build)``; the page calls ``panel("unit", "coverage", *args)``."""
from typing import Callable

_PANELS: dict[tuple[str, str], Callable] = {}


def register(page: str, name: str, build: Callable) -> None:
    _PANELS[page, name] = build


def panel(page: str, name: str, *args, **kwargs):
    """What the panel's builder returns for these arguments; a KeyError if no app registered it."""
    return _PANELS[page, name](*args, **kwargs)
