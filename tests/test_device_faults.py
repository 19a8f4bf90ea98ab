"""A device marked faulty at handover (Tianjin art. 14(3), 32) passes to the next shift as a
pending item with its note, shown as the faulty device, until it is reported repaired."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.models import CarryOver, PendingClosure, PendingItem
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.handover.handover import mark, sign_off
from dutydesk.services.handover.handover_checklist import build_checklist
from dutydesk.services.handover.pending import open_items, report_repaired
from dutydesk.services.roster.people import find_person
from dutydesk.services.roster.pins import verify_pin
from tests.test_handover_domain import ready, tick_all  # noqa: F401  (fixture)

PINS = {"张伟": "271828", "李明": "314159"}


def _hand_over(desk, outgoing: str, incoming: str):
    return sign_off(desk, verify_pin(desk, outgoing, PINS[outgoing]),
                    verify_pin(desk, incoming, PINS[incoming]))  # fmt: skip


def _faults(checklist) -> list:
    return [item for item in checklist.items if item.label_key == "handover_item.device_fault"]


def test_a_faulty_fax_is_carried_shown_with_its_note_and_closed_by_its_repair(ready, clock):  # noqa: F811
    # shift 1 marks the fax faulty
    tick_all(ready)
    mark(ready, "device:fax", "fault", "卡纸")
    signed = _hand_over(ready, "张伟", "李明")
    assert signed.carried_pending == 2  # the call's pending item and the fax
    # shift 2 sees the fax with its note, not a plain pending item
    second = build_checklist(ready)
    assert second.shift.id == signed.incoming_shift.id
    [fault] = _faults(second)
    assert fault.section == "pending" and fault.kind == "ack" and fault.blocking
    assert fault.label() == f"待办事项#{fault.params['id']}：传真机故障（卡纸），待修复"
    assert "Tianjin art. 14" in fault.cite
    item_id = fault.params["id"]
    with read_session(ready.engine) as session:
        carried = session.exec(select(CarryOver).where(CarryOver.record_id == item_id)).all()
        item = session.get(PendingItem, item_id)
    assert [(c.kind, c.to_shift_id) for c in carried] == [("pending", signed.incoming_shift.id)]
    assert item is not None and item.device == "device:fax" and item.text == "卡纸"
    # shift 2 reports it repaired: a closure record, the item itself unchanged
    clock.advance(hours=2)
    report_repaired(ready, item_id, find_person(ready, "李明"), "已更换搓纸轮")
    with read_session(ready.engine) as session:
        closure = session.exec(
            select(PendingClosure).where(PendingClosure.item_id == item_id)
        ).one()
        assert session.get(PendingItem, item_id) == item
    assert closure.note == "已更换搓纸轮"
    second = build_checklist(ready)
    assert _faults(second) == []
    repaired = second.item(f"pending:{item_id}")
    assert repaired is not None and repaired.state == "closed"
    assert repaired.label() == f"待办事项#{item_id}：传真机已修复（故障：卡纸）"
    assert item_id not in [view.id for view in open_items(ready)]
    # shift 3 does not see it at all
    tick_all(ready)
    clock.advance(hours=13)
    third = _hand_over(ready, "李明", "张伟")
    checklist = build_checklist(ready)
    assert checklist.shift.id == third.incoming_shift.id
    assert checklist.item(f"pending:{item_id}") is None and _faults(checklist) == []
    assert verify_register(ready.path).ok


def test_a_device_still_faulty_at_the_next_handover_is_not_carried_twice(ready, clock):  # noqa: F811
    tick_all(ready)
    mark(ready, "device:fax", "fault", "卡纸")
    _hand_over(ready, "张伟", "李明")
    tick_all(ready)
    mark(ready, "device:fax", "fault", "仍卡纸")
    clock.advance(hours=14)
    _hand_over(ready, "李明", "张伟")
    faults = _faults(build_checklist(ready))
    assert [item.params["text"] for item in faults] == ["卡纸"]


def test_only_a_device_fault_can_be_reported_repaired(ready, officer):  # noqa: F811
    [plain] = open_items(ready)  # the follow-up call's pending item
    with pytest.raises(DutyError) as refused:
        report_repaired(ready, plain.id, officer)
    assert refused.value.key == "pending.not_a_device"
    assert [view.id for view in open_items(ready)] == [plain.id]
    with pytest.raises(DutyError):
        report_repaired(ready, 9999, officer)
