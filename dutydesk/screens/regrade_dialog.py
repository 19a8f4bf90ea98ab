"""Re-grading the selected incident from the board: the new level and the reason. The service
supersedes the deadlines the new level's rules replace and sets the new level's."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Select, Static

from dutydesk.i18n import language, t
from dutydesk.screens.base import TypingDialog
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

LEVELS = ("I", "II", "III", "IV")
TITLE_WIDTH = 72  # cells: the dialog is 80 wide
KEYS = [
    Key("ctrl+s", "after_typing('save')", "regrade_dialog.save", priority=True),
    Key("escape", "cancel", "regrade_dialog.cancel"),
]


class RegradeDialog(TypingDialog[str | None]):
    """Returns the status line to show after a re-grading, or None if cancelled. Esc over a
    typed reason or a level chosen asks first (TypingDialog)."""

    STATUS_LINE = "#regrade-status"
    BINDINGS = bindings(KEYS)

    def __init__(self, incident_id: int, label: str, level: str) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.label = label
        self.level = level

    def compose(self) -> ComposeResult:
        with Vertical(id="regrade-box") as box:
            title = t("regrade_dialog.title", what=self.label)
            box.border_title = literal(title, width=TITLE_WIDTH)
            options = [(literal(t(f"incident_level.{code}")), code) for code in LEVELS]
            yield Static(literal(t("regrade_dialog.level")))
            yield DeskSelect(
                options,
                value=self.level,
                allow_blank=False,
                id="regrade-level",
                text_to="regrade-reason",
            )  # a reason typed on it goes there
            reason = DeskInput(id="regrade-reason")
            reason.border_title = literal(t("regrade_dialog.reason"))
            yield reason
            yield Static("", id="regrade-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#regrade-level", Select).focus()

    def holds_unsaved_text(self) -> bool:
        reason = self.query_one("#regrade-reason", Input).value.strip()
        return bool(reason) or self.query_one("#regrade-level", Select).value != self.level

    def action_save(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.incidents import regrade_incident

        level = str(self.query_one("#regrade-level", Select).value)
        reason = self.query_one("#regrade-reason", Input).value
        try:
            done = regrade_incident(self.desk, self.incident_id, level, reason, self.recorder())
        except DutyError as error:  # bad input: said here, nothing written
            self.say(error.message())
            return
        self.dismiss(
            t(
                "regrade_dialog.done_none" if done.level_sets_none else "regrade_dialog.done",
                level=t(f"incident_level.{done.regrade.new_level}"),
                superseded=len(done.superseded),
                created=len(done.created),
                profile=self.desk.profile.name(language()),
            )
        )
