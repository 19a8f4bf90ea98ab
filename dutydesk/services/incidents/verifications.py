"""Verification requests (核报) from the upper office and their replies (Henan 7(3), Tianjin
art. 23): the phone reply deadline, and the written one when a written reply is explicitly
requested, come from the profile. A reply is a new row; the first one of a kind meets its
deadline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pendulum import DateTime

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.models import DeadlineClosure, Incident, Person, Verification, VerificationReply
from dutydesk.services.core import check_choice, check_name, check_text
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_common import (
    add_row,
    check_time,
    children,
    get_row,
    newest_rows,
    raise_if,
    shift_at,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

CHANNELS = ("phone", "written")
MAX_LIST = 1000


@dataclass(frozen=True)
class Replied:
    reply: VerificationReply
    closures: list[DeadlineClosure]


def add_verification(
    desk: Desk,
    recorder: Person,
    *,
    received_at: DateTime | None,
    subject: str,
    written_requested: bool = False,
    requested_by: str = "",
    incident_id: int | None = None,
) -> Verification:
    """Record a verification request and the reply deadlines the profile sets for it."""
    when = received_at or desk.now()
    problems: list[FieldProblem] = []
    check_time(problems, desk, "verification_received_at", when)
    check_text(
        problems, "verification_subject", subject, required=True, max_length=2000, multiline=True
    )
    check_name(problems, "verification_requested_by", requested_by, required=False, max_length=100)
    raise_if(problems)

    def _save() -> Verification:
        with write_session(desk.engine) as session:
            if incident_id is not None and session.get(Incident, incident_id) is None:
                raise DutyError("incident.unknown", id=incident_id)
            now = desk.now()
            shift = shift_at(session, now)
            row = add_row(
                session,
                desk,
                Verification(
                    received_at=when,
                    subject=subject.strip(),
                    requested_by=requested_by.strip(),
                    written_requested=written_requested,
                    incident_id=incident_id,
                    recorded_at=now,
                    recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                    shift_id=shift.id if shift else None,
                ),
                "verification",
            )
            deadlines.create_deadlines(
                session,
                desk,
                subject="verification",
                subject_id=row.id,  # type: ignore[arg-type]  # a stored row has its id
                clocks={"received_at": when},
                shift_id=row.shift_id,
                written_requested=written_requested,
            )
            return row

    return with_lock_retry(_save, desk.path)


def reply_verification(
    desk: Desk,
    verification_id: int,
    recorder: Person,
    *,
    channel: str,
    replied_at: DateTime | None,
    content: str = "",
    by_whom: str = "",
) -> Replied:
    """Record a reply (phone or written). A written reply also answers an open phone deadline."""
    when = replied_at or desk.now()
    problems: list[FieldProblem] = []
    check_choice(problems, "verification_channel", channel, CHANNELS)
    check_text(
        problems, "verification_content", content, required=False, max_length=4000, multiline=True
    )
    check_name(problems, "report_by", by_whom, required=False, max_length=50)
    raise_if(problems)

    def _save() -> Replied:
        with write_session(desk.engine) as session:
            _check_reply_time(session, desk, verification_id, when)
            reply = add_row(
                session,
                desk,
                VerificationReply(
                    verification_id=verification_id,
                    channel=channel,
                    replied_at=when,
                    content=content.strip(),
                    by_whom=by_whom.strip() or recorder.name,
                    recorded_at=desk.now(),
                    recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                ),
                "verification_reply",
            )
            phoned, written = (when, None) if channel == "phone" else (None, when)
            closures = deadlines.close_matching(
                session,
                desk,
                subject="verification",
                subject_id=verification_id,
                times=deadlines.done_times(phoned, written),
                source=f"verification_reply:{reply.id}",
                closed_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return Replied(reply, closures)

    return with_lock_retry(_save, desk.path)


def _check_reply_time(session: Session, desk: Desk, verification_id: int, when: DateTime) -> None:
    """The request exists and `when` is a real time not before it was received."""
    request = session.get(Verification, verification_id)
    if request is None:
        raise DutyError("verification.unknown", id=verification_id)
    problems: list[FieldProblem] = []
    check_time(
        problems,
        desk,
        "verification_replied_at",
        when,
        not_before=request.received_at,
        not_before_field="verification_received_at",
    )
    raise_if(problems)


def get_verification(desk: Desk, row_id: int) -> Verification:
    return get_row(desk, Verification, row_id, "verification.unknown")


def list_verifications(desk: Desk, limit: int = 50) -> list[Verification]:
    return newest_rows(desk, Verification, limit, MAX_LIST)


def replies_for(desk: Desk, verification_id: int) -> list[VerificationReply]:
    return children(desk, VerificationReply, VerificationReply.verification_id, verification_id)


def verification_to_json(desk: Desk, row: Verification) -> dict[str, Any]:
    zone = desk.timezone
    assert row.id is not None
    return {
        "id": row.id,
        "received_at": row.received_at.in_timezone(zone).isoformat(),
        "subject": row.subject,
        "requested_by": row.requested_by,
        "written_requested": row.written_requested,
        "incident_id": row.incident_id,
        "replies": [
            {
                "channel": r.channel,
                "replied_at": r.replied_at.in_timezone(zone).isoformat(),
                "content": r.content,
                "by": r.by_whom,
            }
            for r in replies_for(desk, row.id)
        ],
        "deadlines": [
            deadlines.deadline_to_json(v, zone)
            for v in deadlines.deadlines_for(desk, "verification", row.id)
        ],
    }
