"""Anchors outside the file (链外锚点): chain heads pinned where an insider with the register
alone cannot reach them — each archive's manifest, and the head printed on the signed 值班交接表.

A register whose links were all recomputed after an edit verifies in itself; it cannot also
match a head pinned before the edit. `dutydesk verify --db` checks the register against every
manifest it finds (the `exports/` folder beside the register, the configured export folder,
`--archives DIR`, and the archives the register's own export records name) and against a head
read off paper (`--head SEQ:HEX`).

Manifests are read only through `read_manifest`, which tolerates every manifest format so far
(`audit_chain_head` or `chain_head`, with or without `archive_number`)."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutydesk.errors import DutyError
from dutydesk.services.archive.archive_manifest import MANIFEST_CAP, read_bounded

MANIFEST = "manifest.json"
DEFAULT_DIR = "exports"
MIN_PREFIX = 16  # hex digits of a head read off paper: what the printed form shows
FULL_HASH = 64  # hex digits of a whole SHA-256 (a head copied from a manifest)
PAPER = "paper"
_HEAD = re.compile(r"^\s*#?(\d+)\s*[:：]\s*([0-9a-fA-F]+)\s*$")


@dataclass(frozen=True)
class ManifestInfo:
    path: Path  # the manifest file
    sha256: str  # of the file as it is
    head_seq: int | None
    head_hash: str | None
    previous: dict[str, Any] | None
    number: int | None  # archive_number, once archives are numbered
    office_id: str | None = None  # "chain:<hash of link 1>", once manifests carry it

    @property
    def archive(self) -> str:
        return self.path.parent.name


@dataclass(frozen=True)
class Anchor:
    """A chain head pinned outside the register: `hash` is the full hash or, off paper, a
    prefix of at least 16 hex digits."""

    source: str  # what pins it, as shown: an archive's folder, or "paper"
    seq: int
    hash: str


@dataclass(frozen=True)
class AnchorProblem:
    code: str  # a key of [verify_anchor] in the message catalogue
    args: dict[str, Any]


def _head_of(data: dict[str, Any]) -> tuple[int | None, str | None]:
    head = data.get("chain_head") or data.get("audit_chain_head")
    if not isinstance(head, dict):
        return None, None
    seq, digest = head.get("seq"), head.get("hash")
    if isinstance(seq, int) and isinstance(digest, str):
        return seq, digest.lower()
    return None, None


def read_manifest(path: Path) -> ManifestInfo | None:
    """The parts of a manifest that anchor a register; None if it is not a JSON object, or not
    a regular file of at most MANIFEST_CAP bytes (a manifest linked to /dev/zero or a fifo
    would be read without end), as restore and the central ingest read it."""
    try:
        raw = read_bounded(path, MANIFEST_CAP)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, DutyError):
        return None
    if not isinstance(data, dict):
        return None
    seq, digest = _head_of(data)
    previous = data.get("previous_manifest")
    number = data.get("archive_number")
    office = data.get("office_id")
    return ManifestInfo(path, hashlib.sha256(raw).hexdigest(), seq, digest,
                        previous if isinstance(previous, dict) else None,
                        number if isinstance(number, int) else None,
                        office if isinstance(office, str) else None)  # fmt: skip


def parse_head(text: str) -> Anchor:
    """`SEQ:HEX` as read off the printed form: the 16 hex digits it prints, or a whole hash.
    Anything else is a mistyped head (a usage error), never evidence of tampering."""
    match = _HEAD.match(text)
    if match is None or int(match.group(1)) < 1:
        raise DutyError("verify_anchor.bad_head", value=text, digits=MIN_PREFIX)
    digits = match.group(2)
    if len(digits) not in (MIN_PREFIX, FULL_HASH):
        raise DutyError("verify_anchor.bad_head_length", value=text, count=len(digits),
                        digits=MIN_PREFIX, full=FULL_HASH)  # fmt: skip
    return Anchor(PAPER, int(match.group(1)), digits.lower())


def paper_heads(register: Path, texts: Iterable[str]) -> list[Anchor]:
    """The heads typed as read off paper, each well formed and naming a link of `register`;
    DutyError (a usage error: nothing is verified) for the first that is not."""
    heads = [parse_head(text) for text in texts]
    if heads and register.is_file():
        from dutydesk.db import connect_readonly_file

        try:
            conn = connect_readonly_file(register)
            try:
                check_paper_sequences(conn, heads)
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # not a register verify can read: verify itself says so
    return heads


def check_paper_sequences(conn: sqlite3.Connection, heads: Iterable[Anchor]) -> None:
    """A head read off paper must name a link this register has: a sequence past its end is
    far more often a misread number than a cut-off chain, so it is said as a usage error
    (naming both readings) before anything is verified."""
    length = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_link").fetchone()[0]
    for head in heads:
        if head.source == PAPER and head.seq > length:
            raise DutyError("verify_anchor.paper_unknown_seq", seq=head.seq, links=length,
                            pinned=head.hash[:MIN_PREFIX])  # fmt: skip


def manifest_paths(folders: Iterable[Path]) -> list[Path]:
    """Every manifest under the folders (an archive, or a folder of archives at any depth),
    leaving out hidden folders (an export's temporary folder)."""
    found: dict[Path, None] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob(MANIFEST)):
            inside = path.relative_to(folder).parts[:-1]
            if any(part.startswith(".") for part in inside):
                continue
            # anything else by that name (a symlink, a folder, a fifo) is kept as it is, to be
            # reported unreadable: restore refuses it, so verify must not vouch for it
            regular = path.is_file() and not path.is_symlink()
            found.setdefault(path.resolve() if regular else path, None)
    return list(found)


