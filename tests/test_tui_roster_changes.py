"""The roster screen (F7) on a new register, driven from the keyboard: no shift is open, so an
administrator signs in with their PIN (a wrong PIN refused) to generate and file a month; then a
substitution on a filed seat with the reason and a leader's PIN (the grid shows the substitute
with the original), its report to the upper office, and a holiday roster made, generated and
filed in the same grid."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from dutydesk.app import make_app
from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import Roster, RosterChange, RosterFiling
from dutydesk.services.roster import current_shift
from dutydesk.services.roster.pins import set_pin
from tests.roster_support import PLANNER, staff
from tests.support_people import ADMIN, ADMIN_PIN, authority_for

SIZE = (120, 36)
OFFICER_COLUMN = 4  # date, weekday, shift, leader, officer
NOTES_COLUMN = 6
LEADER_PIN = "582046"


@pytest.fixture
def new_register(bare_desk):
    """Three leaders (the first with a PIN) and five officers; no shift open yet."""
    names = staff(bare_desk, leaders=3, officers=5)
    set_pin(bare_desk, names["leader"][0], LEADER_PIN, LEADER_PIN,
            authority=authority_for(bare_desk))  # fmt: skip
    assert current_shift(bare_desk) is None
    return bare_desk, names


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _type(pilot, text: str) -> None:
    await pilot.press(*list(text))


def _status(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _roster_screen(app, pilot):
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "OpenShiftScreen"  # a new register asks first
    await pilot.press("escape")
    await pilot.press("f7")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "RosterScreen"
    return app.screen


async def _sign_in_as_admin(app, pilot) -> None:
    """The administrator dialog is up: a wrong PIN first (refused), then the right one."""
    assert type(app.screen).__name__ == "AdminDialog"
    await _type(pilot, ADMIN)
    await pilot.press("tab")
    await _type(pilot, "000000")
    await pilot.press("ctrl+s")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "AdminDialog"
    assert _status(app, ".dialog-status")  # said why, in the dialog
    app.screen.query_one("#admin-pin", Input).focus()
    await _type(pilot, ADMIN_PIN)
    await pilot.press("enter")  # Enter in the last field signs in
    await _ready(app, pilot)


async def _file(app, pilot, to: str) -> None:
    await pilot.press("ctrl+f")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "FileRosterDialog"
    await _type(pilot, to)
    await pilot.press("ctrl+s")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "RosterScreen", _status(app, "#file-status")


def _idle_officer(screen, names) -> str:
    """An officer in none of the first four shifts (rest rules cannot refuse them)."""
    busy = {name for row in screen.rows[:4] for name in row.names.values()}
    return next(name for name in names["officer"] if name not in busy)


async def test_an_admin_builds_files_and_changes_a_month_with_no_shift_open(new_register, clock):
    desk, names = new_register
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _roster_screen(app, pilot)
        await pilot.press("pagedown")  # December 2026
        await _ready(app, pilot)
        await pilot.press("ctrl+g")
        await _ready(app, pilot)
        await _sign_in_as_admin(app, pilot)
        assert screen.acting_as == ADMIN
        assert len(screen.rows) == 62 and all(row.names["officer0"] for row in screen.rows)
        await _file(app, pilot, "市政府总值班室")
        assert t("roster_screen.filed", at="")[:3] in str(
            screen.query_one("#roster-title").render()
        )

        grid = screen.query_one("#roster-grid", DataTable)
        grid.focus()
        await pilot.press("right", "right", "right", "right")  # the officer's seat of 12-01 day
        assert grid.cursor_coordinate.column == OFFICER_COLUMN
        original, substitute = screen.rows[0].names["officer0"], _idle_officer(screen, names)
        await pilot.press("ctrl+t")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ChangeDialog"
        await _type(pilot, substitute)
        await pilot.press("tab", "tab")  # past the day to swap with
        await _type(pilot, "家中有事")
        await pilot.press("tab")
        await _type(pilot, names["leader"][0])
        await pilot.press("tab")
        await _type(pilot, LEADER_PIN)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen", _status(app, ".dialog-status")
        assert screen.rows[0].names["officer0"] == substitute
        notes = str(grid.get_cell_at((0, NOTES_COLUMN)))
        assert substitute in notes and original in notes  # the substitute with the original
        assert "Ctrl+R" in _status(app, "#roster-status")  # Tianjin: the upper office is told

        await pilot.press("ctrl+r")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ReportChangeDialog"
        await _type(pilot, "市政府总值班室")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        await pilot.press("ctrl+r")  # nothing left to report
        assert _status(app, "#roster-status") == t("roster_screen.nothing_to_report")
        await pilot.press("down", "up")  # back on the changed seat: the change said in full
        await pilot.pause()
        assert original in _status(app, "#roster-status")
        assert substitute in _status(app, "#roster-status")

    with read_session(desk.engine) as session:
        change = session.exec(select(RosterChange)).one()
        filings = session.exec(select(RosterFiling)).all()
    assert (change.kind, change.reason) == ("substitution", "家中有事")
    assert [f.change_id for f in filings] == [None, change.id]
    assert current_shift(desk) is None  # the administrator sat no shift


async def test_a_change_before_filing_is_refused_and_points_to_assigning(new_register, clock):
    desk, _names = new_register
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _roster_screen(app, pilot)
        await pilot.press("pagedown", "ctrl+g")
        await _ready(app, pilot)
        await _sign_in_as_admin(app, pilot)
        grid = screen.query_one("#roster-grid", DataTable)
        grid.focus()
        await pilot.press("right", "right", "right", "right", "ctrl+t")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert _status(app, "#roster-status") == t("roster_screen.change_not_filed")


async def test_the_administrators_sign_in_lapses_after_ten_minutes(new_register, clock):
    desk, _names = new_register
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _roster_screen(app, pilot)
        await pilot.press("pagedown", "ctrl+g")
        await _ready(app, pilot)
        await _sign_in_as_admin(app, pilot)
        assert screen.acting_as == ADMIN
        clock.advance(minutes=9)
        await pilot.press("ctrl+g")  # within the ten minutes: no PIN asked
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        clock.advance(minutes=2)  # a shared terminal: the next person must sign again
        await pilot.press("ctrl+g")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "AdminDialog"


async def test_a_holiday_roster_is_made_generated_and_filed_in_the_grid(new_register, clock):
    desk, _names = new_register
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _roster_screen(app, pilot)
        await pilot.press("ctrl+n")
        await _ready(app, pilot)
        await _sign_in_as_admin(app, pilot)
        assert type(app.screen).__name__ == "NewRosterDialog"
        await _type(pilot, "2026-12-30")  # a range without a holiday first: refused
        await pilot.press("tab")
        await _type(pilot, "2026-12-31")
        await pilot.press("tab")
        await _type(pilot, "元旦")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "NewRosterDialog"
        assert "2026-12-30" in _status(app, ".dialog-status")
        for field, typed in (("#new-from", "2027-01-01"), ("#new-until", "2027-01-03")):
            app.screen.query_one(field, Input).focus()
            await pilot.press("ctrl+u")  # Textual's Input: delete to the start
            await _type(pilot, typed)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert (screen.year, screen.month) == (2027, 1)
        with read_session(desk.engine) as session:
            holiday = session.exec(select(Roster).where(Roster.kind == "holiday")).one()
        assert "元旦" in str(screen.query_one("#roster-title").render())

        grid = screen.query_one("#roster-grid", DataTable)
        grid.focus()
        await pilot.press("home")
        assert screen.rows[grid.cursor_coordinate.row].roster_id == holiday.id
        await pilot.press("ctrl+g")  # the holiday roster under the cursor, not the month
        await _ready(app, pilot)
        own = [row for row in screen.rows if row.roster_id == holiday.id]
        assert own and all(row.names["officer0"] and row.names["leader0"] for row in own)
        assert all(row.roster_id == holiday.id for row in screen.rows if row.day.day <= 3)
        await _file(app, pilot, "市政府总值班室")

    with read_session(desk.engine) as session:
        filings = session.exec(select(RosterFiling)).all()
        month = session.exec(select(Roster).where(Roster.kind == "month")).all()
    assert [f.roster_id for f in filings] == [holiday.id]
    assert month == []  # only the holiday roster was generated


def test_a_refusal_names_slots_and_roles_as_the_catalogue_does():
    from dutydesk.errors import DutyError
    from dutydesk.screens.roster_dialogs import refusal

    shown = refusal(DutyError("roster.change_past", day="2026-12-01", slot="night"))
    assert t("shift.night") in shown and "night" not in shown
    shown = refusal(DutyError("roster.no_seat", role="officer", seat=2))
    assert t("role.officer") in shown and "officer" not in shown


async def test_a_change_breaking_a_rest_rule_is_refused_until_the_override_is_given(
    new_register, clock, tmp_path
):
    """Ctrl+T on 12-02's day shift, giving it to the officer of the night before: refused in the
    dialog with the rest rule; with the override's reason it is recorded and kept."""
    from dutydesk.services.roster import file_roster, generate_month, month_roster_id

    desk, names = new_register
    generate_month(desk, 2026, 12, seed=3, by=PLANNER)
    file_roster(desk, month_roster_id(desk, 2026, 12, PLANNER), sent_to="市政府总值班室",
                channel="fax", by=PLANNER, out_dir=tmp_path)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _roster_screen(app, pilot)
        await pilot.press("pagedown")  # December 2026
        await _ready(app, pilot)
        tired = screen.rows[1].names["officer0"]  # 12-01 night
        grid = screen.query_one("#roster-grid", DataTable)
        grid.focus()
        await pilot.press("down", "down", "right", "right", "right", "right")  # 12-02 day
        assert grid.cursor_coordinate == (2, OFFICER_COLUMN)
        await pilot.press("ctrl+t")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ChangeDialog"
        await _type(pilot, tired)
        await pilot.press("tab", "tab")
        await _type(pilot, "临时调整")
        await pilot.press("tab")
        await _type(pilot, names["leader"][0])
        await pilot.press("tab")
        await _type(pilot, LEADER_PIN)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ChangeDialog"  # refused, said in the dialog
        assert "休息" in _status(app, ".dialog-status")
        app.screen.query_one("#change-override", Input).focus()
        await _type(pilot, "无人可替")
        app.screen.query_one("#change-pin", Input).focus()  # a refusal clears the PIN
        await _type(pilot, LEADER_PIN)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen", _status(app, ".dialog-status")
        assert screen.rows[2].names["officer0"] == tired
        await pilot.press("down", "up")  # back on the changed seat: the change said in full
        await pilot.pause()
        assert t("roster_rest.shown", reason="无人可替") in _status(app, "#roster-status")
    with read_session(desk.engine) as session:
        change = session.exec(select(RosterChange)).one()
    assert change.rest_override == "无人可替"
