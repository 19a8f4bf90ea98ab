"""Changing the office's settings on an administrator's authority (`dutydesk office set`).

The change itself is a chained OfficeSetting row (services/core/office_settings.py); in the same
transaction a chained person_act (kind `office_changed`) names the administrator whose PIN was
typed, the new row and what changed from what, so `dutydesk verify` can say who changed the
office, when, and how."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError
from dutydesk.models import Person, PersonActKind

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.models import Office, OfficeSetting
    from dutydesk.services.core import Desk
    from dutydesk.services.roster.authority import Authority


def set_office(
    desk: Desk,
    authority: Authority,
    *,
    name: str | None = None,
    timezone: str | None = None,
    profile_id: str | None = None,
    clock_tolerance_s: int | None = None,
    confirmed: bool = False,
) -> Office:
    """Change the settings given, on `authority` (an administrator's, checked just now). A zone
    other than the profile's, or a profile change with filed rosters, needs `confirmed`
    (office_notices: ConfirmationNeeded names what it does); a profile change under an open shift
    is refused."""
    from dutydesk.services.core import change_office
    from dutydesk.services.roster.authority import check, record_act
    from dutydesk.services.roster.office_notices import ConfirmationNeeded, change_notices

    check(desk, authority)
    if authority.admin_id is None:  # the bootstrap grant makes administrators, nothing else
        raise DutyError("authority.needed")
    notices = change_notices(desk, timezone=timezone, profile_id=profile_id)
    if notices and not confirmed:
        raise ConfirmationNeeded(notices)

    def _record(session: Session, row: OfficeSetting, changes: dict[str, list[Any]]) -> None:
        admin = session.get(Person, authority.admin_id)
        if admin is None:
            raise DutyError("authority.invalid")
        detail = {"office_setting": row.id, "changes": changes}
        record_act(session, desk, admin, PersonActKind.office_changed, authority, detail)

    return change_office(desk, _record, name=name, timezone=timezone, profile_id=profile_id,
                         clock_tolerance_s=clock_tolerance_s)  # fmt: skip
