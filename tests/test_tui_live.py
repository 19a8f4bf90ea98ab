"""The live board and header (issue 15, items 2 and 7): a change written by another process shows
on the deadline board and in the header without a key, both from one load, and neither reads the
register on the UI thread; the header names the whole crew at 80x24."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.i18n import set_language
from dutydesk.services.core import open_desk
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.widgets.countdown_table import CountdownTable
from tests.hostile import screen_text
from tests.support_people import authority_for

SIZE = (120, 36)
SMALL = (80, 24)
PATIENCE = 200  # pauses of 50 ms: a generous bound, never a timing assertion


def _another_terminal(path: Path, clock):  # -> Desk
    """A second Desk on the same file: its own engine and connections, as another process."""
    return open_desk(path, clock)


def _add_incident(desk, place: str) -> None:
    _add_incident_by(desk, "张伟", place)


def _add_incident_by(desk, officer: str, place: str) -> None:
    from dutydesk.services.roster.people import find_person

    draft = IncidentDraft(type="accident", level="III", occurred_at=desk.now(), place=place,
                          summary="燃气管道破裂")  # fmt: skip
    record_incident(desk, draft, find_person(desk, officer))


def _board_rows(app) -> int:
    return app.screen.query_one("#board", CountdownTable).row_count


def _header_count(app) -> int:
    """The header's count of open deadlines ("报告时限 2 项 · …"; nothing shown when none)."""
    text = str(app.screen.query_one("#header-deadlines", Static).render())
    found = re.search(r"报告时限 (\d+) 项", text)
    return int(found[1]) if found else 0


async def _open_board(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()


async def _until(pilot, app, condition) -> None:
    """Pause until `condition()`, checking at every step that header and board agree."""
    for _ in range(PATIENCE):
        assert _header_count(app) == _board_rows(app)
        if condition():
            return
        await pilot.pause(0.05)


async def test_a_deadline_added_by_another_terminal_shows_on_the_board_and_in_the_header(
    desk, clock
):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        assert _board_rows(app) == 0 and _header_count(app) == 0
        other = _another_terminal(desk.path, clock)
        try:
            _add_incident(other, "人民路")  # Tianjin III: a phone and a written deadline
        finally:
            other.close()
        await _until(pilot, app, lambda: _board_rows(app) == 2)  # no key pressed
        assert _board_rows(app) == 2 and _header_count(app) == 2
        assert "事件#1" in app.screen.query_one("#board", CountdownTable).cell_text(0, "what")


async def test_header_and_board_drop_a_deadline_closed_elsewhere_together(desk, clock, officer):
    _add_incident(desk, "人民路")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        assert _board_rows(app) == 2 and _header_count(app) == 2
        other = _another_terminal(desk.path, clock)
        try:
            first = deadlines.open_deadlines(other)[0]
            deadlines.close_deadline(other, first.id, officer, reason="已电话报告")
            await _until(pilot, app, lambda: _board_rows(app) == 1)
            assert _board_rows(app) == 1 and _header_count(app) == 1
            _add_incident(other, "河滨公园")
            _add_incident(other, "开发区")
            await _until(pilot, app, lambda: _board_rows(app) == 5)
            assert _board_rows(app) == 5 and _header_count(app) == 5
        finally:
            other.close()


async def test_a_write_made_in_the_app_leaves_board_and_header_together(desk, clock, officer):
    """Ctrl+A / Ctrl+D on the board ask for the same reload at once, not after the next check."""
    _add_incident(desk, "人民路")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        assert _board_rows(app) == 2
        first = deadlines.open_deadlines(desk)[0]
        deadlines.close_deadline(desk, first.id, officer, reason="已电话报告")
        app.screen.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _board_rows(app) == 1 and _header_count(app) == 1


@pytest.fixture
def statements_on_ui_thread() -> Iterator[list[str]]:
    """Every SQL statement run on the UI (main) thread while the fixture is active."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if threading.current_thread() is threading.main_thread():
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


async def test_the_board_and_header_read_nothing_on_the_ui_thread(
    desk, clock, statements_on_ui_thread
):
    _add_incident(desk, "人民路")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_board(app, pilot)
        statements_on_ui_thread.clear()  # the calls screen's own reads are not this lane's

        def elsewhere() -> None:  # another terminal: not on this test's (the UI's) thread
            other = _another_terminal(desk.path, clock)
            try:
                _add_incident(other, "河滨公园")
            finally:
                other.close()

        await asyncio.to_thread(elsewhere)
        await _until(pilot, app, lambda: _board_rows(app) == 4)
        clock.advance(minutes=21)  # into the warning window: the board and header count down
        app.screen.tick()
        app.screen.query_one("DutyHeader").tick()
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause(1.1)  # a tick of each timer
        assert _board_rows(app) == 4
    assert statements_on_ui_thread == [], "\n".join(statements_on_ui_thread)


def _henan_desk(tmp_path: Path, clock):  # -> Desk
    """A Henan register: two officers a shift, with a leader and a standby."""
    from dutydesk.services.core import init_database
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.shifts import open_shift

    desk = init_database(tmp_path / "henan.sqlite3", "河南省某市人民政府总值班室", "henan", clock)
    crew = (("欧阳建华", "officer"), ("司马文静", "officer"), ("诸葛明远", "leader"),
            ("赵磊", "standby"))  # fmt: skip
    for name, role in crew:
        add_person(desk, name, role, in_post_since=date(2024, 1, 1), authority=authority_for(desk))
    open_shift(desk, "欧阳建华", leader="诸葛明远", standby="赵磊", second_officer="司马文静")
    return desk


@pytest.mark.parametrize("size", [SMALL, SIZE])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_header_names_the_whole_crew_unclipped(tmp_path, clock, size, lang):
    desk = _henan_desk(tmp_path, clock)
    desk.close()
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.screen.__class__.__name__ == "OpenShiftScreen":  # pragma: no cover - a shift is open
            await pilot.press("escape")
        await pilot.press("f3")
        await pilot.pause()
        header = "\n".join(screen_text(app).splitlines()[:3])
    set_language(lang)
    from dutydesk.i18n import t

    wanted = [
        t("header.on_duty", officer="欧阳建华", leader="诸葛明远"),
        t("header.second_officer", name="司马文静"),
        t("header.standby", name="赵磊"),
    ]
    for text in wanted:
        assert text in header, (text, header)
    assert "…" not in header


def test_board_with_a_full_crew_at_80x24_snapshot(tmp_path, clock, snap_compare):
    """Henan: officer, leader, second officer and standby over the board, at 80x24."""
    desk = _henan_desk(tmp_path, clock)
    _add_incident_by(desk, "欧阳建华", "人民路")
    desk.close()
    app = make_app(desk.path, clock=clock)

    async def ready(pilot) -> None:
        await _open_board(app, pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=ready)


async def test_calls_saved_by_another_terminal_appear_in_the_shift_list(desk, clock, officer):
    """Henan's two officers log calls from two terminals: each list shows both without a key."""
    from dutydesk.services.calls.calls import CallDraft, save_call

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        numbers = lambda: [str(row.value) for row in app.screen.query_one("#calls-table").rows]  # noqa: E731
        assert numbers() == []
        other = _another_terminal(desk.path, clock)
        try:
            draft = CallDraft(caller="李红", unit="城关镇", phone="0371-66000000", summary="积水")
            saved = save_call(other, draft, officer)
            for _ in range(PATIENCE):
                if numbers():
                    break
                await pilot.pause(0.05)
            assert numbers() == [saved.number]
        finally:
            other.close()
