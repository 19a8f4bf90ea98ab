"""How often an archive is a full snapshot (archive lane, item 1): the first export, on demand,
on a schema change and at the office's (quarterly) interval; every other archive is a pack."""

from __future__ import annotations

import json

from dutydesk.profiles import HandoverRules
from dutydesk.services.archive import export_plan
from dutydesk.services.archive.archive_manifest import MANIFEST
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import write_archive
from tests.support_packs import add_call


def _content(folder) -> str:  # noqa: ANN001
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["content"]


def test_the_default_interval_is_quarterly_not_weekly():
    assert HandoverRules.model_fields["full_snapshot_days"].default >= 90


def test_a_weekly_export_stays_a_pack_until_the_quarter_is_up(desk, clock):
    contents = [_content(write_archive(desk))]
    for _week in range(12):
        clock.advance(days=7)
        add_call(desk)
        contents.append(_content(write_archive(desk)))
    clock.advance(days=7)
    contents.append(_content(write_archive(desk)))
    assert contents == ["full_snapshot", *["pack"] * 12, "full_snapshot"]


def test_a_schema_change_since_the_previous_archive_makes_a_full_snapshot(desk, monkeypatch):
    first = write_archive(desk)
    add_call(desk)
    assert _content(write_archive(desk)) == "pack"
    # the register as a later migration leaves it (a real one needs a newer program)
    monkeypatch.setattr(export_plan, "schema_versions", lambda conn: ["9999"])
    add_call(desk)
    assert _content(write_archive(desk)) == "full_snapshot"
    assert verify_archives(first.parent).ok
