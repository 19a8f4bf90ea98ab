"""The roster commands' options that take a code (--how, --role, --slot, --with-slot, --kind):
each accepts the code or its name in either language (传真, 白班, 值班员, 节假日) through the one
helper of cli/choices.py, lists them in --help, and a value that names none is refused here
with the option and every choice named in the user's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.cli.choices import Choices, choice_option, choices
from dutydesk.errors import DutyError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dutydesk.services.core import Desk

# The services' codes (roster_filing.CHANNELS, rosters.ROSTER_ROLES, the special RosterKinds),
# repeated so the command line starts without the store; tests/test_roster_cli.py keeps them
# the same.
CHANNEL_CODES = ("fax", "system", "email", "hand", "phone")
ROLE_CODES = ("leader", "officer", "standby")
KIND_CODES = ("holiday", "sensitive")
SLOT_CODES = ("day", "night", "week", "holiday")  # every profile's slots; the desk's checked

HOW = choices("roster_cli", {code: f"how_{code}" for code in CHANNEL_CODES})
ROLE = choices("role", ROLE_CODES)
KIND = choices("roster_cli", {code: f"kind_{code}" for code in KIND_CODES})
SLOT = choices("shift", SLOT_CODES)


def _option(accepted: Choices, default: Any, declaration: str, help_key: str) -> Any:
    return choice_option(default, declaration, section=accepted.section,
                         codes=dict(accepted.words), help=help_key)  # fmt: skip


def how_option() -> Any:
    return _option(HOW, None, "--how", "cli.opt_roster_how")


def role_option() -> Any:
    return _option(ROLE, "officer", "--role", "cli.opt_roster_role")


def kind_option() -> Any:
    return _option(KIND, "holiday", "--kind", "cli.opt_roster_kind")


def slot_option(declaration: str, help_key: str) -> Any:
    return _option(SLOT, None, declaration, help_key)


def checked(accepted: Choices, value: str, option: str, allowed: Sequence[str] = ()) -> str:
    """`value` (the option's parser has turned a name into its code) if it is one of the
    choices (of `allowed` where given), else refused naming every choice."""
    words = [(word, code) for word, code in accepted.words if not allowed or word in allowed]
    if value in (word for word, _code in words):
        return value
    listing = Choices(accepted.section, tuple(words)).listing()
    raise DutyError("roster_cli.bad_choice", option=option, value=value, choices=listing)


def checked_slot(desk: Desk, value: str | None, option: str) -> str:
    """A slot of the desk's profile (its own or its holiday slots)."""
    if value is None:
        raise DutyError("error.missing_option", field=option, option=option)
    profile = desk.profile
    codes = [slot.code for slot in profile.shifts.slots]
    if profile.roster is not None:
        codes += [slot.code for slot in profile.roster.holiday_slots or ()]
    return checked(SLOT, value, option, codes)
