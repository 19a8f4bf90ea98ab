"""Search of documents and the phone list (issue 19: p99 < 5 ms, p50 < 1 ms per term class) and
search across calls, documents and contacts (issue 18: p99 < 50 ms), each beside its floor.

- documents / contacts: `search_register` (the index alone: the floor) and `search_all` over
  that one register (index and the lines shown), per term class.
- across: `search_all` over all three registers, per term class, as the F9 dialog asks it.

The generator writes no phone list (GEN_VERSION stays): `add_phone_list` writes a realistic one
of a few thousand rows into the copy being measured, through the service (chained), with some
entries changed since (a change replaces its row in the index).

    python -m bench.measure.lookup COPY.sqlite3 [--repeats 20]   # writes the phone list into COPY
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.gen import vocab
from bench.measure import timing
from bench.measure.stats import summary
from bench.measure.timing import by_class, time_terms

DOCUMENT_TERMS: list[tuple[str, str]] = [
    ("汛", "1 char"), ("检", "1 char"), ("函", "1 char"),
    ("防汛", "2 chars"), ("寒潮", "2 chars"), ("值班", "2 chars"), ("综合", "2 chars"),
    ("气象局", "3 chars"), ("应急科", "3 chars"), ("大检查", "3 chars"),
    ("森林防火", "4+ chars"), ("燃气安全排查", "4+ chars"), ("关于进一步加强", "4+ chars"),
    ("〔2024〕12", "number"), ("市应急〔2019", "number"),
    ("市水务局", "unit"), ("市委机要局", "unit"), ("区委办值班室", "unit"),
    ("防汛 综合科", "two terms"), ("紧急通知 市气象局", "two terms"),
    ("龘", "absent"), ("飞碟", "absent"), ("外星人", "absent"), ("量子通信", "absent"),
]  # fmt: skip
CONTACT_TERMS: list[tuple[str, str]] = [
    ("镇", "1 char"), ("王", "1 char"), ("局", "1 char"),
    ("镇长", "2 chars"), ("书记", "2 chars"), ("建国", "2 chars"),
    ("值班室", "3 chars"), ("派出所", "3 chars"), ("指挥中心", "4+ chars"),
    ("市燃气集团", "unit"), ("杨柳青镇", "unit"), ("海河东路街道", "unit"),
    ("022-2", "phone"), ("1390", "phone"), ("8848", "phone"), ("022-2345", "phone"),
    ("0222345", "phone"),
    ("王 镇长", "two terms"), ("白沙镇 022", "two terms"),
    ("龘", "absent"), ("飞碟", "absent"), ("外星人", "absent"), ("13999999999", "absent"),
]  # fmt: skip
ACROSS_TERMS = [*DOCUMENT_TERMS[:13], *CONTACT_TERMS[12:17], ("柳林镇", "unit"),
                ("积水 人民路", "two terms"), *DOCUMENT_TERMS[20:]]  # fmt: skip
PRINCIPALS_PER_UNIT = 70
CHANGED = 0.1  # share of principals whose post or phone changed since they were listed


def _phone(rng: random.Random) -> str:
    return f"022-2{rng.randint(0, 9999999):07d}"


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"


def phone_list(seed: int) -> list[Any]:
    """About 3,000 entries: each unit's duty phone and its principals, and the upper offices."""
    from dutydesk.services.documents import ContactInput

    rng = random.Random(seed)
    entries = [ContactInput("unit", f"{unit}值班室", unit=unit, phone=_phone(rng))
               for unit in vocab.UNITS]  # fmt: skip
    entries += [ContactInput("upper", office, phone=_phone(rng)) for office in
                ("市政府总值班室", "市委总值班室", "市应急管理局值班室", "省政府总值班室")]  # fmt: skip
    for unit in vocab.UNITS:
        names: set[str] = set()
        while len(names) < PRINCIPALS_PER_UNIT:
            names.add(
                rng.choice(vocab.SURNAMES) + "".join(rng.choices(vocab.GIVEN, k=rng.randint(1, 2)))
            )
        entries += [ContactInput("principal", name, unit=unit, post=rng.choice(vocab.POSTS),
                                 phone=_phone(rng), mobile=_mobile(rng))
                    for name in sorted(names)]  # fmt: skip
    return entries


def add_phone_list(desk: Any, seed: int = 20261123) -> int:
    """Write the phone list into `desk` (once: a register that has one is left), one
    transaction; some principals then changed (new rows replacing theirs). Returns the rows."""
    from dataclasses import replace

    from dutydesk.db import write_session
    from dutydesk.models import Person
    from dutydesk.services.documents.contacts import insert_contact

    with desk.engine.connect() as connection:
        if connection.exec_driver_sql("SELECT count(*) FROM contact").scalar():
            return 0
    rng = random.Random(seed + 1)
    with write_session(desk.engine) as session:
        recorder = session.query(Person).first()
        rows = [insert_contact(session, desk, recorder, entry) for entry in phone_list(seed)]
        changed = [row for row in rows if row.kind == "principal" and rng.random() < CHANGED]
        for row in changed:
            from dutydesk.services.documents import ContactInput

            moved = replace(ContactInput.of(row), post=rng.choice(vocab.POSTS), mobile=_mobile(rng))
            insert_contact(session, desk, recorder, moved, replaces=row.id, reason="任职变动")
    return len(rows) + len(changed)


