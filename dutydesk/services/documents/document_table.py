"""收发文登记簿 of a shift as rows of text, for the archive's CSV: the documents registered in
the shift and every other one still open (taken over by the next shift), oldest first, each
with its routing, follow-up and closing. Only what the rows record and the profile derives from
them (the due time): an archive renders the same table again from its own copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, or_, select

from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import Document, DocumentClosure

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.models import Shift
    from dutydesk.services.core import Desk
    from dutydesk.services.documents.document_views import DocumentView

COLUMNS = ("id", "direction", "number", "party", "title", "kind", "urgency", "classified",
           "moved_at", "due_at", "routings", "followups", "closed_at")  # fmt: skip


def _local(value: DateTime | None, zone: str) -> str:
    return "" if value is None else value.in_timezone(zone).format("YYYY-MM-DD HH:mm")


def _row(view: DocumentView, zone: str) -> list[str]:
    document = view.document
    separator = t("error.separator")
    routings = separator.join(
        t("document_register.routing", to=r.routed_to, how=r.channel,
          at=_local(r.routed_at, zone), note=r.note).strip()
        for r in view.routings
    )  # fmt: skip
    followups = separator.join(f"{_local(f.followed_at, zone)} {f.text}" for f in view.followups)
    return [
        str(view.id),
        t(f"document_direction.{document.direction}"),
        document.number,
        document.party,
        document.title,
        t(f"document_kind.{document.kind}"),
        t(f"document_urgency.{document.urgency}"),
        t("document.classified_mark") if document.classified else "",
        _local(document.moved_at, zone),
        _local(view.due.at, zone) if view.due else "",
        routings,
        followups,
        _local(view.closure.closed_at, zone) if view.closure else "",
    ]


def document_register_table(desk: Desk, shift: Shift) -> tuple[list[str], list[list[str]]]:
    """The shift's 收发文登记簿: its own documents and the ones still open."""
    from dutydesk.services.documents.document_views import document_views_of

    closed = select(DocumentClosure.document_id)
    statement = (
        select(Document)
        .where(or_(col(Document.shift_id) == shift.id, col(Document.id).not_in(closed)))
        .order_by(col(Document.moved_at), col(Document.id))
    )
    with read_session(desk.engine) as session:
        views = document_views_of(desk, session, list(session.exec(statement)))
    header = [t(f"document_register.{column}") for column in COLUMNS]
    return header, [_row(view, desk.timezone) for view in views]
