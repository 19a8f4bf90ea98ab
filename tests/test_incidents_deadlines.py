"""Report deadlines from each profile, to the minute: incident levels, verification with and
without a written reply, instruction feedback, across midnight, event-time vs receipt-time
clocks, late-learned events, the clock moving past a deadline, steps that meet them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.core.desk import init_database, open_desk
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_reports import record_report
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.incidents.instructions import add_instruction, feed_back
from dutydesk.services.incidents.verifications import add_verification, reply_verification
from dutydesk.services.roster.people import add_person, find_person
from tests.support_people import authority_for
from tests.support_template import copy_register

ZONE = "Asia/Shanghai"

WHY = "市应急局电话催报，已口头报告"  # the officer's reason for closing or acknowledging by hand


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One register per profile, made once (migrations are the slow part) and copied."""
    folder = tmp_path_factory.mktemp("profiles")
    made = {}
    for profile in ("henan", "tianjin", "district"):
        path = folder / f"{profile}.sqlite3"
        desk = init_database(path, "测试值班室", profile, FrozenClock(at("2026-01-01T00:00")))
        add_person(
            desk, "张伟", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
        )
        desk.close()
        made[profile] = path
    return made


@pytest.fixture
def make_desk(tmp_path: Path, templates: dict[str, Path]):
    """A register for a profile, on a clock at `now`, with one officer (the recorder)."""
    made = []

    def _make(profile: str, now: str):
        clock = FrozenClock(at(now))
        path = tmp_path / f"{profile}-{len(made)}.sqlite3"
        copy_register(templates[profile], path)
        desk = open_desk(path, clock)
        made.append(desk)
        return desk, clock, find_person(desk, "张伟")

    yield _make
    for desk in made:
        desk.close()


def incident(desk, person, level: str, occurred: str, received: str | None = None):
    draft = IncidentDraft(type="accident", level=level, occurred_at=at(occurred),
                          received_at=at(received) if received else None, summary="燃气泄漏")  # fmt: skip
    return record_incident(desk, draft, person)


def shape(views) -> list[tuple[str, str, str | None, str]]:
    """(rule code, channel, due HH:mm on which day or None, counts_from) of each deadline."""
    return [
        (v.rule_code, v.channel,
         v.due_at.in_timezone(ZONE).format("MM-DD HH:mm") if v.due_at else None, v.counts_from)
        for v in views
    ]  # fmt: skip


# Occurred 23:50 on 11-22, learned at 00:05: every timed deadline crosses midnight.
INCIDENT_CASES = [
    ("henan", "I", [("incident_phone", "phone", "11-23 00:10", "occurred_at"),
                    ("incident_written", "written", "11-23 00:30", "occurred_at")]),
    ("henan", "II", [("incident_phone", "phone", "11-23 00:10", "occurred_at"),
                     ("incident_written", "written", "11-23 00:30", "occurred_at")]),
    ("henan", "III", [("incident_report", "report", "11-23 00:50", "occurred_at")]),
    ("henan", "IV", []),  # 7(2)1 lists only 特别重大、重大、较大: no duty, no deadline
    ("tianjin", "I", [("incident_phone", "phone", "11-23 00:20", "occurred_at"),
                      ("incident_written", "written", "11-23 00:50", "occurred_at")]),
    ("tianjin", "III", [("incident_phone", "phone", "11-23 00:20", "occurred_at"),
                        ("incident_written", "written", "11-23 00:50", "occurred_at")]),
    ("tianjin", "IV", [("incident_phone", "phone", "11-23 00:20", "occurred_at"),
                       ("incident_written", "written", "11-23 00:50", "occurred_at")]),
    # the flow chart's 较大及以上级别 branch: 第一时间电话报告 (no minutes); 一般级别: to the director
    ("district", "II", [("incident_phone", "phone", None, "received_at")]),
    ("district", "III", [("incident_phone", "phone", None, "received_at")]),
    ("district", "IV", [("incident_asap", "report", None, "received_at")]),
]  # fmt: skip


@pytest.mark.parametrize(("profile", "level", "expected"), INCIDENT_CASES)
def test_incident_deadlines_per_profile_and_level(make_desk, profile, level, expected):
    desk, _, person = make_desk(profile, "2026-11-23T00:06:00")
    row = incident(desk, person, level, "2026-11-22T23:50:00", "2026-11-23T00:05:00")
    views = deadlines.deadlines_for(desk, "incident", row.id)
    assert shape(views) == expected
    for view in views:
        assert view.occurred_at == at("2026-11-22T23:50:00")
        assert view.received_at == at("2026-11-23T00:05:00")
        assert view.clock_at == getattr(row, view.counts_from)
    # at 00:06 with a 10-minute warning: 00:10 is 4 minutes off, every later deadline is not near
    expected_status = {None: "asap", "11-23 00:10": "warning"}
    assert [v.status for v in views] == [
        expected_status.get(due, "ok") for _, _, due, _ in expected
    ]


