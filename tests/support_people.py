"""One way for tests to act on an administrator's authority: the register's first administrator
(made by the `bare_desk` fixture, and by `init` in the CLI fixtures) and their PIN."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.services.core.desk import Desk
    from dutydesk.services.roster.authority import Authority

ADMIN = "管理员甲"
ADMIN_PIN = "246813"
ADMIN_STDIN = f"{ADMIN_PIN}\n{ADMIN_PIN}\n"  # `init --admin ADMIN --pin-stdin`
_GRANTS: dict[Path, Authority] = {}


def make_admin(desk: Desk) -> None:
    from dutydesk.services.roster.authority import create_first_admin

    create_first_admin(desk, ADMIN, ADMIN_PIN, ADMIN_PIN)


def authority_for(desk: Desk) -> Authority:
    """The administrator's authority on `desk`'s register, signed in once per register (each
    sign-in is a recorded PIN attempt); the administrator is made on first use."""
    from dutydesk.errors import DutyError
    from dutydesk.services.roster.authority import authorise
    from dutydesk.services.roster.people import find_person

    key = Path(desk.path).resolve()
    grant = _GRANTS.get(key)
    if grant is None:
        try:
            find_person(desk, ADMIN)
        except DutyError:
            make_admin(desk)
        grant = _GRANTS[key] = authorise(desk, ADMIN, ADMIN_PIN)
    return grant


def forget_grants() -> None:
    _GRANTS.clear()
