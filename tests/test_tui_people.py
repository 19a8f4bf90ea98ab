"""The People screen (F6) driven with keys: the register with roles, eligibility and PINs; adding
a person and setting a PIN only with an administrator's name and PIN; and the new PIN asked for
at sign-off from someone whose PIN predates the 6-digit rule."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.roster.authority import list_acts
from dutydesk.services.roster.people import add_person, find_person
from dutydesk.services.roster.pins import has_pin, verify_pin
from tests.support_people import ADMIN, ADMIN_PIN, authority_for
from tests.test_hostile_ui import hostile, hostile_template  # noqa: F401 - fixtures

SIZE = (120, 36)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    await pilot.press(*[char if char != " " else "space" for char in text])


async def _people(app, pilot) -> DataTable:
    await _ready(app, pilot)
    await pilot.press("f6")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "PeopleScreen"
    return app.screen.query_one("#people-table", DataTable)


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _status(app) -> str:
    return str(app.screen.query_one("#people-status", Static).render())


async def _save_dialog(app, pilot) -> None:
    await pilot.press("ctrl+s")
    await _ready(app, pilot)


async def test_f6_lists_people_with_role_eligibility_and_pin_literally(desk, clock):
    add_person(desk, "张[/]", "standby", staff=False, authority=authority_for(desk))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        rows = _rows(await _people(app, pilot))
        assert rows[0] == [ADMIN, t("role.admin"), "—",
                           t("people_screen.pin_set")]  # fmt: skip
        assert [t("role.officer"), t("people_screen.pin_none")] == [rows[2][1], rows[2][3]]
        strange = next(row for row in rows if row[0] == "张[/]")  # markup shown as typed
        assert strange[2].startswith(t("people_screen.not_eligible", reasons="")[:4])
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert t("people_screen.nav") in titles  # also in the command palette


async def test_adding_a_person_needs_an_administrator_and_names_them(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _people(app, pilot)
        before = table.row_count
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "AddPersonDialog"
        await _type(pilot, "李娜")
        app.screen.query_one("#person-since", Input).value = "2024-01-01"
        app.screen.query_one("#admin-name", Input).value = ADMIN
        app.screen.query_one("#admin-pin", Input).focus()
        await _type(pilot, "000111")  # a wrong PIN: refused in the dialog, nobody added
        await _save_dialog(app, pilot)
        assert type(app.screen).__name__ == "AddPersonDialog"
        said = str(app.screen.query_one(".dialog-status", Static).render())
        assert "密码错误" in said and app.screen.query_one("#admin-pin", Input).value == ""
        app.screen.query_one("#admin-pin", Input).focus()
        await _type(pilot, ADMIN_PIN)
        await pilot.press("enter")  # Enter in the last field saves
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "PeopleScreen"
        assert _status(app) == t(
            "people_screen.added", name="李娜", role=t("role.officer"), admin=ADMIN
        )
        assert table.row_count == before + 1
    assert find_person(desk, "李娜").in_post_since == date(2024, 1, 1)
    last = list_acts(desk)[-1]
    assert (last.kind, last.person, last.authorised_by) == ("added", "李娜", ADMIN)


async def test_a_first_pin_is_set_from_the_list_with_an_administrator(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _people(app, pilot)
        table.focus()
        await pilot.press("down", "down")  # 管理员甲, 王建国, then 张伟 (roles, then names)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert type(app.screen).__name__ == "SetPinDialog"
        await _type(pilot, "271828")
        await pilot.press("enter")
        await _type(pilot, "271828")
        await pilot.press("enter")
        await _type(pilot, ADMIN)
        await pilot.press("enter")
        await _type(pilot, ADMIN_PIN)
        await pilot.press("enter")
        await _ready(app, pilot)
        assert _status(app) == t("people_screen.pin_done", name="张伟", admin=ADMIN)
        assert _rows(table)[2][3] == t("people_screen.pin_set")
    assert verify_pin(desk, "张伟", "271828").name == "张伟"


async def test_a_weak_pin_is_refused_in_the_dialog_and_nothing_is_tried(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _people(app, pilot)
        table.focus()
        await pilot.press("down", "down", "ctrl+r")
        await pilot.pause()
        for field, value in (("new-pin", "123456"), ("new-pin-again", "123456"),
                             ("admin-name", ADMIN), ("admin-pin", ADMIN_PIN)):  # fmt: skip
            app.screen.query_one(f"#{field}", Input).value = value
        await _save_dialog(app, pilot)
        said = str(app.screen.query_one(".dialog-status", Static).render())
        assert said == t("handover_pin.straight_run")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"
    assert not has_pin(desk, "张伟")


async def test_sign_off_asks_for_a_new_pin_when_the_old_one_predates_the_rule(desk, clock, officer):
    from tests.test_people_authority import _legacy_pin
    from tests.test_tui_handover import _open_sign_off, _prepare

    _prepare(desk, clock, officer)
    _legacy_pin(desk, "张伟", "1234")  # set under the 4-digit rule
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sign_off(app, pilot, desk)
        await _type(pilot, "1234")
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "李明")
        await pilot.press("enter")
        await _type(pilot, "314159")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # no leader: signed
        await pilot.pause()
        assert type(app.screen).__name__ == "NewPinDialog"
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert t("pin_rule.outdated", name="张伟") in shown
        await _type(pilot, "802417")
        await pilot.press("enter")
        await _type(pilot, "802417")
        await pilot.press("enter")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "HandoverScreen"
    assert not verify_pin(desk, "张伟", "802417").pin_outdated


async def test_a_name_with_markup_is_shown_literally_in_the_pin_dialog(desk, clock):
    add_person(desk, "张[/]", "standby", authority=authority_for(desk))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _people(app, pilot)
        table.focus()
        row = next(i for i, cells in enumerate(_rows(table)) if cells[0] == "张[/]")
        await pilot.press(*["down"] * row, "ctrl+r")
        await pilot.pause()
        assert type(app.screen).__name__ == "SetPinDialog"
        title = app.screen.query_one("VerticalScroll").border_title
        assert "张[/]" in str(title.plain if hasattr(title, "plain") else title).replace("\\", "")


async def test_hostile_names_are_shown_as_typed_and_clicks_do_nothing(hostile, clock):  # noqa: F811
    from tests import hostile as h
    from tests.test_hostile_ui import _start

    app = make_app(hostile.path, clock=clock)
    async with app.run_test(size=(160, 60)) as pilot:
        await _start(app, pilot, "f6")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "PeopleScreen"
        text = h.screen_text(app)
        for shown in (h.CLOSE_ALL, h.STYLED):
            assert shown in text, shown
        table = app.screen.query_one("#people-table", DataTable)
        table.focus()
        row = next(i for i, cells in enumerate(_rows(table)) if cells[0] == h.STYLED)
        await pilot.press(*["down"] * row, "ctrl+r")
        await pilot.pause()
        assert h.STYLED in h.screen_text(app)  # in the dialog's title, literally
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)
