"""Handovers (交接班) as dutydesk.services.handover.handover writes them: the checklist ticked in the
minutes after the shift's end (services.handover.mark), each signer's PIN checked
(services.pins.verify_pin: a pin_attempt row), then in one transaction at the incoming shift's
opening: the handover with its checklist as signed (handover_checklist.checklist_to_json), the
signatures, the shift_closure and a carry_over row for each open pending item and deadline.

Everyone has one PIN (person_pin), hashed once with a fixed salt: scrypt per person would only
slow the build."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

from bench.gen.timeline import Events, Ledger, RoundDone
from bench.gen.writer import Row, stamp
from dutydesk.i18n import t
from dutydesk.models import Shift
from dutydesk.models.types import from_storage
from dutydesk.profiles import Profile
from dutydesk.services.handover.handover_checklist import (
    OPEN,
    Checklist,
    Item,
    _short,
    checklist_to_json,
    dumps,
)
from dutydesk.services.incidents.incidents import incident_label
from dutydesk.services.roster import pins
from dutydesk.services.roster.schedule import handover_due

PIN_COLUMNS = {"person_id", "pin_hash", "salt", "cost_n", "cost_r", "cost_p", "set_at"}
ATTEMPT_COLUMNS = {"person_id", "at", "ok", "purpose"}
MARK_COLUMNS = {"shift_id", "item", "state", "note", "value", "role", "at"}
HANDOVER_COLUMNS = {"shift_id", "incoming_shift_id", "signed_at", "checklist"}
SIGNATURE_COLUMNS = {"handover_id", "person_id", "role", "signed_at"}
SHIFT_CLOSURE_COLUMNS = {"shift_id", "handover_id", "closed_at"}
CARRY_COLUMNS = {"handover_id", "kind", "record_id", "to_shift_id"}
EXPORT_COLUMNS = {"handover_id", "at", "ok", "target", "archive", "manifest_sha256", "error"}
EXPORT_TARGET = "/srv/dutydesk/exports"
EXPORT_FAILS_EVERY = 97  # handovers whose export failed once (disk full) and was retried
TABLES = {
    "person_pin": PIN_COLUMNS,
    "pin_attempt": ATTEMPT_COLUMNS,
    "handover_mark": MARK_COLUMNS,
    "handover": HANDOVER_COLUMNS,
    "handover_signature": SIGNATURE_COLUMNS,
    "shift_closure": SHIFT_CLOSURE_COLUMNS,
    "carry_over": CARRY_COLUMNS,
    "export_record": EXPORT_COLUMNS,
}
SECOND_US = 1_000_000
PIN = "24680"
SALT = bytes(range(pins.SALT_BYTES))
LEADER_SIGNS = 0.3  # handovers the shift leader also signs (Henan 6(2))
WRONG_PIN = 0.03
DEVICE_FAULT = 0.01
FAULT_NOTE = "设备故障，已报信息中心维修"
SUMMARY = "本班接报电话{calls}个，均已按要求登记处理；{pending}项待办事项、{deadlines}项报告时限移交下一班。"
EARLY_MINUTES = (3, 25)  # the incoming officer arrives this long before the handover is due


def pin_rows(people: list[Row], pin_hash: str) -> list[Row]:
    """set_pin for each new person, a few seconds after they were registered."""
    return [
        Row(
            "person_pin",
            person.at + 30 * SECOND_US,
            {
                "pin_hash": pin_hash,
                "salt": SALT.hex(),
                "cost_n": pins.SCRYPT_N,
                "cost_r": pins.SCRYPT_R,
                "cost_p": pins.SCRYPT_P,
                "set_at": stamp(person.at + 30 * SECOND_US),
            },
            refs={"person_id": person},
        )
        for person in people
        if person.table == "person"
    ]


def pin_hash() -> str:
    return pins._hash(PIN, SALT, pins.SCRYPT_N, pins.SCRYPT_R, pins.SCRYPT_P)


@dataclass
class Handovers:
    rng: random.Random
    profile: Profile
    events: Events
    ledger: Ledger

    def __post_init__(self) -> None:
        self.desk = SimpleNamespace(profile=self.profile, timezone=self.profile.profile.timezone)

    def plan(self, outgoing: Row, incoming: Row, start: int) -> None:
        """The handover of `outgoing` to `incoming` (opened at the sign-off), begun at `start`,
        the outgoing shift's end. Without the leader's signature the incoming shift keeps the
        outgoing leader, as sign_off does."""
        leader_signs = self.rng.random() < LEADER_SIGNS
        if not leader_signs:
            incoming.refs["leader_id"] = outgoing.refs["leader_id"]

        def sign(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            return self.sign_off(at, outgoing, incoming, start, leader_signs)

        self.events.add(incoming.at, sign)

    def sign_off(
        self, at: int, outgoing: Row, incoming: Row, start: int, leader_signs: bool
    ) -> list[Row]:
        rng = self.rng
        rules = self.profile.handover
        calls = self.ledger.calls.pop(outgoing.at, 0)
        rounds = self.ledger.rounds.pop(outgoing.at, [])
        pending = self.ledger.open_pending(at)
        deadlines = self.ledger.open_deadlines(at)
        closed = self.ledger.closed_since(outgoing.at, at)
        span = at - start
        rows: list[Row] = []

        def mark(moment: int, key, state: str, role: str, note: str = "", value=None) -> Row:  # type: ignore[no-untyped-def]
            row = Row(
                "handover_mark",
                moment,
                {"item": key, "state": state, "note": note, "value": value, "role": role,
                 "at": stamp(moment)},
                refs={"shift_id": outgoing},
            )  # fmt: skip
            if not isinstance(key, str):  # a (prefix, row) pair: the key holds the row's id
                prefix, target = key
                row.finish = lambda r: r.values.__setitem__("item", f"{prefix}:{target.id}")
            rows.append(row)
            return row

        # The outgoing officer ticks the records, the summary, documents, devices.
        moment = start + int(span * rng.uniform(0.02, 0.1))
        step = max(SECOND_US, int(span * 0.3 / 12))
        outgoing_keys = ["calls", "summary", "documents"]
        outgoing_keys += [f"device:{d}" for d in rules.devices]
        outgoing_keys += [f"desk:{d}" for d in rules.desk_items]
        for key in outgoing_keys:
            moment += rng.randint(step // 2, step)
            if key == "summary":
                note = SUMMARY.format(calls=calls, pending=len(pending), deadlines=len(deadlines))
                mark(moment, key, "done", "outgoing", note)
            elif key.startswith(("device:", "desk:")):
                fault = rng.random() < DEVICE_FAULT
                mark(moment, key, "fault" if fault else "ok", "outgoing",
                     FAULT_NOTE if fault else "")  # fmt: skip
            else:
                mark(moment, key, "done", "outgoing")
        # The incoming officer: the arrival time, then each open item acknowledged.
        arrived = start - rng.randint(*EARLY_MINUTES) * 60 * SECOND_US
        moment += rng.randint(step // 2, step)
        mark(moment, "arrival", "done", "incoming", value=stamp(arrived))
        acks = [("pending", item) for item in pending] + [("deadline", d) for d, _ in deadlines]
        signing = at - 90 * SECOND_US
        gap = max(1, (signing - moment) // (len(acks) + 1))
        for prefix, target in acks:
            moment += gap
            when = moment if moment > target.at else target.at + max(1, (at - target.at) // 3)
            mark(when, (prefix, target), "acknowledged", "incoming")
        # The PINs, then the sign-off at `at`.
        incoming_officer = incoming.refs["officer_id"]
        signers = [("outgoing", outgoing.refs["officer_id"]), ("incoming", incoming_officer)]
        if leader_signs:
            signers.append(("leader", incoming.refs["leader_id"]))
        signed: list[tuple[str, Row, int]] = []
        for index, (role, person) in enumerate(signers):
            when = signing + index * 25 * SECOND_US + rng.randint(1, 20) * SECOND_US
            if rng.random() < WRONG_PIN:
                rows.append(self._attempt(person, when - 8 * SECOND_US, ok=False))
            rows.append(self._attempt(person, when, ok=True))
            signed.append((role, person, when))
        marks = {r.values["item"]: r for r in rows if r.table == "handover_mark" and not r.finish}
        ack_rows = [r for r in rows if r.table == "handover_mark" and r.finish]
        handover = Row(
            "handover",
            at,
            {"signed_at": stamp(at)},
            refs={"shift_id": outgoing, "incoming_shift_id": incoming},
        )
        handover.finish = lambda row: row.values.__setitem__(
            "checklist",
            self._checklist(outgoing, calls, rounds, closed, pending, deadlines, marks, ack_rows),
        )
        rows.append(handover)
        for role, person, when in signed:
            rows.append(
                Row("handover_signature", at, {"role": role, "signed_at": stamp(when)},
                    refs={"handover_id": handover, "person_id": person})
            )  # fmt: skip
        rows.append(
            Row("shift_closure", at, {"closed_at": stamp(at)},
                refs={"shift_id": outgoing, "handover_id": handover})
        )  # fmt: skip
        rows += export_rows(handover, at)
        carried = [("pending", item) for item in sorted(pending, key=lambda r: r.at)]
        carried += [("deadline", d) for d, _ in _by_due(deadlines)]
        for kind, target in carried:
            rows.append(
                Row("carry_over", at, {"kind": kind},
                    refs={"handover_id": handover, "record_id": target, "to_shift_id": incoming})
            )  # fmt: skip
        return rows

    def _attempt(self, person: Row, at: int, ok: bool) -> Row:
        return Row(
            "pin_attempt",
            at,
            {"at": stamp(at), "ok": 1 if ok else 0, "purpose": pins.PURPOSE_HANDOVER},
            refs={"person_id": person},
        )

    def _checklist(
        self, outgoing: Row, calls: int, rounds: list[RoundDone], closed: list[tuple[Row, Row]],
        pending: list[Row], deadlines: list[tuple[Row, Row]], marks: dict[str, Row],
        ack_rows: list[Row],
    ) -> str:  # fmt: skip
        """checklist_to_json of the checklist as build_checklist reads it at the sign-off."""
        rules = self.profile.handover
        zone = self.profile.profile.timezone
        marks = {**marks, **{r.values["item"]: r for r in ack_rows}}

        def ticked(key: str, item: Item) -> Item:
            row = marks.get(key)
            if row is None or item.kind == "info" or (item.kind == "quota" and item.state != OPEN):
                return item
            v = row.values
            return Item(item.key, item.section, item.kind, item.label_key, item.cite,
                        item.params, state=v["state"], note=v["note"], value=v["value"],
                        role=v["role"], at=from_storage(v["at"]))  # fmt: skip

        items = [Item("calls", "records", "check", "handover_item.calls", rules.records_cite,
                      {"count": calls})]  # fmt: skip
        for closure, item in closed:
            items.append(
                Item(f"pending:{item.id}", "pending", "info", "handover_item.pending_closed",
                     rules.pending_cite, {"id": item.id, "text": _short(item.values["text"])},
                     state="closed", note=closure.values["note"], role="outgoing",
                     at=from_storage(closure.values["closed_at"]))
            )  # fmt: skip
        for item in sorted(pending, key=lambda r: r.id or 0):
            call = item.refs.get("call_id")
            items.append(
                Item(f"pending:{item.id}", "pending", "ack", "handover_item.pending",
                     rules.pending_cite, {"id": item.id, "text": _short(item.values["text"]),
                                          "call": call.values["number"] if call else "—"})
            )  # fmt: skip
        for deadline, incident in _by_due(deadlines):
            v = deadline.values
            label = incident_label(SimpleNamespace(id=incident.id, **{
                k: incident.values[k] for k in ("level", "type", "place")}))  # type: ignore[arg-type]  # fmt: skip
            what = f"{t('deadline_what.' + v['subject'] + '_' + v['channel'])} · {label}"
            due = (from_storage(v["due_at"]).in_timezone(zone).format("MM-DD HH:mm")
                   if v["due_at"] else t("handover_item.asap"))  # fmt: skip
            items.append(
                Item(f"deadline:{deadline.id}", "deadlines", "ack", "handover_item.deadline",
                     f"{rules.deadlines_cite}; {v['cite']}", {"what": what, "due": due})
            )  # fmt: skip
        items.append(self._quota(rounds))
        items.append(
            Item("summary", "situations", "text", "handover_item.summary", rules.situations_cite)
        )
        items.append(
            Item("documents", "documents", "check", "handover_item.documents",
                 rules.documents_cite)
        )  # fmt: skip
        for device in rules.devices:
            items.append(Item(f"device:{device}", "devices", "device",
                              f"handover_device.{device}", rules.devices_cite))  # fmt: skip
        for desk_item in rules.desk_items:
            items.append(Item(f"desk:{desk_item}", "devices", "device",
                              f"handover_desk.{desk_item}", rules.desk_items_cite))  # fmt: skip
        shift = _shift(outgoing)
        due = handover_due(self.desk, shift)  # type: ignore[arg-type]
        items.append(
            Item("arrival", "arrival", "arrival", "handover_item.arrival",
                 rules.incoming_early_cite,
                 {"by": due.arrive_by.format("HH:mm"), "minutes": rules.incoming_early_minutes})
        )  # fmt: skip
        items = [ticked(item.key, item) for item in items]
        officer = outgoing.refs["officer_id"].values["name"]
        return dumps(checklist_to_json(Checklist(shift, officer, due, items, []), zone))

    def _quota(self, rounds: list[RoundDone]) -> Item:
        """The spot-check line, as handover_sources.spotcheck_quota and quota_status give it."""
        quota = self.profile.spotcheck
        done = sum(1 for r in rounds if r.closed_at is not None and r.covered >= r.required)
        required = quota.rounds_per_shift
        detail = t("spotcheck.separator").join(
            t("spotcheck.detail_round", number=n, covered=r.covered, drawn=r.drawn,
              required=r.required)
            for n, r in enumerate(rounds, start=1)
        )  # fmt: skip
        short = required is not None and done < required
        state = OPEN if short else ("met" if required else "no_quota")
        return Item("spotcheck", "spotcheck", "quota",
                    "handover_item.spotcheck" if required else "handover_item.spotcheck_free",
                    quota.quota_cite, {"done": done, "required": required, "detail": detail},
                    state=state)  # fmt: skip


def _by_due(deadlines: list[tuple[Row, Row]]) -> list[tuple[Row, Row]]:
    """deadline_views.sort_key: dated ones by due time, then the "尽快" ones (stored times are
    fixed-width UTC text, so they sort as text; ids follow the time rows were written)."""

    def key(pair: tuple[Row, Row]) -> tuple[int, str, int]:
        v = pair[0].values
        if v["due_at"] is not None:
            return (0, v["due_at"], pair[0].at)
        return (1, v["clock_at"], pair[0].at)

    return sorted(deadlines, key=key)


def _shift(row: Row) -> Shift:
    v = row.values
    return Shift(
        id=row.id,
        slot_code=v["slot_code"],
        starts_at=from_storage(v["starts_at"]),
        ends_at=from_storage(v["ends_at"]),
        officer_id=row.refs["officer_id"].id,  # type: ignore[arg-type]
        opened_at=from_storage(v["opened_at"]),
    )


def export_rows(handover: Row, signed: int) -> list[Row]:
    """services.archive.export after a sign-off: the archive's export_record (written once its
    folder is complete, seconds later); now and then a failed one first, retried."""
    rows = []
    at = signed + 20 * SECOND_US
    if (signed // SECOND_US) % EXPORT_FAILS_EVERY == 0:
        failed = {"at": stamp(at), "ok": 0, "target": EXPORT_TARGET, "archive": None,
                  "manifest_sha256": None, "error": "[Errno 28] No space left on device"}  # fmt: skip
        rows.append(Row("export_record", at, failed, refs={"handover_id": handover}))
        at += 600 * SECOND_US
    name = datetime.fromtimestamp(at / 1e6, UTC).strftime("%Y%m%d-%H%M%S")
    done = {"at": stamp(at), "ok": 1, "target": EXPORT_TARGET, "archive": name,
            "manifest_sha256": None, "error": None}  # fmt: skip
    row = Row("export_record", at, done, refs={"handover_id": handover})
    row.finish = lambda r: r.values.__setitem__(
        "manifest_sha256", hashlib.sha256(f"manifest:{handover.id}".encode()).hexdigest()
    )
    rows.append(row)
    return rows
