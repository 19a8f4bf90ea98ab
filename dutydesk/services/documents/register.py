"""The document register (收发文登记, District 值班工作职责 一, Tianjin art. 16(3)): documents
received and sent, passed on (交办) to whom, when and how, followed up (督办) until closed (办结).
Every step is a new chained row linked to the document; nothing is edited. A classified (涉密)
document is registered by its metadata only: its body text is refused, with the reason
(Henan 6(7): nothing classified on an unclassified computer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendulum import DateTime

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.models import (
    Document,
    DocumentClosure,
    DocumentFollowup,
    DocumentRouting,
    Person,
)
from dutydesk.models.documents import DIRECTIONS, KINDS, URGENCIES
from dutydesk.services.core import check_choice, check_name, check_text
from dutydesk.services.incidents.incident_common import add_row, check_time, raise_if, shift_at

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

URGENT = ("teji", "jiaji")  # 急件: passed on at once (上级来文运转流程)


def add_document(
    desk: Desk,
    recorder: Person,
    *,
    direction: str,
    party: str,
    title: str,
    kind: str,
    urgency: str,
    moved_at: DateTime | None = None,
    number: str = "",
    classified: bool = False,
    body: str = "",
) -> Document:
    """Register a document received (direction "in") or sent ("out"). Refused, nothing
    written, when a field is wrong or a classified document comes with its body text."""
    if classified and body.strip():
        raise DutyError("document.classified_body", cite=desk.profile.documents.classified_cite)
    if classified and len(title.strip()) > CLASSIFIED_TITLE_LIMIT:  # nor by the title (QA)
        raise DutyError("document.classified_title", limit=CLASSIFIED_TITLE_LIMIT,
                        cite=desk.profile.documents.classified_cite)  # fmt: skip
    when = moved_at or desk.now()
    problems: list[FieldProblem] = []
    check_choice(problems, "document_direction", direction, DIRECTIONS)
    check_choice(problems, "document_kind", kind, KINDS)
    check_choice(problems, "document_urgency", urgency, URGENCIES)
    check_name(problems, "document_number", number, required=False, max_length=100)
    check_name(problems, "document_party", party, required=True, max_length=200)
    check_text(problems, "document_title", title, required=True, max_length=500)
    check_text(problems, "document_body", body, required=False, max_length=4000, multiline=True)
    check_time(problems, desk, "document_moved_at", when)
    raise_if(problems)

    def _save() -> Document:
        with write_session(desk.engine) as session:
            now = desk.now()
            shift = shift_at(session, now)
            row = Document(
                direction=direction,
                number=number.strip(),
                party=party.strip(),
                title=title.strip(),
                kind=kind,
                urgency=urgency,
                classified=classified,
                body=body.strip(),
                moved_at=when,
                recorded_at=now,
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                shift_id=shift.id if shift else None,
            )
            return add_row(session, desk, row, "document")

    return with_lock_retry(_save, desk.path)


def _open_document(session: Session, document_id: int) -> Document:
    """The document, refused if unknown or already closed (a closed one takes no more steps)."""
    document = session.get(Document, document_id)
    if document is None:
        raise DutyError("document.unknown", id=document_id)
    if _closure_of(session, document_id) is not None:
        raise DutyError("document.closed", id=document_id)
    return document


def _closure_of(session: Session, document_id: int) -> DocumentClosure | None:
    from sqlmodel import select

    statement = select(DocumentClosure).where(DocumentClosure.document_id == document_id)
    return session.exec(statement).first()


def _check_step_time(desk: Desk, field: str, when: DateTime, document: Document) -> None:
    problems: list[FieldProblem] = []
    check_time(problems, desk, field, when, not_before=document.moved_at,
               not_before_field="document_moved_at")  # fmt: skip
    raise_if(problems)


# A classified document's notes say what was done, never what it says (Henan 6(7)): a long note
# is refused, as its body is, so the text cannot slip in by the follow-ups (QA).
CLASSIFIED_NOTE_LIMIT = 100
CLASSIFIED_TITLE_LIMIT = 60  # office setting: a title names the document, it does not quote it


def _refuse_classified_text(desk: Desk, document: Document, text: str) -> None:
    if document.classified and len(text.strip()) > CLASSIFIED_NOTE_LIMIT:
        raise DutyError("document.classified_note", limit=CLASSIFIED_NOTE_LIMIT,
                        cite=desk.profile.documents.classified_cite)  # fmt: skip


def route_document(
    desk: Desk,
    recorder: Person,
    document_id: int,
    *,
    routed_to: str,
    channel: str,
    routed_at: DateTime | None = None,
    note: str = "",
) -> DocumentRouting:
    """Record that the document was passed on (交办): to whom, how, when. The first routing
    meets the document's handling deadline; a document may be passed on more than once."""
    when = routed_at or desk.now()
    problems: list[FieldProblem] = []
    check_name(problems, "document_routed_to", routed_to, required=True, max_length=200)
    check_name(problems, "document_channel", channel, required=True, max_length=50)
    check_text(problems, "document_note", note, required=False, max_length=1000, multiline=True)
    raise_if(problems)

    def _save() -> DocumentRouting:
        with write_session(desk.engine) as session:
            document = _open_document(session, document_id)
            _refuse_classified_text(desk, document, note)
            _check_step_time(desk, "document_routed_at", when, document)
            row = DocumentRouting(
                document_id=document_id,
                routed_to=routed_to.strip(),
                routed_at=when,
                channel=channel.strip(),
                note=note.strip(),
                recorded_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return add_row(session, desk, row, "document_routing")

    return with_lock_retry(_save, desk.path)


def follow_document(
    desk: Desk,
    recorder: Person,
    document_id: int,
    *,
    text: str,
    followed_at: DateTime | None = None,
) -> DocumentFollowup:
    """A follow-up entry (督办): what was asked of the handler or learned from them."""
    when = followed_at or desk.now()
    problems: list[FieldProblem] = []
    check_text(problems, "document_followup", text, required=True, max_length=2000,
               multiline=True)  # fmt: skip
    raise_if(problems)

    def _save() -> DocumentFollowup:
        with write_session(desk.engine) as session:
            document = _open_document(session, document_id)
            _refuse_classified_text(desk, document, text)
            _check_step_time(desk, "document_followed_at", when, document)
            row = DocumentFollowup(
                document_id=document_id,
                followed_at=when,
                text=text.strip(),
                recorded_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return add_row(session, desk, row, "document_followup")

    return with_lock_retry(_save, desk.path)


def _refuse_unrouted_close(session: Session, desk: Desk, document: Document, note: str) -> None:
    """A document received and never passed on (交办) is not closed, or its 交办 deadline would
    vanish from the board; unless the profile allows it with the reason stated in the note."""
    from sqlmodel import select

    if document.direction != "in":
        return
    routed = select(DocumentRouting.id).where(DocumentRouting.document_id == document.id)
    if session.exec(routed).first() is not None:
        return
    closing = desk.profile.documents.closing
    if not closing.unrouted_with_reason:
        raise DutyError("document.close_unrouted", id=document.id, cite=closing.cite)
    if not note.strip():
        raise DutyError("document.close_unrouted_reason", id=document.id, cite=closing.cite)


def close_document(
    desk: Desk,
    recorder: Person,
    document_id: int,
    *,
    note: str = "",
    closed_at: DateTime | None = None,
) -> DocumentClosure:
    """The document's handling is finished (办结): it leaves the board and the handover. A
    document received must have been passed on first (see _refuse_unrouted_close)."""
    when = closed_at or desk.now()
    problems: list[FieldProblem] = []
    check_text(problems, "document_note", note, required=False, max_length=1000, multiline=True)
    raise_if(problems)

    def _save() -> DocumentClosure:
        with write_session(desk.engine) as session:
            document = _open_document(session, document_id)
            _refuse_classified_text(desk, document, note)
            _refuse_unrouted_close(session, desk, document, note)
            _check_step_time(desk, "document_closed_at", when, document)
            row = DocumentClosure(
                document_id=document_id,
                closed_at=when,
                note=note.strip(),
                recorded_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return add_row(session, desk, row, "document_closure")

    return with_lock_retry(_save, desk.path)
