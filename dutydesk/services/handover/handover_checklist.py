"""The handover checklist (交接班清单), generated from the profile and the registers, each item
citing its article (Henan 6(2), Tianjin art. 9 and 14, District 工作制度 5–6).

An item is open until it is ticked; an open item blocks sign-off unless it is marked "not done"
with a reason, which then appears on the form. Ticks are HandoverMark rows: the latest wins."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, func, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import (
    CallRecord,
    HandoverMark,
    Person,
    Shift,
)
from dutydesk.services.handover import handover_sources
from dutydesk.services.handover.pending import closed_since, device_label, open_items
from dutydesk.services.roster import Due, handover_due, open_shift_to_hand_over

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

OPEN = "open"
CLEAR = "clear"  # a mark that takes an earlier tick back
# What each kind of item may be marked, besides "clear".
ALLOWED: dict[str, tuple[str, ...]] = {
    "check": ("done", "not_done"),
    "ack": ("acknowledged", "not_done"),
    "device": ("ok", "fault", "not_done"),
    "text": ("done", "not_done"),
    "arrival": ("done", "not_done"),
    "quota": ("not_done",),
}
NEEDS_NOTE = ("not_done", "fault")
INCOMING_STATES = ("acknowledged",)  # ticked by the incoming officer
INCOMING_KINDS = ("arrival",)
SECTIONS = (
    "records",
    "pending",
    "deadlines",
    "spotcheck",
    "situations",
    "documents",
    "devices",
    "arrival",
)
TEXT_PREVIEW = 60
# How the handover form is drawn, recorded in each archive's manifest ("form_style") so that
# verify draws an archive's form as its export did. 1 (archives without the field): a joined
# cite in both languages was not rendered part by part, and an item's typed text was cut in
# its label (TEXT_PREVIEW, SHORT_LABEL). 2: every part of a cite in the form's language; each
# item's full text. 3: the profiles' cites in their English words (the district's sections
# named in English, no Chinese in an English cite); styles 1 and 2 show them in the words the
# profiles had then (citations.as_before_english).
FORM_STYLE = 3
FORM_STYLES = (1, 2, 3)


@dataclass(frozen=True)
class Item:
    key: str  # stable: "calls", "pending:12", "deadline:3", "device:fax", "summary"...
    section: str
    kind: str  # check | ack | device | text | arrival | quota | info
    label_key: str
    cite: str
    params: dict[str, Any] = field(default_factory=dict)  # the full texts
    state: str = OPEN
    note: str = ""
    value: str | None = None
    role: str | None = None
    at: DateTime | None = None
    cut: dict[str, Any] = field(default_factory=dict)  # the params whose text short_label cuts

    def label(self) -> str:
        """The item with its full text (the form; the screen shows it for the selected row)."""
        return t(self.label_key, **self.params)

    def short_label(self) -> str:
        """The item in one short line, its typed text cut (messages; form style 1's label)."""
        return t(self.label_key, **{**self.params, **self.cut})

    @property
    def arrived_at(self) -> DateTime | None:
        """When the incoming officer arrived: the time of a done arrival item, else None."""
        if self.kind != "arrival" or self.state != "done" or not self.value:
            return None
        from dutydesk.models.types import from_storage

        return from_storage(self.value)

    @property
    def blocking(self) -> bool:
        return self.state == OPEN

    def state_text(self) -> str:
        return t("handover_state." + self.state)


@dataclass(frozen=True)
class Checklist:
    shift: Shift
    officer: str
    due: Due
    items: list[Item]
    absent: list[str]  # sections whose register is not there (no data, nothing invented)

    @property
    def blocking(self) -> list[Item]:
        return [item for item in self.items if item.blocking]

    @property
    def ready(self) -> bool:
        return not self.blocking

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def arrival_late_minutes(self, timezone: str) -> int | None:
        """How many minutes after the required time the incoming officer arrived, if late."""
        arrival = self.item("arrival")
        if arrival is None or arrival.state != "done" or not arrival.value:
            return None
        from dutydesk.models.types import from_storage

        arrived = from_storage(arrival.value).in_timezone(timezone)
        late = int((arrived - self.due.arrive_by).total_seconds() // 60)
        return late if late > 0 else None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_PREVIEW else text[: TEXT_PREVIEW - 1] + "…"


def _latest_marks(desk: Desk, shift_id: int) -> dict[str, HandoverMark]:
    with read_session(desk.engine) as session:
        marks = session.exec(
            select(HandoverMark)
            .where(HandoverMark.shift_id == shift_id)
            .order_by(col(HandoverMark.id))
        ).all()
    return {mark.item: mark for mark in marks}


def _base_items(desk: Desk, shift: Shift) -> tuple[list[Item], list[str]]:
    rules = desk.profile.handover
    items: list[Item] = _record_items(desk, shift)
    absent: list[str] = []
    deadlines = handover_sources.open_deadlines(desk)
    if deadlines is None:
        absent.append("deadlines")
    else:
        items.extend(_deadline_items(desk, deadlines))
    quota = handover_sources.spotcheck_quota(desk, shift)
    if quota is None:
        absent.append("spotcheck")
    else:
        items.append(_spotcheck_item(quota))
    items.append(
        Item("summary", "situations", "text", "handover_item.summary", rules.situations_cite)
    )
    items.append(
        Item("documents", "documents", "check", "handover_item.documents", rules.documents_cite)
    )
    items.extend(_document_items(desk))
    items.extend(_device_and_arrival_items(desk, shift))
    return items, absent


def _record_items(desk: Desk, shift: Shift) -> list[Item]:
    """The shift's calls, the pending items closed during it, then the ones still open."""
    rules = desk.profile.handover
    items: list[Item] = []
    with read_session(desk.engine) as session:
        calls = session.exec(
            select(func.count())
            .select_from(CallRecord)
            .where(CallRecord.shift_id == shift.id, col(CallRecord.amends_id).is_(None))
        ).one()
    items.append(
        Item(
            "calls", "records", "check", "handover_item.calls", rules.records_cite, {"count": calls}
        )  # fmt: skip
    )
    fault_cite = f"{rules.pending_cite}; {rules.devices_cite}"
    for closed in closed_since(desk, shift.opened_at):
        label, params = "handover_item.pending_closed", {"id": closed.id, "text": closed.text}
        if closed.device:
            label, params = "handover_item.device_repaired", {**params, "device": device_label(closed.device)}  # fmt: skip
        elif closed.correction:  # 需跟进 unticked by a correction: it names it, its note the why
            label, params = "handover_item.pending_corrected", {**params, "number": closed.correction, "call": closed.call_number or "—"}  # fmt: skip
        items.append(
            Item(f"pending:{closed.id}", "pending", "info", label,
                 fault_cite if closed.device else rules.pending_cite, params,
                 state="closed", note=closed.note, role="outgoing", at=closed.closed_at,
                 cut={"text": _short(closed.text)})
        )  # fmt: skip
    for view in open_items(desk):
        if view.device:  # a device marked faulty at an earlier handover, with its note
            items.append(
                Item(f"pending:{view.id}", "pending", "ack", "handover_item.device_fault",
                     fault_cite, {"id": view.id, "device": device_label(view.device),
                                  "text": view.text}, cut={"text": _short(view.text)})
            )  # fmt: skip
            continue
        items.append(
            Item(f"pending:{view.id}", "pending", "ack", "handover_item.pending",
                 rules.pending_cite, {"id": view.id, "text": view.text,
                                      "call": view.call_number or "—"},
                 cut={"text": _short(view.text)})
        )  # fmt: skip
    return items


def _deadline_items(desk: Desk, deadlines: list[handover_sources.OpenDeadline]) -> list[Item]:
    rules = desk.profile.handover
    items: list[Item] = []
    for deadline in deadlines:
        due_text = (
            deadline.due_at.in_timezone(desk.timezone).format("MM-DD HH:mm")
            if deadline.due_at
            else t("handover_item.asap")
        )
        items.append(
            Item(f"deadline:{deadline.key or deadline.id}", "deadlines", "ack", "handover_item.deadline",
                 f"{rules.deadlines_cite}; {deadline.cite}",
                 {"what": deadline.full_what or deadline.what, "due": due_text},
                 cut={"what": deadline.what})
        )  # fmt: skip
    return items


def _document_items(desk: Desk) -> list[Item]:
    """Each open document (文电), acknowledged one by one by the incoming officer (Tianjin art.
    14(3): 重要文件 are taken over; Henan 6(2))."""
    from dutydesk.services.documents import open_documents

    cite = f"{desk.profile.handover.documents_cite}; {desk.profile.documents.register_cite}"
    items = []
    for view in open_documents(desk):
        state = (
            "sent"
            if view.document.direction == "out"
            else ("routed" if view.routings else "waiting")
        )
        state = t(f"document_state.{state}")
        items.append(
            Item(f"document:{view.id}", "documents", "ack", "handover_item.document", cite,
                 {"what": view.label(full=True), "number": view.document.number or "—",
                  "state": state}, cut={"what": view.label()})
        )  # fmt: skip
    return items


def _spotcheck_item(quota: handover_sources.QuotaState) -> Item:
    short = quota.rounds_required is not None and quota.rounds_done < quota.rounds_required
    state = OPEN if short else ("met" if quota.rounds_required else "no_quota")
    return Item("spotcheck", "spotcheck", "quota",
                "handover_item.spotcheck" if quota.rounds_required else "handover_item.spotcheck_free",
                quota.cite, {"done": quota.rounds_done, "required": quota.rounds_required,
                             "detail": quota.detail},
                state=state)  # fmt: skip


def _device_and_arrival_items(desk: Desk, shift: Shift) -> list[Item]:
    """The profile's devices and desk items, then the incoming officer's arrival."""
    rules = desk.profile.handover
    items: list[Item] = []
    due = handover_due(desk, shift)
    for device in rules.devices:
        if device == "duty_phone":
            items.append(duty_phone_item(desk, desk.now()))
            continue
        items.append(
            Item(f"device:{device}", "devices", "device", f"handover_device.{device}",
                 rules.device_cites.get(device, rules.devices_cite))
        )  # fmt: skip
    for desk_item in rules.desk_items:
        items.append(
            Item(f"desk:{desk_item}", "devices", "device", f"handover_desk.{desk_item}",
                 rules.desk_items_cite)
        )  # fmt: skip
    items.append(
        Item("arrival", "arrival", "arrival", "handover_item.arrival", rules.incoming_early_cite,
             {"by": due.arrive_by.format("HH:mm"), "minutes": rules.incoming_early_minutes})
    )  # fmt: skip
    return items


def duty_phone_item(desk: Desk, at: DateTime) -> Item:
    """The duty phone's checklist item, asking what the profile's call-forwarding rule sets at
    `at` (now: when the phone is checked and handed over, early or late alike). The
    district forwards it to the officer's mobile in working hours only (工作制度 三)."""
    rules = desk.profile.handover
    forwarding = rules.call_forwarding
    cite = f"{rules.devices_cite}; {forwarding.cite}"
    if not forwarding.by_time_of_day:
        return Item("device:duty_phone", "devices", "device", "handover_device.duty_phone", cite)
    local = at.in_timezone(desk.timezone)
    params = {"at": local.format("MM-DD HH:mm")}
    cite = f"{cite}; {forwarding.hours_cite}"
    try:
        from dutydesk.services.core import is_workday

        workday = is_workday(local.date())
    except DutyError:  # the calendar has no data for that day: name both rules
        return Item("device:duty_phone", "devices", "device",
                    "handover_device.duty_phone_unknown_hours", cite, params)  # fmt: skip
    working = workday and forwarding.in_working_hours(local.format("HH:mm"))
    key = "duty_phone_forwarded" if working else "duty_phone_off_hours"
    return Item("device:duty_phone", "devices", "device", f"handover_device.{key}", cite, params)


def _apply(item: Item, mark: HandoverMark | None) -> Item:
    if mark is None or item.kind == "info" or mark.state == CLEAR:
        return item
    if item.kind == "quota" and item.state != OPEN:
        return item  # the quota was met: nothing to explain
    return Item(item.key, item.section, item.kind, item.label_key, item.cite, item.params,
                state=mark.state, note=mark.note, value=mark.value, role=mark.role,
                at=mark.at, cut=item.cut)  # fmt: skip


def build_checklist(desk: Desk, shift: Shift | None = None) -> Checklist:
    """The checklist of `shift` (default: the open shift to hand over), with its ticks."""
    shift = shift or open_shift_to_hand_over(desk)
    assert shift.id is not None
    items, absent = _base_items(desk, shift)
    marks = _latest_marks(desk, shift.id)
    items = [_apply(item, marks.get(item.key)) for item in items]
    with read_session(desk.engine) as session:
        officer = session.get(Person, shift.officer_id)
    assert officer is not None
    return Checklist(shift, officer.name, handover_due(desk, shift), items, absent)


def item_to_json(item: Item, timezone: str, style: int = FORM_STYLE) -> dict[str, Any]:
    """The item as the checklist signed keeps it; its label as the form of `style` has it."""
    return {
        "key": item.key,
        "section": item.section,
        "kind": item.kind,
        "label": item.label() if style >= 2 else item.short_label(),  # style 1: cut
        "cite": item.cite,
        "state": item.state,
        "blocking": item.blocking,
        "note": item.note,
        "value": item.value,
        "by": item.role,
        "at": item.at.in_timezone(timezone).isoformat() if item.at else None,
    }


def checklist_to_json(
    checklist: Checklist, timezone: str, style: int = FORM_STYLE
) -> dict[str, Any]:
    shift = checklist.shift
    return {
        "shift": {
            "id": shift.id,
            "slot": shift.slot_code,
            "starts_at": shift.starts_at.in_timezone(timezone).isoformat(),
            "ends_at": shift.ends_at.in_timezone(timezone).isoformat(),
            "officer": checklist.officer,
        },
        "due_at": checklist.due.at.isoformat(),
        "arrive_by": checklist.due.arrive_by.isoformat(),
        "due_cite": checklist.due.cite,
        "after_holiday": checklist.due.after_holiday,
        "calendar": checklist.due.calendar,
        "arrival_late_minutes": checklist.arrival_late_minutes(timezone),
        "items": [item_to_json(item, timezone, style) for item in checklist.items],
        "absent": checklist.absent,
        "blocking": [item.key for item in checklist.blocking],
        "ready": checklist.ready,
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
