"""Report deadlines (报告时限): set from the profile's [[deadlines]] rules when an incident, a
verification request or a leader instruction is saved, met by the report, reply or feedback
that answers it (or closed by hand), acknowledged on the board. Never from numbers in code.

A deadline is open until a DeadlineClosure row (met) or a DeadlineSupersession row (replaced by
a re-grading of its incident, services/incident_regrade.py) exists. Open deadlines are ok,
warning (within the profile's `incidents.warning_minutes`), overdue, or asap (the text sets no
limit: "尽快"). Closed ones are met (on time), late, or superseded (neither)."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.i18n import t
from dutydesk.models import (
    Deadline,
    DeadlineAck,
    DeadlineClosure,
    DeadlineSupersession,
    Incident,
    Instruction,
    Person,
    Verification,
)
from dutydesk.services.deadline_views import (
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
from dutydesk.services.incident_common import add_row, check_time, raise_if, short

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
    from dutydesk.services.desk import Desk


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
) -> list[Deadline]:
    """Insert the deadlines the profile sets for one record, in the caller's transaction (but
    none for the rules in `skip_codes`: a re-grading keeps the deadlines it does not replace)."""
    rows = []
    for rule in rules_for(desk.profile, subject, level, written_requested):
        if rule.code in skip_codes:
            continue
        clock_at = clocks[rule.counts_from]
        row = Deadline(
            subject=subject,
            incident_id=subject_id if subject == "incident" else None,
            verification_id=subject_id if subject == "verification" else None,
            instruction_id=subject_id if subject == "instruction" else None,
            rule_code=rule.code,
            channel=rule.channel,
            cite=rule.cite,
            counts_from=rule.counts_from,
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
            deadline_id=row.id,  # type: ignore[arg-type]
            done_at=done_at,
            late_minutes=late_minutes(row.due_at, done_at),  # type: ignore[arg-type]
            source=source,
            closed_at=desk.now(),
            closed_by_id=closed_by_id,
        )
        closures.append(add_row(session, desk, closure, "deadline_closure"))
    return closures


def still_open() -> tuple[Any, Any]:
    """WHERE clauses for deadlines neither closed nor superseded."""
    return (
        Deadline.id.not_in(select(DeadlineClosure.deadline_id)),  # type: ignore[union-attr]
        Deadline.id.not_in(select(DeadlineSupersession.deadline_id)),  # type: ignore[union-attr]
    )


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


def close_deadline(
    desk: Desk, deadline_id: int, recorder: Person, done_at: DateTime | None = None
) -> DeadlineView:
    """Mark a deadline done by hand (报告已完成) at `done_at` (default now)."""
    when = done_at or desk.now()

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
                    late_minutes=late_minutes(row.due_at, when),  # type: ignore[arg-type]
                    source="manual",
                    closed_at=desk.now(),
                    closed_by_id=recorder.id,  # type: ignore[arg-type]
                ),
                "deadline_closure",
            )
        return get_deadline(desk, deadline_id)

    return with_lock_retry(_save, desk.path)


def acknowledge(desk: Desk, deadline_id: int, recorder: Person) -> DeadlineView:
    """Acknowledge an alerting deadline (warning or overdue): stops re-alerting, stays open."""

    def _save() -> DeadlineView:
        with write_session(desk.engine) as session:
            row = _open_row(session, deadline_id)
            status, _ = countdown(
                row.due_at,
                None,
                desk.now(),  # type: ignore[arg-type]
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
                    acked_by_id=recorder.id,
                ),  # type: ignore[arg-type]
                "deadline_ack",
            )
        return get_deadline(desk, deadline_id)

    return with_lock_retry(_save, desk.path)


# ---------------------------------------------------------------- reading


def _labels(session: Session, rows: list[Deadline]) -> dict[tuple[str, int], tuple[str, Any]]:
    """(subject, id) -> (label, subject row), one query per kind of subject."""
    from dutydesk.services.incident_regrade import current_levels
    from dutydesk.services.incidents import incident_label

    found: dict[tuple[str, int], tuple[str, Any]] = {}
    for subject, model in (
        ("incident", Incident),
        ("verification", Verification),
        ("instruction", Instruction),
    ):
        ids = {getattr(row, f"{subject}_id") for row in rows if row.subject == subject}
        if not ids:
            continue
        levels = current_levels(session, ids) if subject == "incident" else {}
        for item in session.exec(select(model).where(model.id.in_(ids))):  # type: ignore[attr-defined]
            if subject == "incident":
                label = incident_label(item, levels.get(item.id))
            elif subject == "verification":
                label = t("verification.label", id=item.id, subject=short(item.subject))
            else:
                label = t("instruction.label", id=item.id, leader=item.leader)
            found[(subject, item.id)] = (label, item)
    return found


def _views(session: Session, rows: list[Deadline], at: DateTime, desk: Desk) -> list[DeadlineView]:
    """Views of `rows` evaluated at `at`, every time in the office's zone."""
    zone, warning = desk.timezone, desk.profile.incidents.warning_minutes

    def local(value: Any) -> Any:
        return None if value is None else value.in_timezone(zone)

    ids = [row.id for row in rows]
    closures = {
        c.deadline_id: c
        for c in session.exec(select(DeadlineClosure).where(DeadlineClosure.deadline_id.in_(ids)))
    }  # type: ignore[attr-defined]
    supersessions = {
        row.deadline_id: row
        for row in session.exec(
            select(DeadlineSupersession).where(DeadlineSupersession.deadline_id.in_(ids))  # type: ignore[attr-defined]
        )
    }
    superseded = {key: row.superseded_at for key, row in supersessions.items()}
    acks: dict[int, DeadlineAck] = {}
    for ack in session.exec(
        select(DeadlineAck)
        .where(DeadlineAck.deadline_id.in_(ids))  # type: ignore[attr-defined]
        .order_by(DeadlineAck.id)
    ):  # type: ignore[arg-type]
        acks[ack.deadline_id] = ack
    labels = _labels(session, rows)
    views = []
    from dutydesk.services.incident_regrade import level_at, level_history
    from dutydesk.services.incidents import incident_label

    history = level_history(session, {r.incident_id for r in rows if r.incident_id})
    for row in rows:
        subject_id: int = getattr(row, f"{row.subject}_id")
        label, item = labels[(row.subject, subject_id)]
        closure, ack = closures.get(row.id), acks.get(row.id)  # type: ignore[arg-type]
        done_at = closure.done_at if closure else None
        superseded_at = superseded.get(row.id)  # type: ignore[arg-type]
        if (closure or superseded_at) and subject_id in history and row.subject == "incident":
            # a deadline no longer open is named with the level whose rule set it
            replaced = supersessions.get(row.id)  # type: ignore[arg-type]
            regrades = history[subject_id]
            level = (
                next(r.old_level for r in regrades if r.id == replaced.regrade_id)
                if replaced
                else level_at(item.level, regrades, row.created_at)  # type: ignore[arg-type]
            )
            label = incident_label(item, level)
        status, left = countdown(row.due_at, done_at, at, warning)  # type: ignore[arg-type]
        if superseded_at is not None:
            status, left = "superseded", None
        views.append(
            DeadlineView(
                id=row.id,
                subject=row.subject,
                subject_id=subject_id,
                label=label,  # type: ignore[arg-type]
                rule_code=row.rule_code,
                channel=row.channel,
                cite=row.cite,
                counts_from=row.counts_from,
                clock_at=local(row.clock_at),
                occurred_at=local(getattr(item, "occurred_at", None)),
                received_at=local(item.received_at),
                minutes=row.minutes,
                due_at=local(row.due_at),
                done_at=local(done_at),
                late_minutes=closure.late_minutes if closure else None,
                acked_at=local(ack.acked_at if ack else None),
                acked_status=ack.status if ack else None,
                status=status,
                seconds_left=left,
                superseded_at=local(superseded_at),
            )
        )
    return views


