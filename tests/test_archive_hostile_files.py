"""Hostile archive files (QA fix9 #3): a manifest.json or manifest.sig that is a symlink (to
/dev/zero, say) or far larger than the desk ever writes is refused with a plain message before
it is read, on `dutydesk restore` and on the central ingest, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive.archive_manifest import MANIFEST, MANIFEST_CAP
from tests.support_reliability import error_line, fill
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)


@pytest.fixture
def archive(desk, officer) -> Path:
    from dutydesk.services.archive.export import write_archive

    fill(desk, officer)
    return write_archive(desk)


def hostile(archive: Path, tmp_path: Path, kind: str) -> Path:
    """A copy of the archive whose manifest is a symlink to /dev/zero or a file over the cap."""
    folder = tmp_path / f"hostile-{kind}"
    shutil.copytree(archive, folder)
    manifest = folder / MANIFEST
    manifest.unlink()
    if kind == "symlink":
        manifest.symlink_to("/dev/zero")
    else:
        with manifest.open("wb") as handle:
            handle.truncate(MANIFEST_CAP + 1)  # sparse: big on paper, nothing on disk
    return folder


@pytest.mark.parametrize(("kind", "key"), [("symlink", "not_regular"), ("huge", "too_big")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_restore_refuses_a_hostile_manifest_plainly(cli, archive, tmp_path, kind, key, lang):
    folder = hostile(archive, tmp_path, kind)
    target = tmp_path / "restored.sqlite3"
    result = cli("restore", str(folder), "--to", str(target), lang=lang)
    params = {"path": str(folder / MANIFEST)} | (
        {"cap": MANIFEST_CAP // 1024} if key == "too_big" else {}
    )
    assert result.exit_code != 0
    assert error_line(result) == t(f"fix9_fixarch.{key}", lang=lang, **params)
    assert "Traceback" not in result.output
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


@pytest.mark.parametrize("kind", ["symlink", "huge"])
def test_central_ingest_refuses_a_hostile_manifest_before_connecting(archive, tmp_path, kind):
    from dutydesk.services.central.ingest import ingest_paths

    folder = hostile(archive, tmp_path, kind)
    work = tmp_path / "work"
    with pytest.raises(DutyError) as refused:
        ingest_paths("postgresql://nobody@127.0.0.1:1/none", [folder], work)
    assert refused.value.key.startswith("fix9_fixarch.")
    assert not work.exists()


def test_a_symlinked_signature_is_refused(archive, tmp_path):
    from dutydesk.services.archive.archive_manifest import read_archive
    from dutydesk.services.archive.archive_signatures import signature_problem
    from dutydesk.services.archive.desk_key import SIGNATURE

    read = read_archive(archive)
    assert read is not None
    signature = archive / SIGNATURE
    signature.unlink(missing_ok=True)
    signature.symlink_to("/dev/zero")
    with pytest.raises(DutyError) as refused:
        signature_problem(read)
    assert refused.value.key == "fix9_fixarch.not_regular"


def test_an_odd_folder_beside_the_archives_does_not_stop_the_next_export(desk, archive, tmp_path):
    """Review, session 11: the export's look at whose archives share the folder read every
    manifest there, and one that is a symlink (or huge) stopped every later export."""
    from dutydesk.services.archive.export import write_archive

    odd = hostile(archive, tmp_path, "symlink")
    beside = archive.parent / "odd-folder"
    shutil.move(str(odd), beside)
    second = write_archive(desk, archive.parent)
    assert second.parent == archive.parent and second != archive


def test_an_odd_folder_beside_the_archives_does_not_stop_a_restore(cli, desk, officer, archive,
                                                                    tmp_path):  # fmt: skip
    """Breaker, session 11: a folder beside the archives whose manifest.json is a directory (or
    a fifo, or a symlink) made `restore` of a good pack refuse."""
    from dutydesk.services.archive.export import write_archive

    fill(desk, officer)
    pack = write_archive(desk, archive.parent)  # after the full snapshot: a pack
    (archive.parent / "aa-odd" / MANIFEST).mkdir(parents=True)
    target = tmp_path / "restored.sqlite3"
    result = cli("restore", str(pack), "--to", str(target))
    assert result.exit_code == 0, result.output
    assert target.exists()


def test_restoring_the_newest_of_a_folder_refuses_an_archive_it_cannot_read(
    cli, desk, officer, archive, tmp_path
):
    """Review, session 11: `restore FOLDER` skipped a newest pack whose manifest had been made a
    symlink and restored the older snapshot, saying all was well (half the calls gone)."""
    from dutydesk.services.archive.export import write_archive

    fill(desk, officer)
    pack = write_archive(desk, archive.parent)
    manifest = pack / MANIFEST
    manifest.unlink()
    manifest.symlink_to("/dev/zero")
    target = tmp_path / "restored.sqlite3"
    result = cli("restore", str(archive.parent), "--to", str(target))
    assert result.exit_code != 0, result.output
    assert not target.exists()
    assert "Traceback" not in result.output
