"""Saving a call with plain SQL (services/calls/call_store.py, issue 19): the shift it files the
call under is the one roster.shifts.shift_covering names, and the rows it writes are the ones
the verifier accepts, the search finds and the register lists."""

from __future__ import annotations

import pendulum

from dutydesk.db import write_session
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.call_store import session_cursor, shift_on_duty
from dutydesk.services.calls.calls import CallDraft, amend_call, get_call, list_calls, save_call
from dutydesk.services.roster.people import find_person
from dutydesk.services.roster.pins import verify_pin
from dutydesk.services.roster.shifts import shift_covering
from tests.test_handover_domain import tick_all
from tests.test_shift_never_lapses import early  # noqa: F401  # a fixture

DRAFT = CallDraft(
    caller="李明", unit="幸福街道办", phone="022-23456789", summary="幸福小区积水，约三十厘米",
    follow_up=True, place="幸福小区",
)  # fmt: skip


def _both(desk, when: str) -> tuple[int | None, int | None]:
    moment = pendulum.parse(when)
    with write_session(desk.engine) as session:
        covering = shift_covering(session, moment)  # type: ignore[arg-type]
        raw = shift_on_duty(session_cursor(session), moment)  # type: ignore[arg-type]
    return (covering.id if covering else None), raw


def test_the_shift_on_duty_is_the_one_shift_covering_names(early):  # noqa: F811
    from dutydesk.services.handover.handover import sign_off

    before = _both(early, "2026-11-23T06:00:00+08:00")
    tick_all(early)
    sign_off(early, verify_pin(early, "张伟", "271828"), verify_pin(early, "李娜", "271828"))
    times = ("2026-11-23T10:00:00+08:00", "2026-11-23T15:59:00+08:00", "2026-11-23T16:00:00+08:00",
             "2026-11-23T17:00:00+08:00")  # fmt: skip
    pairs = [_both(early, when) for when in times]
    assert before == (None, None)
    assert all(covering == raw for covering, raw in pairs), pairs
    assert pairs[0][1] is not None and pairs[-1][1] is not None
    assert pairs[0][1] != pairs[-1][1]  # the handover opened the next shift


def test_saved_and_corrected_calls_verify_and_read_back(desk, db_path):
    officer = find_person(desk, "张伟")
    saved = save_call(desk, DRAFT, officer)
    amend_call(desk, saved.number, "地点记错", {"place": ""}, officer)
    view, history = get_call(desk, saved.number)
    found = list_calls(desk, search="积水")
    report = verify_register(db_path)
    assert report.ok, report
    assert saved.shift_id is not None and saved.id is not None
    assert [v.number for v in found] == [saved.number]
    assert view.place == "" and view.amend_reason == "地点记错"  # blanked by the correction
    assert [h.place for h in history] == ["幸福小区", ""]
    assert view.recorded_by == "张伟" and view.received_at == saved.received_at
