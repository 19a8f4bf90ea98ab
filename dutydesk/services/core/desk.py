"""Opening a register: the Desk bundles the store, the clock, the office and its profile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.clock import Clock, default_clock
from dutydesk.db import (
    ChangeWatch as ChangeWatch,  # the app reads the type from here
)
from dutydesk.db import (
    SchemaState,
    create_private,
    known_revisions,
    make_engine,
    migrate,
    on_read_only_filesystem,
    schema_state,
    secure_file,
    stored_revisions,
    with_lock_retry,
)
from dutydesk.db import (
    is_empty_file as is_empty_file,  # the CLI reads it from here
)
from dutydesk.errors import DutyError

if TYPE_CHECKING:
    from pendulum import DateTime
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from dutydesk.models import Office
    from dutydesk.profiles import Profile


@dataclass
class Desk:
    path: Path
    engine: Engine
    clock: Clock
    office: Office
    profile: Profile

    @property
    def timezone(self) -> str:
        return self.office.timezone

    def now(self) -> DateTime:
        """Now, in the office's zone."""
        return self.clock.now().in_timezone(self.office.timezone)

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def thread_desk(desk: Desk) -> Iterator[Desk]:
    """The same register on an engine of its own, for a worker thread: its SQLite connections are
    opened, used and closed in that thread and never shared with the UI thread's."""
    engine = make_engine(desk.path)
    try:
        yield replace(desk, engine=engine)
    finally:
        engine.dispose()


def watch_changes(desk: Desk) -> ChangeWatch:
    """A watch that tells when anyone has committed to the desk's register (`.changed()`): the
    app checks it a few times a second and reloads what it shows only then."""
    return ChangeWatch(desk.path)


def kinds_written_since(desk: Desk, seq: int | None) -> tuple[int, frozenset[str] | None]:
    """(the hash chain's last link, the kinds of record linked after link `seq`): what has been
    written since, cheaply (`seq` is the chain's key). With `seq` None, the kinds are None
    (unknown: everything may have changed)."""
    from sqlalchemy import text

    from dutydesk.db import read_session

    with read_session(desk.engine) as session:
        connection = session.connection()
        last = connection.execute(text("SELECT coalesce(max(seq), 0) FROM audit_link")).scalar()
        if seq is None:
            return int(last or 0), None
        kinds = connection.execute(
            text("SELECT DISTINCT kind FROM audit_link WHERE seq > :seq"), {"seq": seq}
        ).scalars()
        return int(last or 0), frozenset(kinds)


def shell_quoted(path: Path) -> str:
    """The path as it can be pasted into a shell in a command we print ($, `, spaces…)."""
    import shlex

    return shlex.quote(str(path))


def check_openable(path: Path) -> SchemaState:
    """Refuse, with a clear message, anything that is not a DutyDesk register we can open."""
    if path.exists() and not path.is_file():  # a folder, a device, a pipe (opening one waits)
        raise DutyError("db.not_a_file", path=str(path))
    state = schema_state(path)
    if state is SchemaState.missing:
        if not path.parent.exists():
            raise DutyError("db.missing_dir", path=str(path.parent))
        raise DutyError("db.not_initialised", path=str(path), db=shell_quoted(path))
    if state is SchemaState.empty:
        raise DutyError("db.empty_file", path=str(path), db=shell_quoted(path))
    if state is SchemaState.uninitialised:
        raise DutyError("db.not_a_register", path=str(path))
    if state is SchemaState.not_a_database:
        from dutydesk.archive_places import damaged_error

        raise damaged_error(path)  # names the latest archive to restore from, if any
    if state is SchemaState.newer:
        raise _version_error("db.unknown_version", path)
    return state


def _version_error(key: str, path: Path) -> DutyError:
    """Names the version the register claims and the newest this program knows."""
    _revisions, heads = known_revisions()
    version = ", ".join(sorted(stored_revisions(path))) or "?"
    return DutyError(key, path=str(path), version=version, known=", ".join(sorted(heads)))


def check_writable_place(path: Path) -> None:
    """A register on a read-only file system can be checked (`dutydesk verify`) but not opened:
    SQLite could not make the files it writes beside it. Said as such, not as damage."""
    if on_read_only_filesystem(path):
        raise DutyError("db.read_only_place", path=str(path))


