"""Who is on a shift (issue 14 item 6): the standby on the handover form, the refusal naming who
opened the shift, and Henan 三(一) 双人专职: two officers per shift, both signing the handover."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.desk import init_database
from dutydesk.services.handover.handover import mark, sign_off, signatures
from dutydesk.services.handover.handover_checklist import build_checklist, checklist_to_json
from dutydesk.services.handover.handover_form import FormHeader, build_form
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.pins import set_pin, verify_pin
from dutydesk.services.roster.shifts import crew_names, current_shift, open_shift
from tests.conftest import OFFICE, T0
from tests.support_people import authority_for
from tests.support_pilot import until_mounted
from tests.test_handover_domain import tick_all

SINCE = date(2024, 1, 1)
PIN = "271828"


def _facts(desk) -> dict[str, str]:
    data = checklist_to_json(build_checklist(desk), desk.timezone)
    form = build_form(desk, data, FormHeader(OFFICE, "tianjin", None, None), [])
    return dict(form.facts)


def test_the_standby_is_on_the_handover_form(desk):
    facts = _facts(desk)
    assert facts[t("handover_form.standby")] == "赵磊"
    assert facts[t("handover_form.outgoing")] == "张伟"
    assert t("handover_form.second_officer") not in facts  # one officer per Tianjin shift


def test_a_shift_opened_again_names_who_opened_it(desk):
    with pytest.raises(DutyError) as refusal:
        open_shift(desk, "张伟")
    assert refusal.value.params["opened_by"] == t("shift.opened_by_desk", officer="张伟")
    assert t("shift.opened_by_desk", officer="张伟") in refusal.value.message()


def test_tianjin_takes_no_second_officer(bare_desk):
    for name in ("李娜", "张伟"):
        add_person(bare_desk, name, "officer", in_post_since=SINCE,
                   authority=authority_for(bare_desk))  # fmt: skip
    with pytest.raises(DutyError) as refusal:
        open_shift(bare_desk, "张伟", second_officer="李娜")
    assert refusal.value.key == "shift.second_officer_not_needed"
    assert current_shift(bare_desk) is None


@pytest.fixture
def henan(tmp_path):
    clock = FrozenClock(T0)
    desk = init_database(tmp_path / "henan.sqlite3", OFFICE, "henan", clock)
    for name, role in (("张伟", "officer"), ("李娜", "officer"), ("刘洋", "officer"),
                       ("陈静", "officer"), ("王建国", "leader")):  # fmt: skip
        add_person(desk, name, role, in_post_since=SINCE, authority=authority_for(desk))
        set_pin(desk, name, PIN, PIN, authority=authority_for(desk))
    yield desk, clock
    desk.close()


def test_henan_opens_a_shift_with_two_officers_only(henan):
    desk, _clock = henan
    with pytest.raises(DutyError) as refusal:
        open_shift(desk, "张伟", leader="王建国")
    assert refusal.value.message() == t("shift.second_officer_needed", cite="Henan 三(一)")
    assert current_shift(desk) is None
    with pytest.raises(DutyError) as twice:
        open_shift(desk, "张伟", leader="王建国", second_officer="张伟")
    assert twice.value.key == "shift.two_roles"
    shift = open_shift(desk, "张伟", leader="王建国", second_officer="李娜")
    assert crew_names(desk, shift.id) == {"officer": "张伟", "second_officer": "李娜",
                                          "leader": "王建国"}  # fmt: skip
    assert _facts(desk)[t("handover_form.second_officer")] == "李娜"
    report = verify_register(desk.path)
    assert report.ok and "shift_second_officer" in report.tables
    with sqlite3.connect(desk.path) as conn, pytest.raises(sqlite3.DatabaseError):
        conn.execute("UPDATE shift_second_officer SET person_id = 1")


def test_henan_sign_off_needs_both_outgoing_officers(henan):
    desk, clock = henan
    open_shift(desk, "张伟", leader="王建国", second_officer="李娜")
    clock.advance(hours=7, minutes=45)
    tick_all(desk)
    for item in build_checklist(desk).blocking:
        mark(desk, item.key, "not_done", "无")
    out, incoming = verify_pin(desk, "张伟", PIN), verify_pin(desk, "刘洋", PIN)
    second_in = verify_pin(desk, "陈静", PIN)
    with pytest.raises(DutyError) as one_out:
        sign_off(desk, out, incoming, incoming_second=second_in)
    assert one_out.value.message() == t("handover.second_signer_needed", cite="Henan 三(一)")
    with pytest.raises(DutyError) as wrong:
        sign_off(desk, out, incoming, outgoing_second=verify_pin(desk, "王建国", PIN),
                 incoming_second=second_in)  # fmt: skip
    assert wrong.value.key == "handover.second_signer_not_on_shift"
    with pytest.raises(DutyError) as no_second_in:
        sign_off(desk, out, incoming, outgoing_second=verify_pin(desk, "李娜", PIN))
    assert no_second_in.value.key == "handover.second_signer_needed"
    signed = sign_off(desk, out, incoming, outgoing_second=verify_pin(desk, "李娜", PIN),
                      incoming_second=second_in)  # fmt: skip
    roles = [(s.role, s.name) for s in signatures(desk, signed.handover.id)]
    assert roles == [("outgoing", "张伟"), ("out_second", "李娜"), ("incoming", "刘洋"),
                     ("in_second", "陈静")]  # fmt: skip
    assert crew_names(desk, signed.incoming_shift.id) == {
        "officer": "刘洋", "second_officer": "陈静", "leader": "王建国"}  # fmt: skip
    assert verify_register(desk.path).ok


async def test_the_henan_dialog_takes_the_second_officer(henan):
    from textual.widgets import Select

    from dutydesk.app import make_app

    desk, clock = henan
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "OpenShiftScreen"
        officer = app.screen.query_one("#shift-officer", Select)
        second = app.screen.query_one("#shift-second_officer", Select)
        await until_mounted(pilot, app.screen)
        # no roster and no shift on duty: nobody is proposed (the first officers of the list
        # were, and a single Ctrl+S seated them), so neither officer seat is the other's
        assert (officer.value, second.value) == (Select.NULL, Select.NULL)
        officer.value = "张伟"
        await pilot.pause()
        await pilot.press("ctrl+s")  # the second officer left blank: refused, the cursor there
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#open-shift-status").render())
        assert status == t("shift.second_officer_needed", cite="Henan 三(一)")
        assert app.screen.focused is second
        assert current_shift(desk) is None
        second.value = "陈静"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ != "OpenShiftScreen"
    shift = current_shift(desk)
    assert shift is not None
    assert crew_names(desk, shift.id)["second_officer"] == "陈静"


async def test_the_tianjin_dialog_asks_no_second_officer(bare_desk, clock):
    from dutydesk.app import make_app

    add_person(bare_desk, "张伟", "officer", in_post_since=SINCE,
               authority=authority_for(bare_desk))  # fmt: skip
    app = make_app(bare_desk.path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "OpenShiftScreen"
        assert not app.screen.query("#shift-second_officer")
        assert app.screen.query("#shift-standby")
