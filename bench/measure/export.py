"""Export of the whole register: dutydesk.services.archive.export.write_archive (the on-demand archive a
handover writes: backup-API snapshot, forms and CSVs, SHA-256 of each, manifest). Where that
service is missing, what it does at its core is measured instead, and labelled so: a snapshot
with SQLite's online backup API, then its SHA-256."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
METHOD = "dutydesk.services.archive.export.write_archive (on-demand archive of the whole register)"
PROXY = "archive proxy: sqlite3 backup API snapshot + SHA-256 (no handover export service)"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def measure(db: Path, out_dir: Path, frozen_at: str) -> dict[str, Any]:
    try:
        from dutydesk.services.archive.export import write_archive
    except ImportError:
        return measure_proxy(db, out_dir)
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk

    root = out_dir / "export-bench"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    desk = open_desk(db, FrozenClock(frozen_at))
    try:
        began = time.perf_counter()
        try:
            folder = write_archive(desk, root)
        except Exception as exc:  # the service or what it reads is still being built
            result = measure_proxy(db, out_dir)
            result["service_error"] = f"write_archive failed: {type(exc).__name__}: {exc}"
            return result
        seconds = time.perf_counter() - began
        files = {p.name: p.stat().st_size for p in folder.iterdir()}
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    finally:
        desk.close()
        shutil.rmtree(root, ignore_errors=True)
    snapshot = next((f for f in manifest["files"] if f["role"] == "snapshot"), None)
    return {
        "method": METHOD,
        "seconds": round(seconds, 3),
        "bytes": sum(files.values()),
        "files": files,
        "sha256": snapshot["sha256"] if snapshot else "",
    }


def measure_proxy(db: Path, out_dir: Path) -> dict[str, Any]:
    target = out_dir / "export-snapshot.sqlite3"
    target.unlink(missing_ok=True)
    began = time.perf_counter()
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()
    snapshot_s = time.perf_counter() - began
    digest = sha256_of(target)
    total_s = time.perf_counter() - began
    size = target.stat().st_size
    target.unlink()
    return {
        "method": PROXY,
        "seconds": round(total_s, 3),
        "snapshot_seconds": round(snapshot_s, 3),
        "hash_seconds": round(total_s - snapshot_s, 3),
        "bytes": size,
        "sha256": digest,
    }
