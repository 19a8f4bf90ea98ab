"""The manifest of an archive (docs/archive-format.md): what it holds and where it sits in the
chain, so that it can be read without the register it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk import __version__
from dutydesk.i18n import language
from dutydesk.services.archive.archive_manifest import (
    FORMAT,
    FULL,
    PACK,
    office_id,
    schema_versions,
)
from dutydesk.services.handover import FORM_STYLE

if TYPE_CHECKING:
    from dutydesk.services.archive.export_files import Source
    from dutydesk.services.archive.export_pack import Head
    from dutydesk.services.archive.export_plan import Plan
    from dutydesk.services.core import Desk


def build_manifest(
    desk: Desk,
    plan: Plan,
    entries: list[dict[str, Any]],
    omitted: list[dict[str, str]],
    head: Head | None,
) -> dict[str, Any]:
    from dutydesk.db import connect_readonly_file

    conn = connect_readonly_file(desk.path)
    try:
        office, schema = office_id(conn), schema_versions(conn)
    finally:
        conn.close()
    base = plan.previous.head if plan.previous is not None and not plan.full else None
    now = desk.now().isoformat()
    full_base = {"archive_number": plan.number, "created_at": now}
    if not plan.full and plan.previous is not None:
        full_base = plan.previous.manifest.get("full_base", full_base)
    return {
        "format": FORMAT,
        "content": FULL if plan.full else PACK,
        "archive_number": plan.number,
        "program": {"name": "dutydesk", "version": __version__},
        "schema": schema,
        "created_at": now,
        "lang": language(),
        "form_style": FORM_STYLE,  # how its forms are drawn (verify draws them so)
        "office_id": office,
        "full_snapshot_days": desk.profile.handover.full_snapshot_days,
        "full_base": full_base,
        "chain_range": {
            "from_seq": base["seq"] + 1 if base else 1,
            "to_seq": head.seq if head else 0,
        },
        "base_head": base,
        "chain_head": head.to_json() if head else None,
        "audit_chain_head": head.to_json()
        if head
        else None,  # the name archives had before packs (format 1)
        "previous_manifest": plan.previous_sha,
        "previous_archive": plan.previous.name if plan.previous is not None else None,
        "previous_target": plan.previous_elsewhere,
        "files": entries,
        "omitted": omitted,
        **describe(desk, plan.subjects),
    }


def describe(desk: Desk, subjects: list[tuple[Source, str]]) -> dict[str, Any]:
    """Who and what: the office, the profile, the shift and handover(s) the forms are about."""
    zone = desk.timezone
    last = subjects[-1][0]
    shift = last.shift
    handovers = [_handover(source, zone) for source, _prefix in subjects if source.handover]
    return {
        "kind": "handover" if last.handover else "on_demand",
        "office": desk.office.name,
        "profile": {"id": desk.profile.id, "name": desk.profile.name("zh")},
        "shift": None if shift is None else {
            "id": shift.id,
            "slot": shift.slot_code,
            "starts_at": shift.starts_at.in_timezone(zone).isoformat(),
            "ends_at": shift.ends_at.in_timezone(zone).isoformat(),
        },
        "handover": handovers[-1] if handovers else None,
        "handovers": handovers,
        "subjects": [
            {"handover_id": source.handover.id if source.handover else None,
             "shift_id": source.shift.id if source.shift else None, "prefix": prefix}
            for source, prefix in subjects
        ],
    }  # fmt: skip


def _handover(source: Source, zone: str) -> dict[str, Any]:
    assert source.handover is not None
    return {
        "id": source.handover.id,
        "signed_at": source.handover.signed_at.in_timezone(zone).isoformat(),
        "signers": [
            {"role": s.role, "name": s.name, "signed_at": s.signed_at.in_timezone(zone).isoformat()}
            for s in source.signed
        ],
    }
