"""Shifts opened from the roster (issue 17 item 5): the rostered people are proposed for the
shift window; anyone else sits it only through a substitution record (替岗, Tianjin art. 12(5):
the shift leader told and the reason given, art. 28), made first or on the spot with the
reason and an approver's PIN (roster_changes.substitute). A window no roster covers opens as
before, with whoever is named."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.services.roster.shifts import check_can_open, open_shift, shift_window

if TYPE_CHECKING:
    from dutydesk.models import Shift
    from dutydesk.services.core import Desk
    from dutydesk.services.roster.roster_grid import Rostered

SEATED = ("officer", "second_officer", "leader", "standby")
OFFICER_ROLES = ("officer", "second_officer")


@dataclass(frozen=True)
class Proposal:
    """Who the roster puts on the shift now, by role (second_officer: the second seat)."""

    rostered: Rostered | None
    names: dict[str, str | None]
    # the roles the roster has a seat for (filled or empty): someone put in one by hand is a
    # substitution; a role it has no seat for (no standby in the profile) is not rostered at all
    seats: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Approval:
    """A substitution made on the spot: the reason and who approved it, with their PIN."""

    reason: str
    approver: str
    pin: str
    rest_override: str = ""  # why it stands if it breaks a rest rule (else refused)


def proposal(desk: Desk) -> Proposal:
    """The rostered crew for the shift window that holds now (empty when no roster covers it)."""
    from dutydesk.services.roster.roster_grid import rostered_for
    from dutydesk.services.roster.rosters import roster_rules, seats_of

    rostered = rostered_for(desk, shift_window(desk.profile, desk.now()))
    if rostered is None:
        return Proposal(None, dict.fromkeys(SEATED))
    officers = rostered.cell.officers
    names = {
        "officer": officers[0] if officers else None,
        "second_officer": officers[1] if len(officers) > 1 else None,
        "leader": rostered.leader,
        "standby": rostered.standby,
    }
    form_role = {("officer", 1): "second_officer"}
    seats = frozenset(form_role.get(seat, seat[0]) for seat in seats_of(roster_rules(desk.profile))
                      if seat[0] != "officer" or seat[1] < 2)  # fmt: skip
    return Proposal(rostered, names, seats)


def _seat(role: str) -> tuple[str, int]:
    """The roster's (role, seat) for a role of the shift-opening form."""
    return ("officer", 1) if role == "second_officer" else (role, 0)


def not_rostered(
    plan: Proposal, chosen: dict[str, str | None]
) -> list[tuple[str, str, str | None]]:
    """(role of the seat, who was chosen, who is rostered there or None) for every seat given
    to someone else than its rostered person, an empty rostered seat filled by hand included
    (QA: seated with no record). An officer rostered in either officer seat sits as rostered;
    an officer who is not takes the officer seat whose rostered person does not sit (its own
    first). Seats left empty now, and roles the roster has no seat for, are not substitutions."""
    if plan.rostered is None:
        return []
    wrong: list[tuple[str, str, str | None]] = []
    for role in ("leader", "standby"):
        name, rostered = chosen.get(role), plan.names[role]
        if name and name != rostered and role in plan.seats:
            wrong.append((role, name, rostered))
    officers = [plan.names[role] for role in OFFICER_ROLES]
    sitting = {chosen.get(role) for role in OFFICER_ROLES}
    free = [role for role in OFFICER_ROLES
            if role in plan.seats and plan.names[role] not in sitting]  # fmt: skip
    for role in OFFICER_ROLES:
        name = chosen.get(role)
        if not name or name in officers or not free:
            continue
        seat = role if role in free else free[0]
        free.remove(seat)
        wrong.append((seat, name, plan.names[seat]))
    return sorted(wrong, key=lambda entry: SEATED.index(entry[0]))


def open_from_roster(
    desk: Desk, chosen: dict[str, str | None], approval: Approval | None = None
) -> Shift:
    """Open the shift with `chosen` (role -> name). Anyone not rostered is refused, saying who
    is and that a substitution record is needed, unless `approval` is given: then each is
    recorded as a substitution (reason, approver's PIN) before the shift opens."""
    plan = proposal(desk)
    wrong = not_rostered(plan, chosen)
    if wrong and approval is None:
        role, name, rostered = wrong[0]
        from dutydesk.services.roster.rosters import roster_rules

        cite = roster_rules(desk.profile).change_cite
        if rostered is None:  # an empty seat the roster has: filled only by a substitution
            raise DutyError("shift_roster.not_rostered_empty", name=name, role=t("role." + role),
                            cite=cite)  # fmt: skip
        raise DutyError("shift_roster.not_rostered", name=name, role=t("role." + role),
                        rostered=rostered, cite=cite)  # fmt: skip
    officer = chosen.get("officer")
    if not officer:
        raise DutyError("error.missing_option", field=t("field.officer"), option="--officer")
    if wrong:  # refusals first: a refused opening writes no substitution (QA)
        assert approval is not None and plan.rostered is not None
        check_can_open(desk, {role: chosen.get(role) for role in SEATED})
        _substitute(desk, plan.rostered, wrong, approval)
    return open_shift(desk, officer, chosen.get("leader"), chosen.get("standby"),
                      second_officer=chosen.get("second_officer"))  # fmt: skip


def _substitute(
    desk: Desk, rostered: Rostered, wrong: list[tuple[str, str, str | None]], approval: Approval
) -> None:
    """Each seat changed: after filing a substitution record (reason, approver's PIN); before
    filing, a roster is still changed by assignment, made on the approver's PIN and word."""
    from dutydesk.services.roster.roster_changes import Spot, substitute
    from dutydesk.services.roster.rosters import assign

    cell = rostered.cell
    filed = _filed(desk, rostered.roster_id)
    if not filed:
        approver = _approved(desk, approval)
    for role, name, _rostered in wrong:
        seat_role, seat = _seat(role)
        if filed:
            spot = Spot(cell.day, cell.slot_code, seat_role, seat)
            substitute(desk, rostered.roster_id, spot, name, reason=approval.reason,
                       approver=approval.approver, pin=approval.pin, opening=True,
                       rest_override=approval.rest_override)  # fmt: skip
        else:
            assign(desk, rostered.roster_id, cell.day, cell.slot_code, seat_role, name,
                   by=approver, seat=seat)  # fmt: skip


def _filed(desk: Desk, roster_id: int) -> bool:
    from dutydesk.db import read_session
    from dutydesk.services.roster.rosters import filings_of

    with read_session(desk.engine) as session:
        return bool(filings_of(session, roster_id))


def _approved(desk: Desk, approval: Approval) -> str:
    """The approver, a shift leader or administrator, signed in with their PIN; the reason
    given (as a substitution record asks)."""
    from dutydesk.services.core import check_text
    from dutydesk.services.roster.people import find_person
    from dutydesk.services.roster.pins import verify_pin
    from dutydesk.services.roster.roster_changes import APPROVER_ROLES, PURPOSE_ROSTER_CHANGE

    problems: list[FieldProblem] = []
    check_text(problems, "shift_substitution_reason", approval.reason, required=True,
               max_length=200)  # fmt: skip
    if problems:
        raise ValidationFailed(problems)
    person = find_person(desk, approval.approver)
    if person.role not in APPROVER_ROLES:
        raise DutyError("roster.approver_not_leader", name=person.name)
    return verify_pin(desk, person.name, approval.pin, purpose=PURPOSE_ROSTER_CHANGE).person.name
