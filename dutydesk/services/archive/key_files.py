"""The desk's signing key file around a restore and a rotation (issue 20, QA leftovers of issue
16). A register restored from its archives has no key file: its next archive would be signed by
a new key, which `verify` reports as a change of signer and the city holds or refuses until it
is enrolled. So `dutydesk restore` brings the key that signed the archives: the file given with
`--key FILE`, else a `*.key` file beside the folder of archives or beside it (where the source
register kept it); only a key whose public half is the archives' signer is ever taken, so a
stray key file is never picked up. Without one it says plainly that a new key will be made."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_manifest import (
    MANIFEST,
    MANIFEST_CAP,
    SIGNATURE_CAP,
    read_bounded,
)
from dutydesk.services.archive.desk_key import (
    KEY_MODE,
    SIGNATURE,
    fingerprint,
    key_path,
    public_of_pem,
)

KEY_FILE_MAX = 4096  # a key file is about 119 bytes: anything far larger is not one
KEY_FILE_USAGE = ("restore_key.target_key_exists", "restore_key.not_a_file",
                  "restore_key.too_large", "restore_key.not_a_key")  # fmt: skip


def read_key_file(path: Path) -> bytes:
    """A key file's bytes: a regular file (not a symlink, a device or a pipe), at most
    KEY_FILE_MAX bytes; a plain message otherwise (never hangs on a FIFO, never reads
    /dev/zero without end)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if path.is_symlink():
            raise DutyError("restore_key.not_a_file", path=str(path)) from exc
        raise DutyError("restore_key.cannot_read", path=str(path), detail=exc.strerror) from exc
    with os.fdopen(handle, "rb") as opened:
        info = os.fstat(opened.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise DutyError("restore_key.not_a_file", path=str(path))
        data = opened.read(KEY_FILE_MAX + 1)
    if len(data) > KEY_FILE_MAX:
        raise DutyError("restore_key.too_large", path=str(path), limit=KEY_FILE_MAX)
    return data


def public_of_file(path: Path) -> str:
    """The public key of a key file read as `read_key_file` does; a plain message for a file
    that is not a private key (not the cryptography library's text)."""
    data = read_key_file(path)
    try:
        return public_of_pem(data, path)
    except DutyError as error:
        raise DutyError("restore_key.not_a_key", path=str(path)) from error


def check_key_target(target: Path) -> None:
    """Refuse a restore whose target already has a key file beside it, before anything is
    restored (a register restored there would sign with whatever key that file holds)."""
    if target.exists() or target.is_symlink():
        return  # the restore refuses an existing target itself, with its own message
    path = key_path(target)
    if path.exists() or path.is_symlink():
        raise DutyError("restore_key.target_key_exists", path=str(path))


def signer_of(folder: Path) -> str | None:
    """The public key that signed the archive in `folder`, None if it is unsigned."""
    try:
        signed = json.loads(read_bounded(folder / SIGNATURE, SIGNATURE_CAP))
        return str(signed["public_key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _number(folder: Path) -> int | None:
    try:
        number = json.loads(read_bounded(folder / MANIFEST, MANIFEST_CAP)).get("archive_number")
    except (OSError, ValueError, AttributeError):
        return None
    return number if isinstance(number, int) else None


def signs_from(register: Path, public: str) -> int:
    """The first archive number `public` signs for the register: that of the oldest recorded
    archive it signed, else the next archive's (what `central enrol --from` takes)."""
    from dutydesk.db import connect_readonly_file

    conn = connect_readonly_file(register)
    try:
        rows = conn.execute(
            "SELECT target, archive, manifest_sha256 FROM export_record WHERE ok = 1 "
            "AND manifest_sha256 IS NOT NULL ORDER BY id"
        ).fetchall()
    except sqlite3.Error:
        rows = []
    finally:
        conn.close()
    for target, archive, _sha in rows:
        folder = Path(str(target)) / str(archive or "")
        if archive and signer_of(folder) == public and (number := _number(folder)) is not None:
            return number
    return len({sha for _t, _a, sha in rows}) + 1


@dataclass(frozen=True)
class Brought:
    """What a restore did about the key: a catalogue key and its arguments."""

    message: str
    params: dict[str, str]


def restored_from(archive: Path) -> tuple[Path, Path]:
    """The newest archive `dutydesk restore ARCHIVE` restores up to, and the folder holding the
    archives (the source register's key file is in it or beside it)."""
    from dutydesk.services.archive.archive_restore import chain_to, locate

    found = locate(archive)
    if found is not None:
        return chain_to(*found)[-1].path, found[0]
    return (archive if archive.is_dir() else archive.parent), archive.parent


def _candidates(root: Path) -> list[Path]:
    places = [root, root.parent]
    found: list[Path] = []
    for place in places:
        found += sorted(p for p in place.glob("*.key") if p.is_file() and not p.is_symlink())
    return found


def restore_key(newest: Path, given: Path | None, search: Path) -> Path | None:
    """The key file to bring for archives whose newest is `newest`: `given` (refused unless it
    is the archives' signer: nothing is restored then), else one found around `search` whose
    public key is the signer, else None."""
    signer = signer_of(newest)
    if given is not None:
        given = given.expanduser()
        if signer is None:
            raise DutyError("restore_key.unsigned", path=str(given))
        mine = public_of_file(given)
        if mine != signer:
            raise DutyError("restore_key.not_the_signer", path=str(given),
                            given=fingerprint(mine), signer=fingerprint(signer))  # fmt: skip
        return given
    if signer is None:
        return None
    for candidate in _candidates(search):
        try:
            if public_of_file(candidate) == signer:
                return candidate
        except DutyError:
            continue  # not a key file of ours: looked past
    return None


def bring_key(found: Path | None, newest: Path, target: Path) -> Brought:
    """Copy the key file beside the restored register (0600, never over a file), or say what
    will happen without it."""
    signer = signer_of(newest)
    path = key_path(target)
    if signer is None:
        return Brought("restore_key.archives_unsigned", {"path": str(path)})
    params = {"path": str(path), "fingerprint": fingerprint(signer)}
    if path.exists():
        if public_of_file(path) == signer:
            return Brought("restore_key.already_there", params)
        return Brought("restore_key.other_key_there", params)
    if found is None:
        return Brought("restore_key.none", params)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_MODE)
    with os.fdopen(handle, "wb") as out:
        out.write(read_key_file(found))
        out.flush()
        os.fsync(out.fileno())
    return Brought("restore_key.brought", {**params, "source": str(found)})
