"""Migration 0016: acknowledgements and closings written before the reason column still verify
after the upgrade; a typed reason keeps the register at 0016; the numbers table is chained and
guarded like the others."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.incidents import deadlines, record_report, save_first_report
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from tests.test_call_place import _columns, _migrate


def _incident(desk, officer):
    draft = IncidentDraft(type="accident", level="III", place="人民路", summary="燃气管道破裂",
                          occurred_at=desk.now().subtract(minutes=25))  # fmt: skip
    return record_incident(desk, draft, officer)


def test_rows_from_before_the_reason_column_verify_after_the_upgrade(desk, officer):
    row = _incident(desk, officer)
    record_report(desk, row.id, "first", officer, to_whom="市应急局", phoned_at=desk.now())
    desk.close()
    _migrate(desk.path, "0015", down=True)
    assert "reason" not in _columns(desk.path, "deadline_closure")
    assert verify_register(desk.path).ok
    _migrate(desk.path, "heads")
    assert {"reason"} <= _columns(desk.path, "deadline_ack") & _columns(
        desk.path, "deadline_closure"
    )
    report = verify_register(desk.path)
    assert report.ok and {"deadline_closure", "report_number"} <= set(report.tables)
    assert "report_number" not in report.unguarded


def test_a_typed_reason_or_an_issued_number_is_never_dropped(desk, officer, tmp_path):
    row = _incident(desk, officer)
    phone = deadlines.open_deadlines(desk)[0]
    deadlines.acknowledge(desk, phone.id, officer, reason="正在核实伤亡")
    save_first_report(desk, row.id, officer, folder=tmp_path)
    desk.close()
    with pytest.raises(RuntimeError, match="deadline_ack.reason"):
        _migrate(desk.path, "0015", down=True)
    assert "reason" in _columns(desk.path, "deadline_ack")
    with closing(sqlite3.connect(desk.path)) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE report_number SET number = 7")
    assert verify_register(desk.path).ok
