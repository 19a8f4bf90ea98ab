"""Filing a month's roster with the upper office (报备, Tianjin art. 13, Henan 6(3): 3 working
days ahead): when it was sent, to whom and how. The service refuses a roster with a conflict
that blocks filing, writes the 值班表 as XLSX and DOCX into the archive folder and records the
filing (late or not)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Select, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.errors import DutyError
    from dutydesk.services.core import Desk

CHANNELS = ("fax", "system", "email", "hand", "phone")  # services/roster/roster_filing.py
# the field each refusal names (screens/refusal_focus.py); the roster's own conflicts name none
FILE_FIELDS = {
    "problem.": "#file-when",
    "roster.sent_in_future": "#file-when",
    "roster.bad_sent_to": "#file-to",
}


def roster_folder(desk: Desk) -> Path:
    """Where the filed 值班表 go: the archive folder beside the register (archive_places)."""
    from dutydesk.archive_places import ROSTER_FOLDER, archive_roots

    return archive_roots(Path(desk.path))[0] / ROSTER_FOLDER


class FileRosterDialog(DeskModal[str | None]):
    """Dismissed with the line to show once filed, else None."""

    DEFAULT_CSS = """
    FileRosterDialog { align: center middle; }
    #file-box { width: 74; height: auto; max-height: 95%; border: round $primary;
                background: $surface; padding: 0 1; }
    #file-status { color: $error; height: auto; }
    """
    STATUS_LINE = "#file-status"
    BINDINGS = bindings([
        Key("ctrl+s", "after_typing('save')", "roster_file_dialog.save", priority=True),
        Key("escape", "cancel", "roster_file_dialog.cancel"),
    ])  # fmt: skip

    def __init__(self, roster_id: int, label: str, by: str) -> None:
        super().__init__()
        self.by = by  # who records the filing: the shift's officer or a signed-in administrator
        self.roster_id = roster_id
        self.label = label
        self._busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="file-box") as box:
            box.border_title = literal(t("roster_file_dialog.title", label=self.label))
            rules = self.desk.profile.roster
            days, cite = (rules.filing_working_days, rules.filing_cite) if rules else (3, "")
            yield Static(literal(t("roster_file_dialog.explain", days=days, cite=cite)))
            when = DeskInput(self.desk.now().format("YYYY-MM-DD HH:mm"), id="file-when")
            when.border_title = literal(t("roster_file_dialog.when"))
            yield when
            to = DeskInput(id="file-to", placeholder=t("roster_file_dialog.to_hint"))
            to.border_title = literal(t("roster_file_dialog.to"))
            yield to
            options = [(literal(t(f"roster_file_dialog.channel_{c}")), c) for c in CHANNELS]
            channel: Select[str] = DeskSelect(options, value="fax", allow_blank=False,
                                          id="file-channel")  # fmt: skip
            channel.border_title = literal(t("roster_file_dialog.channel"))
            yield channel
            yield Static(literal(t("roster_file_dialog.folder",
                                   path=str(roster_folder(self.desk)))))  # fmt: skip
            yield Static("", id="file-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#file-to", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self._busy:
            return
        when = self.query_one("#file-when", Input).value
        to = self.query_one("#file-to", Input).value
        channel = str(self.query_one("#file-channel", Select).value)
        self._busy = True
        self.set_status(t("roster_screen.working"), ok=True)
        self.app.run_worker(lambda: self._file(when, to, channel), thread=True, group="roster-file")

    def _file(self, when: str, to: str, channel: str) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.screens.roster_dialogs import refusal
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster.roster_filing import file_roster

        try:
            with thread_desk(self.desk) as desk:
                sent_at = self._sent_at(desk, when)
                folder = roster_folder(desk)
                folder.mkdir(parents=True, exist_ok=True)
                filed = file_roster(desk, self.roster_id, sent_to=to, channel=channel,
                                    by=self.by, out_dir=folder,
                                    sent_at=sent_at)  # fmt: skip
        except DutyError as error:
            self.app.call_from_thread(self._refused, refusal(error), error)
            return
        except OSError as error:  # the archive folder cannot be made
            self.app.call_from_thread(self._refused, str(error))
            return
        key = "roster_file_dialog.filed_late" if filed.late else "roster_file_dialog.filed"
        files = [path.name for path in (filed.xlsx, filed.docx) if path is not None]
        said = t(key, label=self.label, files=" ".join(files))
        if filed.standing:  # filed with its flagged conflicts: said, not left to be found
            said += " " + t("roster_standing.line", count=filed.standing)
        self.app.call_from_thread(self.dismiss, said)

    @staticmethod
    def _sent_at(desk: Desk, typed: str) -> DateTime:
        from dutydesk.services.core.timeparse import parse_desk_time

        return parse_desk_time(desk, typed)

    def _refused(self, message: str, error: DutyError | None = None) -> None:
        from dutydesk.screens.refusal_focus import focus_refused

        self._busy = False
        self.set_status(message, ok=False)
        if error is not None:  # the cursor to the field the refusal names
            focus_refused(self, error, FILE_FIELDS)
