"""Opening a register: the Desk bundles the store, the clock, the office and its profile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.clock import Clock, default_clock
from dutydesk.db import (
    SchemaState,
    create_private,
    make_engine,
    migrate,
    schema_state,
    secure_file,
    with_lock_retry,
)
from dutydesk.errors import DutyError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from dutydesk.models import Office
    from dutydesk.profiles import Profile


@dataclass
class Desk:
    path: Path
    engine: Engine
    clock: Clock
    office: Office
    profile: Profile
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def timezone(self) -> str:
        return self.office.timezone

    def now(self):  # -> pendulum.DateTime, in the office's zone
        return self.clock.now().in_timezone(self.office.timezone)

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def thread_desk(desk: Desk) -> Iterator[Desk]:
    """The same register on an engine of its own, for a worker thread: its SQLite connections are
    opened, used and closed in that thread and never shared with the UI thread's."""
    engine = make_engine(desk.path)
    try:
        yield replace(desk, engine=engine, extra=dict(desk.extra))
    finally:
        engine.dispose()


def check_openable(path: Path) -> SchemaState:
    """Refuse, with a clear message, anything that is not a DutyDesk register we can open."""
    state = schema_state(path)
    if state in (SchemaState.missing, SchemaState.uninitialised):
        if not path.parent.exists():
            raise DutyError("db.missing_dir", path=str(path.parent))
        raise DutyError("db.not_initialised", path=str(path))
    if state is SchemaState.not_a_database:
        from dutydesk.services.restore import damaged_error

        raise damaged_error(path)  # names the latest archive to restore from, if any
    if state is SchemaState.newer:
        raise DutyError("db.too_new", path=str(path))
    return state


def open_desk(path: Path, clock: Clock | None = None, *, upkeep_off_path: bool = False) -> Desk:
    """Open an existing register. `upkeep_off_path`: the caller runs
    dutydesk.services.upkeep.run_upkeep itself (the app does, in a worker), so commits never
    checkpoint the journal."""
    from sqlmodel import select

    from dutydesk.db import read_session
    from dutydesk.models import Office
    from dutydesk.profiles import load_profile

    state = check_openable(path)
    engine = make_engine(path, autocheckpoint=not upkeep_off_path)
    if state is SchemaState.older:
        with_lock_retry(lambda: migrate(engine), path)

    def _load() -> Office | None:
        with read_session(engine) as session:
            return session.exec(select(Office)).first()

    office = with_lock_retry(_load, path)
    if office is None:
        engine.dispose()
        raise DutyError("db.not_initialised", path=str(path))
    profile = load_profile(office.profile_id)
    desk = Desk(path, engine, clock or default_clock(office.timezone), office, profile)
    _use_its_calendar(desk)
    return desk


def init_database(
    path: Path, office_name: str, profile_id: str, clock: Clock | None = None
) -> Desk:
    """Create a new register. Refuses (changing nothing) if anything is already at `path`."""
    from dutydesk.db import write_session
    from dutydesk.models import Office
    from dutydesk.profiles import load_profile

    name = office_name.strip()
    if not name or len(name) > 100:
        raise DutyError("init.bad_office_name")
    profile = load_profile(profile_id)
    if path.exists():
        raise DutyError("init.exists", path=str(path))
    if not path.parent.exists():
        raise DutyError("db.missing_dir", path=str(path.parent))
    clock = clock or default_clock(profile.profile.timezone)
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
    except Exception as exc:
        engine.dispose()
        from dutydesk.db import translate

        _remove_partial(path)
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
    from dutydesk.services.calendar_register import install_register_calendar

    with_lock_retry(lambda: install_register_calendar(desk), desk.path)


def _remove_partial(path: Path) -> None:
    """A register whose creation failed half-way holds nothing the user typed: remove it."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)
