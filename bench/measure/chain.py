"""The project's own verifier (dutydesk.services.archive.verify.verify_register) over the generated
register: it must accept it, and how long it takes on ten years is worth knowing."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path
from typing import Any


def measure(db: Path) -> dict[str, Any]:
    try:
        from dutydesk.services.archive.verify import verify_register
    except ImportError:
        return {"measured": False, "reason": "no dutydesk.services.archive.verify yet"}
    load_before = os.getloadavg()[0]
    began, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    report = verify_register(db, integrity=False)
    return {
        "measured": True,
        "ok": report.ok,
        "links": report.links,
        "counts": report.counts,
        "tables": report.tables,
        "seconds": round(time.perf_counter() - began, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),  # this process
        "range_processes_cpu_seconds": round(_children_cpu() - children, 2),  # both cores
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # before, after
        "integrity_check": "skipped (PRAGMA integrity_check is not part of this figure)",
    }


def _children_cpu() -> float:
    """CPU seconds of the child processes that have ended (verify's range processes)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
