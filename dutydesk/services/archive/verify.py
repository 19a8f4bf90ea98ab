"""Verifying the register (核验): recompute the hash chain and compare it with the rows now stored.

Generic over tables: every table that appears in the chain, every table guarded by the
append-only triggers (`<table>_no_update` / `<table>_no_delete`) and every table the program
chains (its models) is checked. A row changed,
deleted or inserted behind DutyDesk's back (for instance with the sqlite3 shell, after dropping
a trigger) is reported with the link concerned. Reads one consistent snapshot with the plain
sqlite3 module and never writes: verifying an archive or a damaged copy changes nothing."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dutydesk.db import connect_readonly_file
from dutydesk.errors import DutyError
from dutydesk.services.archive import register_checks
from dutydesk.services.archive.anchors import (
    Anchor,
    AnchorProblem,
    check_anchors,
    gather,
    manifest_paths,
)
from dutydesk.services.archive.office_history import OfficeChange, office_changes
from dutydesk.services.archive.read_ahead import read_ahead
from dutydesk.services.archive.verify_clock import ClockWatch
from dutydesk.services.archive.verify_integrity import MAX_LINES as MAX_INTEGRITY_LINES
from dutydesk.services.archive.verify_integrity import IntegrityCheck
from dutydesk.services.archive.verify_pass import CHAIN_BREAK as CHAIN_BREAK
from dutydesk.services.archive.verify_pass import CHAIN_GAP as CHAIN_GAP
from dutydesk.services.archive.verify_pass import CHANGED as CHANGED
from dutydesk.services.archive.verify_pass import DELETED as DELETED
from dutydesk.services.archive.verify_pass import DUPLICATE as DUPLICATE
from dutydesk.services.archive.verify_pass import INSERTED as INSERTED
from dutydesk.services.archive.verify_pass import PROBLEMS as PROBLEMS
from dutydesk.services.archive.verify_pass import Checks, Progress, check_pass, redacted_pin
from dutydesk.services.archive.verify_pass import Finding as Finding

CHAIN_TABLE = "audit_link"
MAX_FINDINGS = 1000  # findings kept in full; beyond this only counted


@dataclass
class VerifyReport:
    path: Path
    links: int = 0
    head: str | None = None  # the last link's hash: the chain head (链头)
    head_seq: int | None = None
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # per problem, including unkept ones
    integrity: list[str] = field(default_factory=list)  # PRAGMA integrity_check lines if not ok
    tables: list[str] = field(default_factory=list)  # the tables checked
    unguarded: list[str] = field(default_factory=list)  # audited tables missing their triggers
    redacted: int = (
        0  # PIN rows whose hash an archive's snapshot blanked (see verify_pass.redacted_pin)
    )
    # beyond the rows: anchors, triggers, numbering, search indexes (a failure), and where
    # written_at steps back or an archive the register recorded is not found (a warning)
    problems: list[AnchorProblem] = field(default_factory=list)
    warnings: list[AnchorProblem] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)  # the heads checked
    office_changes: list[OfficeChange] = field(default_factory=list)  # when, who, what

    @property
    def ok(self) -> bool:
        return not self.findings and not self.integrity and not self.problems

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def first_broken(self) -> Finding | None:
        """The finding at the lowest link number (a chain fault before a row fault at the same
        link); a row that no link records comes last."""
        linked = [f for f in self.findings if f.seq is not None]
        if linked:
            return min(linked, key=lambda f: (f.seq, PROBLEMS.index(f.problem)))
        return self.findings[0] if self.findings else None

    @property
    def affected(self) -> list[tuple[str, int]]:
        """The records concerned, (table, id), in order, each once."""
        seen: dict[tuple[str, int], None] = {}
        for finding in self.findings:
            if finding.record_id is not None:
                seen.setdefault((finding.table, finding.record_id), None)
        return list(seen)

    def add(self, finding: Finding) -> None:
        self.counts[finding.problem] = self.counts.get(finding.problem, 0) + 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)

    def to_json(self) -> dict[str, Any]:
        first = self.first_broken
        return {
            "ok": self.ok,
            "path": str(self.path),
            "links": self.links,
            "head": self.head,
            "head_seq": self.head_seq,
            "integrity": self.integrity or ["ok"],
            "first_broken": _finding_json(first) if first else None,
            "counts": self.counts,
            "findings": [_finding_json(f) for f in self.findings],
            "affected": [{"table": t, "id": i} for t, i in self.affected],
            "unguarded": self.unguarded,
            "redacted_pins": self.redacted,
            "problems": [{"problem": p.code, **p.args} for p in self.problems],
            "warnings": [{"warning": w.code, **w.args} for w in self.warnings],
            "anchors": [{"source": a.source, "seq": a.seq, "hash": a.hash} for a in self.anchors],
            "office_changes": [change.to_json() for change in self.office_changes],
        }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "problem": finding.problem,
        "table": finding.table,
        "id": finding.record_id,
        "link": finding.seq,
    }


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates the file; autocommit, so we control BEGIN."""
    conn = connect_readonly_file(path)
    conn.isolation_level = None
    return conn


