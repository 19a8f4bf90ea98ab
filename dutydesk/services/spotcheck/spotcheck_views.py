"""Reading spot checks back: a round with its drawn units and their outcomes, the rounds of a
shift, the quota. Read-only; the writes are in services/spotcheck.py, a unit's history is in
services/spotcheck_history.py."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import (
    Person,
    Shift,
    SpotcheckClosure,
    SpotcheckOutcome,
    SpotcheckRound,
    SpotcheckUnit,
)
from dutydesk.models.spotcheck import SpotcheckCorrection

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import Profile
    from dutydesk.services.core import Desk

# Outcome states of a drawn unit.
PENDING = "pending"  # no outcome yet
ANSWERED = "answered"  # the latest attempt was answered
NOT_ANSWERED = "not_answered"  # the latest attempt was not answered (may be retried)
UNREACHED = "unreached"  # no outcome; marked with a reason when the round was closed


@dataclass(frozen=True)
class OutcomeView:
    id: int
    unit_id: int
    method: str
    checked_at: DateTime
    answered: bool
    answered_by: str
    on_roster: bool | None
    faults: tuple[str, ...]
    note: str
    recorded_by: str
    corrects: OutcomeView | None = None  # the outcome this one put right (更正), if any
    correction_reason: str = ""

    @property
    def original(self) -> OutcomeView | None:
        """The outcome first recorded for this check, when it has been corrected since."""
        first = self.corrects
        while first is not None and first.corrects is not None:
            first = first.corrects
        return first


@dataclass(frozen=True)
class DrawnUnit:
    unit_id: int
    position: int  # 1-based, in the order drawn
    name: str
    kind: str
    duty_phone: str
    outcomes: tuple[OutcomeView, ...]  # every attempt as it stands (corrected), oldest first
    unreached_reason: str | None = None

    @property
    def latest(self) -> OutcomeView | None:
        return self.outcomes[-1] if self.outcomes else None

    @property
    def state(self) -> str:
        if self.latest is not None:
            return ANSWERED if self.latest.answered else NOT_ANSWERED
        return UNREACHED if self.unreached_reason is not None else PENDING


@dataclass(frozen=True)
class RoundView:
    id: int
    number: int  # 1, 2 ... within its shift
    shift_id: int
    drawn_at: DateTime
    drawn_by: str
    seed: int
    rate: float | None
    required: int  # the fewest units the quota allowed
    active_units: int
    units: tuple[DrawnUnit, ...]
    closed_at: DateTime | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def covered(self) -> int:
        """Drawn units with at least one outcome (answered or not: the check was made)."""
        return sum(1 for unit in self.units if unit.outcomes)

    @property
    def missing(self) -> tuple[DrawnUnit, ...]:
        """Drawn units with neither an outcome nor a reason: they block closing."""
        return tuple(unit for unit in self.units if unit.state == PENDING)

    @property
    def meets_quota(self) -> bool:
        return self.closed and self.covered >= self.required

    def unit(self, unit_id: int) -> DrawnUnit | None:
        return next((unit for unit in self.units if unit.unit_id == unit_id), None)


def person_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Person).where(col(Person.id).in_(ids)))
    return {person.id: person.name for person in rows}  # type: ignore[misc]  # a stored row has its id


def outcome_view(row: SpotcheckOutcome, names: dict[int, str]) -> OutcomeView:
    assert row.id is not None
    return OutcomeView(
        row.id,
        row.unit_id,
        row.method,
        row.checked_at,
        row.answered,
        row.answered_by,
        row.on_roster,
        tuple(json.loads(row.faults)),
        row.note,
        names.get(row.recorded_by_id, ""),
    )


def outcomes_in_force(
    session: Session, rows: list[SpotcheckOutcome], names: dict[int, str]
) -> list[OutcomeView]:
    """`rows` (ordered by check time) as they stand: an outcome corrected since is left out,
    and the row that corrects it takes its place, carrying it and the reason."""
    ids = [row.id for row in rows]
    links = {
        c.outcome_id: c
        for c in session.exec(
            select(SpotcheckCorrection).where(col(SpotcheckCorrection.outcome_id).in_(ids))
        )
    }
    views: dict[int, OutcomeView] = {}
    for row in sorted(rows, key=lambda r: r.id or 0):  # a correction comes after what it corrects
        view = outcome_view(row, names)
        link = links.get(view.id)
        if link is not None and link.corrects_id in views:
            corrected = views.pop(link.corrects_id)
            view = replace(view, corrects=corrected, correction_reason=link.reason)
        views[view.id] = view
    order = {row.id: index for index, row in enumerate(rows)}
    return sorted(views.values(), key=lambda v: order[_first_id(v)])


def _first_id(view: OutcomeView) -> int:
    return view.original.id if view.original is not None else view.id


def load_rounds(session: Session, rounds: list[SpotcheckRound]) -> list[RoundView]:
    """Views of `rounds` (of any shifts), numbered within their shifts."""
    if not rounds:
        return []
    ids = [r.id for r in rounds]
    numbers = _round_numbers(session, {r.shift_id for r in rounds})
    outcomes = list(
        session.exec(
            select(SpotcheckOutcome)
            .where(col(SpotcheckOutcome.round_id).in_(ids))
            .order_by(col(SpotcheckOutcome.checked_at), col(SpotcheckOutcome.id))
        )
    )
    closures = {
        c.round_id: c
        for c in session.exec(
            select(SpotcheckClosure).where(col(SpotcheckClosure.round_id).in_(ids))
        )
    }
    drawn = {r.id: [int(i) for i in json.loads(r.drawn)] for r in rounds}
    unit_ids = {unit_id for ids_ in drawn.values() for unit_id in ids_}
    units = {
        u.id: u
        for u in session.exec(select(SpotcheckUnit).where(col(SpotcheckUnit.id).in_(unit_ids)))
    }
    names = person_names(
        session, {r.drawn_by_id for r in rounds} | {o.recorded_by_id for o in outcomes}
    )
    round_of = {o.id: o.round_id for o in outcomes}
    attempts_of: dict[tuple[int, int], list[OutcomeView]] = {}
    for o in outcomes_in_force(session, outcomes, names):
        attempts_of.setdefault((round_of[o.id], o.unit_id), []).append(o)
    views = []
    for r in rounds:
        assert r.id is not None
        closure = closures.get(r.id)
        unreached = {int(k): v for k, v in json.loads(closure.unreached).items()} if closure else {}
        drawn_units = _drawn_units(r.id, drawn[r.id], units, attempts_of, unreached)
        views.append(
            RoundView(
                r.id,
                numbers[r.id],
                r.shift_id,
                r.drawn_at,
                names.get(r.drawn_by_id, ""),
                r.seed,
                r.rate,
                r.required,
                r.active_units,
                tuple(drawn_units),
                closure.closed_at if closure else None,
            )
        )
    return views


def _round_numbers(session: Session, shift_ids: set[int]) -> dict[int, int]:
    """round id -> its number within its shift (1, 2, … in the order drawn)."""
    numbers: dict[int, int] = {}
    for shift_id in shift_ids:
        statement = (
            select(col(SpotcheckRound.id))
            .where(SpotcheckRound.shift_id == shift_id)
            .order_by(col(SpotcheckRound.id))
        )
        for index, round_id in enumerate(session.exec(statement), start=1):
            numbers[round_id] = index  # type: ignore[index]  # stored rows have their ids
    return numbers


def _drawn_units(
    round_id: int,
    unit_ids: list[int],
    units: dict[int | None, SpotcheckUnit],
    attempts_of: dict[tuple[int, int], list[OutcomeView]],
    unreached: dict[int, str],
) -> list[DrawnUnit]:
    """A round's drawn units in the order drawn, each with its attempts."""
    drawn_units = []
    for position, unit_id in enumerate(unit_ids, start=1):
        unit = units[unit_id]
        attempts = tuple(attempts_of.get((round_id, unit_id), ()))
        drawn_units.append(
            DrawnUnit(
                unit_id,
                position,
                unit.name,
                unit.kind,
                unit.duty_phone,
                attempts,
                unreached.get(unit_id),
            )
        )
    return drawn_units


