"""What a change of the office's time zone or profile does to what the desk already holds, said
before it is made (breaker finding 13).

- A zone other than the profile's moves every time the desk shows (calls, shifts, deadlines,
  forms) by the difference of the two zones' offsets: said in hours, and confirmed (--yes).
- The profile decides the shift slots, handover times and roster rules: changed under an open
  shift, the shift on duty would no longer fit its own rules, so that is refused; filed rosters
  still running or to come were drawn and sent under the old rules, so they are named and the
  change confirmed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


@dataclass(frozen=True)
class OfficeNotice:
    """A consequence of the change, as a message key and its values."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return DutyError(self.key, **self.params).message()


class ConfirmationNeeded(DutyError):
    """The change has consequences the administrator has not confirmed; nothing was changed."""

    def __init__(self, notices: list[OfficeNotice]) -> None:
        super().__init__("office_settings.confirm_with_yes")
        self.notices = notices

    def message(self) -> str:
        return "\n".join([*(notice.message() for notice in self.notices), super().message()])


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


def zone_notice(desk: Desk, timezone: str, profile_zone: str) -> OfficeNotice | None:
    """How far every shown time moves when the office's zone becomes `timezone` (None when it is
    the profile's own zone or no move)."""
    if timezone == profile_zone:
        return None
    now = desk.now()
    before, after = now.in_timezone(desk.office.timezone), now.in_timezone(timezone)
    moved = int((after.utcoffset().total_seconds() - before.utcoffset().total_seconds()) // 60)  # type: ignore[union-attr]
    return OfficeNotice("office_settings.zone_moves", {
        "timezone": timezone, "profile_zone": profile_zone, "moved": _offset_text(moved),
        "now_before": before.format("YYYY-MM-DD HH:mm"),
        "now_after": after.format("YYYY-MM-DD HH:mm")})  # fmt: skip


def filed_rosters(desk: Desk) -> list[str]:
    """Each filed roster that still runs or is to come, as `label (first – last day)`."""
    from sqlmodel import col, select

    from dutydesk.db import read_session
    from dutydesk.models import Roster, RosterFiling

    today = desk.now().date()
    with read_session(desk.engine) as session:
        rosters = session.exec(
            select(Roster)
            .where(col(Roster.ends_on) >= today)
            .where(col(Roster.id).in_(select(RosterFiling.roster_id)))
            .order_by(col(Roster.starts_on))
        ).all()
    return [f"{r.label} ({r.starts_on.isoformat()} – {r.ends_on.isoformat()})" for r in rosters]


def change_notices(
    desk: Desk, *, timezone: str | None = None, profile_id: str | None = None
) -> list[OfficeNotice]:
    """What changing the zone and/or profile to these values would do, to be confirmed. Raises
    DutyError when the profile would change under an open shift."""
    from dutydesk.profiles import load_profile
    from dutydesk.services.core.office_settings import check_timezone
    from dutydesk.services.roster.shifts import current_shift

    if timezone is not None:
        check_timezone(timezone)
    notices = []
    changes_profile = profile_id is not None and profile_id != desk.office.profile_id
    if changes_profile:
        shift = current_shift(desk)
        if shift is not None:
            start = shift.starts_at.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")
            raise DutyError("office_settings.profile_shift_open", shift=shift.id, start=start,
                            profile=desk.office.profile_id)  # fmt: skip
        rosters = filed_rosters(desk)
        if rosters:
            notices.append(OfficeNotice("office_settings.profile_rosters_filed",
                                        {"rosters": "; ".join(rosters), "count": len(rosters)}))  # fmt: skip
    if timezone is not None or changes_profile:
        zone = timezone or desk.office.timezone
        profile = load_profile(profile_id or desk.office.profile_id)
        moved = zone_notice(desk, zone, profile.profile.timezone)
        if moved is not None and zone != desk.office.timezone:
            notices.append(moved)
        elif moved is not None:  # the zone stays, the new profile's zone is another
            notices.append(OfficeNotice("office_settings.zone_not_profiles",
                                        {"timezone": zone, "profile_zone": profile.profile.timezone}))  # fmt: skip
    return notices