def _timed(run: Any, terms: list[tuple[str, str]], repeats: int) -> dict[str, Any]:
    """Wall time per query by term class, and the CPU time of this thread beside it."""
    wall, cpu, hits = time_terms(run, terms, repeats)
    every = [t for times in wall.values() for t in times]
    return {"by_class": by_class(terms, wall), "cpu_by_class": by_class(terms, cpu), "hits": hits,
            **summary(every)}  # fmt: skip


def measure(db: Path, frozen_at: str, repeats: int) -> dict[str, Any]:
    """Writes the phone list into `db` if it has none (the bench's own copy)."""
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.lookup import search_all, search_register

    cpu, opened = time.process_time(), time.perf_counter()
    desk = open_desk(db, FrozenClock(frozen_at))  # an older register is migrated (0024 fills)
    open_seconds = round(time.perf_counter() - opened, 2)
    try:
        began = time.perf_counter()
        added = add_phone_list(desk)
        figures: dict[str, Any] = {"phone_list_rows_added": added,
                                   "phone_list_seconds": round(time.perf_counter() - began, 2)}  # fmt: skip
        with desk.engine.connect() as connection:
            counts = {table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
                      for table in ("document", "document_search", "contact", "contact_search")}  # fmt: skip
            for register, terms, name in (("document", DOCUMENT_TERMS, "documents"),
                                          ("contact", CONTACT_TERMS, "contacts")):  # fmt: skip
                figures[f"{name}_index"] = _timed(
                    lambda q, r=register: search_register(connection, r, q, 50), terms, repeats
                )
                figures[name] = _timed(lambda q, n=name: search_all(desk, q, (n,)), terms, repeats)
            connection.rollback()
        figures["across"] = _timed(lambda q: search_all(desk, q), ACROSS_TERMS, repeats)
    finally:
        desk.close()
    return {**figures, "rows": counts, "repeats": repeats, "open_seconds": open_seconds,
            "cpu_seconds": round(time.process_time() - cpu, 2)}  # fmt: skip


def main(argv: list[str]) -> None:
    timing.main("python -m bench.measure.lookup",
                "a copy of a bench register (it is written to)", measure, argv)  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])


# (key, label, target), added to bench.report.TARGETS
TARGETS: list[tuple[str, str, str]] = [
    ("register_search_p99_ms_worst_class", "documents/contacts search p99, worst class, ms", "< 5"),
    ("register_search_p50_ms_worst_class", "documents/contacts search p50, worst class, ms", "< 1"),
    ("across_search_p99_ms", "search across calls/documents/contacts p99, ms", "< 50"),
]


def judged(figures: dict[str, Any]) -> dict[str, float | None]:
    """The values of TARGETS from a run's figures (None: not measured)."""
    found = figures.get("lookup", {})
    classes = [c for name in ("documents", "contacts")
               for c in found.get(name, {}).get("by_class", {}).values()]  # fmt: skip
    return {
        "register_search_p99_ms_worst_class": max((c["p99_ms"] for c in classes), default=None),
        "register_search_p50_ms_worst_class": max((c["p50_ms"] for c in classes), default=None),
        "across_search_p99_ms": found.get("across", {}).get("p99_ms"),
    }


def floors(figures: dict[str, Any]) -> dict[str, float | None]:
    """The floor of TARGETS' register search rows: the index alone for the worst class."""
    found = figures.get("lookup", {})
    pairs = [(stats, found.get(f"{name}_index", {}).get("by_class", {}).get(kind, {}))
             for name in ("documents", "contacts")
             for kind, stats in found.get(name, {}).get("by_class", {}).items()]  # fmt: skip
    if not pairs:
        return {}
    p99 = max(pairs, key=lambda pair: pair[0]["p99_ms"])[1]
    p50 = max(pairs, key=lambda pair: pair[0]["p50_ms"])[1]
    return {"register_search_p99_ms_worst_class": p99.get("p99_ms"),
            "register_search_p50_ms_worst_class": p50.get("p50_ms")}  # fmt: skip


def report_lines(figures: dict[str, Any]) -> list[str]:
    found = figures.get("lookup", {})
    if not found:
        return []
    lines = [f"search of documents, the phone list and across ({found['repeats']} runs of each "
             f"term; rows {found['rows']}):"]  # fmt: skip
    for name in ("documents", "contacts", "across"):
        floor = found.get(f"{name}_index", {}).get("by_class", {})
        for kind, stats in found[name]["by_class"].items():
            alone = floor.get(kind)
            beside = (
                f"   (index alone p50 {alone['p50_ms']}, p99 {alone['p99_ms']})" if alone else ""
            )
            used = found[name]["cpu_by_class"][kind]
            lines.append(f"  {name:<9} {kind:<10} p50 {stats['p50_ms']:>8} ms   "
                         f"p99 {stats['p99_ms']:>8} ms   cpu p50 {used['p50_ms']}, "
                         f"p99 {used['p99_ms']}{beside}")  # fmt: skip
    return lines
