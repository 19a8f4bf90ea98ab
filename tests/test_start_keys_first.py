"""Start-up, issue 19: the first look is drawn in one layout (its header composed with the office
and who is on duty, its list filled for the terminal's width before it is laid out), the
register's opening waits for that frame and its imports step aside for the frames and keys that
follow (widgets/keys_first.py), and the keys row and the list's rows below the first screenful
come in a pause of the typing."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from textual.app import App, ComposeResult

from dutydesk.widgets import keys_first
from dutydesk.widgets.call_list import CallTable, Shown
from dutydesk.widgets.throttle import TYPING_PAUSE_S
from tests.support_first_look import hold, started, three_calls, until


@pytest.fixture
def calls_desk(desk, officer):
    three_calls(desk, officer)
    return desk


def _import_in_a_thread(name: str, busy_until) -> float:  # noqa: ANN001
    """Seconds the import of module `name` waited in a worker under imports_in_pauses."""
    waited: list[float] = []

    def work() -> None:
        with keys_first.imports_in_pauses(busy_until, lambda: float("-inf")) as finder:
            __import__(name)
        waited.append(finder.waited_s)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=10)
    return waited[0]


def _module(tmp_path, monkeypatch, name: str) -> str:  # noqa: ANN001
    (tmp_path / f"{name}.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_an_import_waits_while_a_key_has_just_come(tmp_path, monkeypatch):
    name = _module(tmp_path, monkeypatch, "keys_first_probe_a")
    typed_at = time.monotonic()
    waited = _import_in_a_thread(name, lambda: typed_at)
    assert waited >= keys_first.KEY_ANSWER_S * 0.8
    assert name in sys.modules


def test_an_import_does_not_wait_when_no_key_came(tmp_path, monkeypatch):
    name = _module(tmp_path, monkeypatch, "keys_first_probe_b")
    assert _import_in_a_thread(name, lambda: float("-inf")) < 0.01


def test_typing_without_a_pause_does_not_stop_the_imports(tmp_path, monkeypatch):
    name = _module(tmp_path, monkeypatch, "keys_first_probe_c")
    waited = _import_in_a_thread(name, time.monotonic)  # a key "just now", always
    assert keys_first.MAX_WAIT_S * 0.8 <= waited < keys_first.MAX_WAIT_S + 0.5
    assert name in sys.modules


def test_only_the_worker_s_imports_wait(tmp_path, monkeypatch):
    name = _module(tmp_path, monkeypatch, "keys_first_probe_d")
    with keys_first.imports_in_pauses(time.monotonic, time.monotonic) as finder:
        started_at = time.monotonic()
        __import__(name)  # this thread is the one it was installed for: it waits
    assert finder.waited_s > 0.01 and time.monotonic() - started_at >= finder.waited_s
    name = _module(tmp_path, monkeypatch, "keys_first_probe_e")
    waited: list[float] = []
    with keys_first.imports_in_pauses(time.monotonic, time.monotonic):
        other = threading.Thread(target=lambda: waited.append(_timed_import(name)))
        other.start()
        other.join(timeout=10)
    assert waited[0] < 0.01  # another thread's import does not


def test_the_ui_thread_s_first_imports_are_not_held_while_the_worker_waits(tmp_path, monkeypatch):
    """A finder on sys.meta_path is asked under the interpreter's global import lock: its wait
    held every first import of any other thread too."""
    worker_s = _module(tmp_path, monkeypatch, "keys_first_probe_f")
    ui_s = _module(tmp_path, monkeypatch, "keys_first_probe_g")
    waiting = threading.Event()
    real_wait = keys_first._Pauses.wait

    def wait(pauses) -> None:  # noqa: ANN001
        waiting.set()
        real_wait(pauses)

    monkeypatch.setattr(keys_first._Pauses, "wait", wait)
    worker = threading.Thread(target=_import_in_a_thread, args=(worker_s, time.monotonic))
    worker.start()
    assert waiting.wait(timeout=5)
    took = _timed_import(ui_s)
    worker.join(timeout=10)
    assert took < keys_first.MAX_WAIT_S / 5


def _timed_import(name: str) -> float:
    began = time.monotonic()
    __import__(name)
    return time.monotonic() - began


class _ListApp(App[None]):
    listed_at_rows = -1

    def compose(self) -> ComposeResult:
        yield CallTable(id="calls-table")

    def on_call_table_listed(self, _message: CallTable.Listed) -> None:
        self.listed_at_rows = self.query_one(CallTable).row_count


async def test_a_held_fill_says_when_drawn_and_keeps_its_rest_until_asked():
    from tests.test_call_list_first_rows import _views

    app = _ListApp()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(CallTable)
        table.rows_first, table.hold_rest = 10, True
        table.show(Shown(_views(40, long_unit_at=3), ""), "Asia/Shanghai")
        await until(pilot, lambda: app.listed_at_rows >= 0)
        assert app.listed_at_rows == 10
        await pilot.pause(0.2)
        assert table.row_count == 10  # the rest is held
        table.add_rest()
        assert table.row_count == 40


async def test_the_first_look_is_laid_out_with_its_list_and_header_names(
    calls_desk, clock, monkeypatch
):
    """Filled once laid out (its on_resize), the list came a layout of the whole screen and a
    frame after the form; the header's names set after compose, a layout later too."""
    from textual.screen import Screen
    from textual.widgets import Static

    import dutydesk.services.core as core
    from dutydesk.screens.first_calls import FirstCallsScreen

    at_first_layout: list[tuple[int, str, str]] = []
    real_layout = Screen._refresh_layout

    def layout(screen, size=None, scroll=False):  # noqa: ANN001, ANN202
        if isinstance(screen, FirstCallsScreen) and not at_first_layout:
            office = str(screen.query_one("#header-office", Static).render())
            duty = str(screen.query_one("#header-duty", Static).render())
            at_first_layout.append((screen.query_one(CallTable).row_count, office, duty))
        return real_layout(screen, size, scroll)

    monkeypatch.setattr(Screen, "_refresh_layout", layout)
    held, release = hold(monkeypatch, core, "open_desk")
    office_name = calls_desk.office.name
    async with started(calls_desk, clock, held.is_set) as (app, pilot):
        assert isinstance(app.screen, FirstCallsScreen)
        release.set()
        await until(pilot, app._taken_over.is_set)
    rows, office, duty = at_first_layout[0]
    assert rows == 3
    assert office_name[:4] in office
    assert duty  # who is on duty, or that no shift is open


async def test_the_keys_row_waits_for_a_pause_in_the_typing(calls_desk, clock, monkeypatch):
    from textual.widgets import Input

    import dutydesk.services.core as core
    from dutydesk.screens.first_calls import FirstCallsScreen
    from dutydesk.widgets.footer import DeskFooter

    held, release = hold(monkeypatch, core, "open_desk")
    async with started(calls_desk, clock, held.is_set) as (app, pilot):
        first = app.screen
        assert isinstance(first, FirstCallsScreen)
        began = time.monotonic()
        while time.monotonic() - began < TYPING_PAUSE_S * 2:  # typing, a key every 0.1 s
            await pilot.press("x")
            await pilot.pause(0.1)
            assert not first.query(DeskFooter)
        await until(pilot, lambda: bool(first.query(DeskFooter)))
        assert time.monotonic() - app.last_key_at >= TYPING_PAUSE_S * 0.9
        assert first.query_one("#f-caller", Input).value.startswith("xxxx")
        release.set()
        await until(pilot, app._taken_over.is_set)
