"""Changing the office's settings (办公室设置): its name, time zone, profile and clock
tolerance. The office row is append-only and chained; a change is a new chained OfficeSetting
row, so a zone or profile changed behind the desk's back shows in `dutydesk verify`. Only an
administrator changes them (services/roster/office_change.py records who, as a person_act)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError, FieldProblem, ValidationFailed

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.models import Office, OfficeSetting
    from dutydesk.services.core.desk import Desk


def _check(name: str, timezone: str, profile_id: str, tolerance: int) -> None:

    from dutydesk.profiles import load_profile
    from dutydesk.services.core.validation import check_name

    problems: list[FieldProblem] = []
    check_name(problems, "office", name, required=True, max_length=100)
    if problems:
        raise ValidationFailed(problems)
    check_timezone(timezone)
    load_profile(profile_id)  # a DutyError naming the profile if there is none
    if not 0 <= tolerance <= 24 * 3600:
        raise DutyError("office_settings.bad_tolerance", value=tolerance)


# The areas of the tz database's place names (Area/City). Etc/* zones are fixed offsets with no
# civil rules and a sign that reads backwards (Etc/GMT+12 is UTC-12); names outside these areas
# are abbreviations or old aliases (EST, PRC, US/Eastern, CST6CDT), ambiguous or rule-less.
PLACE_AREAS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
               "Europe", "Indian", "Pacific")  # fmt: skip


def check_timezone(timezone: str) -> None:
    """Refuse a zone the tz database does not know, or one that is not a place's zone, saying
    why."""
    import pendulum

    try:
        pendulum.timezone(timezone)
    except Exception as exc:  # pendulum raises its own InvalidTimezone; any failure is bad input
        raise DutyError("office_settings.bad_timezone", timezone=timezone) from exc
    if timezone.startswith("Etc/"):
        raise DutyError("office_settings.zone_fixed_offset", timezone=timezone)
    if timezone.split("/", 1)[0] not in PLACE_AREAS or "/" not in timezone:
        raise DutyError("office_settings.zone_not_a_place", timezone=timezone)


OFFICE_FIELDS = ("name", "timezone", "profile_id", "clock_tolerance_s")


def change_office(
    desk: Desk,
    on_save: Callable[[Session, OfficeSetting, dict[str, list[Any]]], None],
    *,
    name: str | None = None,
    timezone: str | None = None,
    profile_id: str | None = None,
    clock_tolerance_s: int | None = None,
) -> Office:
    """Record a change of the office's settings (the ones given; the rest as they stand) and
    use it from now on. `on_save` runs in the same transaction with the new row and what changed
    ({field: [from, to]}): the roster records there who authorised it. Bad input, or nothing
    changed, changes nothing."""
    from dutydesk.db import with_lock_retry, write_session
    from dutydesk.models import OfficeSetting
    from dutydesk.profiles import load_profile
    from dutydesk.services.core.audit import append
    from dutydesk.services.core.desk import office_in_force

    current = desk.office
    tolerance = clock_tolerance_s if clock_tolerance_s is not None else tolerance_of(desk)
    row = OfficeSetting(name=name if name is not None else current.name,
                        timezone=timezone or current.timezone,
                        profile_id=profile_id or current.profile_id,
                        clock_tolerance_s=tolerance, set_at=desk.now())  # fmt: skip
    _check(row.name, row.timezone, row.profile_id, row.clock_tolerance_s)
    before = {"name": current.name, "timezone": current.timezone,
              "profile_id": current.profile_id, "clock_tolerance_s": tolerance_of(desk)}  # fmt: skip
    changes = {key: [before[key], getattr(row, key)] for key in OFFICE_FIELDS
               if before[key] != getattr(row, key)}  # fmt: skip
    if not changes:
        raise DutyError("office_settings.unchanged")

    def _save() -> Office | None:
        with write_session(desk.engine) as session:
            session.add(row)
            session.flush()
            assert row.id is not None
            append(session, "office_setting", row.id, desk.now())
            on_save(session, row, changes)
            return office_in_force(session)

    office = with_lock_retry(_save, desk.path)
    assert office is not None  # an opened desk has its office row
    desk.office = office
    desk.profile = load_profile(office.profile_id)
    return office


def tolerance_of(desk: Desk) -> int:
    """The office's clock tolerance in seconds (see verify's written_at check)."""
    from sqlmodel import col, select

    from dutydesk.db import read_session
    from dutydesk.models import OfficeSetting
    from dutydesk.models.office import CLOCK_TOLERANCE_S

    with read_session(desk.engine) as session:
        newest = session.exec(
            select(OfficeSetting).order_by(col(OfficeSetting.id).desc()).limit(1)
        ).first()
    return newest.clock_tolerance_s if newest is not None else CLOCK_TOLERANCE_S
