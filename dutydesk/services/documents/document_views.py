"""Reading the document register: each document with its routing, follow-up and closing, the
time its handling is due (from the profile: 急件 within their minutes, 普通件 by a time of the
next working day of the official calendar), the filters of the documents screen, and the
open documents' deadlines as the board shows them (DeadlineView, subject "document")."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, func, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import Document, DocumentClosure, DocumentFollowup, DocumentRouting
from dutydesk.services.core.calendar import next_working_day
from dutydesk.services.incidents.deadline_views import DeadlineView, countdown
from dutydesk.services.incidents.incident_common import short

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import Profile
    from dutydesk.services.core import Desk

FILTERS = ("all", "open", "urgent", "overdue")
MAX_LIST = 2000
SUBJECT = "document"
CHANNEL = "route"  # the deadline is met by passing the document on (交办)


@dataclass(frozen=True)
class Due:
    at: DateTime
    minutes: int | None  # 急件: minutes from receipt; None: by a time of the next working day
    cite: str


def handling_due(profile: Profile, urgency: str, received_at: DateTime, timezone: str) -> Due:
    """When a document received at `received_at` must be passed on, by the profile's rule for
    its urgency. The next working day comes from the official calendar (holidays, 调休)."""
    rule = profile.documents.urgencies[urgency]  # a checked urgency
    if rule.minutes is not None:
        return Due(received_at.add(minutes=rule.minutes), rule.minutes, rule.cite)
    assert rule.by_time is not None  # the profile sets one or the other
    local = received_at.in_timezone(timezone)
    day = next_working_day(local.date())
    hour, minute = (int(part) for part in rule.by_time.split(":"))
    due = local.on(day.year, day.month, day.day).at(hour, minute)
    return Due(due, None, rule.cite)


@dataclass(frozen=True)
class DocumentView:
    document: Document
    routings: list[DocumentRouting] = field(default_factory=list)
    followups: list[DocumentFollowup] = field(default_factory=list)
    closure: DocumentClosure | None = None
    due: Due | None = None  # incoming documents only

    @property
    def id(self) -> int:
        assert self.document.id is not None  # a stored row
        return self.document.id

    @property
    def is_open(self) -> bool:
        return self.closure is None

    @property
    def routed_at(self) -> DateTime | None:
        return self.routings[0].routed_at if self.routings else None

    @property
    def urgent(self) -> bool:
        from dutydesk.services.documents.register import URGENT

        return self.document.urgency in URGENT

    def overdue(self, at: DateTime) -> bool:
        """Not passed on (nor closed) by its due time, at `at`."""
        if self.due is None or not self.is_open or self.routed_at is not None:
            return False
        return at > self.due.at

    def label(self, full: bool = False) -> str:
        """One line naming the document, its title cut unless `full` (the handover form)."""
        urgency = t(f"document_urgency.{self.document.urgency}")
        title = self.document.title if full else short(self.document.title)
        return t("document.label", id=self.id, urgency=urgency, title=title)


# Due times by the next working day, per (urgency, local date received), within one read: the
# official calendar's lookups were half the time of a list of 500 documents (bench).
DayDues = dict[tuple[str, Any], Due | None]


def _due_of(desk: Desk, document: Document, day_dues: DayDues | None = None) -> Due | None:
    if document.direction != "in":
        return None
    rule = desk.profile.documents.urgencies[document.urgency]  # a checked urgency
    key = (document.urgency, document.moved_at.in_timezone(desk.timezone).date())
    if rule.minutes is None and day_dues is not None and key in day_dues:
        return day_dues[key]
    try:
        due = handling_due(desk.profile, document.urgency, document.moved_at, desk.timezone)
    except DutyError:  # beyond the calendar's data: no due time can be told
        due = None
    if rule.minutes is None and day_dues is not None:
        day_dues[key] = due
    return due


def document_views_of(
    desk: Desk, session: Session, documents: list[Document]
) -> list[DocumentView]:
    ids = [d.id for d in documents]
    routings: dict[int, list[DocumentRouting]] = {}
    followups: dict[int, list[DocumentFollowup]] = {}
    for row in session.exec(
        select(DocumentRouting).where(col(DocumentRouting.document_id).in_(ids))
        .order_by(col(DocumentRouting.id))
    ):  # fmt: skip
        routings.setdefault(row.document_id, []).append(row)
    for followup in session.exec(
        select(DocumentFollowup).where(col(DocumentFollowup.document_id).in_(ids))
        .order_by(col(DocumentFollowup.id))
    ):  # fmt: skip
        followups.setdefault(followup.document_id, []).append(followup)
    closures = {
        row.document_id: row
        for row in session.exec(
            select(DocumentClosure).where(col(DocumentClosure.document_id).in_(ids))
        )
    }
    day_dues: DayDues = {}
    return [
        DocumentView(d, routings.get(d.id, []), followups.get(d.id, []),  # type: ignore[arg-type]
                     closures.get(d.id), _due_of(desk, d, day_dues))  # type: ignore[arg-type]
        for d in documents
    ]  # fmt: skip


def _not_closed() -> Any:
    closed = select(DocumentClosure.document_id)
    return col(Document.id).not_in(closed)


# A closed document stays closed (closures are append-only), so once every document up to some
# id is closed, it stays so. That mark is kept per register file for the process, and a read of
# the open documents looks only above it: over ten years (~110,000 documents, nearly all closed)
# the anti-join over every document cost more than the rest of the read (bench).
_CLOSED_THROUGH: dict[tuple[str, int], int] = {}


def _register_key(desk: Desk) -> tuple[str, int] | None:
    try:
        return (str(desk.path), os.stat(desk.path).st_ino)  # a restored file is another inode
    except OSError:
        return None


def closed_through(session: Session, desk: Desk) -> int:
    """The highest id at or below which every document is closed (0 if the first is open)."""
    key = _register_key(desk)
    known = _CLOSED_THROUGH.get(key, 0) if key else 0
    first_open = session.exec(
        select(func.min(Document.id)).where(col(Document.id) > known, _not_closed())
    ).one()
    if first_open is None:  # all closed: through the newest this read sees
        mark = session.exec(select(func.max(Document.id))).one() or known
    else:
        mark = first_open - 1
    if key is not None:
        _CLOSED_THROUGH[key] = mark
    return mark


def _open_only(session: Session, desk: Desk) -> Any:
    """A condition on Document: not closed, looked up by id above the closed mark."""
    mark = closed_through(session, desk)
    above = select(Document.id).where(col(Document.id) > mark, _not_closed())
    return col(Document.id).in_(above)


def list_documents(
    desk: Desk, at: DateTime | None = None, which: str = "all", limit: int = 200
) -> list[DocumentView]:
    """The newest documents first, filtered: all, open (not closed), urgent (open 急件) or
    overdue (open, not passed on by its due time at `at`)."""
    if which not in FILTERS:
        raise DutyError("document.bad_filter", which=which, choices=", ".join(FILTERS))
    at = at or desk.now()
    limit = max(1, min(limit, MAX_LIST))
    statement = select(Document).order_by(col(Document.moved_at).desc(), col(Document.id).desc())
    with read_session(desk.engine) as session:
        if which != "all":
            statement = statement.where(_open_only(session, desk))
        views = _listed(desk, session, statement, which, limit)
    if which == "overdue":
        views = [view for view in views if view.overdue(at)][:limit]
    return views


def _listed(
    desk: Desk, session: Session, statement: Any, which: str, limit: int
) -> list[DocumentView]:
    from dutydesk.services.documents.register import URGENT

    if which == "urgent":
        statement = statement.where(col(Document.urgency).in_(URGENT))
    if which == "overdue":
        statement = statement.where(col(Document.direction) == "in").where(
            col(Document.id).not_in(select(DocumentRouting.document_id))
        )
    else:
        statement = statement.limit(limit)
    return document_views_of(desk, session, list(session.exec(statement)))


def get_document(desk: Desk, document_id: int) -> DocumentView:
    with read_session(desk.engine) as session:
        document = session.get(Document, document_id)
        if document is None:
            raise DutyError("document.unknown", id=document_id)
        return document_views_of(desk, session, [document])[0]


def open_documents(desk: Desk) -> list[DocumentView]:
    """Every document not yet closed, oldest first (the handover lists each one)."""
    with read_session(desk.engine) as session:
        statement = select(Document).where(_open_only(session, desk))
        statement = statement.order_by(col(Document.moved_at))
        return document_views_of(desk, session, list(session.exec(statement)))


def document_deadlines(desk: Desk, at: DateTime) -> list[DeadlineView]:
    """The board's items for documents received and neither passed on nor closed: each due by
    its urgency's rule, its state at `at`."""
    with read_session(desk.engine) as session:
        statement = (
            select(Document)
            .where(col(Document.direction) == "in", _open_only(session, desk))
            .where(col(Document.id).not_in(select(DocumentRouting.document_id)))
            .order_by(col(Document.moved_at))
        )
        documents = list(session.exec(statement))
    views = []
    warning = desk.profile.incidents.warning_minutes
    day_dues: DayDues = {}
    for document in documents:
        view = DocumentView(document, due=_due_of(desk, document, day_dues))
        due_at = view.due.at if view.due else None
        status, left = countdown(due_at, None, at, warning)
        views.append(
            DeadlineView(
                id=view.id, subject=SUBJECT, subject_id=view.id, label=view.label(),
                rule_code=f"document_{document.urgency}", channel=CHANNEL,
                cite=view.due.cite if view.due else desk.profile.documents.register_cite,
                counts_from="received_at", clock_at=document.moved_at, occurred_at=None,
                received_at=document.moved_at, minutes=view.due.minutes if view.due else None,
                due_at=due_at, done_at=None, late_minutes=None, acked_at=None,
                acked_status=None, status=status, seconds_left=left,
            )
        )  # fmt: skip
    return views


