"""The phone list fills the call form's unit from the number typed (polish item 3): the unit
(and a principal's name) the list gives the number is proposed under the first row and taken
only with Ctrl+T; what was typed is never overwritten on its own."""

from __future__ import annotations

from textual.widgets import Input, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.documents import ContactInput, add_contact, owner_of, owners_by_number
from dutydesk.services.documents.phone_owners import PhoneOwner

SIZE = (120, 36)


def _list(desk, officer) -> None:
    add_contact(desk, officer, ContactInput("unit", "城关镇政府值班室", phone="0371-6600 0000"))
    add_contact(desk, officer, ContactInput("principal", "李红", unit="城关镇政府值班室",
                                            post="主任", mobile="139 0000 1111"))  # fmt: skip
    add_contact(desk, officer, ContactInput("unit", "东城街道", phone="0371-66001234"))
    add_contact(desk, officer, ContactInput("unit", "西城街道", phone="0371-66001234"))


def test_a_number_is_matched_by_its_digits_and_a_shared_one_proposes_nothing(desk, officer):
    _list(desk, officer)
    owners = owners_by_number(desk)
    unit = PhoneOwner("城关镇政府值班室", "")
    assert owner_of(owners, "037166000000") == unit
    assert owner_of(owners, "66000000") == unit  # the local number, without its area code
    assert owner_of(owners, "13900001111") == PhoneOwner("城关镇政府值班室", "李红（主任）")
    assert owner_of(owners, "0371-66001234") is None  # two units share it: no guess
    assert owner_of(owners, "660000") is None  # too short to say
    assert owner_of(owners, "13800000000") is None


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_the_unit_is_proposed_and_taken_only_with_ctrl_t(desk, officer, clock):
    _list(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        screen.query_one("#f-unit", Input).focus()
        await pilot.press(*"城关")  # typed by the officer: kept until Ctrl+T
        screen.query_one("#f-phone", Input).focus()
        await pilot.press(*"13900001111")
        await _ready(app, pilot)
        line = screen.query_one("#f-owner", Static)
        assert line.display and "城关镇政府值班室 李红（主任）" in str(line.render())
        assert screen.query_one("#f-unit", Input).value == "城关"
        assert screen.query_one("#f-caller", Input).value == ""
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.query_one("#f-unit", Input).value == "城关镇政府值班室"
        assert screen.query_one("#f-caller", Input).value == "李红（主任）"
        said = str(screen.query_one("#status", Static).render())  # what it replaced, named
        assert t("phone_owner_replaced.unit", typed="城关") in said
        assert "来电人" not in said  # the caller field was empty: nothing of it replaced
        assert not line.display
        await pilot.press("backspace")  # another number: nothing proposed, nothing changed
        await pilot.pause()
        assert not line.display
        assert screen.query_one("#f-unit", Input).value == "城关镇政府值班室"


async def test_a_number_added_on_the_command_line_is_proposed_without_a_restart(
    desk, officer, clock
):
    """QA #9: the list was read once; a contact added meanwhile (another terminal, the CLI)
    was not proposed until the app restarted. It is read again when a contact is written."""
    _list(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        screen.query_one("#f-phone", Input).focus()
        await pilot.press(*"0371-6655 4433")
        await _ready(app, pilot)
        line = screen.query_one("#f-owner", Static)
        assert not line.display  # not in the list yet
        add_contact(desk, officer, ContactInput("unit", "南关街道", phone="0371-66554433"))
        for _ in range(20):  # the app looks for commits four times a second
            await pilot.pause(0.1)
            await _ready(app, pilot)
            if line.display:
                break
        assert line.display and "南关街道" in str(line.render())
