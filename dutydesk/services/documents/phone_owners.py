"""Who a phone number belongs to, by the phone list (常用电话号码表, Tianjin art. 9(5)): the call
form proposes the unit (and, for a principal's phone, the caller) when the number typed is in the
list. Numbers are compared by their digits, so `0371-6600 0000` is `037166000000`; a local
number typed without its area code (seven digits or more) matches the listed one that ends in
it. A number the list gives to more than one unit proposes nothing: a guess would be wrong half
the time, and the officer asks the caller anyway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dutydesk.i18n import t
from dutydesk.models import ContactKind

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

LOCAL_DIGITS = 7  # the shortest number matched by its end (a local number without area code)


@dataclass(frozen=True)
class PhoneOwner:
    unit: str
    caller: str  # "" for a unit's or an office's own line


def digits(text: str) -> str:
    return "".join(char for char in text if "0" <= char <= "9")


def _owner(row_kind: str, name: str, unit: str, post: str) -> PhoneOwner:
    if row_kind != ContactKind.principal.value:
        return PhoneOwner(unit=name, caller="")
    caller = t("phone_owner.caller_with_post", name=name, post=post) if post else name
    return PhoneOwner(unit=unit, caller=caller)


def owners_by_number(desk: Desk) -> dict[str, list[PhoneOwner]]:
    """The digits of every phone in the list in force → whom the list gives it to."""
    from dutydesk.services.documents.contacts import current_contacts

    owners: dict[str, list[PhoneOwner]] = {}
    for row in current_contacts(desk):
        owner = _owner(row.kind, row.name, row.unit, row.post)
        for phone in (row.phone, row.mobile):
            number = digits(phone)
            if len(number) >= LOCAL_DIGITS and owner not in owners.get(number, []):
                owners.setdefault(number, []).append(owner)
    return owners


def owner_of(owners: dict[str, list[PhoneOwner]], typed: str) -> PhoneOwner | None:
    """Whom the number `typed` belongs to, when the list says so of one unit: that unit, with
    the caller when one principal of it has the number; else None."""
    number = digits(typed)
    if len(number) < LOCAL_DIGITS:
        return None
    found = owners.get(number) or [
        owner
        for listed, listed_owners in owners.items()
        if listed.endswith(number) or number.endswith(listed)
        for owner in listed_owners
    ]
    units = {owner.unit for owner in found}
    if len(units) != 1:
        return None
    callers = {owner.caller for owner in found if owner.caller}
    return PhoneOwner(unit=units.pop(), caller=callers.pop() if len(callers) == 1 else "")
