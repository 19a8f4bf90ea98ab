"""Reading deadlines: the open ones for the board and the header, one record's, one by id,
each as a DeadlineView evaluated at a time. (Creating and closing them: services/deadlines.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import (
    Deadline,
    DeadlineAck,
    DeadlineClosure,
    DeadlineSupersession,
    Incident,
    Instruction,
    Verification,
)
from dutydesk.services.incidents.deadline_views import DeadlineView, countdown, sort_key
from dutydesk.services.incidents.incident_common import short

if TYPE_CHECKING:
    from pendulum import DateTime
    from sqlalchemy import ColumnElement
    from sqlmodel import Session

    from dutydesk.models import IncidentRegrade
    from dutydesk.services.core import Desk


def still_open() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """WHERE clauses for deadlines neither closed nor superseded."""
    return (
        col(Deadline.id).not_in(select(DeadlineClosure.deadline_id)),
        col(Deadline.id).not_in(select(DeadlineSupersession.deadline_id)),
    )


_Subject = TypeVar("_Subject", bound="Incident | Verification | Instruction")


def _by_id(session: Session, model: type[_Subject], ids: set[int]) -> list[_Subject]:
    return list(session.exec(select(model).where(col(model.id).in_(ids))))


def _labels(session: Session, rows: list[Deadline]) -> dict[tuple[str, int], tuple[str, Any]]:
    """(subject, id) -> (label, subject row), one query per kind of subject."""
    from dutydesk.services.incidents.incident_regrade import current_levels
    from dutydesk.services.incidents.incidents import incident_label

    found: dict[tuple[str, int], tuple[str, Any]] = {}
    subjects: tuple[tuple[str, type[Incident | Verification | Instruction]], ...] = (
        ("incident", Incident),
        ("verification", Verification),
        ("instruction", Instruction),
    )
    for subject, model in subjects:
        ids = {getattr(row, f"{subject}_id") for row in rows if row.subject == subject}
        if not ids:
            continue
        levels = current_levels(session, ids) if subject == "incident" else {}
        for item in _by_id(session, model, ids):
            assert item.id is not None  # read from the store
            if isinstance(item, Incident):
                label = incident_label(item, levels.get(item.id))
            elif isinstance(item, Verification):
                label = t("verification.label", id=item.id, subject=short(item.subject))
            else:
                label = t("instruction.label", id=item.id, leader=item.leader)
            found[(subject, item.id)] = (label, item)
    return found


def _full_label(item: Any) -> str:
    """The label with the typed text `_labels` cuts uncut: a verification's subject."""
    if isinstance(item, Verification):
        return t("verification.label", id=item.id, subject=item.subject)
    return ""


def _views(session: Session, rows: list[Deadline], at: DateTime, desk: Desk) -> list[DeadlineView]:
    """Views of `rows` evaluated at `at`, every time in the office's zone."""
    zone, warning = desk.timezone, desk.profile.incidents.warning_minutes

    def local(value: Any) -> Any:
        return None if value is None else value.in_timezone(zone)

    closures, supersessions, acks = _endings(session, [row.id for row in rows])
    superseded = {key: row.superseded_at for key, row in supersessions.items()}
    labels = _labels(session, rows)
    views = []
    from dutydesk.services.incidents.incident_regrade import level_history

    history = level_history(session, {r.incident_id for r in rows if r.incident_id})
    for row in rows:
        subject_id: int = getattr(row, f"{row.subject}_id")
        label, item = labels[(row.subject, subject_id)]
        assert row.id is not None  # read from the store
        closure, ack = closures.get(row.id), acks.get(row.id)
        done_at = closure.done_at if closure else None
        superseded_at = superseded.get(row.id)
        if (closure or superseded_at) and subject_id in history and row.subject == "incident":
            label = _label_as_set(item, history[subject_id], supersessions.get(row.id), row)
        status, left = countdown(row.due_at, done_at, at, warning)
        if superseded_at is not None:
            status, left = "superseded", None
        views.append(
            DeadlineView(
                id=row.id,
                subject=row.subject,
                subject_id=subject_id,
                label=label,
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
                event_due_at=local(_event_due(desk, row, item)),
                full_label=_full_label(item),
            )
        )
    return views


def _endings(
    session: Session, ids: list[int | None]
) -> tuple[dict[int, DeadlineClosure], dict[int, DeadlineSupersession], dict[int, DeadlineAck]]:
    """The closures, supersessions and latest acknowledgements of the deadlines `ids`."""
    closures = {
        c.deadline_id: c
        for c in session.exec(
            select(DeadlineClosure).where(col(DeadlineClosure.deadline_id).in_(ids))
        )
    }
    supersessions = {
        row.deadline_id: row
        for row in session.exec(
            select(DeadlineSupersession).where(col(DeadlineSupersession.deadline_id).in_(ids))
        )
    }
    acks: dict[int, DeadlineAck] = {}
    for acked in session.exec(
        select(DeadlineAck)
        .where(col(DeadlineAck.deadline_id).in_(ids))
        .order_by(col(DeadlineAck.id))
    ):
        acks[acked.deadline_id] = acked
    return closures, supersessions, acks


def _label_as_set(
    item: Incident,
    regrades: list[IncidentRegrade],
    replaced: DeadlineSupersession | None,
    row: Deadline,
) -> str:
    """A deadline no longer open is named with the level whose rule set it."""
    from dutydesk.services.incidents.incident_regrade import level_at
    from dutydesk.services.incidents.incidents import incident_label

    level = (
        next(r.old_level for r in regrades if r.id == replaced.regrade_id)
        if replaced
        else level_at(item.level, regrades, row.created_at)
    )
    return incident_label(item, level)


def _event_due(desk: Desk, row: Deadline, item: Any) -> Any:
    """For a deadline counting from a re-grading: the due time its rule's own clock gives."""
    if row.counts_from != "regraded_at" or row.minutes is None:
        return None
    rule = next((r for r in desk.profile.deadlines if r.code == row.rule_code), None)
    clock = getattr(item, rule.counts_from if rule else "occurred_at", None)
    return None if clock is None else clock.add(minutes=row.minutes)


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
            session.exec(select(Deadline).where(column == subject_id).order_by(col(Deadline.id)))
        )
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
        dated = col(Deadline.due_at).is_not(None)
        soonest = select(Deadline).where(*still_open(), dated).order_by(col(Deadline.due_at))
        oldest_asap = select(Deadline).where(*still_open()).order_by(col(Deadline.clock_at))
        nearest = (
            session.exec(soonest.order_by(col(Deadline.id)).limit(1)).first()
            or session.exec(oldest_asap.order_by(col(Deadline.id)).limit(1)).first()
        )
        assert nearest is not None
        return count, _views(session, [nearest], at or desk.now(), desk)[0]


def handover_deadlines(desk: Desk) -> list[DeadlineView]:
    """For the handover checklist: every open deadline, soonest first (.id, .what, .due_at,
    .cite)."""
    return open_deadlines(desk)
