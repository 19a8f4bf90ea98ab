"""A property (issue 16): any sequence of writes, exports (some killed half way) and restores
leaves a folder of archives that verifies, and a restore from it loses no record that an
export acknowledged."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError
from dutydesk.services.archive import export, export_temp
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.restore import restore_archive
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.desk import init_database
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.shifts import open_shift
from tests.conftest import OFFICE, T0
from tests.support_packs import add_call
from tests.support_people import authority_for

STEPS = st.lists(
    st.sampled_from(["call", "call", "export", "full", "killed_before", "killed_after", "restore"]),
    min_size=1,
    max_size=5,
)


class Killed(Exception):
    """An export stopped half way (a power cut, in this process)."""


def _killed(monkeypatch: pytest.MonkeyPatch, where: str, desk) -> None:  # noqa: ANN001
    """Export once with a failure injected: before the register records the archive, or after
    it recorded it and before the rename."""
    target = (export, "_write_files") if where == "before" else (export_temp, "unmark")

    def boom(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise Killed

    with monkeypatch.context() as patched:
        patched.setattr(*target, boom)
        with pytest.raises((Killed, DutyError)):
            export.write_archive(desk)


def _summaries(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT summary FROM call_record")}
    finally:
        conn.close()


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_any_sequence_verifies_and_keeps_every_acknowledged_record(steps, monkeypatch):
    with tempfile.TemporaryDirectory() as folder:
        clock = FrozenClock(pendulum.parse(T0))  # type: ignore[arg-type]
        desk = init_database(Path(folder) / "desk.sqlite3", OFFICE, "tianjin", clock)
        try:
            add_person(desk, "张伟", "officer", in_post_since=date(2024, 1, 1),
                       authority=authority_for(desk))  # fmt: skip
            open_shift(desk, "张伟")
            written, restored = _run(desk, clock, steps, monkeypatch, Path(folder))
            assert set(written) <= restored  # the last restore holds every call written
        finally:
            desk.close()


def _run(desk, clock, steps, monkeypatch, folder: Path) -> tuple[list[str], set[str]]:  # noqa: ANN001
    written: list[str] = []
    acknowledged: set[str] = set()
    export.write_archive(desk)  # the first archive, a full snapshot
    for number, step in enumerate(steps):
        clock.advance(minutes=7)
        if step == "call":
            written.append(f"来电{number}")
            add_call(desk, written[-1])
        elif step in ("export", "full"):
            export.write_archive(desk, full=step == "full")
            acknowledged = set(written)
        elif step.startswith("killed"):
            _killed(monkeypatch, step.removeprefix("killed_"), desk)
        else:
            _check_restore(desk, folder / f"restored-{number}.sqlite3", acknowledged)
    export.write_archive(desk)  # finishes an export killed after its record, if any
    last = _check_restore(desk, folder / "restored-last.sqlite3", set(written), whole=True)
    return written, last


def _check_restore(desk, target: Path, acknowledged: set[str], *, whole: bool = False) -> set[str]:  # noqa: ANN001
    root = desk.path.parent / "exports"
    if whole:  # the folder end to end (forms rendered again): once, at the end
        report = verify_archives(root)
        assert report.ok, [problem.message() for problem in report.problems]
    done = restore_archive(root, target)
    assert verify_register(done.target).ok
    summaries = _summaries(done.target)
    assert acknowledged <= summaries
    return summaries