def _migrate(engine: Engine, path: Path) -> None:
    """Bring an older register up to date. A migration that fails on the register's own tables
    means its version label does not match them (it was changed): nothing was changed."""
    from sqlalchemy.exc import DBAPIError

    try:
        with_lock_retry(lambda: migrate(engine), path)
    except DBAPIError as exc:
        engine.dispose()
        raise _version_error("db.version_mismatch", path) from exc


def open_desk(path: Path, clock: Clock | None = None, *, upkeep_off_path: bool = False) -> Desk:
    """Open an existing register. `upkeep_off_path`: the caller runs
    dutydesk.services.core.upkeep.run_upkeep itself (the app does, in a worker), so commits never
    checkpoint the journal."""
    from dutydesk.db import read_session
    from dutydesk.profiles import load_profile

    state = check_openable(path)
    check_writable_place(path)
    engine = make_engine(path, autocheckpoint=not upkeep_off_path)
    if state is SchemaState.older:
        _migrate(engine, path)

    def _load() -> Office | None:
        with read_session(engine) as session:
            return office_in_force(session)

    office = with_lock_retry(_load, path)
    if office is None:
        engine.dispose()
        raise DutyError("db.not_initialised", path=str(path), db=shell_quoted(path))
    profile = load_profile(office.profile_id)
    desk = Desk(path, engine, clock or default_clock(office.timezone), office, profile)
    _use_its_calendar(desk)
    return desk


def office_in_force(session: Session) -> Office | None:
    """The office as it stands: the office row (its identity and first settings) with the
    newest chained change of its settings applied (OfficeSetting), if any."""
    from sqlmodel import col, select

    from dutydesk.models import Office, OfficeSetting

    office = session.exec(select(Office)).first()
    if office is None:
        return None
    change = session.exec(
        select(OfficeSetting).order_by(col(OfficeSetting.id).desc()).limit(1)
    ).first()
    if change is None:
        return office
    return Office(id=office.id, name=change.name, profile_id=change.profile_id,
                  timezone=change.timezone, created_at=office.created_at)  # fmt: skip


def init_database(
    path: Path, office_name: str, profile_id: str, clock: Clock | None = None
) -> Desk:
    """Create a new register. Refuses (changing nothing) if anything is already at `path`."""
    from dutydesk.db import write_session
    from dutydesk.errors import FieldProblem, ValidationFailed
    from dutydesk.models import Office
    from dutydesk.profiles import load_profile
    from dutydesk.services.core.audit import append
    from dutydesk.services.core.validation import check_name

    problems: list[FieldProblem] = []
    check_name(problems, "office", office_name, required=True, max_length=100)
    if problems:
        raise ValidationFailed(problems)
    name = office_name
    profile = load_profile(profile_id)
    adopted = is_empty_file(path)  # an empty file is not a register yet: make it one
    if path.exists() and not adopted:
        raise DutyError("init.exists", path=str(path))
    if not path.parent.exists():
        raise DutyError("db.missing_dir", path=str(path.parent))
    clock = clock or default_clock(profile.profile.timezone)
    if adopted:
        check_writable_place(path)
        os.chmod(path, 0o600)
    else:
        create_private(path)  # 0600 from the first byte
    engine = make_engine(path)
    try:
        migrate(engine)
        with write_session(engine) as session:
            office = Office(
                id=1,
                name=name,
                profile_id=profile_id,
                timezone=profile.profile.timezone,
                created_at=clock.now(),
            )
            session.add(office)
            session.flush()
            append(session, "office", 1, clock.now())  # the office is in the chain
    except Exception as exc:
        engine.dispose()
        from dutydesk.db import translate

        _remove_partial(path, keep_empty=adopted)
        error = translate(exc, path)
        if error is not None:
            raise error from exc
        raise
    secure_file(path)
    desk = Desk(path, engine, clock, office, profile)
    _use_its_calendar(desk)
    return desk


def _use_its_calendar(desk: Desk) -> None:
    """The calendar years imported into this register win over the package's (calendar.py)."""
    from dutydesk.services.core.calendar_register import install_register_calendar

    with_lock_retry(lambda: install_register_calendar(desk), desk.path)


def _remove_partial(path: Path, *, keep_empty: bool = False) -> None:
    """A register whose creation failed half-way holds nothing the user typed: remove it (or,
    if it was the user's empty file, empty it again)."""
    for candidate in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)
    if keep_empty:
        os.truncate(path, 0)
    else:
        path.unlink(missing_ok=True)
