"""What the calls screen's workers post back to it (screens/calls.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.screens.amend_draft import Found
    from dutydesk.services.calls import CallView
    from dutydesk.services.handover import HandedOver
    from dutydesk.widgets.call_list import Shown


class CallsLoaded(Message):
    """A worker read the list: the shift's calls (term "") or a search's; with the shift's list
    still empty, what the previous shift handed over to it, if it began with a handover."""

    def __init__(
        self, shown: Shown, duty_began: DateTime | None, handed_over: HandedOver | None = None
    ) -> None:
        super().__init__()
        self.shown = shown
        self.duty_began = duty_began
        self.handed_over = handed_over


class CallSaved(Message):
    """A call or a correction saved; `said`: what a correction did to the call's pending item."""

    def __init__(self, number: str, said: str = "") -> None:
        super().__init__()
        self.number = number
        self.said = said


class SaveFailed(Message):
    """The save was refused or failed: `values` are the fields as they were typed."""

    def __init__(self, message: str, values: dict[str, Any], fields: list[str] | None = None):
        super().__init__()
        self.message = message
        self.values = values
        self.fields = fields or []


class EarlierCalls(Message):
    def __init__(self, digits: str, views: list[CallView]) -> None:
        super().__init__()
        self.digits = digits
        self.views = views


class UnitsLoaded(Message):
    def __init__(self, units: list[str]) -> None:
        super().__init__()
        self.units = units


class CallRead(Message):
    """A call as it stands and its history, read for the detail or the correction dialog (view
    None and `problem` said when it cannot be read)."""

    def __init__(self, view: CallView | None, history: list[CallView], problem: str = "") -> None:
        super().__init__()
        self.view = view
        self.history = history
        self.problem = problem


class KeptCallsChecked(Message):
    """Calls kept from an app that ended, looked up in the register: `saved` maps each one
    found there (its values, as kept) to its number; `corrections`: the corrections it left."""

    def __init__(self, saved: list[tuple[dict[str, Any], str]], corrections: Found) -> None:
        super().__init__()
        self.saved = saved
        self.corrections = corrections


class KeptCorrection(Message):
    """What programs that ended left of a correction of the call its dialog corrects."""

    def __init__(self, found: Found) -> None:
        super().__init__()
        self.found = found
