"""The SQLite store: an engine factory (no engine at import), schema checks and migrations.

Every write runs in `BEGIN IMMEDIATE`, so two terminals on one file queue for the write lock
instead of failing half-way; SQLite's busy_timeout does the waiting."""

from __future__ import annotations

import errno
import functools
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dutydesk.errors import DutyError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 5000
LOCK_RETRIES = 3
# With checkpoints off the save path (make_engine(autocheckpoint=False)), a commit still
# checkpoints once the journal holds this many pages (~40 MB at 4 KiB): never while upkeep keeps
# up (it checkpoints within seconds of a commit), but the journal stays bounded if it cannot.
WAL_BACKSTOP_PAGES = 10_000
WAL_KEEP_BYTES = 16 * 1024 * 1024  # a journal grown past this is cut back when it starts over
_VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r'^revision\s*=\s*["\']([^"\']+)["\']', re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)

T = TypeVar("T")


class SchemaState(Enum):
    missing = "missing"  # no file
    empty = "empty"  # a zero-byte file: not a register yet; init may make it one
    uninitialised = "uninitialised"  # a file, but no DutyDesk schema
    older = "older"  # made by an older DutyDesk: migrate
    current = "current"
    newer = "newer"  # made by a newer DutyDesk: refuse
    not_a_database = "not_a_database"


@functools.cache
def known_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision this program ships, the heads), read from the migration scripts as text
    so that checking a database needs no Alembic import."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in _VERSIONS_DIR.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        revisions.add(found[1])
        down = _DOWN.search(source)
        if down:
            parents.update(re.findall(r'["\']([^"\']+)["\']', down[1]))
    return frozenset(revisions), frozenset(revisions - parents)


def sqlite_uri(path: Path, **query: str) -> str:
    """A `file:` URI that SQLite reads back as exactly `path`: every character of the path that
    a URI gives a meaning to (?, #, %, spaces, non-ASCII) is percent-quoted."""
    from urllib.parse import urlencode

    uri = Path(os.path.abspath(path)).as_uri()
    return f"{uri}?{urlencode(query)}" if query else uri


def on_read_only_filesystem(path: Path) -> bool:
    """True if `path` lies on a file system mounted read-only (a write-protected USB stick, a
    read-only mount): SQLite cannot open a WAL register there for writing, nor create its -shm."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def is_empty_file(path: Path) -> bool:
    """A regular zero-byte file with no journal beside it: nothing DutyDesk could lose."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode) or status.st_size:
        return False
    wal = Path(f"{path}-wal")
    return not wal.exists() or wal.stat().st_size == 0


def connect_readonly_file(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A read-only sqlite3 connection that never creates the file. On a read-only file system
    the file is opened as immutable (nobody can be writing it, and SQLite could not make the
    -shm file a WAL reader needs), so a register can still be checked where it lies."""
    immutable = immutable or on_read_only_filesystem(path)
    query = {"mode": "ro", "immutable": "1"} if immutable else {"mode": "ro"}
    return sqlite3.connect(sqlite_uri(path, **query), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


class ChangeWatch:
    """Whether anyone (this process or another) has committed to the register since the last
    look: `PRAGMA data_version` on one dedicated read-only connection, which changes when any
    *other* connection commits (SQLAlchemy pools its connections, so the check needs its own).
    A look reads a counter in the WAL's shared memory: no file I/O, no lock held, never waits
    (busy timeout 0: a register busy that instant reads as changed, and is simply reloaded)."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(
            sqlite_uri(path, mode="ro"), uri=True, timeout=0, check_same_thread=False
        )
        self._seen = self._version()

    def _version(self) -> int | None:
        try:
            row = self._conn.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0])

    def changed(self) -> bool:
        """True once after each commit by another connection (or when the look failed)."""
        version = self._version()
        changed = version is None or version != self._seen
        self._seen = version
        return changed

    def close(self) -> None:
        self._conn.close()


def stored_revisions(path: Path) -> frozenset[str]:
    """The schema versions a register says it is at (its alembic_version rows)."""
    try:
        conn = connect_readonly_file(path)
        try:
            return frozenset(
                row[0] for row in conn.execute("SELECT version_num FROM alembic_version")
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return frozenset()


def schema_state(path: Path) -> SchemaState:
    """What is at `path`, read with the plain sqlite3 module (fast: no SQLAlchemy needed)."""
    if not path.exists():
        return SchemaState.missing
    if is_empty_file(path):
        return SchemaState.empty
    try:
        conn = connect_readonly_file(path)
        try:
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables:
                return SchemaState.uninitialised
            stored = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc):
            raise DutyError("db.locked", path=str(path)) from exc
        from dutydesk.place_faults import place_error

        fault = place_error(path, exc)  # a full or read-only disk, no permission: not damage
        if fault is not None:
            raise fault from exc
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_CANTOPEN":  # not the file's fault
            raise DutyError("db.cannot_open", path=str(path)) from exc
        return SchemaState.not_a_database
    if not stored:
        return SchemaState.uninitialised
    revisions, heads = known_revisions()
    if not stored <= revisions:
        return SchemaState.newer
    if stored == heads:
        return SchemaState.current
    return SchemaState.older


