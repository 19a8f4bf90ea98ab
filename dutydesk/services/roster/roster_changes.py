"""Changes after filing (调班/替岗): a substitution puts someone of the same level in a rostered
person's place (Tianjin art. 12(5)); a swap exchanges two rostered people's shifts. Each is a
record naming the original, the reason and who approved it with their PIN (the shift leader is
told and the reason given: Tianjin art. 28; the district's office approves in advance: 工作制度
一); where the profile says so the upper office must be told before the changed shift starts
(a deadline on the board, roster_filing.filing_dues). The roster shows both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.models import Person, RosterChange
from dutydesk.services.core import audit
from dutydesk.services.core.validation import check_text
from dutydesk.services.roster.roster_checks import Conflict, conflicts, refuse_assignment
from dutydesk.services.roster.roster_grid import Effective, effective
from dutydesk.services.roster.rosters import (
    Seat,
    filings_of,
    get_roster,
    named,
    person_by_name,
    roster_rules,
    seats_of,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk
    from dutydesk.services.roster.rosters import Cell

APPROVER_ROLES = ("leader", "admin")
REST_KEYS = ("roster.consecutive_nights", "roster.short_rest")
PURPOSE_ROSTER_CHANGE = "roster_change"


@dataclass(frozen=True)
class Spot:
    """One seat of one shift: the date, the slot, the role and (officers) the seat."""

    day: date
    slot_code: str
    role: str
    seat: int = 0

    @property
    def key(self) -> Seat:
        return (self.day, self.slot_code, self.role, self.seat)


def _approve(desk: Desk, approver: str, pin: str) -> Person:
    from dutydesk.services.roster.pins import verify_pin

    person = _approver(desk, approver)
    return verify_pin(desk, person.name, pin, purpose=PURPOSE_ROSTER_CHANGE).person


def _approver(desk: Desk, name: str) -> Person:
    person = person_by_name_read(desk, name)
    if person.role not in APPROVER_ROLES:
        raise DutyError("roster.approver_not_leader", name=person.name)
    return person


def person_by_name_read(desk: Desk, name: str) -> Person:
    with read_session(desk.engine) as session:
        return person_by_name(session, name)


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise DutyError("roster.bad_reason")
    _refuse_hidden_characters("roster_change_reason", reason)
    return reason


def _refuse_hidden_characters(field: str, text: str) -> None:
    """No control characters, bidi overrides or zero-width spaces (breaker: an ESC in a
    reason reached the terminal raw through `roster show`), named as in every other field."""
    problems: list[FieldProblem] = []
    check_text(problems, field, text, required=False, max_length=len(text) or 1)
    if problems:
        raise ValidationFailed(problems)


def _state(session: Session, desk: Desk, roster_id: int) -> tuple[Effective,
                                                                     dict[tuple[date, str], Cell]]:  # fmt: skip
    roster = get_roster(session, roster_id)
    if not filings_of(session, roster_id):
        raise DutyError("roster.not_filed_use_set", label=roster.label)
    eff = effective(session, desk, roster.starts_on, roster.ends_on)
    cells = {(c.day, c.slot_code): c for r, c in eff.cells if r.id == roster_id}
    return eff, cells


def _rest_check(desk: Desk, eff: Effective, after: dict[Seat, int], override: str) -> str | None:
    """A change that breaks a rest rule the roster kept before it is refused with the
    profile's article, unless the approver gives the reason it stands (`override`, then kept
    on the change record). Returns the override to record (None: no rule broken)."""
    plain = [cell for _roster, cell in eff.cells]

    def rest_conflicts(held: dict[Seat, int]) -> list[tuple[tuple[date, str], Conflict]]:
        found = conflicts(desk, plain, held, eff.people)
        return [(key, c) for key, listed in found.items() for c in listed if c.key in REST_KEYS]

    before = {(key, c.key, c.params.get("name")) for key, c in rest_conflicts(eff.held)}
    new = [(key, c) for key, c in rest_conflicts(after)
           if (key, c.key, c.params.get("name")) not in before]  # fmt: skip
    if not new:
        return None
    override = override.strip()
    if len(override) > 200:
        raise DutyError("roster_rest.too_long")
    _refuse_hidden_characters("roster_rest_override", override)
    if not override:
        (day, slot), conflict = new[0]
        raise DutyError("roster_rest.breaks", day=day.isoformat(),
                        slot=named("shift", slot), conflict=conflict.message(),
                        cite=conflict.cite)  # fmt: skip
    return override


def _cell(desk: Desk, cells: dict[tuple[date, str], Cell], spot: Spot,
          opening: bool = False) -> Cell:  # fmt: skip
    """The shift changed: not yet begun, or (`opening`: the shift being opened now, its
    rostered officer absent) not yet over."""
    cell = cells.get((spot.day, spot.slot_code))
    if cell is None:
        raise DutyError("roster.no_cell", day=spot.day.isoformat(), slot=named("shift", spot.slot_code),
                        label="")  # fmt: skip
    if (cell.ends_at if opening else cell.starts_at) <= desk.now():
        raise DutyError("roster.change_past", day=spot.day.isoformat(),
                        slot=named("shift", spot.slot_code))  # fmt: skip
    return cell


def _write(session: Session, desk: Desk, roster_id: int, kind: str, spot: Spot,
           original: int | None,
           substitute: int, reason: str, approver: Person, cell: Cell,
           pairs_with: int | None = None, override: str | None = None) -> RosterChange:  # fmt: skip
    rules = roster_rules(desk.profile)
    # a change to a shift already begun (opened with a substitute) is told at once
    tell_by = max(cell.starts_at, desk.now()) if rules.change_tell_upper else None
    cite = rules.change_tell_cite if rules.change_tell_upper else rules.change_cite
    assert approver.id is not None
    row = RosterChange(roster_id=roster_id, kind=kind, day=spot.day, slot_code=spot.slot_code,
                       role=spot.role, seat=spot.seat, from_person_id=original,
                       to_person_id=substitute, reason=reason, approved_by_id=approver.id,
                       pairs_with_id=pairs_with, tell_upper_by=tell_by, cite=cite,
                       recorded_at=desk.now(), rest_override=override)  # fmt: skip
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.append(session, "roster_change", row.id, desk.now())
    return row


def substitute(desk: Desk, roster_id: int, spot: Spot, name: str, *, reason: str,
               approver: str, pin: str, opening: bool = False,
               rest_override: str = "") -> RosterChange:  # fmt: skip
    """替岗: `name` sits `spot` in the rostered person's place, or fills it where nobody holds
    it (a seat left empty at filing, or vacated), approved and reported like any change
    (`opening`: in the shift being opened now, which has begun by then). Everything but the
    PIN is checked before it, so a refused change spends none of the approver's tries. One
    that breaks a rest rule needs `rest_override` (_rest_check)."""
    reason = _check_reason(reason)
    approver_id = _approver(desk, approver).id

    def _checked(session: Session) -> tuple[Cell, int | None, Person, str | None]:
        eff, cells = _state(session, desk, roster_id)
        held = eff.held
        cell = _cell(desk, cells, spot, opening)
        original = held.get(spot.key)  # None: an empty or vacated seat is filled
        if original is None and (spot.role, spot.seat) not in seats_of(roster_rules(desk.profile)):
            raise DutyError("roster.no_seat", role=named("role", spot.role), seat=spot.seat + 1)
        person = person_by_name(session, name)
        if person.id == original:
            raise DutyError("roster.same_person", name=person.name)
        if approver_id in (original, person.id):  # nobody approves their own change (QA)
            raise DutyError("roster.self_approval", name=approver)
        refuse_assignment(desk, cell, spot.role, spot.seat, person, held)
        after = dict(held)
        after[spot.key] = person.id  # type: ignore[assignment]  # stored rows have ids
        return cell, original, person, _rest_check(desk, eff, after, rest_override)

    with read_session(desk.engine) as session:
        _checked(session)
    approved = _approve(desk, approver, pin)

    def _save() -> RosterChange:
        with write_session(desk.engine) as session:
            cell, original, person, override = _checked(session)
            return _write(session, desk, roster_id, "substitution", spot, original,
                          person.id, reason, approved, cell, override=override)  # type: ignore[arg-type]  # stored rows have ids  # fmt: skip

    return with_lock_retry(_save, desk.path)


def swap(desk: Desk, roster_id: int, first: Spot, second: Spot, *, reason: str, approver: str,
         pin: str, rest_override: str = "") -> tuple[RosterChange, RosterChange]:  # fmt: skip
    """调班: the people rostered for `first` and `second` (the same role) exchange shifts,
    checked before the approver's PIN is; one that breaks a rest rule needs `rest_override`."""
    reason = _check_reason(reason)
    if first.role != second.role:
        raise DutyError("roster.swap_roles")
    approver_id = _approver(desk, approver).id

    def _checked(session: Session) -> tuple[Cell, Cell, int, int, str | None]:
        eff, cells = _state(session, desk, roster_id)
        held = eff.held
        one, two = _cell(desk, cells, first), _cell(desk, cells, second)
        a, b = held.get(first.key), held.get(second.key)
        if a is None or b is None:
            empty = first if a is None else second
            raise DutyError("roster.nobody_there", day=empty.day.isoformat(),
                            slot=named("shift", empty.slot_code))  # fmt: skip
        if a == b:
            raise DutyError("roster.same_person", name=session.get(Person, a).name)  # type: ignore[union-attr]  # rostered people exist
        if approver_id in (a, b):  # nobody approves their own change (QA)
            raise DutyError("roster.self_approval", name=approver)
        after = dict(held)
        after[first.key], after[second.key] = b, a
        for spot, cell, person_id in ((first, one, b), (second, two, a)):
            person = session.get(Person, person_id)
            assert person is not None
            refuse_assignment(desk, cell, spot.role, spot.seat, person, after)
        return one, two, a, b, _rest_check(desk, eff, after, rest_override)

    with read_session(desk.engine) as session:
        _checked(session)
    approved = _approve(desk, approver, pin)

    def _save() -> tuple[RosterChange, RosterChange]:
        with write_session(desk.engine) as session:
            one, two, a, b, override = _checked(session)
            leg = _write(session, desk, roster_id, "swap", first, a, b, reason, approved, one,
                         override=override)  # fmt: skip
            other = _write(session, desk, roster_id, "swap", second, b, a, reason, approved, two,
                           pairs_with=leg.id, override=override)  # fmt: skip
            return leg, other

    return with_lock_retry(_save, desk.path)
