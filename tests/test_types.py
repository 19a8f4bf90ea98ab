"""The package type-checks: mypy over all of it, strict on the services and the models, with no
unused `# type: ignore` (configured in pyproject.toml, [tool.mypy])."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import dutydesk

ROOT = Path(dutydesk.__file__).parent.parent
STRICT_MODULES = ["dutydesk.services.*", "dutydesk.models.*"]


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (it is in the test extra: pip install '.[test]')")
    return subprocess.run(
        [sys.executable, "-m", "mypy", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def test_mypy_passes_on_the_whole_package():
    done = _mypy("dutydesk")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def _flags_strict_enables() -> set[str]:
    """The flags `mypy --strict` turns on, as this mypy's own help lists them."""
    text = _mypy("--help").stdout
    found = re.search(
        r"--strict\s+Strict mode; enables the following flags:(.*?)\n  --", text, re.S
    )
    assert found, "mypy --help no longer lists what --strict enables"
    listed = re.sub(r"-\n\s+", "-", found.group(1))  # a flag wrapped at one of its hyphens
    return {flag.removeprefix("--").replace("-", "_") for flag in re.findall(r"--[a-z-]+", listed)}


def test_services_and_models_get_every_flag_of_strict():
    """mypy reads `strict = true` only as a global option, so the override spells out each flag
    (python/mypy#11401): one that a newer mypy adds to --strict must be added here too."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    override = next(o for o in config["overrides"] if o["module"] == STRICT_MODULES)
    enabled = {key for key, value in {**config, **override}.items() if value is True}
    strict = _flags_strict_enables()
    assert {"disallow_untyped_defs", "warn_unused_ignores", "no_implicit_reexport"} <= strict
    assert strict - enabled == set()
