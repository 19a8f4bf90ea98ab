"""After a refusal the cursor is in the field the message names (QA session 10: it stayed where
it was, so a PIN typed again after a refusal landed, in clear, in a name or reason field): the
roster's dialogs, the open-shift dialog, the incident form and the spot-check outcome."""

from __future__ import annotations

from textual.widgets import Input, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.roster import current_shift
from tests.roster_support import PLANNER, staff
from tests.support_people import ADMIN_PIN
from tests.support_pilot import until_mounted
from tests.test_tui_roster_changes import (
    LEADER_PIN,
    _file,
    _ready,
    _roster_screen,
    _sign_in_as_admin,
    _type,
    new_register,  # noqa: F401 - the fixture
)


def _said(app, selector: str = ".dialog-status") -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_the_administrator_dialog_takes_the_cursor_to_the_name_it_refuses(
    new_register,  # noqa: F811 - the fixture
    clock,
):
    desk, names = new_register
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _roster_screen(app, pilot)
        await pilot.press("pagedown", "ctrl+g")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "AdminDialog"
        await _type(pilot, names["leader"][1])  # a leader, not an administrator
        await pilot.press("tab")
        await _type(pilot, ADMIN_PIN)
        await pilot.press("enter")  # Enter in the PIN (the last field) signs in
        await _ready(app, pilot)
        assert _said(app) == t("authority.not_admin", name=names["leader"][1])
        assert app.focused is app.screen.query_one("#admin-name", Input)


async def test_the_change_dialog_takes_the_cursor_to_the_pin_or_the_reason_refused(
    new_register,  # noqa: F811 - the fixture
    clock,
):
    from textual.widgets import DataTable

    from tests.test_tui_roster_changes import OFFICER_COLUMN, _idle_officer

    desk, names = new_register
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _roster_screen(app, pilot)
        await pilot.press("pagedown", "ctrl+g")
        await _ready(app, pilot)
        await _sign_in_as_admin(app, pilot)
        await _file(app, pilot, "市政府总值班室")
        grid = screen.query_one("#roster-grid", DataTable)
        grid.focus()
        await pilot.press("right", "right", "right", "right")
        assert grid.cursor_coordinate.column == OFFICER_COLUMN
        substitute = _idle_officer(screen, names)
        await pilot.press("ctrl+t")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "ChangeDialog"
        dialog = app.screen
        await _type(pilot, substitute)
        await pilot.press("tab", "tab")
        await _type(pilot, "家中有事")
        await pilot.press("tab")
        await _type(pilot, names["leader"][0])
        await pilot.press("tab")
        await _type(pilot, "000000")  # a wrong PIN
        await pilot.press("enter", "enter")  # to the last field (the override), which saves
        await _ready(app, pilot)
        assert app.screen is dialog
        assert "000000" not in dialog.query_one("#change-override", Input).value
        pin = dialog.query_one("#change-pin", Input)
        assert app.focused is pin and pin.value == ""  # typed again there, not in the override

        dialog.query_one("#change-reason", Input).value = ""
        await _type(pilot, LEADER_PIN)
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert _said(app) == t("roster.bad_reason")
        assert app.focused is dialog.query_one("#change-reason", Input)


async def test_the_open_shift_dialog_takes_the_cursor_to_the_substitution_it_asks_for(
    bare_desk, clock
):
    from textual.widgets import Select

    from dutydesk.services.roster.rotation import generate_month
    from dutydesk.services.roster.shift_roster import proposal

    desk = bare_desk
    names = staff(desk, leaders=3, officers=4)
    generate_month(desk, 2026, 11, seed=7, by=PLANNER)
    plan = proposal(desk)
    other = next(name for name in names["officer"] if name != plan.names["officer"])
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        assert type(screen).__name__ == "OpenShiftScreen"
        await until_mounted(pilot, screen)
        screen.query_one("#shift-officer", Select).value = other  # not rostered
        screen.query_one("#shift-leader", Select).focus()
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert app.screen is screen
        assert other in _said(app, "#open-shift-status")
        assert app.focused is screen.query_one("#shift-sub-reason", Input)
        assert current_shift(desk) is None


async def test_the_incident_form_takes_the_cursor_to_the_field_named_first(desk, clock):
    """The message names the problems in the service's order; the cursor went to the first
    marked field on screen instead (a count named after a text sat above it)."""
    from dutydesk.screens.entry_form import board_form

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        form = board_form("incident")
        app.push_screen(form)
        await _ready(app, pilot)
        form.query_one("#e-incident_type").value = "accident"
        form.query_one("#e-incident_level").value = "IV"
        form.query_one("#e-incident_occurred_at", Input).value = "09:30"
        form.query_one("#e-incident_summary").text = "仓库起火"
        form.query_one("#e-casualties_dead", Input).value = "99999999"  # over the limit
        form.query_one("#e-incident_reporter", Input).value = "李\u202e明"  # a bidi override
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        said = _said(app, "#entry-status")
        first = said.index(t("field.incident_reporter"))
        assert first < said.index(t("field.casualties_dead"))
        assert app.focused is form.query_one("#e-incident_reporter", Input)
