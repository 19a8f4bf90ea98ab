"""The roster screen (F7) driven from the keyboard: a month generated, a seat assigned by typing
a name with completion, a refused assignment said in the user's language, a conflict shown in
place that refuses the filing, and the month filed through the dialog (files in the archive)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from dutydesk.app import make_app
from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import RosterFiling
from tests.roster_support import staff

SIZE = (120, 36)
OFFICER_COLUMN = 4  # date, weekday, shift, leader, officer


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _type(pilot, text: str) -> None:
    await pilot.press(*list(text))


def _status(app, selector: str = "#roster-status") -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _seat(app, pilot, row: int, column: int, typed: str, *, complete: bool) -> None:
    """Move to (row, column) with the arrow keys, Enter, replace the name, Enter."""
    grid = app.screen.query_one("#roster-grid", DataTable)
    grid.focus()
    while grid.cursor_coordinate.row < row:
        await pilot.press("down")
    while grid.cursor_coordinate.column < column:
        await pilot.press("right")
    while grid.cursor_coordinate.column > column:
        await pilot.press("left")
    await pilot.press("enter")
    await pilot.pause()
    assert app.screen.query_one("#roster-name", Input).has_focus
    await pilot.press("ctrl+u")  # the seat's name is offered: clear it
    await _type(pilot, typed)
    await _ready(app, pilot)
    if complete:
        await pilot.press("right")  # take the completion offered
    await pilot.press("enter")
    await _ready(app, pilot)


async def test_a_month_is_built_and_filed_from_the_keyboard(desk, clock):
    names = staff(desk, leaders=3, officers=5)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f7")
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "RosterScreen"
        assert t("roster_screen.none_yet") in str(screen.query_one("#roster-title").render())
        await pilot.press("pagedown")  # December 2026
        await _ready(app, pilot)
        await pilot.press("ctrl+g")
        await _ready(app, pilot)
        assert (screen.year, screen.month) == (2026, 12)
        assert len(screen.rows) == 62  # 31 days, a day and a night shift each
        assert all(row.names["officer0"] for row in screen.rows)
        # every rostered person counted: these eight and the register's 张伟 and 王建国, and its
        # standby 赵磊 (the optional standby seat is filled where there are standby people)
        assert screen.query_one("#roster-counts", DataTable).row_count == 11

        officer = names["officer"][0]
        await _seat(app, pilot, 0, OFFICER_COLUMN - 1, officer, complete=False)  # a leader's seat
        assert officer in _status(app) and screen.rows[0].names["leader0"] != officer
        await pilot.press("escape")

        await _seat(app, pilot, 0, OFFICER_COLUMN, "", complete=False)  # blank: cleared
        assert screen.rows[0].names["officer0"] is None and screen.rows[0].blocking
        assert "⚠" in str(screen.query_one("#roster-grid", DataTable).get_cell_at((0, 6)))
        await pilot.press("ctrl+f")
        await pilot.pause()
        await _type(pilot, "市政府总值班室")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "FileRosterDialog"  # refused: a conflict blocks
        assert _status(app, "#file-status")
        await pilot.press("escape")
        await _ready(app, pilot)

        await _seat(app, pilot, 0, OFFICER_COLUMN, officer[0], complete=True)
        assert screen.rows[0].names["officer0"] == officer and not screen.rows[0].blocking
        await pilot.press("ctrl+f")
        await pilot.pause()
        await _type(pilot, "市政府总值班室")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert "2026年12月" in _status(app)

    with read_session(desk.engine) as session:
        filings = session.exec(select(RosterFiling)).all()
    assert [(f.sent_to, f.channel) for f in filings] == [("市政府总值班室", "fax")]
    folder = Path(desk.path).parent / "exports" / "rosters"
    assert sorted(p.suffix for p in folder.iterdir()) == [".docx", ".xlsx"]