def get_round(session: Session, round_id: int) -> RoundView:
    row = session.get(SpotcheckRound, round_id)
    if row is None:
        raise DutyError("spotcheck.unknown_round", id=round_id)
    return load_rounds(session, [row])[0]


def shift_rounds(session: Session, shift_id: int) -> list[RoundView]:
    statement = (
        select(SpotcheckRound)
        .where(SpotcheckRound.shift_id == shift_id)
        .order_by(col(SpotcheckRound.id))
    )
    return load_rounds(session, list(session.exec(statement)))


def open_round_of(session: Session, shift_id: int) -> SpotcheckRound | None:
    closed = select(SpotcheckClosure.round_id)
    return session.exec(
        select(SpotcheckRound).where(
            SpotcheckRound.shift_id == shift_id,
            col(SpotcheckRound.id).not_in(closed),
        )
    ).first()


# ---------------------------------------------------------------- the quota


@dataclass(frozen=True)
class Quota:
    rate: float | None  # None: the profile sets no quota
    rounds_required: int | None
    cite: str


def quota(profile: Profile) -> Quota:
    rules = profile.spotcheck
    return Quota(rules.rate, rules.rounds_per_shift, rules.quota_cite)


@dataclass(frozen=True)
class QuotaStatus:
    shift_id: int
    rate: float | None
    rounds_required: int | None
    cite: str
    rounds: tuple[RoundView, ...]

    @property
    def rounds_done(self) -> int:
        """Closed rounds that covered at least the quota's share of the units."""
        return sum(1 for r in self.rounds if r.meets_quota)

    @property
    def short(self) -> bool:
        """The shift is short of the quota (never, when the profile sets none)."""
        return self.rounds_required is not None and self.rounds_done < self.rounds_required

    @property
    def detail(self) -> str:
        """Units covered in each round, as one line (the handover checklist shows it)."""
        return t("spotcheck.separator").join(
            t("spotcheck.detail_round", number=r.number, covered=r.covered,
              drawn=len(r.units), required=r.required)
            for r in self.rounds
        )  # fmt: skip


def quota_status(desk: Desk, shift: Shift | None = None) -> QuotaStatus:
    """The shift's rounds against the quota (the shift open now by default)."""
    from dutydesk.services.roster import current_shift

    shift = shift or current_shift(desk)
    if shift is None or shift.id is None:
        raise DutyError("shift.none_open")
    rules = quota(desk.profile)
    with read_session(desk.engine) as session:
        rounds = shift_rounds(session, shift.id)
    return QuotaStatus(shift.id, rules.rate, rules.rounds_required, rules.cite, tuple(rounds))
