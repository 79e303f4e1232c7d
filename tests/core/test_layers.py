"""Dependencies point one way (README "Layers"): the import-linter contracts in pyproject.toml — wiring and demo →
capability apps → registry → core, registry models that name a higher registry model by string, and capability apps
only through each other's public modules — hold for every import, function-level ones included. Run in a subprocess so the graph is built from the sources, not from what
this test process has imported."""
import os
import subprocess
import sys
from pathlib import Path

import dangjian

ROOT = Path(__file__).resolve().parents[2]
SOURCES = Path(dangjian.__file__).resolve().parents[1]
LINT = ("import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))")


def lint(config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SOURCES), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", LINT, str(config)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_import_contracts_are_kept():
    result = lint(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout, result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path):
    """The same contracts on a copy of the package where the registry imports a capability app lazily."""
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(SOURCES / "dangjian", copy / "dangjian", ignore=shutil.ignore_patterns("__pycache__", "static",
                                                                                            "templates", "locale"))
    with open(copy / "dangjian" / "units" / "views.py", "a", encoding="utf-8") as f:
        f.write("\n\ndef _upward():\n    from dangjian.coverage.queries import unit_status  # noqa: F401\n")
    config = tmp_path / "pyproject.toml"
    config.write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    result = subprocess.run([sys.executable, "-c", LINT, str(config)], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "dangjian.units.views -> dangjian.coverage.queries" in result.stdout, result.stdout
