"""The open-shift dialog's pickers have visible labels, the sign-off dialog names the incoming
standby as `handover sign --standby` does, and the handover, people and calendar screens show
every key at 80 columns (issue 15 item 5)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Select

from dutydesk.app import make_app
from dutydesk.i18n import t
from tests.test_tui_handover import _open_sign_off, _prepare, _type

SMALL = (80, 24)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def _painted(app) -> str:
    return "\n".join(
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_each_open_shift_picker_has_a_visible_label(desk, clock, lang):
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await _ready(app, pilot)
        app.ask_open_shift()
        for _ in range(3):  # the choices read in a worker, the first focused and in view after
            await app.workers.wait_for_complete()  # a refresh (CI under load: one pause was
            await pilot.pause()  # not enough)
        labels = [str(label.render()) for label in app.screen.query(Label).filter(".pick-label")]
        assert labels == [t("role." + role) for role in ("officer", "leader", "standby")]
        assert len(app.screen.query(Select)) == 3
        painted = _painted(app)
        assert all(label in painted for label in labels)


async def test_the_sign_off_names_the_incoming_standby(desk, clock, officer):
    from dutydesk.services.roster.shifts import on_duty

    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_sign_off(app, pilot, desk)
        standby = app.screen.query_one("#sign-standby", Input)
        assert standby.border_title is not None and "值守人员" in str(standby.border_title)
        standby.value = "赵磊"
        app.screen.query_one("#sign-pin", Input).focus()
        for name, pin in (("", "271828"), ("李明", "314159")):
            if name:
                await _type(pilot, name)
                await pilot.press("enter")
            await _type(pilot, pin)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("enter")  # no leader: sign off
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
    duty = on_duty(desk)
    assert duty is not None and duty.officer == "李明" and duty.standby == "赵磊"


async def test_an_unknown_standby_is_said_before_signing(desk, clock, officer):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_sign_off(app, pilot, desk)
        standby = app.screen.query_one("#sign-standby", Input)
        standby.focus()
        await _type(pilot, "无名氏")
        await pilot.press("tab")
        await pilot.pause()
        assert "无名氏" in str(app.screen.query_one("#sign-status").render())


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_handover_footer_shows_every_key_at_80_columns(desk, clock, officer, lang):
    _prepare(desk, clock, officer)
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.pause()
        from textual.widgets._footer import FooterKey

        shown = {
            key.key_display: key.description
            for key in app.screen.query(FooterKey)
            if key.region.width and key.region.right <= 80 and key.region.y >= 22
        }
        for key in ("f2", "f3", "f4", "f5", "f6", "^s", "d", "n"):
            assert key in shown, (key, shown)
        assert shown["^s"] == t("handover_screen.sign_short")
