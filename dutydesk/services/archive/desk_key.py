"""The desk's signing key (issue 20): every archive's manifest is signed with an Ed25519 key kept
OUTSIDE the register, in a file beside it (`<register>.key`, mode 0600), made at the first
export. The city enrols the public key out of band (`dutydesk central enrol`), and then refuses a
pack of that desk whose manifest is unsigned or signed by another key: whoever holds a copy of
the register, or an old pack, but not the key file, cannot write a continuation the city takes.
The signature is `manifest.sig` in the archive folder (the one file the manifest does not list:
it signs the manifest's exact bytes, and the manifest lists every other file's SHA-256)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_manifest import SIGNATURE_CAP, read_bounded

SIGNATURE = "manifest.sig"
ALGORITHM = "ed25519"
KEY_MODE = 0o600


def key_path(register: Path) -> Path:
    return register.with_name(register.name + ".key")


def fingerprint(public_key: str) -> str:
    """A short name of a public key for messages: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key.encode("ascii")).hexdigest()[:16]


def _public_text(private: object) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    assert isinstance(private, Ed25519PrivateKey)
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode("ascii")


def _load_or_make(register: Path) -> object:
    """The register's private key, made (0600, written once, never replaced) if it has none."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(register)
    if not path.exists():
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:  # O_EXCL: two exports at once make one key, the other reads it
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_MODE)
        except FileExistsError:
            return _load_or_make(register)
        with os.fdopen(handle, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        return private
    return _load(path)


def _load(path: Path) -> object:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DutyError("desk_key.unreadable", path=str(path), detail=str(exc)) from exc
    return _parse(data, path)


def _parse(data: bytes, path: Path) -> object:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        loaded = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise DutyError("desk_key.unreadable", path=str(path), detail=str(exc)) from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise DutyError("desk_key.unreadable", path=str(path), detail=ALGORITHM)
    return loaded


def public_of_file(path: Path) -> str:
    """The public key (base64) of a private key file (a key file brought to a restore)."""
    return _public_text(_load(path))


def public_of_pem(data: bytes, path: Path) -> str:
    """The public key (base64) of a private key file's bytes, already read (`path` names it)."""
    return _public_text(_parse(data, path))


def key_notes(register: Path, *, exported_before: bool) -> list[tuple[str, dict[str, str]]]:
    """What an export must say about the key file before it signs (catalogue key, arguments):
    a symlink, a file others may read, or no file: the key is made now, to be backed up and
    enrolled by the city (and, if archives were signed before, it is a NEW key)."""
    path = key_path(register).absolute()  # said to a person: where it is, whatever the cwd
    notes: list[tuple[str, dict[str, str]]] = []
    if path.is_symlink():
        notes.append(("desk_key.symlink", {"path": str(path), "target": os.readlink(path)}))
    if not path.exists():
        made = "desk_key.new_key" if exported_before else "desk_key.first_key"
        notes.append((made, {"path": str(path)}))
        return notes
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        notes.append(("desk_key.too_open", {"path": str(path), "mode": f"{mode:o}"}))
    return notes


def said_notes(
    register: Path, notes: list[tuple[str, dict[str, str]]], lang: str | None = None
) -> list[str]:
    """The notes of `key_notes` in the user's language, naming the key's fingerprint (after the
    export made the key, if it had to)."""
    from dutydesk.i18n import t

    if not notes:
        return []
    printed = fingerprint(public_key(register))
    return [
        t(key, lang, fingerprint=printed, register=str(register.absolute()), **args)
        for key, args in notes
    ]


def public_key(register: Path) -> str:
    """The register's public key (base64 of its 32 bytes), the key made if it has none: what the
    desk gives the city to enrol."""
    return _public_text(_load_or_make(register))


def sign_manifest(register: Path, folder: Path, manifest: bytes) -> None:
    """Write `manifest.sig` into the archive folder being written: the algorithm, the public
    key and the signature of the manifest's bytes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = _load_or_make(register)
    assert isinstance(private, Ed25519PrivateKey)
    signed = {"algorithm": ALGORITHM, "public_key": _public_text(private),
              "signature": base64.b64encode(private.sign(manifest)).decode("ascii")}  # fmt: skip
    path = folder / SIGNATURE
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, KEY_MODE)
    with os.fdopen(handle, "wb") as out:
        out.write(json.dumps(signed, sort_keys=True).encode("utf-8"))


@dataclass(frozen=True)
class Signed:
    """What `check_signature` found: None for a good signature by `expected`, else why not."""

    problem: str | None  # a desk_key.* message key
    signer: str = ""  # the fingerprint of the key that signed, when there is one


def check_signature(folder: Path, manifest: bytes, expected: str) -> Signed:
    """Is the folder's manifest signed by the public key `expected` (base64)?"""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    path = folder / SIGNATURE
    if not path.is_file():
        return Signed("desk_key.unsigned")
    try:
        signed = json.loads(read_bounded(path, SIGNATURE_CAP))
        signer = str(signed["public_key"])
        signature = base64.b64decode(str(signed["signature"]), validate=True)
        algorithm = signed["algorithm"]
    except (OSError, ValueError, KeyError, TypeError):
        return Signed("desk_key.signature_unreadable")
    if algorithm != ALGORITHM:
        return Signed("desk_key.signature_unreadable")
    if signer != expected:
        return Signed("desk_key.other_key", fingerprint(signer))
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(expected, validate=True))
        key.verify(signature, manifest)
    except (ValueError, InvalidSignature):
        return Signed("desk_key.bad_signature", fingerprint(signer))
    return Signed(None, fingerprint(signer))


def valid_public_key(text: str) -> bool:
    """A base64 Ed25519 public key (32 bytes), as `public_key` prints it."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))
    except ValueError:
        return False
    return True
