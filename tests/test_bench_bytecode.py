"""The start-up bench times the app from bytecode, as the floor (Textual, installed by pip) is:
with PYTHONDONTWRITEBYTECODE set and no `__pycache__` in the checkout, every launch compiled the
app's own modules from source and that was counted as start-up (session 10)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from bench.measure import startup


def test_the_checkout_is_compiled_even_where_python_writes_no_bytecode(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    sources = []
    for package in ("dutydesk", "bench"):
        (tmp_path / package / "sub").mkdir(parents=True)
        source = tmp_path / package / "sub" / "module.py"
        source.write_text("VALUE = 1\n")
        sources.append(source)
    startup.compile_checkout(tmp_path)
    assert all(Path(importlib.util.cache_from_source(str(s))).is_file() for s in sources)


def test_the_launches_are_timed_after_the_checkout_is_compiled(monkeypatch, capsys, tmp_path):
    done: list[str] = []
    monkeypatch.setattr(startup, "_tmux", lambda *args, **kwargs: "")
    monkeypatch.setattr(startup, "compile_checkout", lambda repository: done.append("compiled"))

    def launch(*args: object) -> startup.Launch:
        done.append("launch")
        return startup.Launch(*[None] * 6)

    monkeypatch.setattr(startup, "launch", launch)
    monkeypatch.setattr(startup, "summarise", lambda app, floor: {"runs": len(app)})
    startup.main([str(tmp_path / "register.sqlite3"), "--runs", "1"])
    assert json.loads(capsys.readouterr().out)["runs"] == 1
    assert done[0] == "compiled" and "launch" in done
