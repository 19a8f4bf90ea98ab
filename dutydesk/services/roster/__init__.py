"""People, PINs and administrators, shifts and who is on them, the schedule of slots."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.services.roster.authority import (
        Authority,
        authorise,
        create_first_admin,
        first_admin_missing,
        init_with_admin,
        restore_admin_pin,
    )
    from dutydesk.services.roster.people import (
        add_person,
        find_person,
        ineligibilities,
        list_people,
        person_to_json,
    )
    from dutydesk.services.roster.pins import (
        REDACTION_MARK,
        SignIn,
        check_new_pin,
        has_pin,
        redact_pins,
        set_pin,
        verify_pin,
    )
    from dutydesk.services.roster.schedule import (
        CALENDAR_NOTES,
        Due,
        early_handover_warning,
        handover_alert,
        handover_due,
        incoming_window,
        open_shift_to_hand_over,
        shift_heading,
        span_label,
    )
    from dutydesk.services.roster.shifts import (
        OnDuty,
        ShiftWindow,
        crew_names,
        current_shift,
        duty_began,
        insert_shift,
        on_duty,
        open_shift,
        refuse_administrator,
        refuse_two_roles,
        resolve_recorder,
        second_officer_id,
        shift_covering,
        shift_window,
        typed_record_time,
    )

_HOMES = {
    "duty_began": "shifts",
    "span_label": "schedule",
    "Authority": "authority",
    "CALENDAR_NOTES": "schedule",
    "Due": "schedule",
    "OnDuty": "shifts",
    "REDACTION_MARK": "pins",
    "ShiftWindow": "shifts",
    "SignIn": "pins",
    "add_person": "people",
    "authorise": "authority",
    "check_new_pin": "pins",
    "create_first_admin": "authority",
    "crew_names": "shifts",
    "current_shift": "shifts",
    "early_handover_warning": "schedule",
    "find_person": "people",
    "first_admin_missing": "authority",
    "handover_alert": "schedule",
    "handover_due": "schedule",
    "has_pin": "pins",
    "incoming_window": "schedule",
    "ineligibilities": "people",
    "init_with_admin": "authority",
    "insert_shift": "shifts",
    "list_people": "people",
    "on_duty": "shifts",
    "open_shift": "shifts",
    "open_shift_to_hand_over": "schedule",
    "person_to_json": "people",
    "redact_pins": "pins",
    "refuse_administrator": "shifts",
    "refuse_two_roles": "shifts",
    "resolve_recorder": "shifts",
    "restore_admin_pin": "authority",
    "second_officer_id": "shifts",
    "set_pin": "pins",
    "shift_covering": "shifts",
    "shift_heading": "schedule",
    "shift_window": "shifts",
    "typed_record_time": "shifts",
    "verify_pin": "pins",
}
__all__ = [
    "duty_began",
    "span_label",
    "Authority",
    "CALENDAR_NOTES",
    "Due",
    "OnDuty",
    "REDACTION_MARK",
    "ShiftWindow",
    "SignIn",
    "add_person",
    "authorise",
    "check_new_pin",
    "create_first_admin",
    "crew_names",
    "current_shift",
    "early_handover_warning",
    "find_person",
    "first_admin_missing",
    "handover_alert",
    "handover_due",
    "has_pin",
    "incoming_window",
    "ineligibilities",
    "init_with_admin",
    "insert_shift",
    "list_people",
    "on_duty",
    "open_shift",
    "open_shift_to_hand_over",
    "person_to_json",
    "redact_pins",
    "refuse_administrator",
    "refuse_two_roles",
    "resolve_recorder",
    "restore_admin_pin",
    "second_officer_id",
    "set_pin",
    "shift_covering",
    "shift_heading",
    "shift_window",
    "typed_record_time",
    "verify_pin",
]


def __getattr__(name: str) -> object:
    """Each name is imported from its module when first used, not with the package: the start
    path uses a little of the domain and must not pay for all of it (nor load the ORM before
    the first frame)."""
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