def document_state(view: DocumentView, at: DateTime) -> str:
    """closed | overdue | routed | waiting for a document received; closed | sent for one sent."""
    if not view.is_open:
        return "closed"
    if view.document.direction == "out":
        return "sent"
    if view.overdue(at):
        return "overdue"
    return "routed" if view.routings else "waiting"


def document_to_json(view: DocumentView, at: DateTime, timezone: str) -> dict[str, Any]:
    def iso(value: DateTime | None) -> str | None:
        return None if value is None else value.in_timezone(timezone).isoformat()

    document = view.document
    return {
        "id": view.id,
        "direction": document.direction,
        "number": document.number,
        "party": document.party,
        "title": document.title,
        "kind": document.kind,
        "urgency": document.urgency,
        "classified": document.classified,
        "body": document.body,
        "moved_at": iso(document.moved_at),
        "due_at": iso(view.due.at) if view.due else None,
        "rule": view.due.cite if view.due else None,
        "state": document_state(view, at),
        "routings": [
            {"to": r.routed_to, "at": iso(r.routed_at), "channel": r.channel, "note": r.note}
            for r in view.routings
        ],
        "followups": [{"at": iso(f.followed_at), "text": f.text} for f in view.followups],
        "closed_at": iso(view.closure.closed_at) if view.closure else None,
    }
