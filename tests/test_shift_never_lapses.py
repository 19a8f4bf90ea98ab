"""A shift never lapses (issue 14 item 5): a shift is on duty from its start until its handover
is signed, its handover due as the profile says (the district: 08:30 on the first working day
after a statutory holiday), and the header and `shift status` name the same shift."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.i18n import t
from dutydesk.services.calls.call_csv import call_rows
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.core.desk import init_database
from dutydesk.services.handover.handover import mark, sign_off
from dutydesk.services.handover.handover_checklist import build_checklist
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident, register_table
from dutydesk.services.roster.people import add_person, find_person
from dutydesk.services.roster.pins import set_pin, verify_pin
from dutydesk.services.roster.schedule import (
    early_handover_warning,
    handover_alert,
    handover_due,
    shift_heading,
)
from dutydesk.services.roster.shifts import current_shift, on_duty, open_shift, shift_window
from dutydesk.services.spotcheck.spotcheck import start_round
from dutydesk.services.spotcheck.units import UnitDraft, add_unit
from tests.conftest import OFFICE
from tests.support_people import authority_for
from tests.test_handover_domain import tick_all

SINCE = date(2024, 1, 1)


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text)  # type: ignore[return-value]


@pytest.fixture
def district(tmp_path):
    """The district register, 张伟 on the week shift opened at `opened` (a fixture parameter)."""
    made = []

    def make(opened: str):
        clock = FrozenClock(at(opened))
        desk = init_database(tmp_path / "district.sqlite3", OFFICE, "district", clock)
        for name, role in (("张伟", "officer"), ("王建国", "leader"), ("李娜", "officer")):
            add_person(desk, name, role, in_post_since=SINCE, authority=authority_for(desk))
        add_unit(desk, UnitDraft("城关镇", "township", "0371-66000001"))
        open_shift(desk, "张伟", leader="王建国")
        made.append(desk)
        return desk, clock

    yield make
    for desk in made:
        desk.close()


# (case, opened, a time after the week's Monday, the due handover)
WEEKS = [
    ("National Day 2026", "2026-09-28T09:00:00+08:00", "2026-10-06T10:00:00+08:00",
     "2026-10-08T08:30:00+08:00"),
    ("Spring Festival 2026", "2026-02-09T09:00:00+08:00", "2026-02-20T12:00:00+08:00",
     "2026-02-24T08:30:00+08:00"),
    ("an ordinary week", "2026-11-23T09:00:00+08:00", "2026-11-29T22:00:00+08:00",
     "2026-11-30T08:30:00+08:00"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "opened", "inside", "due"), WEEKS, ids=[w[0] for w in WEEKS])
def test_the_week_shift_covers_every_hour_until_its_handover(district, case, opened, inside, due):
    desk, clock = district(opened)
    week = current_shift(desk)
    assert week is not None
    assert handover_due(desk, week).at == at(due)
    clock.set(at(inside))
    assert current_shift(desk) == week
    officer = find_person(desk, "张伟")
    call = save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="110",
                                     summary="节日期间报告积水"), officer)  # fmt: skip
    assert call.shift_id == week.id
    assert any(row[0] == call.number for row in call_rows(desk, week))  # 电话记录.csv
    incident = record_incident(desk, IncidentDraft(type="natural", level="IV",
                                                   occurred_at=desk.now(), summary="暴雨积水"),
                               officer)  # fmt: skip
    assert incident.shift_id == week.id
    assert len(register_table(desk, week)[1]) == 1  # 突发事件信息登记表.csv
    calls_item = build_checklist(desk).item("calls")  # the handover form's call line
    assert calls_item is not None and calls_item.params["count"] == 1
    assert start_round(desk, officer, seed=1).shift_id == week.id  # spot checks allowed
    # still on duty the minute before it is due, and after it (overdue, not lapsed)
    clock.set(at(due).subtract(minutes=1))
    assert current_shift(desk) == week
    clock.set(at(due).add(hours=5))
    assert current_shift(desk) == week
    alert = handover_alert(desk)
    assert alert is not None and alert.state == "overdue" and alert.minutes == 300
    heading = shift_heading(desk, shift_window(desk.profile, desk.now()), week)
    assert (heading.code, heading.starts_at, heading.ends_at) == ("week", week.starts_at, at(due))


def test_after_the_holiday_handover_the_incoming_shift_starts_at_the_sign_off(district):
    desk, clock = district("2026-09-28T09:00:00+08:00")
    week = current_shift(desk)
    for name in ("张伟", "李娜"):
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    clock.set(at("2026-10-08T08:20:00+08:00"))
    tick_all(desk)
    for item in build_checklist(desk).blocking:  # the week's spot-check quota, explained
        mark(desk, item.key, "not_done", "节日期间未抽查")
    signed = sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李娜", "271828"))
    incoming = signed.incoming_shift
    assert incoming.starts_at == at("2026-10-08T08:20:00+08:00")
    assert handover_due(desk, incoming).at == at("2026-10-12T08:30:00+08:00")
    # a time before the sign-off stays with the outgoing shift
    from dutydesk.db import read_session
    from dutydesk.services.roster.shifts import shift_covering

    with read_session(desk.engine) as session:
        assert shift_covering(session, at("2026-10-08T08:19:00+08:00")) == week
        assert shift_covering(session, at("2026-10-08T08:20:00+08:00")) == incoming


@pytest.fixture
def early(desk, clock):
    """张伟 (day shift, due 18:00) hands over to 李娜 at 16:00, two hours early."""
    add_person(desk, "李娜", "officer", in_post_since=SINCE, authority=authority_for(desk))
    for name in ("张伟", "李娜"):
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    clock.set(at("2026-11-23T16:00:00+08:00"))
    return desk


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_early_sign_off_is_told_how_early_it_is(early, lang):
    from dutydesk.i18n import set_language

    set_language(lang)
    warning = early_handover_warning(early)
    assert warning == t("handover.early", due="2026-11-23 18:00", hours=2, minutes=0)
    assert ("2 小时 0 分钟" if lang == "zh" else "2 h 0 min") in warning


def test_no_warning_for_a_sign_off_on_time(desk, clock):
    clock.set(at("2026-11-23T18:00:00+08:00"))
    assert early_handover_warning(desk) is None
    clock.set(at("2026-11-23T17:58:30+08:00"))
    assert early_handover_warning(desk) == t("handover.early", due="2026-11-23 18:00", hours=0,
                                             minutes=2)  # fmt: skip


def test_after_an_early_handover_header_and_shift_status_name_the_same_shift(early, clock, cli):
    clock.set(at("2026-11-23T17:40:00+08:00"))  # within the 30 minutes before 18:00
    tick_all(early)
    sign_off(early, verify_pin(early, "张伟", "271828"), verify_pin(early, "李娜", "271828"))
    duty = on_duty(early)
    assert duty is not None and duty.officer == "李娜"
    heading = shift_heading(early, shift_window(early.profile, early.now()), duty.shift)
    # the incoming shift is the night shift, started early at the sign-off
    assert heading.code == "night"
    assert (heading.starts_at, heading.ends_at) == (at("2026-11-23T17:40:00+08:00"),
                                                    at("2026-11-24T08:30:00+08:00"))  # fmt: skip
    assert shift_window(early.profile, early.now()).code == "day"  # the clock's slot differs
    early.close()
    cli.at("2026-11-23T17:50:00+08:00")
    status = cli("shift", "status")
    assert status.exit_code == 0, status.output
    first = status.output.splitlines()[0]
    assert first == t("shift.window", shift=t("shift.night"), start="11-23 17:40",
                      end="11-24 08:30", cite=heading.cite)  # fmt: skip


def test_handed_over_hours_early_the_incoming_shift_keeps_the_rest_of_the_slot(early):
    """A substitute taking over at 16:00 holds the day shift until 18:00, not the night shift
    from 16:00; the night shift handed over at 02:37 (QA) likewise stays the night shift."""
    tick_all(early)
    sign_off(early, verify_pin(early, "张伟", "271828"), verify_pin(early, "李娜", "271828"))
    duty = on_duty(early)
    assert duty is not None and duty.officer == "李娜"
    heading = shift_heading(early, shift_window(early.profile, early.now()), duty.shift)
    assert heading.code == "day"
    assert (heading.starts_at, heading.ends_at) == (at("2026-11-23T16:00:00+08:00"),
                                                    at("2026-11-23T18:00:00+08:00"))  # fmt: skip


def test_shift_status_says_an_overdue_handover_as_the_header_does(cli_desk):
    """QA: three days late, `shift status` named the shift but not that it was overdue."""
    from dutydesk.services.roster import span_label

    cli_desk.at("2026-11-24T10:00:00+08:00")  # the day shift was due 11-23 18:00
    status = cli_desk("shift", "status")
    assert status.exit_code == 0, status.output
    assert (
        t("header.handover_overdue", due="11-23 18:00", span=span_label(16 * 60)) in status.output
    )
    cli_desk.at("2026-11-23T17:00:00+08:00")
    assert "交接超时" not in cli_desk("shift", "status").output


def test_after_a_handover_at_night_the_nights_earlier_times_are_still_this_night(early, clock):
    """QA: after a sign-off at 03:09, `23:30` (earlier this night) was read as tonight's and
    refused as ahead of now: this duty began with the night's slot, not at the sign-off."""
    from dutydesk.services.roster import duty_began, typed_record_time

    clock.set(at("2026-11-24T03:09:00+08:00"))
    tick_all(early)
    sign_off(early, verify_pin(early, "张伟", "271828"), verify_pin(early, "李娜", "271828"))
    clock.set(at("2026-11-24T03:15:00+08:00"))
    assert duty_began(early) == at("2026-11-23T18:00:00+08:00")
    assert typed_record_time(early, "23:30") == at("2026-11-23T23:30:00+08:00")
    # five minutes ahead stays today's (the record's own check refuses it), never yesterday's
    assert typed_record_time(early, "03:20") == at("2026-11-24T03:20:00+08:00")
