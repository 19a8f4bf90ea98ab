"""One search across the registers: calls, documents (文电) and the phone list (issue 18).

Each register answers with its own index (calls: dutydesk.services.core.search; documents and
contacts: register_search), newest first, and each hit says which register it is from and the
key that opens its record: a call's number, a document's or a contact's id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dutydesk.models.types import from_storage
from dutydesk.services.lookup.register_search import joined_sql

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pendulum import DateTime

    from dutydesk.services.core import Desk

REGISTERS = ("calls", "documents", "contacts")
PER_REGISTER = 50


@dataclass(frozen=True)
class Hit:
    """One record found. `title` and `detail` are the record's own text, to be shown literally."""

    register: str  # one of REGISTERS
    key: str  # what opens the record: a call's number, a document's or a contact's id
    at: DateTime | None  # when received, moved or recorded (None: a contact)
    title: str
    detail: str
    direction: str | None = None  # a call's: in (来电) or out (去电)

    def to_json(self, timezone: str) -> dict[str, Any]:
        return {"register": self.register, "key": self.key,
                "at": self.at.in_timezone(timezone).isoformat() if self.at else None,
                "title": self.title, "detail": self.detail,
                **({"direction": self.direction} if self.direction else {})}  # fmt: skip


def register_label(hit: Hit) -> str:
    """The catalogue key naming a hit's register as the lists show it: 去电 for a call out."""
    if hit.register == "calls" and hit.direction == "out":
        return "lookup.register_calls_out"
    return f"lookup.register_{hit.register}"


def _call_hits(desk: Desk, query: str, limit: int) -> list[Hit]:
    from dutydesk.services.calls import list_calls

    return [
        Hit(
            "calls",
            view.number,
            view.received_at,
            " ".join(filter(None, (view.caller, view.unit, view.phone))),
            view.summary,
            view.direction,
        )  # fmt: skip
        for view in list_calls(desk, search=query, limit=limit)
    ]


def _rows(desk: Desk, register: str, query: str, limit: int, columns: str) -> list[Sequence[Any]]:
    """The matching rows, read on the pool's sqlite3 connection itself: one SELECT is its own
    read transaction, and SQLAlchemy's BEGIN, result proxy and rollback were a third of a
    document search (bench: cProfile, 0.4 of 1.2 ms)."""
    found = joined_sql(register, query, limit, columns)
    if found is None:
        return []
    sql, params = found
    connection = desk.engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            return list(cursor.execute(sql, params).fetchall())
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool


def _document_hits(desk: Desk, query: str, limit: int) -> list[Hit]:
    columns = "r.id, r.number, r.party, r.title, r.moved_at"
    return [
        Hit("documents", str(row[0]), from_storage(row[4]), f"{row[1]} {row[3]}".strip(), row[2])
        for row in _rows(desk, "document", query, limit, columns)
    ]


def _contact_hits(desk: Desk, query: str, limit: int) -> list[Hit]:
    columns = "r.id, r.name, r.unit, r.post, r.phone, r.mobile"
    return [
        Hit(
            "contacts",
            str(row[0]),
            None,
            " ".join(filter(None, (row[2], row[1], row[3]))),
            " ".join(filter(None, (row[4], row[5]))),
        )  # fmt: skip
        for row in _rows(desk, "contact", query, limit, columns)
    ]


def search_all(desk: Desk, query: str, registers: tuple[str, ...] = REGISTERS,
               limit: int = PER_REGISTER) -> list[Hit]:  # fmt: skip
    """The records of `registers` matching every term of `query`: each register's hits newest
    first, at most `limit` of each, the registers in the order given."""
    if not query.split():
        return []
    hits: list[Hit] = []
    for register in registers:
        if register == "calls":
            hits += _call_hits(desk, query, limit)
        else:
            hits += (_document_hits if register == "documents" else _contact_hits)(
                desk, query, limit
            )
    return hits
