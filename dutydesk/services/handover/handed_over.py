"""What the previous shift handed over (上一班交接), read for the shift it opened: who handed over
to whom and when, the outgoing officer's 重要情况 as the checklist was signed (Henan 6(2),
Tianjin art. 14: the outgoing summarises the important situations, the incoming takes them over),
and the pending items carried over that are still open. The incoming officer sees it on the
handover screen and, while the shift has no call yet, under the calls screen's empty list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.models import CarryOver, Handover, HandoverSignature, Person
from dutydesk.services.handover.pending import PendingView, open_items
from dutydesk.services.roster import current_shift

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

SUMMARY_KEY = "summary"  # the checklist's item of the important situations
OUTGOING_ROLES = ("outgoing", "out_second")
INCOMING_ROLES = ("incoming", "in_second")


@dataclass(frozen=True)
class HandedOver:
    """The handover that opened a shift, as the incoming officer needs it."""

    handover_id: int
    shift_id: int  # the incoming shift
    signed_at: DateTime
    outgoing: tuple[str, ...]  # who signed as handing over (two where the profile has two)
    incoming: tuple[str, ...]  # who signed as taking over
    leader: str | None  # the shift leader who acknowledged it, if one did
    summary: str  # the 重要情况 as signed; with summary_state "not_done", the reason given
    summary_state: str  # done | not_done | none (the checklist signed had no such item)
    carried: int  # pending items carried over at this handover
    still_open: tuple[PendingView, ...]  # of those, the ones open now, oldest first
    not_done: tuple[NotDone, ...] = ()  # the other items signed not done or faulty, as signed


@dataclass(frozen=True)
class NotDone:
    """An item the outgoing officer signed as not done (未完成) or a device as faulty (故障),
    with the label and the reason as the signed checklist holds them."""

    state: str  # not_done | fault
    label: str
    reason: str


def handed_over(desk: Desk, shift_id: int | None = None) -> HandedOver | None:
    """The handover that opened `shift_id` (default: the shift on duty now); None when that
    shift was opened without one (`shift open`) or no shift is on duty."""
    if shift_id is None:
        shift = current_shift(desk)
        if shift is None or shift.id is None:
            return None
        shift_id = shift.id
    with read_session(desk.engine) as session:
        handover = session.exec(
            select(Handover)
            .where(Handover.incoming_shift_id == shift_id)
            .order_by(col(Handover.id).desc())
            .limit(1)
        ).first()
        if handover is None or handover.id is None:
            return None
        signers = session.exec(
            select(HandoverSignature.role, Person.name)
            .join(Person, col(Person.id) == HandoverSignature.person_id)
            .where(HandoverSignature.handover_id == handover.id)
            .order_by(col(HandoverSignature.id))
        ).all()
        carried = set(
            session.exec(
                select(CarryOver.record_id).where(
                    CarryOver.handover_id == handover.id, CarryOver.kind == "pending"
                )
            )
        )
    items = _signed_items(handover.checklist)
    state, summary = _summary(items)
    leaders = [name for role, name in signers if role == "leader"]
    return HandedOver(
        handover_id=handover.id,
        shift_id=shift_id,
        signed_at=handover.signed_at,
        outgoing=tuple(name for role, name in signers if role in OUTGOING_ROLES),
        incoming=tuple(name for role, name in signers if role in INCOMING_ROLES),
        leader=leaders[0] if leaders else None,
        summary=summary,
        summary_state=state,
        carried=len(carried),
        still_open=tuple(view for view in open_items(desk) if view.id in carried),
        not_done=_not_done(items),
    )


def _signed_items(checklist: str) -> list[dict[str, Any]]:
    """The items of the checklist as signed (none when it cannot be read)."""
    try:
        data: Any = json.loads(checklist)
    except ValueError:
        return []
    items = data.get("items") if isinstance(data, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _summary(items: list[dict[str, Any]]) -> tuple[str, str]:
    """(state, text) of the summary item in the checklist as signed: ("done", the 重要情况),
    ("not_done", the reason it was not written), or ("none", "") without one."""
    for item in items:
        if item.get("key") == SUMMARY_KEY:
            state, note = item.get("state"), item.get("note")
            if state in ("done", "not_done") and isinstance(note, str):
                return state, note
    return "none", ""


def _not_done(items: list[dict[str, Any]]) -> tuple[NotDone, ...]:
    """The items other than the summary signed not done or faulty, in the checklist's order."""
    return tuple(
        NotDone(
            str(item["state"]),
            str(item.get("label") or item.get("key") or ""),
            str(item.get("note") or ""),
        )  # fmt: skip
        for item in items
        if item.get("state") in ("not_done", "fault") and item.get("key") != SUMMARY_KEY
    )