# Each connection's page cache, KiB (SQLite's default: 2,000). A calls search reads about 100
# pages (its hits' rows, their corrections' index, the index's lists) scattered over a ten-year
# register: with 2 MB a few searches in turn evicted each other's pages and each read its rows
# again from the OS (bench, 32 terms in turn, load 14: CPU -10 to -15 % with 16 MB, as with
# 32). Pages are taken only as they are read: a connection that reads little stays small.
PAGE_CACHE_KIB = 16384


def make_engine(path: Path, *, autocheckpoint: bool = True) -> Engine:
    """An engine for the database file at `path`. Creates no file by itself.

    With `autocheckpoint` False the connections do not copy the WAL back into the database inside
    a commit (a checkpoint can take hundreds of ms); the owner must then checkpoint off the save
    path, as dutydesk.services.core.upkeep does for the app. Only a journal past
    WAL_BACKSTOP_PAGES (upkeep not keeping up) is checkpointed by the commit that reaches it."""
    from sqlalchemy import URL, create_engine, event

    from dutydesk.textfold import fold_for_search

    # URL.create, not a string: the path goes to sqlite3.connect as a plain file name, so no
    # character in it (?, #, %) is read as part of a URL.
    engine = create_engine(
        URL.create("sqlite", database=os.path.abspath(path)),
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        if not autocheckpoint:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_BACKSTOP_PAGES}")
            cursor.execute(f"PRAGMA journal_size_limit = {WAL_KEEP_BYTES}")
        cursor.close()
        dbapi_connection.create_function(
            "dutydesk_fold", 2, fold_for_search, deterministic=True
        )  # the search's check of calls not yet indexed (textfold)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("dutydesk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock at BEGIN."""
    return engine.execution_options(dutydesk_write=True)


def translate(exc: BaseException, path: Path | None = None) -> DutyError | None:
    """Map an SQLite failure to a message the user can act on."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    where = str(path) if path else ""
    if isinstance(exc, OverflowError) and "sqlite integer" in text:
        return DutyError("db.no_such_record")  # an id beyond SQLite's 64 bits names no record
    if _is_integrity_error(exc):
        if "call_record" in text and "unique" in text:
            return DutyError("db.numbering_tampered", path=where)
        return DutyError("db.contradicts", path=where)
    if "locked" in text or "busy" in text:
        return DutyError("db.locked", path=where)
    if "readonly" in text or "read-only" in text:
        return DutyError("db.readonly", path=where)
    if "disk is full" in text or "database or disk is full" in text:
        return DutyError("db.full", path=where)
    if "unable to open" in text:
        return DutyError("db.cannot_open", path=where)
    if path is not None and "i/o error" in text:
        from dutydesk.place_faults import place_error

        return place_error(path, exc)
    if "not a database" in text or "malformed" in text:
        from dutydesk.archive_places import damaged_error

        return damaged_error(path) if path else DutyError("db.damaged", path=where)
    return None


def _is_integrity_error(exc: BaseException) -> bool:
    """SQLite refused a row for a constraint (UNIQUE, CHECK, a trigger). DutyDesk checks its
    input before writing, so this means the stored rows were changed behind its back."""
    return isinstance(getattr(exc, "orig", None) or exc, sqlite3.IntegrityError)


def with_lock_retry(operation: Callable[[], T], path: Path | None = None) -> T:
    """Run a write; if another terminal holds the lock past busy_timeout, try a few more times,
    then give up with a clear message. Any other store failure becomes a DutyError too."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    for attempt in range(LOCK_RETRIES):
        try:
            return operation()
        except (
            OperationalError,
            IntegrityError,
            OverflowError,
            sqlite3.OperationalError,  # raw_write's own
            sqlite3.IntegrityError,
        ) as exc:
            error = translate(exc, path)
            if error is None:
                raise
            if error.key == "db.locked" and attempt < LOCK_RETRIES - 1:
                time.sleep(0.05 * (attempt + 1))
                continue
            raise error from exc
    raise DutyError("db.locked", path=str(path or ""))  # pragma: no cover - loop always returns


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the write lock and commits on success."""
    from sqlmodel import Session

    with Session(writer(engine), expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def raw_write(engine: Engine) -> Iterator[sqlite3.Cursor]:
    """A plain sqlite3 cursor in a transaction holding the write lock, committed on success.
    For the hottest writes (saving a call): the ORM's flushes cost more than the commit's fsync
    on a fast disk (bench: save p50 2.3 ms against a raw commit's 0.2 ms)."""
    pooled = engine.raw_connection()
    try:
        connection = pooled.driver_connection
        assert isinstance(connection, sqlite3.Connection)
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
    finally:
        pooled.close()


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        yield session


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the head revision (creates it on an empty file)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "heads")


def create_private(path: Path) -> None:
    """Create the empty register file readable by its owner only, before SQLite opens it, so it
    is never readable by others even for a moment; its -wal and -shm files take the same mode
    from it. Refuses an existing file."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError as exc:
        raise DutyError("init.exists", path=str(path)) from exc
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise DutyError("db.cannot_create", path=str(path)) from exc
        raise DutyError("db.cannot_open", path=str(path)) from exc


def secure_file(path: Path) -> None:
    """The register is readable by its owner only."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists():
            os.chmod(candidate, 0o600)
