"""The app as its screens and widgets see it: the open register, the shift on duty, and the
refresh of both.

It lives here, below the screens, so that a screen or a widget can check at run time that it is
in this app (Textual's `getters.app`) without importing `dutydesk.app`, which imports the screens
(layers: app > screens > widgets). DutyDeskApp (app.py) is its one subclass."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.roster import OnDuty, ShiftWindow


@dataclass(frozen=True)
class ShiftStatus:
    window: ShiftWindow
    duty: OnDuty | None


# App[object], not App[None]: Textual types every app it is handed as App[object] (`self.app`,
# CommandPalette.is_open), and its type parameter is invariant. This app returns no result.
class DeskApp(App[object]):
    def __init__(self) -> None:
        super().__init__()
        self.desk: Desk | None = None  # None until the register is open (in a worker)
        self.shift_status: ShiftStatus | None = None

    def refresh_shift(self) -> None:
        """Read the shift window and who is on duty again, and repaint the header with them."""
        from dutydesk.services.roster import on_duty, shift_window
        from dutydesk.widgets.header import DutyHeader  # the header imports this module

        if self.desk is None:
            return
        self.shift_status = ShiftStatus(
            shift_window(self.desk.profile, self.desk.now()), on_duty(self.desk)
        )
        for header in self.screen.query(DutyHeader):
            header.refresh_info()
