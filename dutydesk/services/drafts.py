"""Form drafts: what the officer has typed but not yet saved, kept beside the database so that a
crash, a kill or a full disk loses nothing. Written atomically (temp file, fsync, rename)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def draft_path(db_path: Path, form: str) -> Path:
    return db_path.with_name(f"{db_path.name}.{form}.draft.json")


def save_draft(db_path: Path, form: str, values: dict[str, Any]) -> bool:
    """Keep `values`; returns False if the disk refused (the form still holds them)."""
    target = draft_path(db_path, form)
    temporary = target.with_name(target.name + ".tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(values, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


def load_draft(db_path: Path, form: str) -> dict[str, Any] | None:
    try:
        with open(draft_path(db_path, form), encoding="utf-8") as handle:
            values = json.load(handle)
    except (OSError, ValueError):
        return None
    return values if isinstance(values, dict) else None


def discard_draft(db_path: Path, form: str) -> None:
    with contextlib.suppress(OSError):
        draft_path(db_path, form).unlink(missing_ok=True)