VERIFICATION_CASES = [
    ("henan", False, [("verification_phone", "phone", "11-23 10:25", "received_at")]),
    ("henan", True, [("verification_phone", "phone", "11-23 10:25", "received_at"),
                     ("verification_written", "written", "11-23 10:45", "received_at")]),
    ("tianjin", False, [("verification_phone", "phone", "11-23 10:25", "received_at")]),
    ("tianjin", True, [("verification_phone", "phone", "11-23 10:25", "received_at"),
                       ("verification_written", "written", "11-23 10:45", "received_at")]),
    ("district", True, []),
]  # fmt: skip


@pytest.mark.parametrize(("profile", "written", "expected"), VERIFICATION_CASES)
def test_verification_deadlines_written_only_when_requested(make_desk, profile, written, expected):
    desk, _, person = make_desk(profile, "2026-11-23T10:06:00")
    row = add_verification(desk, person, received_at=at("2026-11-23T10:05:00"),
                           subject="核实伤亡", written_requested=written)  # fmt: skip
    assert shape(deadlines.deadlines_for(desk, "verification", row.id)) == expected


INSTRUCTION_CASES = [
    ("tianjin", [("instruction_feedback", "feedback", "11-24 23:30", "received_at")]),
    ("henan", [("instruction_feedback", "feedback", None, "received_at")]),  # 6(8): no limit
    ("district", []),
]


@pytest.mark.parametrize(("profile", "expected"), INSTRUCTION_CASES)
def test_instruction_feedback_deadline(make_desk, profile, expected):
    desk, _, person = make_desk(profile, "2026-11-23T23:31:00")
    row = add_instruction(desk, person, received_at=at("2026-11-23T23:30:00"),
                          leader="李市长", text="全力处置")  # fmt: skip
    assert shape(deadlines.deadlines_for(desk, "instruction", row.id)) == expected


def test_the_deadlines_cite_their_article(make_desk):
    desk, _, person = make_desk("tianjin", "2026-11-23T10:00:00")
    row = incident(desk, person, "III", "2026-11-23T09:55:00")
    assert {v.cite for v in deadlines.deadlines_for(desk, "incident", row.id)} == {
        "Tianjin art. 20"
    }


def test_a_rule_counting_from_receipt_uses_the_time_received(make_desk):
    desk, _, person = make_desk("tianjin", "2026-11-23T10:00:00")
    rules = [
        rule.model_copy(update={"counts_from": "received_at"}) if rule.code == "incident_phone"
        else rule
        for rule in desk.profile.deadlines
    ]  # fmt: skip
    desk.profile = desk.profile.model_copy(update={"deadlines": rules})
    row = incident(desk, person, "II", "2026-11-23T09:00:00", "2026-11-23T09:40:00")
    views = {v.channel: v for v in deadlines.deadlines_for(desk, "incident", row.id)}
    assert views["phone"].counts_from == "received_at"
    assert views["phone"].due_at == at("2026-11-23T10:10:00")  # 09:40 + 30
    assert views["written"].counts_from == "occurred_at"
    assert views["written"].due_at == at("2026-11-23T10:00:00")  # 09:00 + 60


def test_an_event_learned_late_is_overdue_when_entered(make_desk):
    desk, _, person = make_desk("tianjin", "2026-11-23T10:00:00")
    incident(desk, person, "III", "2026-11-23T08:00:00")  # learned two hours later
    open_now = deadlines.open_deadlines(desk)
    assert [(v.channel, v.status, v.minutes_left) for v in open_now] == [
        ("phone", "overdue", -90),
        ("written", "overdue", -60),
    ]


