"""Spot checks (值班抽查) of the units' duty desks: draw a round, record each check, close the
round, and measure the shift against the profile's quota (District 工作制度 5: at least 2 rounds
a shift, each covering at least 60 % of the units; Tianjin and Henan set no quota).

What the spot-check screen calls (every function takes the Desk; none imports Textual):
  quota(desk.profile)                 rate, rounds required, citation
  start_round(desk, recorder, seed=None, count=None) -> RoundView   (draws and stores)
  current_round(desk) -> RoundView | None          the open round of the shift, if any
  round_view(desk, round_id) -> RoundView          drawn units with phones and their outcomes
  record_outcome(desk, round_id, unit, recorder, method=..., answered=..., ...) -> RoundView
  correct_outcome(desk, round_id, unit, recorder, reason=..., method=..., ...) -> RoundView
  close_round(desk, round_id, recorder, reasons={unit: reason}) -> RoundView
  quota_status(desk, shift=None) -> QuotaStatus    rounds done/required, coverage, `short`
  unit_history(desk, unit) -> UnitHistory          last checked, faults and 迟报 marks, 30 days
  verify_round(desk, round_id) -> bool             replays the stored draw
The 值班抽查表 is rendered by services/spotcheck_table.py (check_table is re-exported here for
the handover)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlalchemy import func
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.models import (
    Shift,
    SpotcheckClosure,
    SpotcheckOutcome,
    SpotcheckRound,
)
from dutydesk.services.core import audit, check_text
from dutydesk.services.roster import current_shift, shift_covering
from dutydesk.services.spotcheck import sampling
from dutydesk.services.spotcheck.spotcheck_history import HISTORY_DAYS, UnitHistory, unit_history
from dutydesk.services.spotcheck.spotcheck_record import (
    correct_entry,
    open_round,
    outcome_of,
    record_entry,
)
from dutydesk.services.spotcheck.spotcheck_table import check_table
from dutydesk.services.spotcheck.spotcheck_views import (
    Quota,
    QuotaStatus,
    RoundView,
    get_round,
    open_round_of,
    quota,
    quota_status,
)
from dutydesk.services.spotcheck.units import REASON_MAX, UnitView, find_unit, unit_views

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.models import Person
    from dutydesk.services.core import Desk

__all__ = [
    "HISTORY_DAYS",
    "Quota",
    "QuotaStatus",
    "RoundView",
    "UnitHistory",
    "check_table",
    "close_round",
    "correct_outcome",
    "current_round",
    "handover_quota",
    "quota",
    "quota_status",
    "record_outcome",
    "round_view",
    "start_round",
    "unit_history",
    "verify_round",
]

# ---------------------------------------------------------------- drawing a round


def _shift_now(session: Session, desk: Desk) -> Shift:
    shift = shift_covering(session, desk.now())
    if shift is None:
        raise DutyError("shift.none_open")
    return shift


def _drawn_ids(rounds: Iterable[SpotcheckRound]) -> set[int]:
    return {int(unit_id) for r in rounds for unit_id in json.loads(r.drawn)}


def candidates(session: Session, desk: Desk, shift_id: int) -> list[sampling.Candidate]:
    """The active units as the sampler sees them now."""
    now = desk.now()
    last = dict(
        session.exec(
            select(SpotcheckOutcome.unit_id, func.max(SpotcheckOutcome.checked_at)).group_by(
                col(SpotcheckOutcome.unit_id)
            )
        ).all()
    )
    since = now.subtract(days=sampling.RECENT_WINDOW_DAYS)
    recent = dict(
        session.exec(
            select(SpotcheckOutcome.unit_id, func.count(func.distinct(SpotcheckOutcome.round_id)))
            .where(SpotcheckOutcome.checked_at >= since)
            .group_by(col(SpotcheckOutcome.unit_id))
        ).all()
    )
    day_start = now.start_of("day")
    today = _drawn_ids(
        session.exec(
            select(SpotcheckRound).where(
                SpotcheckRound.drawn_at >= day_start,
                SpotcheckRound.drawn_at < day_start.add(days=1),
            )
        )
    )
    this_shift = _drawn_ids(
        session.exec(select(SpotcheckRound).where(SpotcheckRound.shift_id == shift_id))
    )
    return [
        sampling.Candidate(
            unit.id,
            last[unit.id].isoformat() if unit.id in last else None,
            int(recent.get(unit.id, 0)),
            unit.id in today,
            unit.id in this_shift,
        )
        for unit in unit_views(session)
        if unit.active
    ]


def _check_seed(seed: int | None) -> None:
    if seed is not None and not 0 <= seed < sampling.SEED_LIMIT:
        raise ValidationFailed(
            [FieldProblem("spotcheck_seed", "spotcheck.bad_seed", limit=sampling.SEED_LIMIT - 1)]
        )


def start_round(
    desk: Desk, recorder: Person, seed: int | None = None, count: int | None = None
) -> RoundView:
    """Draw a round for the shift open now and store it with its seed and inputs. `count` asks
    for more units than the quota's minimum (or, without a quota, fewer than all)."""
    _check_seed(seed)
    rules = quota(desk.profile)

    def _save() -> RoundView:
        with write_session(desk.engine) as session:
            shift = _shift_now(session, desk)
            assert shift.id is not None
            still_open = open_round_of(session, shift.id)
            if still_open is not None:
                raise DutyError("spotcheck.round_open", id=still_open.id)
            pool = candidates(session, desk, shift.id)
            if not pool:
                raise DutyError("spotcheck.no_units")
            active = len(pool)
            minimum = sampling.required_size(rules.rate, active) if rules.rate else 1
            size = count if count is not None else (minimum if rules.rate else active)
            if not minimum <= size <= active:
                raise DutyError(
                    "spotcheck.bad_count", count=size, minimum=minimum, active=active,
                    cite=rules.cite,
                )  # fmt: skip
            inputs = sampling.SampleInputs(desk.now().isoformat(), size, tuple(pool), rules.rate)
            chosen = seed if seed is not None else sampling.new_seed()
            row = SpotcheckRound(
                shift_id=shift.id,
                drawn_at=desk.now(),
                drawn_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                seed=chosen,
                rate=rules.rate,
                required=minimum,
                active_units=active,
                inputs=sampling.inputs_to_json(inputs),
                drawn=json.dumps(sampling.draw(inputs, chosen)),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            audit.append(session, "spotcheck_round", row.id, desk.now())
            return get_round(session, row.id)

    return with_lock_retry(_save, desk.path)


def verify_round(desk: Desk, round_id: int) -> bool:
    """Replay a stored draw from its seed and inputs: True if it gives the same units."""
    with read_session(desk.engine) as session:
        row = session.get(SpotcheckRound, round_id)
    if row is None:
        raise DutyError("spotcheck.unknown_round", id=round_id)
    return sampling.replay(row.inputs, row.seed, json.loads(row.drawn))


# ---------------------------------------------------------------- recording and closing


def record_outcome(
    desk: Desk,
    round_id: int,
    unit: str | int,
    recorder: Person,
    *,
    method: str,
    answered: bool,
    answered_by: str = "",
    on_roster: bool | None = None,
    faults: Iterable[str] = (),
    note: str = "",
    checked_at: DateTime | None = None,
    name_not_asked: bool = False,
) -> RoundView:
    """Record one check of a drawn unit: its first attempt, or a retry after no answer. Refused
    once the unit's result is answered: that is corrected (correct_outcome), not recorded again."""
    entry = outcome_of(method, answered, answered_by, on_roster, faults, note, name_not_asked)
    return record_entry(desk, round_id, unit, recorder, entry, checked_at)


def correct_outcome(
    desk: Desk,
    round_id: int,
    unit: str | int,
    recorder: Person,
    *,
    reason: str,
    method: str,
    answered: bool,
    answered_by: str = "",
    on_roster: bool | None = None,
    faults: Iterable[str] = (),
    note: str = "",
    checked_at: DateTime | None = None,
    name_not_asked: bool = False,
) -> RoundView:
    """Put the unit's latest outcome right (更正): a new outcome in its place, linked to it with
    `reason`; the 值班抽查表 shows the unit once, with its original result and the reason."""
    entry = outcome_of(method, answered, answered_by, on_roster, faults, note, name_not_asked)
    return correct_entry(desk, round_id, unit, recorder, entry, reason, checked_at)


def close_round(
    desk: Desk,
    round_id: int,
    recorder: Person,
    reasons: Mapping[str, str] | Mapping[int, str] | Mapping[str | int, str] | None = None,
) -> RoundView:
    """Close a round. Refused while a drawn unit has no outcome, unless it is given a reason
    (e.g. the line is dead and no other channel works)."""
    by_unit: dict[str | int, str] = {key: text for key, text in (reasons or {}).items()}
    problems: list[FieldProblem] = []
    for text in by_unit.values():
        check_text(problems, "spotcheck_reason", text, required=True, max_length=REASON_MAX)
    if problems:
        raise ValidationFailed(problems[:1])

    def _save() -> RoundView:
        with write_session(desk.engine) as session:
            view = open_round(session, desk, round_id)
            unreached: dict[str, str] = {}
            for key, text in by_unit.items():
                target: UnitView = find_unit(session, key)
                drawn = view.unit(target.id)
                if drawn is None:
                    raise DutyError("spotcheck.not_drawn", name=target.name, id=round_id)
                if drawn.outcomes:
                    raise DutyError("spotcheck.reason_not_needed", name=target.name)
                unreached[str(target.id)] = text.strip()
            missing = [u.name for u in view.missing if str(u.unit_id) not in unreached]
            if missing:
                raise DutyError(
                    "spotcheck.close_missing", id=round_id, count=len(missing),
                    names=t("spotcheck.list_separator").join(missing),
                )  # fmt: skip
            closure = SpotcheckClosure(
                round_id=round_id,
                closed_at=desk.now(),
                closed_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                unreached=json.dumps(unreached, ensure_ascii=False, sort_keys=True),
            )
            session.add(closure)
            session.flush()
            assert closure.id is not None
            audit.append(session, "spotcheck_closure", closure.id, desk.now())
            return get_round(session, round_id)

    return with_lock_retry(_save, desk.path)


# ---------------------------------------------------------------- reading


def round_view(desk: Desk, round_id: int) -> RoundView:
    with read_session(desk.engine) as session:
        return get_round(session, round_id)


def current_round(desk: Desk) -> RoundView | None:
    """The open round of the shift open now, if any."""
    shift = current_shift(desk)
    if shift is None or shift.id is None:
        return None
    with read_session(desk.engine) as session:
        row = open_round_of(session, shift.id)
        return get_round(session, row.id) if row is not None and row.id is not None else None


def handover_quota(desk: Desk, shift: Shift) -> QuotaStatus:
    """For the handover checklist: rounds_done, rounds_required, cite, detail."""
    return quota_status(desk, shift)
