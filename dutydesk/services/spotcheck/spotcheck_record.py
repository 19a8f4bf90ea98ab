"""Recording what a check found, and putting a recorded outcome right (更正).

A drawn unit gets one outcome per attempt: a check not answered may be tried again (a new
attempt), but once an answered result stands, recording again is refused. A wrong result is
corrected instead: a new outcome row that takes its place, linked to it by a SpotcheckCorrection
row with the reason, both chained; the old row stays as it was."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import select

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.models import ShiftClosure, SpotcheckOutcome
from dutydesk.models.spotcheck import SpotcheckCorrection
from dutydesk.services.core import audit, check_text
from dutydesk.services.spotcheck.spotcheck_outcome_input import check_outcome
from dutydesk.services.spotcheck.spotcheck_table import result_label
from dutydesk.services.spotcheck.spotcheck_views import (
    DrawnUnit,
    OutcomeView,
    RoundView,
    get_round,
)
from dutydesk.services.spotcheck.units import find_unit

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.models import Person
    from dutydesk.services.core import Desk

CORRECTION_REASON_MAX = 500


@dataclass(frozen=True)
class Outcome:
    """One check as typed: how it was made, whether and by whom it was answered, what was found."""

    method: str
    answered: bool
    answered_by: str = ""
    on_roster: bool | None = None
    faults: tuple[str, ...] = ()
    note: str = ""
    name_not_asked: bool = False  # answered, and the officer chose not to ask the name


def _handed_over_check(session: Session, desk: Desk, view: RoundView) -> None:
    """Refused once the round's shift has been closed by a handover (a ShiftClosure row: the
    handed-over shift's records are final)."""
    handed_over = session.exec(
        select(ShiftClosure).where(ShiftClosure.shift_id == view.shift_id)
    ).first()
    if handed_over is not None:
        raise DutyError(
            "spotcheck.shift_closed", id=view.id,
            at=handed_over.closed_at.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm"),
        )  # fmt: skip


def open_round(session: Session, desk: Desk, round_id: int) -> RoundView:
    """The round, refused when it is closed or its shift has been handed over."""
    view = get_round(session, round_id)
    _handed_over_check(session, desk, view)
    if view.closed:
        raise DutyError("spotcheck.round_closed", id=round_id)
    return view


def _drawn(session: Session, view: RoundView, unit: str | int) -> DrawnUnit:
    target = find_unit(session, unit)
    drawn = view.unit(target.id)
    if drawn is None:
        raise DutyError("spotcheck.not_drawn", name=target.name, id=view.id)
    return drawn


def _insert(
    session: Session, desk: Desk, view: RoundView, unit_id: int, entry: Outcome,
    codes: tuple[str, list[str]], when: DateTime, recorder: Person,
) -> int:  # fmt: skip
    if when < view.drawn_at:
        raise ValidationFailed([FieldProblem("spotcheck_checked_at", "spotcheck.before_draw")])
    row = SpotcheckOutcome(
        round_id=view.id,
        unit_id=unit_id,
        method=codes[0],
        checked_at=when,
        answered=entry.answered,
        answered_by=entry.answered_by.strip(),
        on_roster=entry.on_roster,
        faults=json.dumps(codes[1]),
        note=entry.note.strip(),
        recorded_at=desk.now(),
        recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.append(session, "spotcheck_outcome", row.id, desk.now())
    return row.id


def _checked(
    desk: Desk, entry: Outcome, checked_at: DateTime | None
) -> tuple[str, list[str], DateTime]:
    return check_outcome(
        desk, entry.method, entry.faults, entry.answered, entry.answered_by, entry.on_roster,
        entry.note, checked_at, name_not_asked=entry.name_not_asked,
    )  # fmt: skip


def standing_answer(desk: Desk, unit: DrawnUnit) -> DutyError | None:
    """The refusal to record `unit` again: its latest attempt was answered (None: it may be
    recorded, the first time or as a retry after no answer)."""
    latest = unit.latest
    if latest is None or not latest.answered:
        return None
    return DutyError(
        "spotcheck.already_recorded", name=unit.name, result=result_label(latest),
        at=latest.checked_at.in_timezone(desk.timezone).format("HH:mm"),
    )  # fmt: skip


def record_entry(
    desk: Desk, round_id: int, unit: str | int, recorder: Person, entry: Outcome,
    checked_at: DateTime | None = None,
) -> RoundView:  # fmt: skip
    """Record one check of a drawn unit: its first attempt, or a retry after no answer."""
    method_code, fault_codes, when = _checked(desk, entry, checked_at)

    def _save() -> RoundView:
        with write_session(desk.engine) as session:
            view = open_round(session, desk, round_id)
            drawn = _drawn(session, view, unit)
            refusal = standing_answer(desk, drawn)
            if refusal is not None:
                raise refusal
            _insert(session, desk, view, drawn.unit_id, entry, (method_code, fault_codes),
                    when, recorder)  # fmt: skip
            return get_round(session, round_id)

    return with_lock_retry(_save, desk.path)


def _same(entry: Outcome, codes: tuple[str, list[str]], old: OutcomeView) -> bool:
    return (codes[0], entry.answered, entry.answered_by.strip(), entry.on_roster,
            tuple(codes[1]), entry.note.strip()) == (
        old.method, old.answered, old.answered_by, old.on_roster, old.faults, old.note
    )  # fmt: skip


def correct_entry(
    desk: Desk, round_id: int, unit: str | int, recorder: Person, entry: Outcome, reason: str,
    checked_at: DateTime | None = None,
) -> RoundView:  # fmt: skip
    """Put the unit's latest recorded outcome right, with a reason. The check keeps its time
    unless `checked_at` is given. Allowed in a closed round until the shift is handed over."""
    problems: list[FieldProblem] = []
    check_text(problems, "spotcheck_correction_reason", reason, required=True,
               max_length=CORRECTION_REASON_MAX)  # fmt: skip
    try:
        method_code, fault_codes, typed_when = _checked(desk, entry, checked_at)
    except ValidationFailed as refused:
        problems.extend(refused.problems)
    if problems:
        raise ValidationFailed(problems)
    codes = (method_code, fault_codes)

    def _save() -> RoundView:
        with write_session(desk.engine) as session:
            view = get_round(session, round_id)
            _handed_over_check(session, desk, view)
            drawn = _drawn(session, view, unit)
            old = drawn.latest
            if old is None:
                raise DutyError("spotcheck.nothing_to_correct", name=drawn.name)
            if _same(entry, codes, old):
                raise DutyError("spotcheck.correction_same", name=drawn.name)
            when = typed_when if checked_at is not None else old.checked_at
            new_id = _insert(session, desk, view, drawn.unit_id, entry, codes, when, recorder)
            link = SpotcheckCorrection(
                outcome_id=new_id,
                corrects_id=old.id,
                reason=reason.strip(),
                recorded_at=desk.now(),
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            session.add(link)
            session.flush()
            assert link.id is not None
            audit.append(session, "spotcheck_correction", link.id, desk.now())
            return get_round(session, round_id)

    return with_lock_retry(_save, desk.path)


def outcome_of(
    method: str, answered: bool, answered_by: str = "", on_roster: bool | None = None,
    faults: Iterable[str] = (), note: str = "", name_not_asked: bool = False,
) -> Outcome:  # fmt: skip
    return Outcome(method, answered, answered_by, on_roster, tuple(faults), note, name_not_asked)
