"""The call register (电话记录): saving, correcting, listing, searching, its CSV."""

from dutydesk.services.calls.call_csv import CALL_COLUMNS, call_rows
from dutydesk.services.calls.calls import (
    AMENDABLE,
    CallDraft,
    CallView,
    amend_call,
    call_to_json,
    get_call,
    known_units,
    list_calls,
    save_call,
    validate,
)

__all__ = [
    "AMENDABLE",
    "CALL_COLUMNS",
    "CallDraft",
    "CallView",
    "amend_call",
    "call_rows",
    "call_to_json",
    "get_call",
    "known_units",
    "list_calls",
    "save_call",
    "validate",
]
