"""The lines under the call form: the phone list's owner of the number typed, and the earlier
calls from it. Both are asked to show something at each key in the caller, unit and phone
fields; each is updated only when what it says changes, since an update lays the whole screen
out again (~19 ms of CPU a key, measured in a Pilot run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from dutydesk.widgets.call_list import earlier_calls
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.calls import CallView


class ChangingLine(Static):
    """A line shown (class -shown) with a text, or hidden, repainted only on a change."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._said: str | None = None  # the text shown; None while hidden

    def say(self, text: str | None) -> None:
        if text == self._said:
            return
        self._said = text
        self.set_class(text is not None, "-shown")
        self.update(literal(text) if text else "")


class EarlierLine(Static):
    """The earlier calls from the number being typed (calls screen), said as calls with it when
    the call being logged is outgoing."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown = False
        self._outgoing = False
        self._calls: tuple[list[CallView], str, int, int, str] | None = None  # as last shown

    def show_calls(self, views: list[CallView] | None, timezone: str, width: int, most: int,
                   digits: str = "") -> None:  # fmt: skip
        self.set_class(views is not None, "-shown")
        if views is None:
            self._calls = None
            if self._shown:
                self._shown = False
                self.update("")
            return
        self._shown = True
        self._calls = (views, timezone, width, most, digits)
        self.update(earlier_calls(*self._calls, outgoing=self._outgoing))

    def set_outgoing(self, outgoing: bool) -> None:
        """The call's direction changed: the line shown says it again."""
        if outgoing == self._outgoing:
            return
        self._outgoing = outgoing
        if self._calls is not None:
            self.update(earlier_calls(*self._calls, outgoing=outgoing))
