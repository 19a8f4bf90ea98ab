"""A correction is never lost nor saved twice (breaker, session 17: a correction saved with Ctrl+S
and the program killed ~20 ms later was lost without a word; the dialog kept no draft of a
reason typed either). The dialog keeps what is typed on disk, Ctrl+S noted before the save
starts; at the next start, and when that call's correction is next opened, a correction left
behind is found in the register (said, its file gone) or handed back into the dialog (said).

The kills are real: the app runs in a child process, driven by its keys, and is killed with
SIGKILL inside its save, before the commit or just after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from dutydesk.app import make_app
from dutydesk.screens.amend_draft import OwnDraft
from dutydesk.services.calls.calls import CallDraft, get_call, save_call
from dutydesk.services.core import load_draft
from tests.conftest import T0
from tests.test_tui_calls import SIZE, _ready, _status, _type

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock")

KILLED_IN_ITS_SAVE = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from pathlib import Path

    import pendulum

    from dutydesk.app import make_app
    from dutydesk.clock import FrozenClock
    from dutydesk.services import calls as calls_service

    register, at, when = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    real = calls_service.record_correction

    def killed(*args, **kwargs):
        if when == "after":
            real(*args, **kwargs)  # committed; the dialog is never told
        os.kill(os.getpid(), signal.SIGKILL)

    calls_service.record_correction = killed

    async def ready(app, pilot):
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()

    async def main():
        app = make_app(register, clock=FrozenClock(pendulum.parse(at)))
        async with app.run_test(size=(120, 36)) as pilot:
            await ready(app, pilot)
            app.screen.query_one("#calls-table").focus()
            await pilot.press("ctrl+e")
            await ready(app, pilot)
            assert type(app.screen).__name__ == "AmendScreen"
            app.screen.query_one("#f-unit").focus()
            await pilot.press("end", *["backspace"] * 3, *"柳林镇")
            app.screen.query_one("#amend-reason").focus()
            await pilot.press(*"单位记错", "ctrl+s")  # at once: no draft written by its timer
            await asyncio.sleep(30)
        sys.exit(3)

    asyncio.run(main())
    """
)


def _a_call(desk, officer) -> str:
    draft = CallDraft(caller="李红", unit="城关镇", phone="0371-66000000", summary="西关积水")
    return save_call(desk, draft, officer).number


def _kept_files(desk) -> list[Path]:
    return sorted(desk.path.parent.glob(f"{desk.path.name}.amend-*"))


def _corrections(desk, number: str) -> list[tuple[str, str | None]]:
    _view, history = get_call(desk, number)
    return [(line.unit, line.amend_reason) for line in history if line.amends is not None]


def _killed_in_its_save(desk, when: str) -> None:
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", KILLED_IN_ITS_SAVE, str(desk.path), T0, when],
                         cwd=root, timeout=120)  # fmt: skip
    assert run.returncode == -signal.SIGKILL, run.returncode


async def _open_correction(app, pilot) -> None:
    app.screen.query_one("#calls-table", DataTable).focus()
    await pilot.press("ctrl+e")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "AmendScreen"


def _dialog(app) -> tuple[str, str, str]:
    screen = app.screen
    status = str(screen.query_one("#amend-status").render())
    unit = screen.query_one("#f-unit", Input).value
    return screen.query_one("#amend-reason", Input).value, unit, status


async def test_killed_before_its_commit_the_correction_is_handed_back_once(desk, clock, officer):
    number = _a_call(desk, officer)
    _killed_in_its_save(desk, "before")
    assert _corrections(desk, number) == [] and len(_kept_files(desk)) == 2  # draft and lock
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert f"电话记录 {number} 的更正尚未保存" in _status(app)
        await _open_correction(app, pilot)
        reason, unit, status = _dialog(app)
        assert (reason, unit) == ("单位记错", "柳林镇")
        assert "没有写入登记簿，已调回" in status
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        assert "已登记更正：2026-000002" in _status(app)
    assert _corrections(desk, number) == [("柳林镇", "单位记错")]
    assert _kept_files(desk) == []


async def test_killed_after_its_commit_the_correction_is_said_saved_not_handed_back(
    desk, clock, officer
):
    number = _a_call(desk, officer)
    _killed_in_its_save(desk, "after")
    assert _corrections(desk, number) == [("柳林镇", "单位记错")]
    assert _kept_files(desk), "the kill left the dialog's file"
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert "上次关闭前按保存的更正已写入登记簿（2026-000002）" in _status(app)
        assert _kept_files(desk) == []
        await _open_correction(app, pilot)
        reason, unit, status = _dialog(app)
        assert (reason, unit, status) == ("", "柳林镇", "")  # the call as it stands, nothing back
    assert _corrections(desk, number) == [("柳林镇", "单位记错")]


