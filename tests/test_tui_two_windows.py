"""Two apps on one register (a second terminal window): each keeps its own call form draft
(session 20: the second's draft overwrote the first's, and each start restored the other's
typing). The first app keeps `call` as before; a second one keeps `call-window-<token>`, which
the next app hands back (Ctrl+R) once the second has gone."""

from __future__ import annotations

from textual.widgets import Input

from dutydesk.app import make_app
from dutydesk.screens.pending_files import FORM_DRAFT, WINDOW_PREFIX
from dutydesk.services.core import load_draft
from tests.test_tui_calls import SIZE, _ready, _status, _type


def _window_drafts(desk) -> list[str]:  # noqa: ANN001
    head, tail = f"{desk.path.name}.", ".draft.json"
    return [name[len(head) : -len(tail)] for name in sorted(p.name for p in desk.path.parent.iterdir())
            if name.startswith(head + WINDOW_PREFIX) and name.endswith(tail)]  # fmt: skip


async def _typed(app, pilot, caller: str) -> None:  # noqa: ANN001
    await _ready(app, pilot)
    await _type(pilot, caller)
    await pilot.pause(0.5)  # the draft is written 0.3 s after the last key


async def test_a_second_window_keeps_its_own_draft_and_the_next_start_hands_it_back(desk, clock):
    first, second = make_app(desk.path, clock=clock), make_app(desk.path, clock=clock)
    async with first.run_test(size=SIZE) as pilot:
        await _typed(first, pilot, "李一")
        async with second.run_test(size=SIZE) as other:
            await _ready(second, other)
            assert second.screen.query_one("#f-caller", Input).value == ""  # not the first's
            await _typed(second, other, "王二")
            assert load_draft(desk.path, FORM_DRAFT)["caller"] == "李一"
            (window,) = _window_drafts(desk)
            assert load_draft(desk.path, window)["caller"] == "王二"
    # both gone, each with its typing kept: the next start has the first's in its form and
    # the second's handed back
    again = make_app(desk.path, clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await _ready(again, pilot)
        assert again.screen.query_one("#f-caller", Input).value == "李一"
        assert [call["caller"] for call in again.screen.pending.handed_back] == ["王二"]
        said = _status(again)  # typed, not saved: not "saved but not confirmed" (session 21)
        assert "另一窗口" in said and "未保存" in said and "已按保存" not in said, said
        assert _window_drafts(desk) == []
        again.screen.pending._own.release()


async def test_a_second_window_quit_with_an_empty_form_leaves_no_file(desk, clock):
    first, second = make_app(desk.path, clock=clock), make_app(desk.path, clock=clock)
    async with first.run_test(size=SIZE) as pilot:
        await _ready(first, pilot)
        async with second.run_test(size=SIZE) as other:
            await _typed(second, other, "王二")
            await other.press(*["backspace"] * 2)
            await other.pause(0.5)
            await other.press("ctrl+q")
            await other.pause(0.2)
        leftovers = [p.name for p in desk.path.parent.iterdir() if WINDOW_PREFIX in p.name]
        assert leftovers == []


async def test_a_lock_left_by_a_second_window_killed_with_nothing_typed_is_removed(desk, clock):
    """New officer, session 21: one lock file more beside the register for each such kill."""
    left = desk.path.with_name(f"{desk.path.name}.{WINDOW_PREFIX}-0123456789ab.lock")
    left.write_bytes(b"")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert not left.exists()
        assert app.screen.pending.handed_back == []


async def test_a_folder_planted_at_the_lock_gives_each_app_a_draft_of_its_own(desk, clock):
    """Breaker, session 21: with no lock to be had, every app shared `call` unlocked, and the
    second's typing overwrote the first's."""
    desk.path.with_name(f"{desk.path.name}.{FORM_DRAFT}.lock").mkdir()
    first, second = make_app(desk.path, clock=clock), make_app(desk.path, clock=clock)
    async with first.run_test(size=SIZE) as pilot:
        await _typed(first, pilot, "李一")
        async with second.run_test(size=SIZE) as other:
            await _typed(second, other, "王二")
            assert second.screen.query_one("#f-caller", Input).value == "王二"
            kept = sorted(load_draft(desk.path, form)["caller"] for form in _window_drafts(desk))
            assert kept == ["李一", "王二"]


async def test_a_draft_that_cannot_be_read_is_left_where_it_is(desk, clock):
    """Breaker, session 21: a window's draft over the reading cap, or not an object, was
    removed at the next start with nothing handed back."""
    unread = desk.path.with_name(f"{desk.path.name}.{WINDOW_PREFIX}-0123456789ab.draft.json")
    unread.write_text("[1, 2, 3]", encoding="utf-8")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert unread.read_text(encoding="utf-8") == "[1, 2, 3]"


async def test_the_apps_own_draft_that_cannot_be_read_is_set_aside_not_removed(desk, clock):
    """Breaker, session 21: the form, empty, removed it at the next Ctrl+Q (or a key wrote over
    it). It is renamed aside, kept as it is, and the officer told where."""
    kept = desk.path.with_name(f"{desk.path.name}.{FORM_DRAFT}.draft.json")
    kept.write_text("[1, 2]", encoding="utf-8")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert "无法读取" in _status(app)
        await pilot.press("ctrl+q")
        await pilot.pause(0.1)
    (aside,) = desk.path.parent.glob(f"{desk.path.name}.{FORM_DRAFT}-unreadable-*.draft.json")
    assert aside.read_text(encoding="utf-8") == "[1, 2]"
