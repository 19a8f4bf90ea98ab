"""The shift leader away, from the calls screen (Ctrl+L) and the palette: refused input said in
the dialog with nothing written; once recorded, the header shows where the leader is, the
contact, until when and who stands in; the return clears it."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.roster import leader_whereabouts
from dutydesk.services.roster.people import add_person
from tests.support_people import authority_for

SIZE = (120, 36)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    await pilot.press(*[char if char != " " else "space" for char in text])


def _header(app) -> str:
    line = app.screen.query_one("#header-leader-line")
    return str(app.screen.query_one("#header-leader", Static).render()) if line.display else ""


async def test_the_dialog_records_the_absence_and_the_header_shows_it(desk, clock):
    add_person(
        desk, "李强", "leader", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert _header(app) == ""
        await pilot.press("ctrl+l")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "LeaderAbsenceDialog"
        await _type(pilot, "李")
        await _ready(app, pilot)
        await pilot.press("right")  # the completion offered: 李强
        assert app.screen.query_one("#absence-stands_in", Input).value == "李强"
        await pilot.press("tab")
        await _type(pilot, "市应急局")
        await pilot.press("tab")
        await _type(pilot, "abc")  # not a phone: refused, nothing written
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        status = str(app.screen.query_one("#absence-status", Static).render())
        assert t("field.absence_contact") in status and t("field.absence_until") in status
        assert leader_whereabouts(desk) is None
        app.screen.query_one("#absence-contact", Input).value = "13900001111"
        app.screen.query_one("#absence-until", Input).value = "16:00"
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        shown = _header(app)
        assert "王建国" in shown and "13900001111" in shown and "16:00" in shown and "李强" in shown
        assert leader_whereabouts(desk) is not None


async def test_the_return_from_the_palette_clears_the_header(desk, clock):
    from dutydesk.services.roster import AbsenceDraft, find_person, record_absence

    add_person(
        desk, "李强", "leader", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    draft = AbsenceDraft("李强", "市政府", "13900001111", clock.now().add(hours=2))
    record_absence(desk, draft, find_person(desk, "张伟"))
    app = make_app(desk.path, clock=clock, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert "Leader 王建国 away: 市政府" in _header(app)
        titles = {command.title: command for command in app.get_system_commands(app.screen)}
        titles[t("absence_dialog.palette", lang="en")].callback()
        await _ready(app, pilot)
        now = str(app.screen.query_one("#absence-now", Static).render())
        assert "市政府" in now
        await pilot.press("ctrl+r")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        assert _header(app) == ""
        assert leader_whereabouts(desk) is None
