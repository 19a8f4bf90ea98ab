"""Who signs a handover: one person, one signature, in one role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dutydesk.errors import DutyError
from dutydesk.services.roster import find_person

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
