"""Hidden `.tmp-*` folders: the one a killed export left is removed by the next export; one that
is not ours beyond doubt (no marker, a symlink, odd contents, an export still writing) is left
exactly as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import TEMP_PREFIX, write_archive

from .conftest import T0

A_MINUTE_LATER = "2026-11-23T10:01:00+08:00"  # archives are named to the second

EXPORT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import pendulum
    from dutydesk.clock import FrozenClock
    from dutydesk.services.archive import export
    from dutydesk.services.core.desk import open_desk

    register, root, how = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    desk = open_desk(register, FrozenClock(pendulum.parse(sys.argv[4])))
    files = export._write_files

    def interrupted(*args):
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)  # killed half way, as by a power cut
        print("writing", flush=True)
        sys.stdin.readline()  # held half way until the test lets it go on
        return files(*args)

    export._write_files = interrupted
    print(export.write_archive(desk, root).name, flush=True)
    """
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def _hidden(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.name.startswith(TEMP_PREFIX)}


def _killed_export(desk, root: Path) -> str:
    run = subprocess.run([sys.executable, "-c", EXPORT, str(desk.path), str(root), "kill", T0],
                         timeout=120)  # fmt: skip
    assert run.returncode == -signal.SIGKILL
    (leftover,) = _hidden(root)
    assert list((root / leftover).iterdir()), "it had started writing"
    return leftover


def _not_ours(root: Path, tmp_path: Path) -> dict[str, Path]:
    """Hidden folders an export must not touch, each with a file to check afterwards."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("someone else's", encoding="utf-8")
    plain = root / ".tmp-photos"  # no marker: another program's, or the user's
    plain.mkdir()
    (plain / "keep.txt").write_text("mine", encoding="utf-8")
    linked = root / ".tmp-link"  # a symlink to a folder elsewhere
    linked.symlink_to(outside, target_is_directory=True)
    return {".tmp-photos": plain / "keep.txt", ".tmp-link": outside / "keep.txt"}


def test_a_killed_exports_folder_is_removed_at_the_next_export(bare_desk, root, tmp_path):
    leftover = _killed_export(bare_desk, root)
    foreign = _not_ours(root, tmp_path)
    archive = write_archive(bare_desk, root)
    assert _hidden(root) == set(foreign), f"{leftover} removed, the others kept"
    assert all(path.read_text(encoding="utf-8") for path in foreign.values())
    assert (root / ".tmp-link").is_symlink()
    report = verify_archives(root)
    assert report.ok, report.problems
    assert [Path(p).name for p in report.archives] == [archive.name]


def test_a_marked_leftover_holding_a_symlink_or_a_folder_is_left_alone(bare_desk, root, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("do not delete", encoding="utf-8")
    odd = _killed_export(bare_desk, root)
    (root / odd / "link").symlink_to(victim)  # our marker, but contents an export never writes
    (root / odd / "sub").mkdir()
    before = sorted(p.name for p in (root / odd).iterdir())
    abandoned = _killed_export_beside(bare_desk, root, odd)
    write_archive(bare_desk, root)
    assert _hidden(root) == {odd}, f"{abandoned} removed, {odd} kept"
    assert sorted(p.name for p in (root / odd).iterdir()) == before
    assert victim.read_text(encoding="utf-8") == "do not delete"


def _killed_export_beside(desk, root: Path, existing: str) -> str:
    run = subprocess.run([sys.executable, "-c", EXPORT, str(desk.path), str(root), "kill", T0],
                         timeout=120)  # fmt: skip
    assert run.returncode == -signal.SIGKILL
    (new,) = _hidden(root) - {existing}
    return new


def test_an_export_still_writing_is_not_disturbed(bare_desk, root):
    abandoned = _killed_export(bare_desk, root)
    writer = subprocess.Popen(
        [sys.executable, "-c", EXPORT, str(bare_desk.path), str(root), "hold", A_MINUTE_LATER],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout.readline().strip() == "writing"
        (writing,) = _hidden(root) - {abandoned}
        write_archive(bare_desk, root)  # another export meanwhile (the app, say)
        assert _hidden(root) == {writing}, "the abandoned one removed, the live one kept"
        out, _ = writer.communicate("go on\n", timeout=120)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == 0
    # planned before the other export recorded its archive, it planned (and wrote) again
    name = out.strip().splitlines()[-1]
    assert name and (root / name).is_dir() and _hidden(root) == set()
    assert verify_archives(root).ok
