"""The call register (电话记录): saving, correcting, listing, searching, its CSV."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

_HOMES = {
    "AMENDABLE": "calls",
    "CALL_COLUMNS": "call_csv",
    "CallDraft": "calls",
    "CallView": "calls",
    "amend_call": "calls",
    "call_rows": "call_csv",
    "call_to_json": "calls",
    "get_call": "calls",
    "known_units": "calls",
    "list_calls": "calls",
    "save_call": "calls",
    "validate": "calls",
}
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
