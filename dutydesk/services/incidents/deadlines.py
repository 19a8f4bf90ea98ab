"""Report deadlines (报告时限): set from the profile's [[deadlines]] rules when an incident, a
verification request or a leader instruction is saved, met by the report, reply or feedback
that answers it (or closed by hand), acknowledged on the board. Never from numbers in code.

A deadline is open until a DeadlineClosure row (met) or a DeadlineSupersession row (replaced by
a re-grading of its incident, services/incident_regrade.py) exists. Open deadlines are ok,
warning (within the profile's `incidents.warning_minutes`), overdue, or asap (the text sets no
limit: "尽快"). Closed ones are met (on time), late, or superseded (neither)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import select

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.models import (
    Deadline,
    DeadlineAck,
    DeadlineClosure,
    DeadlineSupersession,
    Person,
)
from dutydesk.services.core import check_text
from dutydesk.services.incidents.deadline_reads import (
    deadlines_for,
    get_deadline,
    handover_deadlines,
    header_summary,
    open_deadlines,
)
from dutydesk.services.incidents.deadline_reads import (
    still_open as still_open,  # incident_regrade reads it from here
)
from dutydesk.services.incidents.deadline_views import (
    ALERT_STATES,
    DeadlineView,
    countdown,
    deadline_to_json,
    late_minutes,
    realert_due,
    reevaluate,
    remaining_label,
    sort_key,
)
from dutydesk.services.incidents.incident_common import add_row, check_time, raise_if

__all__ = [  # the deadline service, including how a deadline is shown (deadline_views)
    "DeadlineView",
    "acknowledge",
    "close_deadline",
    "close_matching",
    "countdown",
    "create_deadlines",
    "deadline_to_json",
    "deadlines_for",
    "done_times",
    "get_deadline",
    "handover_deadlines",
    "header_summary",
    "late_minutes",
    "open_deadlines",
    "realert_due",
    "reevaluate",
    "remaining_label",
    "rules_for",
    "sort_key",
]

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import DeadlineRule, Profile
    from dutydesk.services.core import Desk


# ---------------------------------------------------------------- rules and status


def rules_for(
    profile: Profile, applies_to: str, level: str | None = None, written_requested: bool = False
) -> list[DeadlineRule]:
    """The profile's rules for one record, in profile order."""
    chosen = []
    for rule in profile.deadlines:
        if rule.applies_to != applies_to:
            continue
        if rule.levels is not None and level not in rule.levels:
            continue
        if rule.only_if_written_requested and not written_requested:
            continue
        chosen.append(rule)
    return chosen


# ---------------------------------------------------------------- creating and closing


def create_deadlines(
    session: Session,
    desk: Desk,
    *,
    subject: str,
    subject_id: int,
    clocks: dict[str, DateTime],
    shift_id: int | None,
    level: str | None = None,
    written_requested: bool = False,
    skip_codes: Collection[str] = (),
    regraded_at: DateTime | None = None,
    earlier: Mapping[str, Deadline] | None = None,
) -> list[Deadline]:
    """Insert the deadlines the profile sets for one record, in the caller's transaction (but
    none for the rules in `skip_codes`: a re-grading keeps the deadlines it does not replace).
    Set by a re-grading (`regraded_at`), they count from it, as the profile's
    `incidents.regrade_counts_from` says: the level was only known then. A rule in `earlier`
    (rule code -> the deadline it set before, superseded since) applied already: its clock
    is kept, so a report late against it stays late."""
    rows = []
    for rule in rules_for(desk.profile, subject, level, written_requested):
        if rule.code in skip_codes:
            continue
        counts_from: str = rule.counts_from
        if regraded_at is not None:
            counts_from = desk.profile.incidents.regrade_counts_from
            clocks = {**clocks, counts_from: regraded_at}
        clock_at = clocks[counts_from]
        kept = (earlier or {}).get(rule.code)
        if kept is not None:
            counts_from, clock_at = kept.counts_from, kept.clock_at
        row = Deadline(
            subject=subject,
            incident_id=subject_id if subject == "incident" else None,
            verification_id=subject_id if subject == "verification" else None,
            instruction_id=subject_id if subject == "instruction" else None,
            rule_code=rule.code,
            channel=rule.channel,
            cite=rule.cite,
            counts_from=counts_from,
            clock_at=clock_at,
            minutes=rule.minutes,
            due_at=clock_at.add(minutes=rule.minutes) if rule.minutes else None,
            created_at=desk.now(),
            shift_id=shift_id,
        )
        rows.append(add_row(session, desk, row, "deadline"))
    return rows


