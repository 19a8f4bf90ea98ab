"""Verification requests (核报) from the upper office and their replies (Henan 7(3), Tianjin
art. 23): the phone reply deadline, and the written one when a written reply is explicitly
requested, come from the profile. The reply time the upper office asks for ("30分钟内电话反馈")
is recorded with the request and sets a deadline of its own where the profile's rule for that
channel is not as strict (Tianjin art. 23: 按照时限要求反馈) or sets none: then the time asked is
the rule. A reply is a new row; the first one of a kind meets its deadline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pendulum import DateTime

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.models import (
    Deadline,
    DeadlineClosure,
    Incident,
    Person,
    Verification,
    VerificationReply,
)
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

    from dutydesk.profiles import Profile
    from dutydesk.services.core import Desk

CHANNELS = ("phone", "written")
MAX_LIST = 1000
MAX_REPLY_WITHIN = 7 * 24 * 60  # minutes: a week is more than any request seen
REQUESTED_RULE = "verification_requested"
REQUESTED_CITE = "上级要求 / upper office's request"


_CHANNEL_WORDS = {"电话": "phone", "书面": "written"}
# "30分钟内电话反馈", "1小时内书面报送", "20 分钟内反馈"
_ASKED = re.compile(r"(\d{1,4})\s*(分钟|小时)内?\s*(?:以|通过)?\s*(电话|书面)?")


def requested_reply(text: str) -> tuple[int | None, str]:
    """The reply time a request's words ask for, as (minutes, phone | written), to prefill the
    form with; (None, "phone") when they name none. The officer checks it before saving."""
    match = _ASKED.search(text)
    if match is None:
        return None, "phone"
    minutes = int(match[1]) * (60 if match[2] == "小时" else 1)
    return minutes, _CHANNEL_WORDS.get(match[3] or "电话", "phone")


def parse_channel(text: str) -> str:
    """phone | written from the code, 电话 or 书面 (the value is checked where it is used)."""
    value = text.strip()
    return _CHANNEL_WORDS.get(value, value.lower())


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
    reply_within: int | None = None,
    reply_channel: str = "phone",
) -> Verification:
    """Record a verification request and the reply deadlines the profile sets for it, and the
    one for the reply time asked (`reply_within` minutes by `reply_channel`), if stricter."""
    when = received_at or desk.now()
    _check_request(desk, when, subject, requested_by, reply_within, reply_channel)
    # A reply asked for in writing is an explicit request for written information (art. 23).
    written_requested = written_requested or (
        reply_within is not None and reply_channel == "written"
    )

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
                    reply_within=reply_within,
                    reply_channel=reply_channel if reply_within is not None else None,
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
            _add_requested_deadline(session, desk, row)
            return row

    return with_lock_retry(_save, desk.path)


def _check_request(
    desk: Desk,
    when: DateTime,
    subject: str,
    requested_by: str,
    reply_within: int | None,
    reply_channel: str,
) -> None:
    """Raises ValidationFailed naming every field that is wrong."""
    problems: list[FieldProblem] = []
    check_time(problems, desk, "verification_received_at", when)
    check_text(
        problems, "verification_subject", subject, required=True, max_length=2000, multiline=True
    )
    check_name(problems, "verification_requested_by", requested_by, required=False, max_length=100)
    if reply_within is not None:
        check_choice(problems, "verification_reply_channel", reply_channel, CHANNELS)
        if not 1 <= reply_within <= MAX_REPLY_WITHIN:
            problem = FieldProblem(
                "verification_reply_within", "verification.bad_minutes", most=MAX_REPLY_WITHIN
            )
            problems.append(problem)
    raise_if(problems)


def requested_binds(
    profile: Profile, reply_within: int, reply_channel: str, written_requested: bool
) -> bool:
    """Whether the reply time asked sets a deadline of its own: no profile rule for that
    channel is as strict (a looser time asked never binds: the earlier limit does)."""
    rules = deadlines.rules_for(profile, "verification", None, written_requested)
    return not any(
        rule.channel == reply_channel and rule.minutes is not None and rule.minutes <= reply_within
        for rule in rules
    )


def _add_requested_deadline(session: Session, desk: Desk, row: Verification) -> Deadline | None:
    """The deadline of the reply time asked, unless a profile rule for the same channel is as
    strict already (the earlier limit is the one that binds; the time asked stays recorded)."""
    if row.reply_within is None or row.reply_channel is None:
        return None
    if not requested_binds(
        desk.profile, row.reply_within, row.reply_channel, row.written_requested
    ):
        return None
    deadline = Deadline(
        subject="verification",
        verification_id=row.id,
        rule_code=REQUESTED_RULE,
        channel=row.reply_channel,
        cite=REQUESTED_CITE,
        counts_from="received_at",
        clock_at=row.received_at,
        minutes=row.reply_within,
        due_at=row.received_at.add(minutes=row.reply_within),
        created_at=desk.now(),
        shift_id=row.shift_id,
    )
    return add_row(session, desk, deadline, "deadline")


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
        "reply_within": row.reply_within,
        "reply_channel": row.reply_channel,
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
