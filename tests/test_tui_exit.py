"""Issue 12: after a crash the process exits non-zero, from `dutydesk` (the launcher) and from
the command line's way into the app; a normal end still exits 0."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dutydesk.app
from dutydesk.app import DutyDeskApp, run_app

STYLES = str(Path(dutydesk.app.__file__).with_name("dutydesk.tcss"))  # not beside this file


class CrashingApp(DutyDeskApp):
    """The app whose first screen raises, as `[/bold]` in a call's summary once did."""

    CSS_PATH = STYLES

    async def on_desk_opened(self, message) -> None:  # type: ignore[override]
        raise RuntimeError("a screen failed")

    def run(self, *args, **kwargs):  # type: ignore[override]
        return super().run(headless=True)


class QuittingApp(DutyDeskApp):
    """The app that is opened and closed again by its user."""

    CSS_PATH = STYLES

    def on_mount(self) -> None:
        self.exit()  # before the register is opened: nothing else runs on

    def run(self, *args, **kwargs):  # type: ignore[override]
        return super().run(headless=True)


def _use(monkeypatch: pytest.MonkeyPatch, app_class: type[DutyDeskApp]) -> None:
    monkeypatch.setattr(
        dutydesk.app, "make_app", lambda path, clock=None, lang="zh": app_class(path, lang=lang)
    )


def test_a_crash_gives_a_non_zero_return_code(bare_desk):
    assert run_app(CrashingApp(bare_desk.path)) == 1
    assert run_app(QuittingApp(bare_desk.path)) == 0


def test_the_launcher_exits_1_after_a_crash_and_0_after_a_normal_end(bare_desk, monkeypatch):
    from dutydesk.launch import main

    monkeypatch.setattr(sys, "argv", ["dutydesk", "--db", str(bare_desk.path)])
    _use(monkeypatch, CrashingApp)
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 1
    _use(monkeypatch, QuittingApp)
    main()  # no SystemExit: the process ends with 0


def test_the_command_line_exits_1_after_a_crash(bare_desk, monkeypatch):
    from dutydesk.cli import build_app

    monkeypatch.delenv("DUTYDESK_DB", raising=False)
    _use(monkeypatch, CrashingApp)
    result = CliRunner().invoke(build_app(), ["--db", str(bare_desk.path)])
    assert result.exit_code == 1
    _use(monkeypatch, QuittingApp)
    assert CliRunner().invoke(build_app(), ["--db", str(bare_desk.path)]).exit_code == 0


def test_the_launcher_leaves_the_heap_to_the_process_end(bare_desk, monkeypatch):
    """Ctrl+Q waited ~0.7 s after the app had closed for the interpreter's end to collect its
    heap again (runtime.end_without_collecting; test_launch.py shows what that does)."""
    from dutydesk import runtime
    from dutydesk.launch import main

    asked: list[bool] = []
    monkeypatch.setattr(runtime, "end_without_collecting", lambda: asked.append(True))
    monkeypatch.setattr(sys, "argv", ["dutydesk", "--db", str(bare_desk.path)])
    _use(monkeypatch, QuittingApp)
    main()
    assert asked == [True]
