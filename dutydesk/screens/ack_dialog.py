"""Acknowledging an alerting deadline (Ctrl+A on the board) with the reason the officer types:
the alert stops re-alerting, the deadline stays open. Saved in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.incidents import DeadlineView

TITLE_WIDTH = 72  # cells: the dialog is 80 wide


class AckDialog(DeskModal[str | None]):
    """Returns the status line to show once acknowledged, or None if cancelled."""

    STATUS_LINE = "#ack-status"
    KEYS: ClassVar[list[Key]] = [
        Key("ctrl+s", "after_typing('save')", "ack_dialog.save", priority=True),
        Key("escape", "cancel", "ack_dialog.cancel"),
    ]
    BINDINGS = bindings(KEYS)
    DEFAULT_CSS = """
    AckDialog { align: center middle; }
    #ack-box { width: 80; height: auto; max-height: 95%; border: round $primary;
               background: $surface; padding: 0 1; }
    #ack-status.error { color: $error; text-style: bold; }
    """

    def __init__(self, view: DeadlineView) -> None:
        super().__init__()
        self.view = view
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ack-box") as box:
            box.border_title = literal(
                t("ack_dialog.title", what=self.view.what), width=TITLE_WIDTH
            )
            yield Static(literal(t("ack_dialog.reason")))
            yield DeskInput(id="ack-reason")
            yield Static("", id="ack-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ack-reason", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        reason = self.query_one("#ack-reason", Input).value
        self.app.run_worker(lambda: self._run(reason), thread=True, group="ack-dialog")

    def _run(self, reason: str) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.incidents import acknowledge
        from dutydesk.services.roster import resolve_recorder

        try:
            with thread_desk(self.desk) as own:
                acknowledge(own, self.view.id, resolve_recorder(own, None), reason=reason)
        except DutyError as error:
            self.app.call_from_thread(self._failed, error.message())
            return
        self.app.call_from_thread(self.dismiss, t("board.acked", what=self.view.what))

    def _failed(self, message: str) -> None:
        self.busy = False
        self.set_status(message, ok=False)
