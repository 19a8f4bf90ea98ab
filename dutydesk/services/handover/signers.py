"""Who signs a handover: one person, one signature, in one role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.services.roster import find_person, open_shift_to_hand_over, second_officer_id

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


def check_signs_once(desk: Desk, name: str, signed_before: Sequence[str]) -> None:
    """One person signs once in a handover, in one role: the same person as outgoing and
    incoming second officer (or as a second officer and the leader) is refused by name."""
    person = find_person(desk, name)
    for other in signed_before:
        if find_person(desk, other).id == person.id:
            raise DutyError("handover.signs_twice", name=person.name)


def check_distinct_signers(desk: Desk, names: Sequence[str | None]) -> None:
    """Every named signer (outgoing, their second, incoming, theirs, the leader) a different
    person; checked by name before any PIN is asked."""
    given = [name for name in names if name]
    for index, name in enumerate(given):
        check_signs_once(desk, name, given[:index])


def check_outgoing_second(desk: Desk, outgoing: str, second: str | None) -> None:
    """The outgoing shift's other officer, where it has two (Henan 三(一)): the two outgoing
    signers must be its two officers, not its leader or standby. Checked by name."""
    rules = desk.profile.shifts
    shift = open_shift_to_hand_over(desk)
    with read_session(desk.engine) as session:
        recorded = second_officer_id(session, shift.id)
    officers = {shift.officer_id, recorded} - {None}
    if len(officers) < 2:  # a shift opened with one officer (before the rule) has no second
        return
    if not second:
        raise DutyError("handover.second_signer_needed", cite=rules.officers_cite)
    people = {find_person(desk, outgoing).id, find_person(desk, second).id}
    if people != officers:
        raise DutyError("handover.second_signer_not_on_shift", name=second)
