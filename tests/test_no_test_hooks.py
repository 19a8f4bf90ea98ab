"""The shipped program has no test hooks: it reads the time from the system clock only, and the
environment only for its documented settings. Tests and the bench pass a clock in code."""

from __future__ import annotations

import ast
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pendulum

import dutydesk
from tests.conftest import OFFICE
from tests.support_people import ADMIN, ADMIN_PIN, ADMIN_STDIN

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(dutydesk.__file__).parent
DOCUMENTED = {"DUTYDESK_DB", "DUTYDESK_LANG", "DUTYDESK_EXPORT_DIR", "DUTYDESK_CENTRAL_URL"}
LONG_AGO = "2026-05-23T10:00:00+08:00"  # six months before the tests' usual day


def _console_script() -> list[str]:
    """The installed `dutydesk` command; its entry point in a fresh interpreter otherwise."""
    script = Path(sys.executable).with_name("dutydesk")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from dutydesk.launch import main; main()"]


def _run(
    command: list[str], env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env}
    full.pop("DUTYDESK_DB", None)
    return subprocess.run(command, capture_output=True, text=True, env=full, cwd=ROOT,
                          timeout=120, input=stdin)  # fmt: skip


def _recorded(path: Path) -> list[datetime]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT created_at FROM office UNION ALL SELECT created_at FROM person"
        ).fetchall()
    return [datetime.fromisoformat(value) for (value,) in rows]


def test_the_installed_program_ignores_dutydesk_frozen_at(tmp_path):
    path = tmp_path / "desk.sqlite3"
    env = {"DUTYDESK_FROZEN_AT": LONG_AGO, "DUTYDESK_LANG": "en"}
    base = [*_console_script(), "--db", str(path)]
    done = _run([*base, "init", "--office", OFFICE, "--profile", "tianjin", "--admin", ADMIN,
                 "--pin-stdin"], env, ADMIN_STDIN)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = _run([*base, "people", "add", "--name", "张伟", "--role", "officer",
                 "--in-post-since", "2024-01-01", "--by", ADMIN, "--pin-stdin"], env,
                ADMIN_PIN + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    recorded = _recorded(path)
    assert len(recorded) == 3  # the office, the administrator, 张伟
    for when in recorded:
        assert abs(when - datetime.now(UTC)) < timedelta(minutes=5), when


def test_the_bench_runs_the_program_on_a_frozen_clock_of_its_own(tmp_path):
    path = tmp_path / "desk.sqlite3"
    command = [sys.executable, "-m", "bench.frozen", "--at", LONG_AGO, "--", "--db", str(path),
               "init", "--office", OFFICE, "--profile", "tianjin", "--admin", ADMIN,
               "--pin-stdin"]  # fmt: skip
    done = _run(command, {"DUTYDESK_LANG": "en", "PYTHONPATH": str(ROOT)}, ADMIN_STDIN)
    assert done.returncode == 0, done.stderr
    assert _recorded(path) == [pendulum.parse(LONG_AGO)] * 2  # the office and its administrator


def test_the_bench_module_is_not_in_the_package():
    assert not (PACKAGE / "frozen.py").exists()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["dutydesk"]' in pyproject


def _environment_reads(tree: ast.AST) -> list[ast.Call | ast.Subscript]:
    """Every os.environ.get(...), os.getenv(...), os.environ[...] in a module."""
    found: list[ast.Call | ast.Subscript] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = ast.unparse(node.func)
            if target in ("os.environ.get", "os.getenv", "environ.get", "getenv"):
                found.append(node)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("environ"):
            found.append(node)
    return found


def test_the_program_reads_only_its_documented_environment_variables_in_one_place():
    """No module reads the environment itself: the settings object does, for exactly the
    documented variables."""
    from dutydesk.settings import documented_variables

    for source in PACKAGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "FROZEN_AT" not in text, source
        assert "NULLPOOL" not in text, source
        if source.relative_to(PACKAGE).as_posix() != "settings.py":
            assert not _environment_reads(ast.parse(text)), f"{source} reads the environment"
    settings_source = (PACKAGE / "settings.py").read_text(encoding="utf-8")
    assert "os.environ" in settings_source, "the settings read the environment"
    assert documented_variables() == DOCUMENTED