def verify_register(
    path: Path,
    *,
    integrity: bool = True,
    archive: bool = False,
    archive_dirs: Sequence[Path] = (),
    heads: Sequence[Anchor] = (),
    progress: Progress | None = None,
    deep: bool = False,
) -> VerifyReport:
    """Check the register at `path`. Raises DutyError if it cannot be read at all; otherwise
    every fault found is in the report. `archive`: the file is an archive's snapshot whose
    manifest vouches for it (its PIN rows blanked by the export); otherwise blank PIN rows are
    accepted only if chained before a restore record (services/restore_record.py), and the
    register is also checked against the archives beside it and in `archive_dirs`, against
    `heads` read off paper, for its triggers, numbering and search indexes (_check_register;
    `deep`: every index token against its record's text, not only the token counts)."""
    from dutydesk.services.core import check_openable

    for folder in archive_dirs:  # bad input: refused before anything is read
        if not Path(folder).is_dir():
            raise DutyError("verify_anchor.archives_not_found", path=str(folder))
    check_openable(path)
    read_ahead(path)  # read cold from disk, ten years: 25.7 -> 17.1-17.9 s (warm 16.8 s)
    report = VerifyReport(path)
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as exc:
        raise _translated(exc, path) from exc
    check = IntegrityCheck(path) if integrity else None  # beside the rest: verify_integrity.py
    try:
        try:
            conn.execute("BEGIN")  # one snapshot: a save in another terminal cannot interleave
            _check_chain_and_register(conn, report, archive, archive_dirs, heads, progress, deep)
            conn.execute("COMMIT")
        except Exception:
            if check is not None and _damaged(check):  # what broke: the file, said alone
                return VerifyReport(path, integrity=check.result()[:MAX_INTEGRITY_LINES])
            raise
        if check is not None and _damaged(check):  # rows cannot be trusted in a damaged file
            return VerifyReport(path, integrity=check.result()[:MAX_INTEGRITY_LINES])
    except sqlite3.Error as exc:
        raise _translated(exc, path) from exc
    finally:
        if check is not None:
            check.stop()
        conn.close()
    return report


def _damaged(check: IntegrityCheck) -> bool:
    return check.result() != ["ok"]


def _check_chain_and_register(
    conn: sqlite3.Connection,
    report: VerifyReport,
    archive: bool,
    archive_dirs: Sequence[Path],
    heads: Sequence[Anchor],
    progress: Progress | None,
    deep: bool,
) -> None:
    chain = _start_links(conn, report, _blank_pins_before(conn, archive=archive), progress)
    try:
        if not archive:  # while the chain's ranges are checked on the other cores
            # --archives DIR: only the folders named (and the records' own archives)
            folders = list(archive_dirs) or anchor_folders(report.path)
            _check_register(conn, report, report.tables, folders, heads, deep,
                            named=bool(archive_dirs))  # fmt: skip
            report.warnings += [AnchorProblem("archives_none", {"path": str(folder)})
                                for folder in archive_dirs if not manifest_paths([folder])]  # fmt: skip
    except BaseException:
        chain.stop()
        raise
    _finish_links(conn, report, chain)


def _translated(exc: BaseException, path: Path) -> DutyError:
    from dutydesk.db import translate

    return translate(exc, path) or DutyError("db.cannot_open", path=str(path))


@dataclass
class _Chain:
    """The check of the links under way: what it needs, and the ranges running on the other
    cores (verify_parallel.py; None: the one pass of verify_pass.py, run by _finish_links)."""

    tables: list[str]
    blank_before: int | None
    tolerance: int
    progress: Progress | None
    running: Any = None  # verify_parallel.Running

    def stop(self) -> None:
        if self.running is not None:
            self.running.pool.terminate()


def _start_links(
    conn: sqlite3.Connection,
    report: VerifyReport,
    blank_before: int | None,
    progress: Progress | None,
) -> _Chain:
    """A long chain's ranges handed to every core (verify_parallel.py), to be collected by
    _finish_links once the caller has checked the rest of the register."""
    from dutydesk.services.archive import verify_parallel

    chain = _Chain([], blank_before, register_checks.clock_tolerance(conn), progress)
    links = conn.execute(f"SELECT COALESCE(MAX(seq), 0) FROM {CHAIN_TABLE}").fetchone()[0]
    if verify_parallel.wanted(links):  # the kinds linked come with the ranges' splits
        template = verify_parallel.Range(str(report.path), 0, 0, {}, [], blank_before,
                                         chain.tolerance)  # fmt: skip
        tables_for = lambda kinds: _audited_tables(conn, report, kinds)  # noqa: E731
        chain.running = verify_parallel.start(conn, template, progress, tables_for)
    chain.tables = report.tables if chain.running is not None else _audited_tables(conn, report)
    return chain


