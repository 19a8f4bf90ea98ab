"""The shift's call register (电话记录) as CSV rows for the archive: every line the shift wrote,
in order, amendments included (as on paper)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import CallRecord, Person, Shift

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


def call_rows(desk: Desk, shift: Shift | None) -> list[list[str]]:
    """Every line the shift wrote into the call register, in order (amendments included, as
    on paper)."""
    if shift is None:
        return []
    zone = desk.timezone
    with read_session(desk.engine) as session:
        records = session.exec(
            select(CallRecord).where(CallRecord.shift_id == shift.id).order_by(col(CallRecord.id))
        ).all()
        names = {p.id: p.name for p in session.exec(select(Person))}
        amended_ids = {r.amends_id for r in records if r.amends_id}
        originals = {
            r.id: r.number
            for r in session.exec(select(CallRecord).where(col(CallRecord.id).in_(amended_ids)))
        }
    yes, no = t("handover_csv.yes"), t("handover_csv.no")
    return [
        [
            r.number,
            r.received_at.in_timezone(zone).format("YYYY-MM-DD HH:mm"),
            r.recorded_at.in_timezone(zone).format("YYYY-MM-DD HH:mm:ss"),
            t("direction." + r.direction),
            r.caller,
            r.unit,
            r.phone,
            yes if r.verified else no,
            t("category." + r.category),
            r.place or "",
            r.summary,
            r.handling,
            yes if r.follow_up else no,
            names.get(r.recorded_by_id, ""),
            originals.get(r.amends_id, "") if r.amends_id else "",
            r.amend_reason or "",
        ]
        for r in records
    ]


CALL_COLUMNS = ("number", "received_at", "recorded_at", "direction", "caller", "unit", "phone",
                "verified", "category", "place", "summary", "handling", "follow_up", "recorded_by",
                "amends", "amend_reason")  # fmt: skip
