"""Issue 20: two archives that continue the same head differently are held as a conflict for a
person to decide. Neither branch advances the desk's head past the fork point, status shows
both manifests, verify --central says "conflict" (not a rewrite), and after `central resolve`
(an insert-only row) the kept branch goes on, whichever of the two it is."""

from __future__ import annotations

import json
import shutil

import psycopg
import pytest
from typer.testing import CliRunner

from dutydesk.services.archive.archive_manifest import read_archive
from dutydesk.services.archive.export import write_archive
from dutydesk.services.central import desk_status, ingest_paths, search_central
from tests.support_central import add_calls, at, new_desk
from tests.test_central import server, url  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def fork(tmp_path_factory):
    """A desk's archive 1, then its register copied: the genuine desk goes on to 2 and 3, the
    copy writes its own 2 (other calls) from the same head."""
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.roster.people import find_person

    root = tmp_path_factory.mktemp("fork")
    desk, person = new_desk(root / "desk.sqlite3", "测试值班室", "tianjin")
    add_calls(desk, person, [("城关镇", "桥下积水")])
    for folder in ("genuine", "copy"):
        (root / folder).mkdir()
    first = write_archive(desk, root / "genuine")
    desk.close()
    shutil.copy(root / "desk.sqlite3", root / "copy.sqlite3")
    shutil.copytree(first, root / "copy" / first.name)
    made = {"first": first, "register": root / "desk.sqlite3"}
    for name, summary in (("genuine", "真的记录"), ("copy", "假的记录")):
        clock = FrozenClock(at("2026-11-23T12:00"))
        register = open_desk(
            root / ("desk.sqlite3" if name == "genuine" else "copy.sqlite3"), clock
        )
        add_calls(register, find_person(register, "张伟"), [("新华街道", summary)])
        made[name] = write_archive(register, root / name)
        if name == "genuine":
            add_calls(register, find_person(register, "张伟"), [("新华街道", "后来的记录")])
            made["third"] = write_archive(register, root / name)
        register.close()
    return made


def _sha(folder) -> str:  # noqa: ANN001
    archive = read_archive(folder)
    assert archive is not None
    return archive.sha256


def _cli(*args: str):  # noqa: ANN202
    from dutydesk.cli.main import build_app

    return CliRunner().invoke(build_app(), list(args))


def _statuses(outcomes) -> list[str]:  # noqa: ANN001
    return [o.status for o in outcomes]


def test_a_fork_is_held_as_a_conflict_until_a_person_decides(url, fork, tmp_path):  # noqa: F811
    work = tmp_path / "work"
    assert _statuses(ingest_paths(url, [fork["first"], fork["copy"]], work)) == ["ingested"] * 2
    assert _statuses(ingest_paths(url, [fork["genuine"]], work)) == ["quarantined"]
    assert _statuses(ingest_paths(url, [fork["third"]], work)) == ["quarantined"]
    (desk,) = desk_status(url)
    assert desk.newest_number == 1, "neither branch advances past the fork point"
    assert "未裁定" in desk.held[1].reason, "the later archive waits for the decision"
    (conflict,) = desk.conflicts
    shas = {b["manifest_sha"] for b in conflict.branches}
    assert shas == {_sha(fork["copy"]), _sha(fork["genuine"])} and conflict.kept is None
    shown = json.loads(_cli("central", "status", "--url", url, "--json").output)
    assert len(shown[0]["conflicts"][0]["branches"]) == 2
    assert [h.text for h in search_central(url, ["假的记录"])] == [], "a branch set aside"
    verified = _cli("verify", "--db", str(fork["register"]), "--central", url)
    assert verified.exit_code == 1 and "分叉冲突" in verified.output
    assert "differs" not in verified.output and "不一致" not in verified.output

    decided = _cli("central", "resolve", desk.office_id[:20], "--keep", _sha(fork["genuine"])[:12],
                   "--by", "王主任", "--reason", "核对原件", "--url", url, "--work", str(work))  # fmt: skip
    assert decided.exit_code == 0, decided.output
    (desk,) = desk_status(url)
    assert desk.newest_number == 3 and desk.conflicts[0].decided_by == "王主任"
    assert [h.text.split()[-1] for h in search_central(url, ["记录"])] == ["后来的记录", "真的记录"]
    assert _cli("verify", "--db", str(fork["register"]), "--central", url).exit_code == 0
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("DELETE FROM resolution")  # the decision is insert-only


def test_the_branch_that_came_first_can_be_the_one_set_aside_or_kept(url, fork, tmp_path):  # noqa: F811
    work = tmp_path / "work"
    ingest_paths(url, [fork["first"], fork["genuine"], fork["copy"]], work)
    (desk,) = desk_status(url)
    assert desk.newest_number == 1 and len(desk.conflicts) == 1
    refused = _cli("central", "resolve", desk.office_id[:20], "--keep", "0123456789ab",
                   "--by", "王主任", "--reason", "核对", "--url", url)  # fmt: skip
    assert refused.exit_code == 1 and desk_status(url)[0].conflicts[0].kept is None
    kept = _cli("central", "resolve", "测试值班室", "--keep", _sha(fork["genuine"]),
                "--by", "王主任", "--reason", "核对原件", "--url", url, "--work", str(work))  # fmt: skip
    assert kept.exit_code == 0, kept.output
    assert _statuses(ingest_paths(url, [fork["third"]], work)) == ["ingested"]
    assert desk_status(url)[0].newest_number == 3
