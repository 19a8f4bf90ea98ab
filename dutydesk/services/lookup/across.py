"""One search across the registers: calls, documents (文电) and the phone list (issue 18).

Each register answers with its own index (calls: dutydesk.services.core.search; documents and
contacts: register_search), newest first, and each hit says which register it is from and the
key that opens its record: a call's number, a document's or a contact's id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dutydesk.models.types import from_storage
from dutydesk.services.lookup.register_search import search_register

if TYPE_CHECKING:
    from pendulum import DateTime
    from sqlalchemy.engine import Connection

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

    def to_json(self, timezone: str) -> dict[str, Any]:
        return {"register": self.register, "key": self.key,
                "at": self.at.in_timezone(timezone).isoformat() if self.at else None,
                "title": self.title, "detail": self.detail}  # fmt: skip


def _call_hits(desk: Desk, query: str, limit: int) -> list[Hit]:
    from dutydesk.services.calls import list_calls

    return [
        Hit(
            "calls",
            view.number,
            view.received_at,
            " ".join(filter(None, (view.caller, view.unit, view.phone))),
            view.summary,
        )  # fmt: skip
        for view in list_calls(desk, search=query, limit=limit)
    ]


def _rows(connection: Connection, sql: str, ids: list[int]) -> list[Any]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {row[0]: row for row in connection.exec_driver_sql(sql.format(marks=marks), tuple(ids))}
    return [rows[i] for i in ids if i in rows]


def _document_hits(connection: Connection, query: str, limit: int) -> list[Hit]:
    ids = search_register(connection, "document", query, limit)
    sql = "SELECT id, '', number, party, title, moved_at FROM document WHERE id IN ({marks})"
    return [
        Hit("documents", str(row[0]), from_storage(row[5]), f"{row[2]} {row[4]}".strip(), row[3])
        for row in _rows(connection, sql, ids)
    ]


def _contact_hits(connection: Connection, query: str, limit: int) -> list[Hit]:
    ids = search_register(connection, "contact", query, limit)
    sql = "SELECT id, name, unit, post, phone, mobile FROM contact WHERE id IN ({marks})"
    return [
        Hit(
            "contacts",
            str(row[0]),
            None,
            " ".join(filter(None, (row[2], row[1], row[3]))),
            " ".join(filter(None, (row[4], row[5]))),
        )  # fmt: skip
        for row in _rows(connection, sql, ids)
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
            continue
        with desk.engine.connect() as connection:
            found = (_document_hits if register == "documents" else _contact_hits)(
                connection, query, limit
            )
            connection.rollback()
        hits += found
    return hits
