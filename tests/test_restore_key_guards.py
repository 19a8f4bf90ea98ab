"""Fix9 breaker on `dutydesk restore` and the signing key: a key file already beside the target
(another desk's key, or junk) was kept, the restored register signing with it, or the restore
done before failing with the cryptography library's text; `--key` read /dev/zero without end,
hung on a pipe and followed a symlink. Now NEW.key is refused before anything is restored, as
NEW itself is, and a key file is read only if it is a small regular file, with a plain
message otherwise."""

from __future__ import annotations

import os
import shutil

import pytest

from dutydesk.services.archive.desk_key import key_path, public_key
from tests.test_central_keys_desk import _archive


@pytest.fixture
def carried(desk, officer, tmp_path):  # noqa: ANN001, ANN201
    archive = _archive(desk, officer)
    desk.close()
    target = tmp_path / "usb" / "media" / archive.name  # the archive alone, on other media
    shutil.copytree(archive, target)
    return target


@pytest.mark.parametrize("there", ["other_desk", "junk"])
def test_a_key_file_beside_the_target_refuses_the_restore_first(cli, carried, tmp_path, there):
    target = tmp_path / "restored.sqlite3"
    if there == "other_desk":
        public_key(tmp_path / "other.sqlite3")
        shutil.copy(key_path(tmp_path / "other.sqlite3"), key_path(target))
    else:
        key_path(target).write_bytes(b"not a key\n")
    before = key_path(target).read_bytes()
    done = cli("restore", str(carried), "--to", str(target), lang="en")
    assert done.exit_code == 2 and "A key file is already there" in done.output, done.output
    assert "Nothing was restored" in done.output and not target.exists()
    assert key_path(target).read_bytes() == before


def test_a_key_given_must_be_a_small_regular_file(cli, desk, carried, tmp_path):
    target = tmp_path / "restored.sqlite3"
    fifo, link, big, junk = (
        tmp_path / name for name in ("pipe", "link.key", "big.key", "junk.key")
    )
    os.mkfifo(fifo)
    link.symlink_to(key_path(desk.path))  # the right key, through a symlink
    big.write_bytes(b"-" * 5000)
    junk.write_bytes(b"-----BEGIN PRIVATE KEY-----\nxx\n")
    for given, text in ((fifo, "not a regular file"), ("/dev/zero", "not a regular file"),
                        (link, "not a regular file"), (big, "larger than 4096 bytes"),
                        (junk, "does not hold an Ed25519 private key")):  # fmt: skip
        done = cli("restore", str(carried), "--to", str(target), "--key", str(given), lang="en")
        assert done.exit_code == 2 and text in done.output, (given, done.output)
        assert "Nothing was restored" in done.output and "Traceback" not in done.output
        assert not target.exists() and not key_path(target).exists()
    done = cli("restore", str(carried), "--to", str(target), "--key", str(key_path(desk.path)))
    assert done.exit_code == 0, done.output
    assert public_key(target) == public_key(desk.path)
