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


def test_items_signed_not_done_or_faulty_are_handed_over_with_their_reasons(ready, clock):  # noqa: F811
    """The incoming officer reads why an item was not done and which device is faulty, as the
    outgoing officer wrote it at signing (new officer, session 17: v showed neither)."""
    from dutydesk.i18n import set_language
    from dutydesk.services.handover import build_checklist
    from dutydesk.widgets.handed_over import handed_over_full

    tick_all(ready)
    check = next(item for item in build_checklist(ready).items
                 if item.kind == "check" and item.key != "summary")  # fmt: skip
    mark(ready, check.key, "not_done", "[red]系统升级[/red]，明早补做")
    mark(ready, "device:fax", "fault", "卡纸")
    _sign(ready)
    view = handed_over(ready)
    assert [(item.state, item.reason) for item in view.not_done] == [
        ("not_done", "[red]系统升级[/red]，明早补做"), ("fault", "卡纸")]  # fmt: skip
    assert view.not_done[0].label == check.label()
    set_language("zh")
    full = handed_over_full(view, "Asia/Shanghai")
    assert f"· {check.label()}：未完成（[red]系统升级[/red]，明早补做）" in full
    assert "故障（卡纸）" in full and "交班时未完成或有故障的事项 2 项" in full