def default_folders(register: Path) -> list[Path]:
    from dutydesk.paths import configured_export_dir

    folders = [register.parent / DEFAULT_DIR]
    configured = configured_export_dir()
    if configured is not None:
        folders.append(configured.expanduser())
    return folders


def _recorded(conn: sqlite3.Connection) -> list[tuple[Path, str]]:
    """The manifests the register's own export records name, with the SHA-256 recorded."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'export_record'"
    ).fetchone()
    if exists is None:
        return []
    rows = conn.execute(
        "SELECT target, archive, manifest_sha256 FROM export_record "
        "WHERE ok = 1 AND archive IS NOT NULL AND manifest_sha256 IS NOT NULL ORDER BY id"
    ).fetchall()
    return [(Path(target) / archive / MANIFEST, sha) for target, archive, sha in rows]


def gather(
    conn: sqlite3.Connection, folders: Iterable[Path], named: bool = False
) -> tuple[list[Anchor], list[AnchorProblem], list[AnchorProblem]]:
    """(anchors, problems, warnings) from the manifests in `folders` and those the export
    records name. A recorded manifest that differs from the file found is a problem (one of the
    two was changed); a recorded archive not found is a warning (it may be on another disk).
    Another office's manifests in folders the user did not name (`named`) are skipped with a
    note only while this register is anchored by a manifest its own export records name."""
    anchors: dict[Path, Anchor] = {}
    problems: list[AnchorProblem] = []
    warnings: list[AnchorProblem] = []
    foreign: list[AnchorProblem] = []
    own: list[tuple[bool, ManifestInfo]] = []  # this office's: (recorded, the manifest)

    first = conn.execute("SELECT hash FROM audit_link WHERE seq = 1").fetchone()
    ours = f"chain:{first[0]}" if first else None

    def _add(info: ManifestInfo, recorded: bool = False) -> None:
        if info.office_id is not None and ours is not None and info.office_id != ours:
            # a failure unless it is plainly another register's (below): skipping it always
            # would let a rewritten first link disown every archive
            other = AnchorProblem("other_office", {"archive": str(info.path.parent)})
            (problems if named or recorded else foreign).append(other)
            return
        own.append((recorded, info))
        if info.head_seq is not None and info.head_hash is not None:
            anchors.setdefault(
                info.path.resolve(), Anchor(str(info.path.parent), info.head_seq, info.head_hash)
            )

    found = manifest_paths(folders)
    by_archive = {path.parent.name: path for path in found}
    by_sha: dict[str, ManifestInfo] = {}
    for path in found:
        info = read_manifest(path)
        if info is None:
            problems.append(AnchorProblem("unreadable", {"path": str(path)}))
        else:
            by_sha.setdefault(info.sha256, info)
            _add(info)
    infos = [info for info in by_sha.values() if info.office_id in (None, ours)]
    numbers: dict[str, int] = {}  # archives are numbered by their first export record
    recorded = _recorded(conn)
    recorded_shas = {sha for _path, sha in recorded}
    for path, recorded_sha in recorded:
        number = numbers.setdefault(recorded_sha, len(numbers) + 1)
        problems += _copies_differ(infos, path.parent.name, number, recorded_sha)
        if recorded_sha in by_sha:  # found by its hash, wherever the register and it now are
            _add(by_sha[recorded_sha], recorded=True)
            continue
        path, info = _looked_up(path, by_archive, recorded_sha, recorded_shas)
        if info is None:
            warnings.append(AnchorProblem("recorded_missing", {"archive": str(path.parent)}))
        elif info.sha256 != recorded_sha:
            differs = AnchorProblem("recorded_differs", {"archive": str(path.parent)})
            problems += [] if differs in problems else [differs]
        else:
            _add(info, recorded=True)
    problems += _foreign_problems(foreign, anchored=any(r for r, _ in own), warnings=warnings)
    warnings += _signer_notes([info for _, info in own])
    return _trusted(anchors, problems), _once(problems), warnings


def _once(problems: list[AnchorProblem]) -> list[AnchorProblem]:
    """Each problem said once (a changed manifest was named by its record and as a copy)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for problem in problems:
        key = (problem.code, repr(sorted(problem.args.items())))
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def _trusted(anchors: dict[Path, Anchor], problems: list[AnchorProblem]) -> list[Anchor]:
    """The heads pinned by manifests not found changed: one that differs from the register's
    export record is not taken as pinning the chain (breaker, session 18: a manifest's head
    changed by hand was reported as the register's chain rewritten)."""
    changed = {str(p.args.get("archive")) for p in problems if p.code == "recorded_differs"}
    kept = [anchor for anchor in anchors.values() if anchor.source not in changed]
    return sorted(kept, key=lambda a: (a.seq, a.source))


