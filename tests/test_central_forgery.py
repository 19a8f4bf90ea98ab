"""The breaker's forgeries of session 7, each made as the ingest role (its scripts in
qa-break7): a hand-written hold that would start a conflict, a forged first link taking a
desk's office id, a forged search text. Each is refused with nothing stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg.types.json import Jsonb

from dutydesk.services.central import ingest_paths
from dutydesk.services.central.store import HOLD, INGEST
from tests.test_central import _counts, server, url  # noqa: F401  (fixtures)
from tests.test_central_security import _arguments, as_ingest, desk_archives  # noqa: F401

EMPTY_LINKS: list[list] = [[] for _ in range(6)]


def _head(url: str) -> tuple:  # noqa: F811
    with psycopg.connect(url) as conn:
        office = conn.execute("SELECT office_id FROM desk").fetchone()[0]
        return conn.execute("SELECT number, head_seq FROM central_head(%s)", (office,)).fetchone()


def _hold(target: str, manifest: dict, links: list[list], reason: dict) -> None:
    raw = json.dumps(manifest, ensure_ascii=False).encode()
    with psycopg.connect(target) as conn:
        conn.execute(HOLD, ("forged", ["manifest.json"], ["manifest"], [raw], *links,
                            Jsonb(reason)))  # fmt: skip


def _genuine(url, as_ingest, desk_archives, tmp_path) -> dict:  # noqa: F811
    first, second = desk_archives
    outcomes = ingest_paths(as_ingest, [first, second], tmp_path)
    assert [o.status for o in outcomes] == ["ingested", "ingested"]
    return json.loads((first / "manifest.json").read_bytes())


def test_a_hand_written_hold_cannot_start_a_conflict(url, as_ingest, desk_archives, tmp_path):  # noqa: F811
    manifest = _genuine(url, as_ingest, desk_archives, tmp_path)
    with psycopg.connect(url) as conn:
        sha1 = conn.execute("SELECT manifest_sha FROM archive WHERE number = 1").fetchone()[0]
    before, head = _counts(url), _head(url)
    fake = {"office_id": manifest["office_id"], "archive_number": 2, "previous_manifest": sha1,
            "content": "pack", "base_head": {"seq": 1, "hash": "x"},
            "chain_head": {"seq": 99, "hash": "y"}, "files": [], "office": "伪造",
            "created_at": "2026-11-23T10:06:00+08:00"}  # fmt: skip
    with pytest.raises(psycopg.errors.RaiseException, match="does not continue"):
        _hold(as_ingest, fake, EMPTY_LINKS, {"key": "q_gap", "params": {}})
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM conflict").fetchone()[0] == 0
    assert _counts(url) == before and _head(url) == head == (2, head[1])


def test_a_hold_refuses_links_that_are_not_its_manifests(url, as_ingest, desk_archives, tmp_path):  # noqa: F811
    manifest = _genuine(url, as_ingest, desk_archives, tmp_path)
    before = _counts(url)
    fake = {"office_id": manifest["office_id"], "archive_number": 9, "previous_manifest": "z",
            "content": "pack", "base_head": {"seq": 50, "hash": "x"},
            "chain_head": {"seq": 99, "hash": "y"}, "files": [],
            "created_at": "2026-11-23T10:06:00+08:00"}  # fmt: skip
    forged = [[51], ["call_record"], [1], ["x"], ["0" * 64], ['{"id": 1}']]
    with pytest.raises(psycopg.errors.RaiseException, match="does not chain"):
        _hold(as_ingest, fake, forged, {"key": "q_gap", "params": {"first": 3, "last": 8}})
    assert _counts(url) == before


@pytest.mark.parametrize("reason", [
    {"key": "q_gap", "params": {"first": "\x1b[2J伪造"}},
    {"key": "任意文字", "params": {}},
    {"key": "q_gap", "params": {}, "note": "x"},
])  # fmt: skip
def test_a_hold_takes_no_free_text_as_its_reason(url, as_ingest, desk_archives, tmp_path, reason):  # noqa: F811
    manifest = _genuine(url, as_ingest, desk_archives, tmp_path)
    before = _counts(url)
    gap = {"office_id": manifest["office_id"], "archive_number": 9, "previous_manifest": "z",
           "content": "pack", "base_head": {"seq": 50, "hash": "x"},
           "chain_head": {"seq": 50, "hash": "x"}, "files": [],
           "created_at": "2026-11-23T10:06:00+08:00"}  # fmt: skip
    with pytest.raises(psycopg.errors.RaiseException, match="catalogue"):
        _hold(as_ingest, gap, EMPTY_LINKS, reason)
    assert _counts(url) == before


def test_a_blanked_pin_row_cannot_take_a_desks_office_id(url, as_ingest, desk_archives, tmp_path):  # noqa: F811
    first, _ = desk_archives
    office_id = json.loads((first / "manifest.json").read_bytes())["office_id"]
    digest = office_id.split(":", 1)[1]
    fake = {"office_id": office_id, "archive_number": 1, "content": "full_snapshot",
            "office": "乙区值班室（伪）", "chain_head": {"seq": 1, "hash": digest}, "files": [],
            "created_at": "2026-11-23T10:00:00+08:00", "profile": {"id": "tianjin", "name": "x"}}  # fmt: skip
    raw = json.dumps(fake, ensure_ascii=False).encode()
    payload = json.dumps({"id": 1, "pin_hash": "", "salt": "", "person_id": 1})
    squat = ("squat", ["manifest.json"], ["manifest"], [raw], [1], ["person_pin"], [1], [""],
             [digest], [payload], ["2026-11-23T10:00:00"], [], [], [], [], [])  # fmt: skip
    with psycopg.connect(as_ingest) as conn, pytest.raises(psycopg.errors.RaiseException,
                                                           match="link 1 does not chain"):  # fmt: skip
        conn.execute(INGEST, squat)
    assert set(_counts(url).values()) == {0}
    outcomes = ingest_paths(as_ingest, [first], tmp_path)
    assert [o.status for o in outcomes] == ["ingested"]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT office FROM archive").fetchall() == [(manifest_office(first),)]


def manifest_office(folder) -> str:  # noqa: ANN001
    return json.loads((folder / "manifest.json").read_bytes())["office"]


def test_a_blanked_pin_row_may_not_be_the_last_link_given(url, as_ingest, desk_archives):  # noqa: F811
    first, _ = desk_archives
    genuine = _arguments(first)
    office_id = json.loads((first / "manifest.json").read_bytes())["office_id"]
    chosen = "f" * 64  # a head of the forger's choosing behind a blanked PIN row
    fake = {"office_id": office_id, "archive_number": 1, "content": "full_snapshot",
            "office": "伪造", "chain_head": {"seq": 2, "hash": chosen}, "files": [],
            "created_at": "2026-11-23T10:00:00+08:00"}  # fmt: skip
    raw = json.dumps(fake, ensure_ascii=False).encode()
    blank = json.dumps({"id": 1, "pin_hash": "", "salt": "", "person_id": 1})
    links = ([1, 2], [genuine[5][0], "person_pin"], [genuine[6][0], 1], [genuine[7][0], genuine[8][0]],
             [genuine[8][0], chosen], [genuine[9][0], blank], ["", ""])  # fmt: skip
    assert "chain:" + genuine[8][0] == office_id and genuine[4][0] == 1
    with psycopg.connect(as_ingest) as conn, pytest.raises(psycopg.errors.RaiseException,
                                                           match="link 2 does not chain"):  # fmt: skip
        conn.execute(INGEST, ("forged", ["manifest.json"], ["manifest"], [raw], *links,
                              [], [], [], [], []))  # fmt: skip
    assert set(_counts(url).values()) == {0}


def _forged_docs(arguments: list, column: int, value) -> tuple:  # noqa: ANN001
    forged = list(arguments)
    forged[column] = list(forged[column])
    forged[column][0] = value
    return tuple(forged)


def test_a_search_text_must_be_its_rows_text(url, as_ingest, desk_archives, tmp_path):  # noqa: F811
    first, second = desk_archives
    assert [o.status for o in ingest_paths(as_ingest, [first], tmp_path)] == ["ingested"]
    genuine = _arguments(second, after=len(_arguments(first)[4]))
    assert genuine[11], "the pack has searchable texts"
    before = _counts(url)
    forgeries = {
        "body": _forged_docs(genuine, 14, "伪造爆炸事故 死亡十人"),
        "grams": _forged_docs(genuine, 15, genuine[15][0] + " 伪造"),
        "dropped": tuple(column[1:] if 11 <= i <= 15 else column for i, column in enumerate(genuine)),
    }  # fmt: skip
    for name, forged in forgeries.items():
        with psycopg.connect(as_ingest) as conn, pytest.raises(psycopg.errors.RaiseException,
                                                               match="searchable text"):  # fmt: skip
            conn.execute(INGEST, forged)
        assert _counts(url) == before, name
    with psycopg.connect(as_ingest) as conn:
        conn.execute(INGEST, tuple(genuine))
    assert _counts(url)["doc"] == before["doc"] + len(genuine[11])


def test_a_search_text_must_name_its_rows_time_and_row(url, as_ingest, desk_archives, tmp_path):  # noqa: F811
    """Checked against the archive's own links since c0006 (not the stored rows): a text moved
    in time, or naming a row the archive does not bring, is refused as before."""
    first, second = desk_archives
    assert [o.status for o in ingest_paths(as_ingest, [first], tmp_path)] == ["ingested"]
    genuine = _arguments(second, after=len(_arguments(first)[4]))
    before = _counts(url)
    forgeries = {
        "time": _forged_docs(genuine, 13, datetime(2000, 1, 1, tzinfo=UTC)),
        "row": _forged_docs(genuine, 12, max(genuine[6]) + 1000),
        "kind": _forged_docs(genuine, 11, "incident" if genuine[11][0] != "incident" else "call_record"),
    }  # fmt: skip
    for name, forged in forgeries.items():
        with psycopg.connect(as_ingest) as conn, pytest.raises(psycopg.errors.RaiseException,
                                                               match="searchable text"):  # fmt: skip
            conn.execute(INGEST, forged)
        assert _counts(url) == before, name


def test_resolve_takes_names_and_reasons_by_the_desks_rules(url, tmp_path):  # noqa: F811
    from dutydesk.errors import ValidationFailed
    from dutydesk.services.central import resolve_conflict

    for by, reason in (("张\x1b[2J三", "保留真实归档"), ("张三", "保留\u202e真实归档"),
                       ("张三\u200b", "理由")):  # fmt: skip
        with pytest.raises(ValidationFailed):
            resolve_conflict(url, "测试值班室", "a" * 16, by, reason, tmp_path)


def test_central_output_shows_stored_control_characters_as_marks(monkeypatch):
    from typer.testing import CliRunner

    import dutydesk.services.central as central
    from dutydesk.cli.main import build_app
    from dutydesk.services.central.search import Hit

    hit = Hit("甲区\x1b]0;伪\x07值班室", "chain:x", "call_record", 1, "2026-11-23 10:00",
              "桥下\x1b[2J积水\u202e倒序")  # fmt: skip
    monkeypatch.setattr(central, "search_central", lambda target, terms: [hit])
    result = CliRunner().invoke(
        build_app(), ["central", "search", "积水", "--url", "postgresql://x"]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\u202e" not in result.output
    assert "␛[2J" in result.output and "<U+202E>" in result.output
