"""`dutydesk central ingest PATH…` (issue 20 item 2): each archive checked as `dutydesk verify`
checks a folder of archives, then written in one transaction, or refused whole with the
reason and nothing of it stored. One that does not continue the desk's head is held in
quarantine; when the archive before it arrives, the held ones are ingested in turn."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive.archive_folder import (
    _check_recorded_previous as recorded_previous,
)
from dutydesk.services.archive.archive_manifest import FULL, Archive, archives_in, read_archive
from dutydesk.services.archive.archive_render import check_rendered
from dutydesk.services.archive.archive_replay import Problem
from dutydesk.services.archive.archive_verify import verify_archive, verify_archives
from dutydesk.services.central.connection import connect, driver
from dutydesk.services.central.forks import fork_point, undecided
from dutydesk.services.central.identity import identity_problems
from dutydesk.services.central.keys import (
    enrolment_hold,
    keep_signature,
    restore_signature,
    signature_problem,
)
from dutydesk.services.central.placing import Reason, place
from dutydesk.services.central.replica import (
    Known,
    check_full_onto,
    check_pack_onto,
    materialise,
    newest,
    replica_at,
    replica_path,
)
from dutydesk.services.central.store import Prepared, store_archive, store_quarantine

if TYPE_CHECKING:
    import psycopg

    Conn = psycopg.Connection[tuple[Any, ...]]

Progress = Callable[[int, int], None]  # (archives done, archives found)

INGESTED, RELEASED, QUARANTINED, ALREADY, REFUSED = (
    "ingested", "released", "quarantined", "already", "refused")  # fmt: skip
STILL_HELD = "still_held"  # given again while held: it was said stored (breaker, session 15)


@dataclass
class Outcome:
    archive: str  # the folder's name
    office: str
    number: int | None
    status: str  # one of the five above
    reasons: list[str] = field(default_factory=list)  # in the user's language
    rows: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"archive": self.archive, "office": self.office, "number": self.number,
                "status": self.status, "reasons": self.reasons, "rows": self.rows}  # fmt: skip


class Refused(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons[0] if reasons else "")
        self.reasons = reasons


def archive_folders(paths: Sequence[Path]) -> list[Path]:
    """Each archive named: a folder with a manifest, or every archive in a folder of them."""
    folders: list[Path] = []
    for path in paths:
        path = path.expanduser()
        if not path.is_dir():
            raise DutyError("central.not_found", path=str(path))
        if (path / "manifest.json").is_symlink() or (path / "manifest.json").exists():
            folders.append(path)
        else:
            folders += [archive.path for archive in archives_in(path)]
    return folders


def ingest_paths(
    url: str, paths: Sequence[Path], work: Path, jobs: int = 1, progress: Progress | None = None
) -> list[Outcome]:
    """Ingest the archives under `paths`, per desk in number order (any order given); with
    `jobs` > 1, that many desks at once, each in a process of its own (a desk's archives stay
    in one process, in order; the database's lock per office keeps two runs of a desk apart).
    `progress` hears (done, total) in archives: each one given, once stored, held or refused
    (with jobs, a desk's archives at once when its process is done)."""
    folders = archive_folders(paths)
    readable = [(folder, read_archive(folder)) for folder in folders]
    readable.sort(key=lambda item: _order(item[1]))
    work.mkdir(mode=0o700, parents=True, exist_ok=True)  # replicas hold the desks' rows
    desks: dict[str, list[Path]] = {}
    for folder, archive in readable:
        desks.setdefault(_order(archive)[0], []).append(folder)
    if progress is not None:
        progress(0, len(readable))
    if jobs <= 1 or len(desks) <= 1:
        return _ingest_in_turn(url, readable, work, progress)
    return _ingest_at_once(url, list(desks.values()), work, jobs, progress)


def _ingest_at_once(
    url: str, groups: list[list[Path]], work: Path, jobs: int, progress: Progress | None
) -> list[Outcome]:
    """Each desk's archives in a process of their own; the outcomes in the desks' order, the
    progress as each desk's process finishes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forked, so each process keeps the language set for this run (messages in the outcomes)
    context = multiprocessing.get_context("fork")
    total = sum(len(group) for group in groups)
    results: list[list[Outcome]] = [[] for _ in groups]
    done = 0
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(_ingest_desk, (url, group, work)): at
                   for at, group in enumerate(groups)}  # fmt: skip
        for future in as_completed(futures):
            at = futures[future]
            results[at] = future.result()
            done += len(groups[at])
            if progress is not None:
                progress(done, total)
    return [outcome for outcomes in results for outcome in outcomes]


def _ingest_desk(task: tuple[str, list[Path], Path]) -> list[Outcome]:
    url, folders, work = task
    return _ingest_in_turn(url, [(folder, read_archive(folder)) for folder in folders], work)


def _ingest_in_turn(
    url: str,
    readable: list[tuple[Path, Archive | None]],
    work: Path,
    progress: Progress | None = None,
) -> list[Outcome]:
    conn = connect(url)
    outcomes: list[Outcome] = []
    prepared = Prepared([archive for _, archive in readable if archive is not None])
    try:
        for done, (folder, archive) in enumerate(readable, start=1):
            outcome = ingest_one(conn, folder, archive, work, prepared)
            prepared.passed(archive)
            outcomes.append(outcome)
            if outcome.status == INGESTED and archive is not None:
                outcomes += release_held(conn, str(archive.manifest["office_id"]), work)
            if progress is not None:
                progress(done, len(readable))
    finally:
        prepared.close()
        conn.close()
    return outcomes


def _order(archive: Archive | None) -> tuple[str, int]:
    if archive is None:
        return ("", 0)
    return (str(archive.manifest.get("office_id", "")), archive.number or 0)


def _message(reason: Reason) -> str:
    return reason.text()


def ingest_one(
    conn: Conn, folder: Path, archive: Archive | None, work: Path, prepared: Prepared | None = None
) -> Outcome:
    """One archive checked and stored, held or refused. One released from quarantine is
    checked again as it came, its kept signature against the key in force now (a pack held
    before the desk was enrolled may be a forgery)."""
    driver()  # the plain message when the extra is missing, not an ImportError
    import psycopg

    if archive is None or archive.legacy or archive.number is None:
        return Outcome(folder.name, "", None, REFUSED, [t("central.not_an_archive")])
    office_id = archive.manifest.get("office_id")
    outcome = Outcome(folder.name, str(archive.manifest.get("office", "")), archive.number,
                      INGESTED)  # fmt: skip
    if not isinstance(office_id, str) or not office_id.startswith("chain:"):
        outcome.status, outcome.reasons = REFUSED, [t("central.not_an_archive")]
        return outcome
    files = verify_archive(folder)
    if not files.ok:
        outcome.status, outcome.reasons = REFUSED, [p.message() for p in files.problems]
        return outcome
    unsigned = signature_problem(conn, office_id, folder)
    if unsigned is not None:
        outcome.status, outcome.reasons = REFUSED, [unsigned]
        return outcome
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (office_id,))
            _ingest_locked(conn, archive, office_id, work, outcome, prepared)
    except Refused as refused:
        outcome.status, outcome.reasons, outcome.rows = REFUSED, refused.reasons, 0
        replica_path(work, office_id).unlink(missing_ok=True)  # may be half-applied
    except psycopg.Error as exc:  # the database refused a row: nothing of the archive stays
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        outcome.status, outcome.rows = REFUSED, 0
        outcome.reasons = [t("central.store_failed", detail=detail)]
        replica_path(work, office_id).unlink(missing_ok=True)
    return outcome


def _held(conn: Conn, table: str, sha256: str) -> bool:
    query = f"SELECT 1 FROM {table} WHERE manifest_sha = %s"
    return conn.execute(query, (sha256,)).fetchone() is not None


def _ingest_locked(
    conn: Conn,
    archive: Archive,
    office_id: str,
    work: Path,
    outcome: Outcome,
    prepared: Prepared | None = None,
) -> None:
    if _held(conn, "archive", archive.sha256):
        outcome.status = ALREADY
        return
    known = newest(conn, office_id)
    fork = fork_point(conn, office_id, archive)
    if fork is not None:
        reason: Reason | None = Reason("q_conflict", {"number": archive.number})
    elif undecided(conn, office_id):  # nothing goes past an undecided fork
        reason = Reason("q_conflict_pending", {"number": archive.number})
    else:
        reason = place(archive, known) or enrolment_hold(conn, office_id, archive.number)
    if reason is not None:
        if _held(conn, "quarantine", archive.sha256):
            outcome.status, outcome.reasons = STILL_HELD, [_message(reason)]
            return
        _hold(conn, archive, office_id, work, fork, reason)
        outcome.status, outcome.reasons = QUARANTINED, [_message(reason)]
        return
    copy = replica_at(conn, work, office_id, known) if known else replica_path(work, office_id)
    problems = _check_continuing(archive, copy, known.head if known else None)
    if problems:
        raise Refused([p.message() for p in problems])
    data = archive.file_of("snapshot" if archive.content == FULL else "pack")
    assert data is not None  # verify_archive found every listed file
    outcome.rows = store_archive(conn, archive, data, known.head.seq if known else 0, prepared)


def _hold(
    conn: Conn, archive: Archive, office_id: str, work: Path, fork: Known | None, reason: Reason
) -> None:
    """Held in quarantine once checked on its own; the second branch of a fork also as it would
    continue the fork point, so that only a genuine continuation is held as a conflict."""
    alone = verify_archives(archive.path)
    if not alone.ok:
        raise Refused([p.message() for p in alone.problems])
    if fork is not None:
        problems = _check_continuing(archive, replica_at(conn, work, office_id, fork), fork.head)
        replica_path(work, office_id).unlink(missing_ok=True)  # now at this branch's head
        if problems:
            raise Refused([p.message() for p in problems])
    data = archive.file_of("snapshot" if archive.content == FULL else "pack")
    assert data is not None  # verify_archive found every listed file
    after = 0 if archive.content == FULL else int((archive.base or {}).get("seq") or 0)
    store_quarantine(
        conn, archive, data, after, json.dumps({"key": reason.key, "params": reason.params})
    )
    keep_signature(conn, archive.sha256, archive.path)


def _check_continuing(archive: Archive, copy: Path, replayed: Any) -> list[Problem]:
    """As `dutydesk verify` replays a folder: the archive's rows onto the register before it
    (a full snapshot's own chain holding the head so far: only its links past that head
    hashed, replica.check_full_onto), its export record, its forms."""
    check = check_full_onto if archive.content == FULL else check_pack_onto
    problems: list[Problem] = check(archive, copy, replayed)
    if problems:
        return problems
    return (identity_problems(archive, copy) + recorded_previous(archive, copy)
            + check_rendered(archive, copy))  # fmt: skip


def release_held(conn: Conn, office_id: str, work: Path) -> list[Outcome]:
    """The quarantined archives that now continue the desk's head, ingested in turn (one
    refused leaves the next held copy of the same place its turn)."""
    outcomes: list[Outcome] = []
    tried: list[str] = []
    while (known := newest(conn, office_id)) is not None:
        row = conn.execute(
            "SELECT q.manifest_sha, q.name FROM quarantine q WHERE q.office_id = %s AND "
            "q.previous_sha = %s AND NOT EXISTS (SELECT 1 FROM archive a WHERE "
            "a.manifest_sha = q.manifest_sha) AND q.manifest_sha <> ALL(%s) "
            "ORDER BY q.id LIMIT 1",
            (office_id, known.sha256, tried),
        ).fetchone()
        if row is None:
            break
        tried.append(str(row[0]))
        with tempfile.TemporaryDirectory(prefix="dutydesk-central-") as folder:
            archive = materialise(conn, str(row[0]), str(row[1]), Path(folder))
            restore_signature(conn, archive.sha256, archive.path)
            outcome = ingest_one(conn, archive.path, archive, work)
        if outcome.status == INGESTED:
            outcome.status = RELEASED
        outcomes.append(outcome)
    return outcomes