def test_moving_the_clock_ok_warning_overdue_then_met(make_desk):
    desk, clock, person = make_desk("tianjin", "2026-11-23T10:00:00")
    row = incident(desk, person, "II", "2026-11-23T09:55:00")  # phone due 10:25
    warning = desk.profile.incidents.warning_minutes

    def phone():
        return next(v for v in deadlines.open_deadlines(desk) if v.channel == "phone")

    assert (phone().status, phone().minutes_left) == ("ok", 25)
    clock.set(at("2026-11-23T10:25:00").subtract(minutes=warning, seconds=1))
    assert phone().status == "ok"
    clock.advance(seconds=1)
    assert phone().status == "warning"
    clock.set(at("2026-11-23T10:25:00"))
    assert (phone().status, phone().seconds_left) == ("warning", 0), "due now is not yet late"
    clock.advance(seconds=1)
    assert (phone().status, phone().minutes_left) == ("overdue", -1)
    clock.advance(minutes=5)
    assert deadlines.remaining_label(phone()) == "已超时 05分01秒"
    # The report had in fact been phoned at 10:24: recorded now, the deadline is met.
    done = record_report(desk, row.id, "first", person, to_whom="市政府总值班室",
                         phoned_at=at("2026-11-23T10:24:00"))  # fmt: skip
    assert [c.late_minutes for c in done.closures] == [0]
    views = {v.channel: v for v in deadlines.deadlines_for(desk, "incident", row.id)}
    assert views["phone"].status == "met" and views["phone"].done_at == at("2026-11-23T10:24:00")
    assert views["written"].is_open, "the written report is still owed"
    assert [v.channel for v in deadlines.open_deadlines(desk)] == ["written"]


def test_a_step_after_the_deadline_is_late_by_whole_minutes(make_desk):
    desk, clock, person = make_desk("henan", "2026-11-23T10:00:00")
    row = incident(desk, person, "III", "2026-11-23T09:30:00")  # report due 10:30
    clock.set(at("2026-11-23T10:40:00"))
    done = record_report(desk, row.id, "first", person, to_whom="省政府总值班室",
                         written_at=at("2026-11-23T10:32:20"))  # fmt: skip
    assert [c.late_minutes for c in done.closures] == [3], "2 min 20 s late counts as 3"
    (view,) = deadlines.deadlines_for(desk, "incident", row.id)
    assert view.status == "late" and view.late_minutes == 3


def test_a_written_first_report_meets_the_phone_deadline_too(make_desk):
    desk, _, person = make_desk("tianjin", "2026-11-23T10:30:00")
    row = incident(desk, person, "I", "2026-11-23T10:00:00", "2026-11-23T10:05:00")
    record_report(desk, row.id, "first", person, to_whom="市政府总值班室",
                  written_at=at("2026-11-23T10:25:00"))  # fmt: skip
    assert {v.channel: v.status for v in deadlines.deadlines_for(desk, "incident", row.id)} == {
        "phone": "met",
        "written": "met",
    }


def test_a_phone_reply_meets_only_the_phone_deadline(make_desk):
    desk, clock, person = make_desk("tianjin", "2026-11-23T10:00:00")
    row = add_verification(desk, person, received_at=None, subject="核实", written_requested=True)
    clock.advance(minutes=15)
    reply_verification(desk, row.id, person, channel="phone", replied_at=None)
    states = {v.channel: v.status for v in deadlines.deadlines_for(desk, "verification", row.id)}
    assert states == {"phone": "met", "written": "ok"}  # 10:15, written due 10:40
    clock.advance(minutes=30)
    reply_verification(desk, row.id, person, channel="written", replied_at=None)
    (written,) = [v for v in deadlines.deadlines_for(desk, "verification", row.id)
                  if v.channel == "written"]  # fmt: skip
    assert (written.status, written.late_minutes) == ("late", 5)


def test_instruction_feedback_within_24_hours_tianjin(make_desk):
    desk, clock, person = make_desk("tianjin", "2026-11-23T10:00:00")
    on_time = add_instruction(desk, person, received_at=None, leader="李市长", text="全力处置")
    late = add_instruction(desk, person, received_at=None, leader="王副市长", text="做好善后")
    clock.advance(hours=23, minutes=59)
    feed_back(desk, on_time.id, person, text="已落实")
    clock.advance(minutes=2)
    assert deadlines.open_deadlines(desk)[0].status == "overdue"
    feed_back(desk, late.id, person, text="已落实")
    statuses = [deadlines.deadlines_for(desk, "instruction", r.id)[0] for r in (on_time, late)]
    assert [(v.status, v.late_minutes) for v in statuses] == [("met", 0), ("late", 1)]