def _finish_links(conn: sqlite3.Connection, report: VerifyReport, chain: _Chain) -> None:
    """Every link in its place in the chain, each hashing its row; every chained row linked:
    the ranges' verdict, or the one pass's where they leave it to it. The clock steps come
    first among the warnings."""
    from dutydesk.services.archive import verify_parallel

    if chain.running is not None:
        outcome = verify_parallel.finish(conn, chain.running, chain.tolerance)
        if outcome is not None:
            for finding in outcome.findings:
                report.add(finding)
            report.links, report.head_seq, report.head = (
                outcome.count, outcome.head_seq, outcome.head)  # fmt: skip
            report.redacted += outcome.redacted
            report.warnings[:0] = outcome.steps
            return
    clock = ClockWatch(chain.tolerance)

    def redacted(table: str, row: dict[str, Any], seq: int) -> bool:
        if redacted_pin(table, row, seq, chain.blank_before):
            report.redacted += 1
            return True
        return False

    checks = Checks(clock, redacted, chain.progress)
    report.links, report.head_seq, report.head = check_pass(conn, chain.tables, report.add, checks)
    report.warnings[:0] = clock.steps


def anchor_folders(path: Path) -> list[Path]:
    from dutydesk.services.archive.anchors import default_folders

    return default_folders(path)


def _check_register(
    conn: sqlite3.Connection,
    report: VerifyReport,
    tables: list[str],
    folders: Sequence[Path],
    heads: Sequence[Anchor],
    deep: bool = False,
    named: bool = False,
) -> None:
    """A live register: the heads pinned outside it, its triggers, its numbering, its search
    indexes. Each fault is a problem (exit 1) naming what and where."""
    from dutydesk.services.core import index_problems
    from dutydesk.services.lookup import register_index_problems

    anchors, problems, warnings = gather(conn, folders, named)
    report.anchors = [*anchors, *heads]
    report.problems.extend(problems)
    report.warnings.extend(warnings)
    report.problems.extend(check_anchors(conn, report.anchors))
    report.problems.extend(register_checks.missing_triggers(conn, [*tables, CHAIN_TABLE]))
    report.problems.extend(register_checks.sequence_problems(conn))
    report.office_changes, unauthorised = office_changes(conn)
    report.problems.extend(unauthorised)
    query = lambda sql, params: conn.execute(sql, params).fetchall()  # noqa: E731
    for index in [*index_problems(query), *register_index_problems(query)]:
        args = {"index": index.index, "missing": index.missing_count, "extra": index.extra_count,
                "ids": ", ".join(str(i) for i in [*index.missing, *index.extra])}  # fmt: skip
        report.problems.append(AnchorProblem("index_mismatch", args))
    report.problems.extend(register_checks.index_content(conn, deep))
    report.problems.extend(_attachments(conn, report.path, folders))


def _attachments(
    conn: sqlite3.Connection, path: Path, folders: Sequence[Path]
) -> list[AnchorProblem]:
    """The roster files filed in the archives found, against their filing rows here."""
    from dutydesk.services.archive.archive_attachments import register_attachment_problems
    from dutydesk.services.archive.archive_manifest import office_id

    return register_attachment_problems(path, folders, office_id(conn))


def register_tables() -> set[str]:
    """The tables this program keeps append-only and chained: every model's table but the
    numbering (checked against the numbers issued instead), the chain itself and the office row
    (chained only since migration 0014: see _audited_tables)."""
    from sqlmodel import SQLModel

    import dutydesk.models  # noqa: F401  (defines the tables)

    return set(SQLModel.metadata.tables) - {"office", "register_sequence", CHAIN_TABLE}


def _audited_tables(
    conn: sqlite3.Connection, report: VerifyReport, kinds: set[str] | None = None
) -> list[str]:
    """Every table checked: the kinds the links name (`kinds` when already read), the tables
    guarded by the append-only triggers, the tables the program chains."""
    if kinds is None:
        kinds = {row[0] for row in conn.execute(f"SELECT DISTINCT kind FROM {CHAIN_TABLE}")}
    triggers = {
        name: table
        for name, table in conn.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type='trigger'"
        )
    }
    guarded = {
        table
        for name, table in triggers.items()
        if name in (f"{table}_no_update", f"{table}_no_delete")
    }
    existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    # and every table the program chains, even one still empty in the chain whose triggers were
    # dropped: a row put there behind the desk's back is found, not skipped (QA)
    chained = register_tables() | ({"office"} if "office_setting" in existing else set())
    tables = sorted((kinds | guarded | (chained & existing)) - {CHAIN_TABLE})
    report.tables = tables
    report.unguarded = sorted(
        table
        for table in tables
        if table in existing and not {f"{table}_no_update", f"{table}_no_delete"} <= set(triggers)
    )
    return tables


def _blank_pins_before(conn: sqlite3.Connection, *, archive: bool) -> int | None:
    """The chain position before which a PIN row may have a blank hash and salt (None: none
    may). In an archive's snapshot, any marked by the export; in a live register, those
    chained before a restore record bound to its archive's head: a `pin_redaction` table
    anyone can create proves nothing there."""
    from dutydesk.services.core import bound_restore_seq
    from dutydesk.services.roster import REDACTION_MARK

    if archive:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        marked = conn.execute(query, (REDACTION_MARK,)).fetchone() is not None
        return sys.maxsize if marked else None
    return bound_restore_seq(lambda sql, params: conn.execute(sql, params).fetchall())
