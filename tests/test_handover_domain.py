"""Handover domain: the checklist per profile, blocking items, PINs and lockout, who may sign,
and what passes to the incoming shift."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import select

from dutydesk.clock import FrozenClock
from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.models import CarryOver, PersonPin, ShiftClosure
from dutydesk.services.calls.calls import CallDraft, amend_call, save_call
from dutydesk.services.core.desk import init_database
from dutydesk.services.handover import handover_sources
from dutydesk.services.handover.handover import mark, owning_shift_id, sign_off
from dutydesk.services.handover.handover_checklist import build_checklist
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.pins import set_pin, verify_pin
from dutydesk.services.roster.schedule import schedule
from dutydesk.services.roster.shifts import on_duty, open_shift
from tests.support_people import authority_for

SINCE = date(2024, 1, 1)


def tick_all(desk) -> None:
    """Everything done, as a careful officer would do it."""
    for item in build_checklist(desk).items:
        if item.kind == "check":
            mark(desk, item.key, "done")
        elif item.kind == "device":
            mark(desk, item.key, "ok")
        elif item.kind == "ack":
            mark(desk, item.key, "acknowledged")
        elif item.kind == "text":
            mark(desk, item.key, "done", "无重大情况")
        elif item.kind == "arrival":
            mark(desk, item.key, "done")


@pytest.fixture
def ready(desk, clock, officer):
    """The day shift at 17:45 with a pending item, 李明 arriving to take over; PINs set."""
    add_person(desk, "李明", "officer", in_post_since=SINCE, authority=authority_for(desk))
    for name, pin in (("张伟", "271828"), ("李明", "314159"), ("王建国", "161803")):
        set_pin(desk, name, pin, pin, authority=authority_for(desk))
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="110", summary="积水待复查",
                              follow_up=True), officer)  # fmt: skip
    clock.advance(hours=7, minutes=45)
    return desk


def _sign(desk, leader: bool = False):
    out = verify_pin(desk, "张伟", "271828")
    incoming = verify_pin(desk, "李明", "314159")
    return sign_off(desk, out, incoming, verify_pin(desk, "王建国", "161803") if leader else None)


@pytest.mark.parametrize(
    ("profile", "devices", "device_cite"),
    [
        ("tianjin", ["duty_phone", "fax", "computer", "printer", "video_conference", "radio"],
         "Tianjin art. 9"),
        ("henan", ["duty_phone", "fax", "computer", "printer", "shredder", "secure_equipment",
                   "video_conference"], "Henan 5"),
        ("district", ["duty_phone", "fax", "computer", "printer", "shredder",
                      "video_conference", "radio"],
         "District Duty Work Rules 6; common practice (the list of devices)"),
    ],
)  # fmt: skip
def test_checklist_follows_the_profile(tmp_path, clock, profile, devices, device_cite):
    desk = init_database(tmp_path / "d.sqlite3", "测试值班室", profile, clock)
    for name in ("张伟", "李娜"):
        add_person(desk, name, "officer", in_post_since=SINCE, authority=authority_for(desk))
    # Henan 三(一): two officers per shift
    open_shift(desk, "张伟", second_officer="李娜" if profile == "henan" else None)
    checklist = build_checklist(desk)
    keys = [item.key for item in checklist.items if item.section not in ("spotcheck", "deadlines")]
    assert keys[:3] == ["calls", "summary", "documents"]
    assert [k.split(":")[1] for k in keys if k.startswith("device:")] == devices
    rules = desk.profile.handover
    others = {i.key: i.cite for i in checklist.items if i.key.startswith("device:")}
    # the duty phone cites its call-forwarding rule too (item 9); 视频会商 is Henan 6(5)
    assert others.pop("device:duty_phone").startswith(
        f"{device_cite}; {rules.call_forwarding.cite}"
    )
    assert {cite for key, cite in others.items() if key != "device:video_conference"} == {
        device_cite
    }
    assert others["device:video_conference"] == rules.device_cites.get(
        "video_conference", device_cite
    )
    rules = desk.profile.handover
    assert checklist.item("calls").cite == rules.records_cite
    assert checklist.item("arrival").cite == rules.incoming_early_cite
    assert all(item.cite for item in checklist.items), "every item cites its article"
    assert not checklist.ready
    assert checklist.blocking == [
        item for item in checklist.items if item.state not in ("met", "no_quota")
    ]
    spotcheck = checklist.item("spotcheck")
    if spotcheck is not None:  # the spot-check register is there: the quota comes from it
        quota = desk.profile.spotcheck.rounds_per_shift
        assert spotcheck.blocking == (quota is not None) and spotcheck.cite
    else:
        assert "spotcheck" in checklist.absent
    desk.close()


def test_due_times_per_profile(tmp_path, clock):
    tianjin = init_database(tmp_path / "t.sqlite3", "测试", "tianjin", clock)
    add_person(tianjin, "张伟", "officer", in_post_since=SINCE, authority=authority_for(tianjin))
    open_shift(tianjin, "张伟")
    plan = schedule(tianjin)
    assert plan.due.at.format("YYYY-MM-DD HH:mm") == "2026-11-23 18:00"
    assert plan.due.arrive_by.format("HH:mm") == "17:50" and plan.minutes_left == 480
    district = init_database(tmp_path / "d.sqlite3", "测试", "district", clock)
    add_person(district, "张伟", "officer", in_post_since=SINCE, authority=authority_for(district))
    open_shift(district, "张伟")
    due = schedule(district).due
    assert due.at.format("YYYY-MM-DD HH:mm") == "2026-11-30 08:30"  # next Monday
    assert due.calendar in ("applied", "unavailable")  # said plainly when there is no calendar


def test_open_items_block_sign_off_until_done_or_explained(ready):
    tick_all(ready)
    mark(ready, "documents", "clear")
    with pytest.raises(DutyError) as refused:
        _sign(ready)
    assert refused.value.key == "handover.blocked" and "文电" in refused.value.message()
    with pytest.raises(DutyError) as no_reason:
        mark(ready, "documents", "not_done")
    assert no_reason.value.key == "handover.note_needed_not_done"
    with pytest.raises(DutyError) as no_note:
        mark(ready, "device:fax", "fault")
    assert no_note.value.key == "handover.note_needed_fault"
    with pytest.raises(DutyError):
        mark(ready, "device:fax", "acknowledged")  # not a state a device can have
    mark(ready, "documents", "not_done", "机要件明早由综合科移交")
    mark(ready, "device:fax", "fault", "卡纸")
    checklist = build_checklist(ready)
    assert checklist.ready
    assert checklist.item("documents").note == "机要件明早由综合科移交"
    assert _sign(ready).handover.id is not None


@pytest.mark.real_costs
def test_pins_are_hashed_with_salt_and_never_kept_in_clear(ready):
    with read_session(ready.engine) as session:
        rows = session.exec(select(PersonPin)).all()
        stored = [  # every text the register holds about PINs and their audit links
            " ".join(map(str, row))
            for table in ("person_pin", "pin_attempt", "audit_link")
            for row in session.connection().execute(text(f"SELECT * FROM {table}"))
        ]
    assert len(rows) == 4 and len({row.salt for row in rows}) == 4  # and the administrator's
    first = rows[1]  # 张伟's: the scrypt hash of his PIN with its own salt, nothing else
    expected = hashlib.scrypt(b"271828", salt=bytes.fromhex(first.salt), n=first.cost_n,
                              r=first.cost_r, p=first.cost_p, maxmem=2**28, dklen=32)  # fmt: skip
    assert first.pin_hash == expected.hex() and first.cost_n >= 2**14
    assert stored and not any("271828" in text_ or "314159" in text_ for text_ in stored)
    with pytest.raises(DutyError) as mismatch:
        set_pin(ready, "李明", "112358", "223344", authority=authority_for(ready))
    assert mismatch.value.key == "handover_pin.mismatch"
    with pytest.raises(DutyError) as needs_current:
        set_pin(ready, "李明", "112358", "112358")
    assert needs_current.value.key == "handover_pin.current_needed"
    set_pin(ready, "李明", "112358", "112358", current="314159")
    assert verify_pin(ready, "李明", "112358").name == "李明"
    with pytest.raises(DutyError):
        verify_pin(ready, "李明", "314159")


def test_five_wrong_pins_lock_out_for_five_minutes(ready, clock):
    for left in (4, 3, 2, 1):
        with pytest.raises(DutyError) as wrong:
            verify_pin(ready, "李明", "000111")
        assert wrong.value.key == "handover_pin.wrong" and wrong.value.params["left"] == left
    with pytest.raises(DutyError) as fifth:
        verify_pin(ready, "李明", "000111")
    assert fifth.value.key == "handover_pin.now_locked"
    clock.advance(minutes=4)
    with pytest.raises(DutyError) as locked:
        verify_pin(ready, "李明", "314159")  # even the right PIN waits
    assert locked.value.key == "handover_pin.locked" and locked.value.params["minutes"] == 1
    clock.advance(minutes=1)
    assert verify_pin(ready, "李明", "314159").name == "李明"
    assert verify_pin(ready, "张伟", "271828").name == "张伟", "a lockout is per person"


def test_an_empty_pin_is_refused_without_spending_a_try(ready):
    for _ in range(6):  # more than the tries allowed: none of them counts
        with pytest.raises(DutyError) as empty:
            verify_pin(ready, "李明", "  ")
        assert empty.value.key == "handover_pin.empty"
    with pytest.raises(DutyError) as wrong:
        verify_pin(ready, "李明", "000111")
    assert wrong.value.key == "handover_pin.wrong" and wrong.value.params["left"] == 4
    assert verify_pin(ready, "李明", "314159").name == "李明"


def test_same_person_and_ineligible_incoming_are_refused(ready):
    tick_all(ready)
    out = verify_pin(ready, "张伟", "271828")
    with pytest.raises(DutyError) as same:
        sign_off(ready, out, verify_pin(ready, "张伟", "271828"))
    assert same.value.key == "handover.same_person"
    add_person(
        ready, "刘新", "officer", in_post_since=date(2026, 10, 1), authority=authority_for(ready)
    )  # under 3 months
    set_pin(ready, "刘新", "141421", "141421", authority=authority_for(ready))
    with pytest.raises(DutyError) as ineligible:
        sign_off(ready, out, verify_pin(ready, "刘新", "141421"))
    assert ineligible.value.key == "handover.ineligible"
    assert "天津规定第六条" in ineligible.value.message()
    incoming = verify_pin(ready, "李明", "314159")
    with pytest.raises(DutyError) as not_leader:
        sign_off(ready, out, incoming, verify_pin(ready, "刘新", "141421"))
    assert not_leader.value.key == "handover.not_a_leader"
    with pytest.raises(DutyError) as not_on_shift:
        sign_off(ready, incoming, out)
    assert not_on_shift.value.key == "handover.not_on_shift"
    with read_session(ready.engine) as session:
        assert session.exec(select(ShiftClosure)).first() is None, "nothing was signed"


def test_sign_off_closes_the_shift_and_carries_pending_items(ready, officer):
    tick_all(ready)
    signed = _sign(ready, leader=True)
    assert signed.carried_pending == 1
    duty = on_duty(ready)
    assert duty is not None and duty.officer == "李明" and duty.leader == "王建国"
    assert duty.shift.id == signed.incoming_shift.id and duty.shift.slot_code == "night"
    assert duty.shift.starts_at == ready.now()
    assert duty.shift.ends_at.in_timezone(ready.timezone).format("MM-DD HH:mm") == "11-24 08:30"
    assert owning_shift_id(ready, "pending", 1, signed.outgoing_shift.id) == duty.shift.id
    with read_session(ready.engine) as session:
        closure = session.exec(select(ShiftClosure)).one()
        assert closure.shift_id == signed.outgoing_shift.id
    # the carried item is on the new shift's checklist, open until the next handover
    assert build_checklist(ready).item("pending:1").state == "open"
    with pytest.raises(DutyError) as again:
        _sign(ready)  # 张伟 is no longer on the shift to hand over
    assert again.value.key == "handover.not_on_shift"


def test_a_closed_shifts_records_are_corrected_only_by_amendment(ready, officer):
    tick_all(ready)
    signed = _sign(ready)
    with ready.engine.begin() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("UPDATE call_record SET summary = 'x' WHERE id = 1"))
    correction = amend_call(ready, "2026-000001", "补记", {"handling": "已通知排水公司"}, officer)
    assert correction.shift_id == signed.incoming_shift.id, "the amendment is the new shift's"


def test_open_deadlines_are_listed_acknowledged_and_carried(ready, monkeypatch):
    deadline = handover_sources.OpenDeadline(7, "柳林镇火灾 书面报告", ready.now().add(minutes=30),
                                             "Tianjin art. 20")  # fmt: skip
    monkeypatch.setattr(handover_sources, "open_deadlines", lambda desk: [deadline])
    checklist = build_checklist(ready)
    item = checklist.item("deadline:7")
    assert item is not None and item.blocking and "Tianjin art. 20" in item.cite
    assert "deadlines" not in checklist.absent
    tick_all(ready)
    signed = _sign(ready)
    assert signed.carried_deadlines == 1
    with read_session(ready.engine) as session:
        carried = session.exec(select(CarryOver).where(CarryOver.kind == "deadline")).one()
    assert carried.record_id == 7 and carried.to_shift_id == signed.incoming_shift.id


def test_without_the_registers_their_sections_are_absent(ready):
    checklist = build_checklist(ready)
    assert set(checklist.absent) <= {"deadlines", "spotcheck"}
    for section in checklist.absent:
        assert not [i for i in checklist.items if i.section == section], "no invented data"


def test_a_spot_check_shortfall_needs_a_written_reason(ready, monkeypatch):
    quota = handover_sources.QuotaState(1, 2, "District 工作制度 5")
    monkeypatch.setattr(handover_sources, "spotcheck_quota", lambda desk, shift: quota)
    tick_all(ready)
    assert [item.key for item in build_checklist(ready).blocking] == ["spotcheck"]
    mark(ready, "spotcheck", "not_done", "第二轮时段内处置火情，未能抽查")
    assert build_checklist(ready).ready
    met = handover_sources.QuotaState(2, 2, "District 工作制度 5")
    monkeypatch.setattr(handover_sources, "spotcheck_quota", lambda desk, shift: met)
    assert build_checklist(ready).item("spotcheck").state == "met"


def test_late_handover_opens_the_window_that_holds_now(tmp_path):
    clock = FrozenClock("2026-11-23T17:00:00+08:00")
    desk = init_database(tmp_path / "d.sqlite3", "测试", "tianjin", clock)
    for name in ("张伟", "李明"):
        add_person(desk, name, "officer", in_post_since=SINCE, authority=authority_for(desk))
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    open_shift(desk, "张伟")
    tick_all(desk)
    clock.advance(minutes=75)  # 18:15: a quarter of an hour late
    tick_all(desk)
    signed = sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "271828"))
    # the night shift's window, on duty from the sign-off: until then the outgoing shift was
    assert signed.incoming_shift.slot_code == "night"
    assert signed.incoming_shift.starts_at.in_timezone(desk.timezone).format("HH:mm") == "18:15"
    arrival_late = build_checklist(desk, signed.outgoing_shift).arrival_late_minutes(desk.timezone)
    assert arrival_late == 25  # arrived 18:15, due at the desk by 17:50
    desk.close()


def test_district_hands_over_on_the_first_working_day_after_a_holiday(tmp_path):
    pytest.importorskip("dutydesk.services.core.calendar")
    clock = FrozenClock("2026-09-28T10:00:00+08:00")  # the week of National Day 2026
    desk = init_database(tmp_path / "d.sqlite3", "测试", "district", clock)
    for name in ("张伟", "李明"):
        add_person(desk, name, "officer", in_post_since=SINCE, authority=authority_for(desk))
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    open_shift(desk, "张伟")
    due = schedule(desk).due
    assert due.calendar == "applied" and due.after_holiday
    assert due.at.format("YYYY-MM-DD HH:mm") == "2026-10-08 08:30"  # not Monday 10-05
    assert due.cite == "District Duty Work Rules 6"
    clock.set(due.at.subtract(minutes=10))
    tick_all(desk)
    if build_checklist(desk).item("spotcheck") is not None:  # when the register is there
        mark(desk, "spotcheck", "not_done", "节日期间按值班安排抽查")
    signed = sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "271828"))
    ends = signed.incoming_shift.ends_at.in_timezone(desk.timezone)
    assert ends.format("YYYY-MM-DD HH:mm") == "2026-10-12 08:30", "then back to Mondays"
    desk.close()


def test_real_report_deadlines_are_listed_and_carried(ready, officer):
    incidents = pytest.importorskip("dutydesk.services.incidents.incidents")
    pytest.importorskip("dutydesk.services.incidents.deadlines")
    draft = incidents.IncidentDraft(
        type=incidents.parse_type("事故灾难"), level=incidents.parse_level("III"),
        occurred_at=ready.now().subtract(minutes=10), place="柳林镇", summary="民房起火",
    )  # fmt: skip
    incidents.record_incident(ready, draft, officer)
    listed = [item for item in build_checklist(ready).items if item.section == "deadlines"]
    assert listed and all(item.blocking and "Tianjin art. 20" in item.cite for item in listed)
    tick_all(ready)
    assert _sign(ready).carried_deadlines == len(listed)


def test_a_refusal_with_many_open_items_names_only_the_first_few(ready, officer):
    from dutydesk.i18n import set_language
    from dutydesk.services.handover.handover import BLOCKED_SHOWN

    for n in range(40):  # a busy shift: many follow-ups still to acknowledge
        save_call(ready, CallDraft(caller="李红", unit="城关镇", phone="110",
                                   summary=f"待复查{n}", follow_up=True), officer)  # fmt: skip
    blocking = build_checklist(ready).blocking
    assert len(blocking) > BLOCKED_SHOWN + 30
    with pytest.raises(DutyError) as refused:
        _sign(ready)
    message = refused.value.message()
    assert message.startswith(f"还有{len(blocking)}项未完成")
    assert all(item.label() in message for item in blocking[:BLOCKED_SHOWN])
    assert blocking[BLOCKED_SHOWN].label() not in message
    assert f"…等{len(blocking)}项。" in message and len(message) < 200
    set_language("en")  # the labels are said in the language of the moment of refusal
    with pytest.raises(DutyError) as refused:
        _sign(ready)
    english = refused.value.message()
    assert english.startswith(f"{len(blocking)} item(s) still open")
    assert f"({len(blocking)} in all)" in english and len(english) < 300


def test_a_refusal_with_few_open_items_names_them_all(ready):
    tick_all(ready)
    for key in ("documents", "calls"):
        mark(ready, key, "clear")
    with pytest.raises(DutyError) as refused:
        _sign(ready)
    message = refused.value.message()
    assert "文电" in message and "等" not in message and message.startswith("还有2项未完成")


def test_open_items_are_joined_without_a_full_stop_before_the_separator():
    """QA: "…属地核实。；待办事项#2…" — an item's own full stop is dropped before the separator."""
    from dutydesk.services.handover.handover import t_join

    assert (
        t_join(["待办事项#1：已电话联系属地核实。", "文电"])
        == "待办事项#1：已电话联系属地核实；文电"
    )