def test_open_deadlines_soonest_first_and_asap_last(make_desk):
    desk, _, person = make_desk("henan", "2026-11-23T10:00:00")
    # 尽快: Henan 6(8) sets no limit for feeding back on an instruction (an 一般 incident sets
    # no deadline at all: 7(2) lists only 较大 and above)
    add_instruction(desk, person, received_at=None, leader="李市长", text="全力处置")
    incident(desk, person, "III", "2026-11-23T09:50:00")  # 10:50
    incident(desk, person, "I", "2026-11-23T09:55:00")  # 10:15, 10:35
    views = deadlines.open_deadlines(desk)
    assert [(v.due_at.format("HH:mm") if v.due_at else None) for v in views] == [
        "10:15", "10:35", "10:50", None,
    ]  # fmt: skip
    assert views[-1].status == "asap" and deadlines.remaining_label(views[-1]).startswith("尽快")
    count, nearest = deadlines.header_summary(desk)
    assert count == 4 and nearest == views[0]


def test_closing_by_hand_on_time_late_and_twice(make_desk):
    desk, clock, person = make_desk("tianjin", "2026-11-23T10:00:00")
    incident(desk, person, "III", "2026-11-23T09:50:00")  # phone 10:20, written 10:50
    phone, written = deadlines.open_deadlines(desk)
    clock.set(at("2026-11-23T11:00:00"))
    assert (
        deadlines.close_deadline(
            desk, phone.id, person, at("2026-11-23T10:20:00"), reason=WHY
        ).status
        == "met"
    )
    view = deadlines.close_deadline(desk, written.id, person, reason=WHY)
    assert (view.status, view.late_minutes, view.done_at) == ("late", 10, clock.now())
    with pytest.raises(DutyError) as refused:
        deadlines.close_deadline(desk, written.id, person, reason=WHY)
    assert refused.value.key == "deadlines.already_done"
    with pytest.raises(DutyError) as unknown:
        deadlines.close_deadline(desk, 999, person, reason=WHY)
    assert unknown.value.key == "deadlines.unknown"


def test_closing_before_the_clock_started_or_in_the_future_is_refused(make_desk):
    desk, _, person = make_desk("tianjin", "2026-11-23T10:00:00")
    incident(desk, person, "III", "2026-11-23T09:50:00")
    phone = deadlines.open_deadlines(desk)[0]
    for when in ("2026-11-23T09:49:00", "2026-11-23T10:30:00"):
        with pytest.raises(ValidationFailed) as refused:
            deadlines.close_deadline(desk, phone.id, person, at(when), reason=WHY)
        assert refused.value.fields == ["deadline_done_at"]
    assert deadlines.open_deadlines(desk)[0].is_open


def test_acknowledging_stops_re_alerting_but_keeps_the_deadline_open(make_desk):
    desk, clock, person = make_desk("tianjin", "2026-11-23T10:00:00")
    incident(desk, person, "III", "2026-11-23T09:50:00")  # phone due 10:20
    phone = deadlines.open_deadlines(desk)[0]
    with pytest.raises(DutyError) as nothing:
        deadlines.acknowledge(desk, phone.id, person, reason=WHY)  # 20 min left: ok
    assert nothing.value.key == "deadlines.nothing_to_ack"
    clock.set(at("2026-11-23T10:21:00"))
    view = deadlines.open_deadlines(desk)[0]
    realert = desk.profile.incidents.realert_minutes
    last = clock.now().subtract(minutes=realert)
    assert deadlines.realert_due(view, clock.now(), last, desk.profile)
    assert not deadlines.realert_due(view, clock.now(), last.add(seconds=1), desk.profile)
    acked = deadlines.acknowledge(desk, phone.id, person, reason=WHY)
    assert (acked.acked_status, acked.is_open, acked.status) == ("overdue", True, "overdue")
    assert not deadlines.realert_due(acked, clock.now(), None, desk.profile)


def test_reevaluate_moves_a_view_without_the_store(make_desk):
    desk, _, person = make_desk("tianjin", "2026-11-23T10:00:00")
    incident(desk, person, "III", "2026-11-23T09:50:00")
    view = deadlines.open_deadlines(desk)[0]
    later = deadlines.reevaluate(view, at("2026-11-23T10:20:30"), desk.profile)
    assert (later.status, later.seconds_left, later.minutes_left) == ("overdue", -30, -1)
    assert deadlines.remaining_label(deadlines.reevaluate(view, at("2026-11-23T07:00"),
                                                         desk.profile)) == "剩余 3小时20分"  # fmt: skip


def test_handover_reads_the_open_deadlines(desk, officer):
    from dutydesk.services.handover.handover_sources import open_deadlines

    record_incident(desk, IncidentDraft(type="accident", level="III", summary="燃气泄漏",
                                        occurred_at=desk.now()), officer)  # fmt: skip
    rows = open_deadlines(desk)
    assert rows is not None and [r.cite for r in rows] == ["Tianjin art. 20"] * 2
    assert rows[0].what.startswith("电话报告 · 事件#1")
