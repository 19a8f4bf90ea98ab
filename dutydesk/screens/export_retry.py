"""The handover screen's E after a failed archive export: a dialog that says how many handovers
still have no archive and offers the folder to write it to (where the failed attempt aimed, or
another), checked before anything is written: it must exist, be a folder and be writable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal, visible

if TYPE_CHECKING:
    from dutydesk.services.archive import RetryPlan


class ExportRetryDialog(DeskModal[Path | None]):
    """Dismissed with the folder checked, or None if cancelled."""

    DEFAULT_CSS = """
    ExportRetryDialog { align: center middle; }
    ExportRetryDialog > VerticalScroll { width: 80; max-width: 100%; height: auto;
        max-height: 100%; border: round $primary; background: $surface; padding: 0 1; }
    ExportRetryDialog #retry-status { color: $error; height: auto; }
    """
    STATUS_LINE = "#retry-status"
    BINDINGS = bindings([
        Key("ctrl+s", "after_typing('retry')", "export_retry.confirm", priority=True),
        Key("escape", "cancel", "export_retry.cancel"),
    ])  # fmt: skip

    def __init__(self, plan: RetryPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = literal(t("export_retry.title"))
            yield Static(literal(t("export_retry.explain", count=self.plan.handovers)))
            folder = DeskInput(visible(str(self.plan.folder)), id="retry-folder")
            folder.border_title = literal(t("export_retry.folder"))
            yield folder
            yield Static("", id="retry-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#retry-folder", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_retry()

    def action_retry(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.archive import check_export_folder

        field = self.query_one("#retry-folder", Input)
        try:
            folder = check_export_folder(self.desk, field.value)
        except DutyError as error:
            self.set_status(error.message(), ok=False)
            field.focus()
            return
        self.dismiss(folder)

    def action_cancel(self) -> None:
        self.dismiss(None)
