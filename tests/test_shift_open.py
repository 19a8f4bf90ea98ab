"""Who is on a shift (issue 14 item 6): a shift on duty is not opened again, one person holds one
role, and an administrator sits no shift; the same through the service, the CLI, the app's
open-shift dialog and the handover that opens the next shift."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest
from textual.widgets import Select, Static

from dutydesk.app import make_app
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.handover.handover import sign_off
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.pins import set_pin, verify_pin
from dutydesk.services.roster.shifts import on_duty, open_shift
from tests.conftest import add_person_cli, init_cli
from tests.support_people import ADMIN, ADMIN_PIN, authority_for
from tests.support_pilot import until_mounted
from tests.test_cli import add_call, refused
from tests.test_handover_domain import tick_all

SINCE = date(2024, 1, 1)
SIZE = (120, 36)


def _add(desk, name: str, role: str) -> None:
    add_person(desk, name, role, in_post_since=SINCE, authority=authority_for(desk))


def _already_open(lang: str, officer: str, leader: str, opened_at: str, shift: str = "day",
                  start: str = "11-23 08:30", end: str = "11-23 18:00",
                  opened_by: str | None = None) -> str:  # fmt: skip
    opened_by = opened_by or t("shift.opened_by_desk", lang=lang, officer=officer)
    return t("shift.already_open", lang=lang, shift=t("shift." + shift, lang=lang), start=start,
             end=end, officer=officer, leader=leader, opened_at=opened_at,
             opened_by=opened_by)  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shift_on_duty_is_not_opened_again(desk, clock, lang):
    from dutydesk.i18n import set_language

    _add(desk, "李娜", "officer")
    clock.advance(minutes=30)
    set_language(lang)
    with pytest.raises(DutyError) as refusal:
        open_shift(desk, "李娜", leader="王建国")
    assert refusal.value.key == "shift.already_open"
    assert refusal.value.message() == _already_open(lang, "张伟", "王建国", "2026-11-23 10:00")
    duty = on_duty(desk)
    assert duty is not None and (duty.officer, duty.leader, duty.standby) == ("张伟", "王建国",
                                                                              "赵磊")  # fmt: skip


def test_one_person_holds_one_role(bare_desk):
    _add(bare_desk, "李娜", "officer")
    _add(bare_desk, "王建国", "leader")
    for officer, leader, standby, roles in (
        ("李娜", "李娜", None, ("officer", "leader")),
        ("李娜", None, " 李娜 ", ("officer", "standby")),  # the same person, typed with spaces
        ("李娜", "王建国", "王建国", ("leader", "standby")),
    ):
        with pytest.raises(DutyError) as refusal:
            open_shift(bare_desk, officer, leader=leader, standby=standby)
        name = "王建国" if roles[0] == "leader" else "李娜"
        assert refusal.value.message() == t("shift.two_roles", name=name,
                                            role=t("role." + roles[0]),
                                            other=t("role." + roles[1]))  # fmt: skip
    assert on_duty(bare_desk) is None


@pytest.mark.parametrize("role", ["officer", "leader", "standby"])
def test_an_administrator_sits_no_shift(bare_desk, role):
    _add(bare_desk, "李娜", "officer")
    crew = {"officer": "李娜", role: ADMIN}
    with pytest.raises(DutyError) as refusal:
        open_shift(bare_desk, crew["officer"], crew.get("leader"), crew.get("standby"))
    assert refusal.value.message() == t("shift.admin_no_shift", name=ADMIN,
                                        role=t("role." + role))  # fmt: skip
    assert on_duty(bare_desk) is None


@pytest.fixture
def signed_early(desk, clock):
    """张伟 hands over to 李娜 at 16:00, two hours before the day shift ends."""
    _add(desk, "李娜", "officer")
    for name in ("张伟", "李娜"):
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    clock.set(pendulum.parse("2026-11-23T16:00:00+08:00"))
    tick_all(desk)
    sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李娜", "271828"))
    return desk


def test_after_an_early_handover_the_incoming_shift_is_on_duty_and_not_reopened(signed_early):
    duty = on_duty(signed_early)
    assert duty is not None and (duty.officer, duty.leader) == ("李娜", "王建国")
    with pytest.raises(DutyError) as refusal:
        open_shift(signed_early, "张伟", leader="王建国")
    assert refusal.value.message() == _already_open(
        "zh", "李娜", "王建国", "2026-11-23 16:00", shift="day", start="11-23 16:00",
        end="11-23 18:00", opened_by=t("shift.opened_by_handover", outgoing="张伟", incoming="李娜"),
    )  # fmt: skip


def test_the_handover_refuses_an_administrator_or_two_roles_in_the_incoming_shift(desk, clock):
    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    clock.set(pendulum.parse("2026-11-23T17:45:00+08:00"))
    tick_all(desk)
    out = verify_pin(desk, "张伟", "271828")
    with pytest.raises(DutyError) as as_officer:
        sign_off(desk, out, verify_pin(desk, ADMIN, ADMIN_PIN))
    assert as_officer.value.key == "shift.admin_no_shift"
    _add(desk, "李娜", "officer")
    set_pin(desk, "李娜", "271828", "271828", authority=authority_for(desk))
    with pytest.raises(DutyError) as as_standby:
        sign_off(desk, out, verify_pin(desk, "李娜", "271828"), standby=ADMIN)
    assert as_standby.value.key == "shift.admin_no_shift"
    with pytest.raises(DutyError) as twice:
        sign_off(desk, out, verify_pin(desk, "李娜", "271828"), standby="李娜")
    assert twice.value.message() == t("shift.two_roles", name="李娜", role=t("role.officer"),
                                      other=t("role.standby"))  # fmt: skip
    duty = on_duty(desk)
    assert duty is not None and duty.officer == "张伟"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_shift_open_is_refused_while_a_shift_is_on_duty(cli_desk, lang):
    assert add_person_cli(cli_desk, "--name", "李娜", "--role", "officer",
                          "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    refused(cli_desk("shift", "open", "--officer", "李娜", "--leader", "王建国", lang=lang),
            "shift.already_open", lang, shift=t("shift.day", lang=lang), start="11-23 08:30",
            end="11-23 18:00", officer="张伟", leader="王建国", opened_at="2026-11-23 10:00",
            opened_by=t("shift.opened_by_desk", lang=lang, officer="张伟"))  # fmt: skip
    # the --as rule stands: 李娜 is still not on the shift
    refused_as = add_call(cli_desk, "--as", "李娜")
    assert refused_as.exit_code == 1
    status = cli_desk("shift", "status")
    assert t("header.on_duty", officer="张伟", leader="王建国") in status.output


def test_cli_shift_open_refuses_one_person_in_two_roles_and_an_administrator(cli):
    assert init_cli(cli).exit_code == 0
    assert add_person_cli(cli, "--name", "Li Na", "--role", "officer",
                          "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    refused(cli("shift", "open", "--officer", "Li Na", "--leader", "Li Na", "--standby", "Li Na"),
            "shift.two_roles", "zh", name="Li Na", role=t("role.officer"),
            other=t("role.leader"))  # fmt: skip
    refused(cli("shift", "open", "--officer", ADMIN, lang="en"), "shift.admin_no_shift", "en",
            name=ADMIN, role=t("role.officer", lang="en"))  # fmt: skip
    assert t("shift.none_open", lang="zh") in cli("shift", "status").output


async def _dialog(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert type(app.screen).__name__ == "OpenShiftScreen"
    await until_mounted(pilot, app.screen)


def _dialog_status(app) -> str:
    return str(app.screen.query_one("#open-shift-status", Static).render())


async def test_the_dialog_shows_a_refusal_when_a_shift_was_opened_meanwhile(bare_desk, clock):
    for name, role in (("张伟", "officer"), ("李娜", "officer"), ("王建国", "leader")):
        _add(bare_desk, name, role)
    app = make_app(bare_desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog(app, pilot)
        app.screen.query_one("#shift-officer", Select).value = "张伟"  # nobody is proposed
        open_shift(bare_desk, "李娜", leader="王建国")  # at another terminal, meanwhile
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "OpenShiftScreen"
        assert _dialog_status(app) == _already_open("zh", "李娜", "王建国", "2026-11-23 10:00")
    duty = on_duty(bare_desk)
    assert duty is not None and duty.officer == "李娜"


async def test_the_dialog_refuses_one_person_in_two_roles_and_offers_no_administrator(
    bare_desk, clock
):
    _add(bare_desk, "张伟", "officer")
    app = make_app(bare_desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _dialog(app, pilot)
        officer = app.screen.query_one("#shift-officer", Select)
        assert ADMIN not in [value for _label, value in officer._options]
        officer.value = "张伟"  # nobody is proposed with no roster and no shift on duty
        app.screen.query_one("#shift-standby", Select).value = "张伟"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "OpenShiftScreen"
        assert _dialog_status(app) == t("shift.two_roles", name="张伟",
                                        role=t("role.officer"),
                                        other=t("role.standby"))  # fmt: skip
    assert on_duty(bare_desk) is None
