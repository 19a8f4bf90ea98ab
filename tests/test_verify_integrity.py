"""Issue 19: `verify` runs PRAGMA integrity_check beside the chain (verify_integrity.py), and its
verdict still stands first and alone: a damaged file is reported as damaged, never as the chain
faults its damage would make. The damage here is in an index page only integrity_check reads:
the rows, the chain and quick_check all still say ok."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk.i18n import t
from dutydesk.services.archive import verify_integrity, verify_parallel
from dutydesk.services.archive import verify_pass as verify_pass_module
from dutydesk.services.archive.verify import verify_register
from tests.support_reliability import fill, tamper
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)
INDEX = "ix_call_record_shift_id"  # (shift_id, rowid): read by no check of verify's own


@pytest.fixture
def filled(desk, officer):
    fill(desk, officer)
    desk.close()
    return desk.path


def spoil_last_index_entry(path: Path, index: str) -> None:
    """The last entry of a one-page index pointed past the table's last row: the page stays well
    formed and in order, the entry no longer matches its row (as a flipped bit on disk would)."""
    with closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
        page_number = root.fetchone()[0]
    data = bytearray(path.read_bytes())
    page = (page_number - 1) * page_size
    assert data[page] == 0x0A  # a leaf page of an index: the whole index on its root
    cells = int.from_bytes(data[page + 3 : page + 5], "big")
    cell = page + int.from_bytes(data[page + 8 + 2 * (cells - 1) : page + 10 + 2 * (cells - 1)])
    payload, header, types = data[cell], data[cell + 1], tuple(data[cell + 2 : cell + 4])
    assert payload < 0x80 and header == 3 and types in ((8, 1), (9, 1))  # (shift 0|1, rowid)
    assert data[cell + 1 + header] < 20
    data[cell + 1 + header] += 100  # the rowid: past the table's last row, still last in order
    path.write_bytes(bytes(data))


def test_damage_only_integrity_check_finds_is_reported_alone(cli, filled):
    tamper(filled, "DROP TRIGGER call_record_no_update", "UPDATE call_record SET phone = '110'")
    assert verify_register(filled, integrity=False).counts  # the chain alone: rows changed
    spoil_last_index_entry(filled, INDEX)
    with closing(sqlite3.connect(filled)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    report = verify_register(filled)
    assert not report.ok and any(INDEX in line for line in report.integrity)
    assert report.findings == [] and report.problems == [] and report.links == 0
    result = cli("verify", lang="en", db=filled)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == t(
        "reliability_verify.integrity", lang="en", detail="; ".join(report.integrity)
    )


def test_a_chain_error_in_a_damaged_file_gives_way_to_the_integrity_verdict(filled, monkeypatch):
    spoil_last_index_entry(filled, INDEX)

    def malformed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(verify_pass_module, "streams_of", malformed)
    monkeypatch.setattr(verify_parallel, "wanted", lambda links: False)
    report = verify_register(filled)
    assert any(INDEX in line for line in report.integrity) and report.findings == []


@pytest.mark.parametrize("ranges", [False, True])
def test_the_integrity_check_runs_while_the_chain_is_checked(filled, monkeypatch, ranges):
    """The check waits (in its thread) until the chain has been read: verify run one after the
    other would never get there."""
    chain_read = threading.Event()
    seen: list[bool] = []
    real_lines, real_finish = verify_integrity.integrity_lines, verify_parallel.finish
    real_pass = verify_pass_module.check_pass

    def waiting(conn):  # noqa: ANN001, ANN202
        seen.append(chain_read.wait(timeout=60))
        return real_lines(conn)

    def finished(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        outcome = real_finish(*args, **kwargs)
        chain_read.set()
        return outcome

    def passed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        outcome = real_pass(*args, **kwargs)
        chain_read.set()
        return outcome

    monkeypatch.setattr(verify_integrity, "integrity_lines", waiting)
    monkeypatch.setattr(verify_parallel, "finish", finished)
    monkeypatch.setattr("dutydesk.services.archive.verify.check_pass", passed)
    monkeypatch.setattr(verify_parallel, "RANGE_LINKS", 3)
    monkeypatch.setattr(verify_parallel, "wanted", lambda links: ranges)
    report = verify_register(filled)
    assert report.ok and seen == [True]
