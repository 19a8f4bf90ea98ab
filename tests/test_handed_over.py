"""What the previous shift handed over (上一班交接), read for the shift it opened: the outgoing
officer's 重要情况 exactly as signed, who handed over to whom and when, and the carried pending
items still open."""

from __future__ import annotations

from dutydesk.services.handover import handed_over
from dutydesk.services.handover.handover import mark, sign_off
from dutydesk.services.handover.pending import close_item
from dutydesk.services.roster.people import find_person
from dutydesk.services.roster.pins import verify_pin
from dutydesk.services.roster.shifts import current_shift
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401

SUMMARY = "西关路口积水约20厘米，已通知交警[bold]勿删[/bold]\n夜间复查一次"


def test_a_shift_opened_without_a_handover_has_nothing_handed_over(desk):
    assert handed_over(desk) is None


def test_the_incoming_shift_reads_the_summary_signers_and_open_pending(ready, clock):  # noqa: F811
    outgoing = current_shift(ready)
    tick_all(ready)
    mark(ready, "summary", "done", SUMMARY)
    signed_at = clock.now()
    signed = _sign(ready, leader=True)
    view = handed_over(ready)
    assert view is not None
    assert view.handover_id == signed.handover.id
    assert view.shift_id == signed.incoming_shift.id == current_shift(ready).id
    assert view.signed_at == signed_at
    assert (view.outgoing, view.incoming, view.leader) == (("张伟",), ("李明",), "王建国")
    assert (view.summary_state, view.summary) == ("done", SUMMARY)  # as typed, line break kept
    assert view.carried == 1
    assert [item.text for item in view.still_open] == ["积水待复查"]
    assert view.still_open[0].call_number is not None
    assert handed_over(ready, outgoing.id) is None  # that shift was opened with `shift open`
    assert handed_over(ready, signed.incoming_shift.id) == view


def test_a_carried_item_closed_since_is_no_longer_open(ready, clock):  # noqa: F811
    tick_all(ready)
    _sign(ready)
    item = handed_over(ready).still_open[0]
    clock.advance(minutes=20)
    close_item(ready, item.id, find_person(ready, "李明"), "已复查，积水已退")
    view = handed_over(ready)
    assert view.carried == 1 and view.still_open == ()


def test_a_summary_marked_not_done_is_read_with_its_reason(ready, clock):  # noqa: F811
    tick_all(ready)
    mark(ready, "summary", "not_done", "交班人临时外出，由带班领导当面交代")
    sign_off(ready, verify_pin(ready, "张伟", "271828"), verify_pin(ready, "李明", "314159"))
    view = handed_over(ready)
    assert view.summary_state == "not_done"
    assert view.summary == "交班人临时外出，由带班领导当面交代"
    assert view.leader is None


def test_the_summary_is_the_one_signed_not_a_later_mark(ready, clock):  # noqa: F811
    """The checklist as signed is what was handed over: the outgoing shift, closed, takes no
    mark after it, and the incoming shift's own marks are its own handover's."""
    tick_all(ready)
    mark(ready, "summary", "done", SUMMARY)
    _sign(ready)
    clock.advance(minutes=5)
    mark(ready, "summary", "done", "接班后新情况")  # the new shift's own summary, in progress
    assert handed_over(ready).summary == SUMMARY
