"""The domain never imports the user interface, and the code passes ruff."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import dutydesk

PACKAGE = Path(dutydesk.__file__).parent
ROOT = PACKAGE.parent
# The terminal app itself: the only modules allowed to import textual.
UI = {"app", "startup_app", "screens", "widgets"}
NOT_IMPORTED = {
    "__main__",
    "migrations",
    "central_migrations",
}  # __main__ runs the program; each env.py needs Alembic's context


def domain_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] in UI or parts[0] in NOT_IMPORTED:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("dutydesk", *parts)))
    return names


def test_the_module_list_covers_the_domain_and_the_command_line():
    names = domain_modules()
    assert {"dutydesk.models", "dutydesk.services.calls.calls", "dutydesk.cli"} <= set(names)
    assert not any(name.startswith(("dutydesk.screens", "dutydesk.widgets")) for name in names)
    assert "dutydesk.app" not in names


def test_importing_the_domain_and_cli_does_not_import_textual():
    names = domain_modules()
    code = "\n".join(
        [
            "import importlib, sys",
            f"for name in {names!r}:",
            "    importlib.import_module(name)",
            "from dutydesk.cli import build_app",
            "build_app()  # registers every command group",
            "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))",
            "print(repr(loaded))",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"textual imported: {done.stdout.strip()}"


def test_the_check_itself_sees_textual_when_the_app_is_imported():
    code = "import sys, dutydesk.app; print('textual' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.stdout.strip() == "True", done.stderr


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed (it is in the test extra: pip install '.[test]')")
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_ruff_check():
    done = _ruff("check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_check():
    done = _ruff("format", "--check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_services_and_models_name_no_ui_or_cli_library():
    """Read from the source, so an import inside a function counts too."""
    import re

    ui_import = re.compile(r"^\s*(from|import)\s+(textual|rich|typer)\b", re.MULTILINE)
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for folder in ("services", "models")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for match in ui_import.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_import_contracts_hold():
    """The layers and forbidden imports declared in pyproject.toml ([tool.importlinter])."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_each_service_package_api_names_where_each_name_lives():
    """A subpackage's API (its __init__): the names mypy sees, the names loaded on first use
    and __all__ are the same, and each is found in the module named for it."""
    import ast
    import importlib

    for init in sorted((PACKAGE / "services").glob("*/__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        typed = {
            (node.module.rsplit(".", 1)[1], alias.name)
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").count(".") == 3
            for alias in node.names
        }
        package = importlib.import_module(f"dutydesk.services.{init.parent.name}")
        homes = getattr(package, "_HOMES", {})
        assert typed == {(module, name) for name, module in homes.items()}, init
        assert sorted(getattr(package, "__all__", [])) == sorted(homes), init
        for name, module in homes.items():
            assert hasattr(importlib.import_module(f"{package.__name__}.{module}"), name)
            assert getattr(package, name) is not None