def done_times(phoned_at: DateTime | None, written_at: DateTime | None) -> dict[str, DateTime]:
    """Which deadline channels a report or reply meets, and when. A written report also
    reports the incident (phone and report channels); only a written one meets "written"."""
    times: dict[str, DateTime] = {}
    given = [x for x in (phoned_at, written_at) if x is not None]
    if given:
        times["phone"] = min(given)
        times["report"] = min(given)
        times["feedback"] = min(given)
    if written_at is not None:
        times["written"] = written_at
    return times


def close_matching(
    session: Session,
    desk: Desk,
    *,
    subject: str,
    subject_id: int,
    times: dict[str, DateTime],
    source: str,
    closed_by_id: int,
) -> list[DeadlineClosure]:
    """Close the subject's open deadlines that `times` meets (channel -> when done)."""
    column = getattr(Deadline, f"{subject}_id")
    rows = session.exec(select(Deadline).where(column == subject_id, *still_open())).all()
    closures = []
    for row in rows:
        done_at = times.get(row.channel)
        if done_at is None:
            continue
        closure = DeadlineClosure(
            deadline_id=row.id,  # type: ignore[arg-type]  # a stored row has its id
            done_at=done_at,
            late_minutes=late_minutes(row.due_at, done_at),
            source=source,
            closed_at=desk.now(),
            closed_by_id=closed_by_id,
        )
        closures.append(add_row(session, desk, closure, "deadline_closure"))
    return closures


def _open_row(session: Session, deadline_id: int) -> Deadline:
    row = session.get(Deadline, deadline_id)
    if row is None:
        raise DutyError("deadlines.unknown", id=deadline_id)
    if session.exec(
        select(DeadlineClosure).where(DeadlineClosure.deadline_id == deadline_id)
    ).first():
        raise DutyError("deadlines.already_done", id=deadline_id)
    if session.exec(
        select(DeadlineSupersession).where(DeadlineSupersession.deadline_id == deadline_id)
    ).first():
        raise DutyError("deadlines.superseded", id=deadline_id)
    return row


REASON_MAX = 1000


def _check_reason(reason: str) -> str:
    """The officer's reason for acknowledging or closing by hand: required, one paragraph."""
    problems: list[FieldProblem] = []
    check_text(problems, "deadline_reason", reason, required=True, max_length=REASON_MAX)
    raise_if(problems)
    return reason.strip()


def close_deadline(
    desk: Desk,
    deadline_id: int,
    recorder: Person,
    done_at: DateTime | None = None,
    *,
    reason: str,
) -> DeadlineView:
    """Mark a deadline done by hand (报告已完成) at `done_at` (default now), with the reason the
    officer gives for closing it without a report record (a report made outside the desk)."""
    when = done_at or desk.now()
    why = _check_reason(reason)

    def _save() -> DeadlineView:
        with write_session(desk.engine) as session:
            row = _open_row(session, deadline_id)
            problems: list[FieldProblem] = []
            check_time(
                problems,
                desk,
                "deadline_done_at",
                when,
                not_before=row.clock_at,
                not_before_field=f"deadline_clock_{row.counts_from}",
            )
            raise_if(problems)
            add_row(
                session,
                desk,
                DeadlineClosure(
                    deadline_id=deadline_id,
                    done_at=when,
                    late_minutes=late_minutes(row.due_at, when),
                    source="manual",
                    closed_at=desk.now(),
                    closed_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                    reason=why,
                ),
                "deadline_closure",
            )
        return get_deadline(desk, deadline_id)

    return with_lock_retry(_save, desk.path)


def acknowledge(desk: Desk, deadline_id: int, recorder: Person, *, reason: str) -> DeadlineView:
    """Acknowledge an alerting deadline (warning or overdue) with the officer's reason (why it
    is not reported yet): stops re-alerting, stays open."""
    why = _check_reason(reason)

    def _save() -> DeadlineView:
        with write_session(desk.engine) as session:
            row = _open_row(session, deadline_id)
            status, _ = countdown(
                row.due_at,
                None,
                desk.now(),
                desk.profile.incidents.warning_minutes,
            )
            if status not in ALERT_STATES:
                raise DutyError("deadlines.nothing_to_ack", id=deadline_id)
            add_row(
                session,
                desk,
                DeadlineAck(
                    deadline_id=deadline_id,
                    status=status,
                    acked_at=desk.now(),
                    acked_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                    reason=why,
                ),
                "deadline_ack",
            )
        return get_deadline(desk, deadline_id)

    return with_lock_retry(_save, desk.path)


# ---------------------------------------------------------------- reading
