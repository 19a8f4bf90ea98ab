"""The project's own verifier (dutydesk.services.archive.verify.verify_register) over the generated
register: it must accept it, and how long it takes on ten years is worth knowing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def measure(db: Path) -> dict[str, Any]:
    try:
        from dutydesk.services.archive.verify import verify_register
    except ImportError:
        return {"measured": False, "reason": "no dutydesk.services.archive.verify yet"}
    began = time.perf_counter()
    report = verify_register(db, integrity=False)
    return {
        "measured": True,
        "ok": report.ok,
        "links": report.links,
        "counts": report.counts,
        "tables": report.tables,
        "seconds": round(time.perf_counter() - began, 2),
        "integrity_check": "skipped (PRAGMA integrity_check is not part of this figure)",
    }