async def test_what_is_typed_is_on_disk_until_saved_or_thrown_away(desk, clock, officer):
    number = _a_call(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _open_correction(app, pilot)
        await _type(pilot, "电话记错")
        app.screen.query_one("#f-phone", Input).focus()
        await pilot.press("end", "backspace", "1")
        await pilot.pause(0.4)  # the draft is written 0.3 s after the last key
        [draft] = [p for p in _kept_files(desk) if p.name.endswith(".draft.json")]
        form = draft.name.removeprefix(f"{desk.path.name}.").removesuffix(".draft.json")
        kept = load_draft(desk.path, form)
        assert kept is not None
        assert (kept["number"], kept["reason"], kept["saving"]) == (number, "电话记错", False)
        assert kept["changes"] == {"phone": "0371-66000001"}  # only what was changed
        await pilot.press("escape", "escape")  # asked, then thrown away
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        assert _kept_files(desk) == []
        await _open_correction(app, pilot)
        await _type(pilot, "电话记错")
        app.screen.query_one("#f-phone", Input).focus()
        await pilot.press("end", "backspace", "1", "ctrl+s")
        await _ready(app, pilot)
        assert "已登记更正：2026-000002" in _status(app)
        assert _kept_files(desk) == []


def _left_by_an_ended_app(desk, number: str, **values) -> None:
    """The file a dialog leaves when its program ends, its lock let go (as by the kernel)."""
    left = OwnDraft(desk.path, number)
    kept = {"reason": "单位记错", "changes": {"unit": "柳林镇"}, "seen": [number], "saving": False}
    assert left.keep(**{**kept, **values})
    assert left._own is not None
    left._own.release()


async def test_a_correction_typed_when_the_app_ended_comes_back_when_opened(desk, clock, officer):
    number = _a_call(desk, officer)
    _left_by_an_ended_app(desk, number)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert f"电话记录 {number} 的更正尚未保存" in _status(app)
        assert len(_kept_files(desk)) == 2, "left for the dialog"
        await _open_correction(app, pilot)
        reason, unit, status = _dialog(app)
        assert (reason, unit) == ("单位记错", "柳林镇")
        assert "已调回上次关闭时未保存的更正" in status
        assert len(_kept_files(desk)) == 2, "now this dialog's own, and locked"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "AmendScreen", "Esc asks over what came back"
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
    assert _corrections(desk, number) == [("柳林镇", "单位记错")]
    assert _kept_files(desk) == []


async def test_a_correction_another_running_app_is_typing_is_left_alone(desk, clock, officer):
    number = _a_call(desk, officer)
    theirs = OwnDraft(desk.path, number)  # its lock held: that app runs
    assert theirs.keep("单位记错", {"unit": "柳林镇"}, [number], saving=True)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert "更正" not in _status(app)
        await _open_correction(app, pilot)
        assert _dialog(app) == ("", "城关镇", "")
        await pilot.press("escape")
        await _ready(app, pilot)
    assert len(_kept_files(desk)) == 2
    theirs.drop()
    assert _kept_files(desk) == []
    assert os.path.exists(desk.path)


async def test_a_reason_handed_back_is_never_sent_raw_to_the_terminal(desk, clock, officer):
    """Breaker, session 18: a kept file's reason holding terminal escapes (set by hand) was put
    into the field as it was, and the terminal obeyed them (the pane's title changed)."""
    number = _a_call(desk, officer)
    _left_by_an_ended_app(desk, number, reason="\x1b]0;TITLE\x07单位记错\x1b[31m")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _open_correction(app, pilot)
        reason, _unit, _status_line = _dialog(app)
        assert "\x1b" not in reason and "\x07" not in reason and "单位记错" in reason


async def test_ctrl_q_over_a_correction_says_its_draft_is_kept_and_keeps_it(desk, clock, officer):
    """Its question said the text would be lost ("quits without it"), and it was kept."""
    number = _a_call(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await _open_correction(app, pilot)
        await _type(pilot, "电话记错")
        await pilot.press("ctrl+q")
        await _ready(app, pilot)
        said = _dialog(app)[2]
        assert "留作草稿" in said and "不保存" not in said, said
        await pilot.press("ctrl+q")
        await pilot.pause(0.1)
    [draft] = [p for p in _kept_files(desk) if p.name.endswith(".draft.json")]
    form = draft.name.removeprefix(f"{desk.path.name}.").removesuffix(".draft.json")
    assert (load_draft(desk.path, form) or {}).get("reason") == "电话记错"
    assert load_draft(desk.path, form)["number"] == number