def _looked_up(
    path: Path, by_archive: dict[str, Path], recorded_sha: str, recorded_shas: set[str]
) -> tuple[Path, ManifestInfo | None]:
    """The manifest an export record names, where it was written or, when the register or its
    archives moved, one found of that archive's name; None when neither is there. One found by
    name that another export record names is that other archive (two exports in the same
    second to two places), so this one is missing, not changed (breaker, session 17)."""
    found = path if path.is_file() else by_archive.get(path.parent.name, path)
    info = read_manifest(found) if found.is_file() else None
    if info is not None and info.sha256 != recorded_sha and info.sha256 in recorded_shas:
        return path, None
    return found, info


def _signer_notes(infos: list[ManifestInfo]) -> list[AnchorProblem]:
    """A change of the desk's signing key along its archives (the key file lost or replaced:
    the export made a new key and said so): a note naming the archive number it changed at
    and both keys, for the city to enrol the new key from that number. Not a fault here: the
    register's own export records vouch for these archives; `verify DIR`, which has only the
    folder, reports it as one (archive_signatures)."""
    from dutydesk.services.archive.archive_signatures import signer_changes

    numbered: dict[int, Path] = {}
    for info in infos:
        if info.number is not None:
            numbered.setdefault(info.number, info.path.parent)
    return [
        AnchorProblem("signer_changed", {"number": number, "before": before, "now": now})
        for number, before, now in signer_changes(numbered)
    ]


def _foreign_problems(
    foreign: list[AnchorProblem], anchored: bool, warnings: list[AnchorProblem]
) -> list[AnchorProblem]:
    """Another office's manifests found in a folder nobody named: when this register's own
    export records name a manifest of its office id that was found and matches, its first link
    is the one its archives pinned (a rewrite would change the id every archive carries), so
    those are another register's and are skipped with a note; otherwise they stay problems."""
    unique = list(dict.fromkeys((p.code, p.args["archive"]) for p in foreign))
    if not unique or not anchored:
        return [AnchorProblem(code, {"archive": archive}) for code, archive in unique]
    warnings.append(AnchorProblem("other_offices_skipped", {"count": len(unique)}))
    return []


def _copies_differ(
    infos: list[ManifestInfo], name: str, number: int, recorded_sha: str
) -> list[AnchorProblem]:
    """Every other manifest found with the recorded archive's number (or, unnumbered, its
    name) must be the one recorded: a tampered copy in `--archives DIR` fails even while the
    genuine one is in exports/ (each named by its path)."""
    return [
        AnchorProblem("recorded_differs", {"archive": str(info.path.parent)})
        for info in infos
        if info.sha256 != recorded_sha
        and (info.number == number if info.number is not None else info.archive == name)
    ]


def check_anchors(conn: sqlite3.Connection, anchors: Iterable[Anchor]) -> list[AnchorProblem]:
    """Each pinned head must be a link of this chain: the link at its sequence, with its hash."""
    problems = []
    length = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_link").fetchone()[0]
    for anchor in anchors:
        row = conn.execute("SELECT hash FROM audit_link WHERE seq = ?", (anchor.seq,)).fetchone()
        where = {"source": anchor.source, "seq": anchor.seq, "links": length,
                 "pinned": anchor.hash[:MIN_PREFIX]}  # fmt: skip
        if row is None:
            problems.append(AnchorProblem("shorter", where))
        elif not str(row[0]).startswith(anchor.hash):
            # off paper, a misread digit is likelier than tampering: the message says re-read
            code = "paper_differs" if anchor.source == PAPER else "differs"
            shown = _telling_apart(anchor.hash, str(row[0]))
            problems.append(AnchorProblem(code, {**where, "pinned": anchor.hash[:shown],
                                                 "found": str(row[0])[:shown]}))  # fmt: skip
    return problems


def _telling_apart(pinned: str, found: str) -> int:
    """How many hex digits to show of two hashes so that they differ on the screen: 16, or to
    the first digit that differs and 4 more, never past the pinned one's own length (a paper
    head has 16). Breaker, session 18: two equal 16-digit prefixes were shown."""
    same = next((i for i, (a, b) in enumerate(zip(pinned, found, strict=False)) if a != b),
                min(len(pinned), len(found)))  # fmt: skip
    return max(MIN_PREFIX, min(same + 5, len(pinned)))  # a paper head has 16: all of it
