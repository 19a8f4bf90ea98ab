"""The call register (电话记录): saving, correcting, listing, searching, its CSV."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.calls.call_csv import CALL_COLUMNS, call_rows
    from dutydesk.services.calls.call_follow import Correction
    from dutydesk.services.calls.calls import (
        AMENDABLE,
        CallDraft,
        CallView,
        amend_call,
        call_to_json,
        get_call,
        known_units,
        list_calls,
        record_correction,
        save_call,
        validate,
    )
    from dutydesk.services.calls.saved_check import already_saved, correction_saved

_HOMES = {
    "AMENDABLE": "calls",
    "already_saved": "saved_check",
    "correction_saved": "saved_check",
    "CALL_COLUMNS": "call_csv",
    "CallDraft": "calls",
    "CallView": "calls",
    "Correction": "call_follow",
    "amend_call": "calls",
    "call_rows": "call_csv",
    "call_to_json": "calls",
    "get_call": "calls",
    "known_units": "calls",
    "list_calls": "calls",
    "record_correction": "calls",
    "save_call": "calls",
    "validate": "calls",
}
__all__ = [
    "AMENDABLE",
    "CALL_COLUMNS",
    "already_saved",
    "correction_saved",
    "CallDraft",
    "CallView",
    "Correction",
    "amend_call",
    "call_rows",
    "call_to_json",
    "get_call",
    "known_units",
    "list_calls",
    "record_correction",
    "save_call",
    "validate",
]
__getattr__ = lazy_names(__name__, _HOMES)