def open_deadlines(desk: Desk, at: DateTime | None = None) -> list[DeadlineView]:
    """Every open deadline, soonest first, its status evaluated at `at` (default now)."""
    when = at or desk.now()
    with read_session(desk.engine) as session:
        rows = list(session.exec(select(Deadline).where(*still_open())))
        views = _views(session, rows, when, desk)
    return sorted(views, key=sort_key)


def deadlines_for(
    desk: Desk, subject: str, subject_id: int, at: DateTime | None = None
) -> list[DeadlineView]:
    """One record's deadlines, open and closed, in profile order."""
    column = getattr(Deadline, f"{subject}_id")
    with read_session(desk.engine) as session:
        rows = list(
            session.exec(select(Deadline).where(column == subject_id).order_by(Deadline.id))
        )  # type: ignore[arg-type]
        return _views(session, rows, at or desk.now(), desk)


def get_deadline(desk: Desk, deadline_id: int, at: DateTime | None = None) -> DeadlineView:
    with read_session(desk.engine) as session:
        row = session.get(Deadline, deadline_id)
        if row is None:
            raise DutyError("deadlines.unknown", id=deadline_id)
        return _views(session, [row], at or desk.now(), desk)[0]


def header_summary(desk: Desk, at: DateTime | None = None) -> tuple[int, DeadlineView | None]:
    """(number of open deadlines, the nearest one) for the header on every screen: counted and
    picked in SQL, as the header asks every few seconds (bench: building all 500 views for it
    cost more than the board's own countdown)."""
    from sqlalchemy import func

    with read_session(desk.engine) as session:
        count = session.exec(select(func.count()).select_from(Deadline).where(*still_open())).one()
        if not count:
            return 0, None
        dated = Deadline.due_at.is_not(None)  # type: ignore[union-attr]
        soonest = select(Deadline).where(*still_open(), dated).order_by(Deadline.due_at)  # type: ignore[arg-type]
        oldest_asap = select(Deadline).where(*still_open()).order_by(Deadline.clock_at)  # type: ignore[arg-type]
        nearest = (
            session.exec(soonest.order_by(Deadline.id).limit(1)).first()
            or session.exec(oldest_asap.order_by(Deadline.id).limit(1)).first()
        )
        assert nearest is not None
        return count, _views(session, [nearest], at or desk.now(), desk)[0]


def handover_deadlines(desk: Desk) -> list[DeadlineView]:
    """For the handover checklist: every open deadline, soonest first (.id, .what, .due_at,
    .cite)."""
    return open_deadlines(desk)
