"""The report dialog (Ctrl+D on the board): what answers the selected deadline, recorded as a
chained record that closes it. For an incident, a report step to the upper office (首报, 续报,
终报; by phone, in writing or both, each with its time; to whom; by whom); for a verification
request (核报), the reply; for a leader's instruction (批示), the feedback. The dialog names the
deadline and its article and says, as the time is typed, whether the report is late.

Times are typed with the desk's short-time rule (HH:MM is the latest such time not in the
future); a blank time is now. Everything that reads or writes the register runs in a worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Select, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.models import DeadlineClosure, Person
    from dutydesk.services.core import Desk
    from dutydesk.services.incidents import DeadlineView

TITLE_WIDTH = 72  # cells: the dialog is 80 wide
KINDS = ("first", "followup", "final")
INCIDENT_CHANNELS = ("phone", "written", "both")
REPLY_CHANNELS = ("phone", "written")
TIME_FIELDS = ("report-phoned-at", "report-written-at", "report-at")


# what a worker does: (its own desk, who records, what was typed) -> (message, close the dialog)
@dataclass(frozen=True)
class ReportJob:
    """What the officer typed, read on the UI thread and handed to the worker."""

    times: dict[str, DateTime] = field(default_factory=dict)
    kind: str = ""
    to: str = ""
    by: str = ""
    content: str = ""


Work = Callable[["Desk", "Person", ReportJob], tuple[str, bool]]


def _labelled(label_key: str, widget: Input | Select[str]) -> Vertical:
    """A field with its label above it (every field says what it is, a dropdown too)."""
    return Vertical(
        Static(literal(t(label_key)), classes="report-label"), widget, classes="report-field"
    )


def _pair(*fields: Vertical) -> Horizontal:
    """Two fields side by side: the dialog fits 80x24 (and scrolls below that)."""
    return Horizontal(*fields, classes="report-pair")


class ReportDialog(DeskModal[str | None]):
    """Returns the status line to show once the record is saved, or None if cancelled."""

    STATUS_LINE = "#report-status"
    KEYS: ClassVar[list[Key]] = [
        Key("ctrl+s", "after_typing('save')", "report_dialog.save", priority=True),
        Key("ctrl+e", "first_report", "report_dialog.first_report", priority=True),
        Key("escape", "cancel", "report_dialog.cancel"),
    ]
    BINDINGS = bindings(KEYS)
    DEFAULT_CSS = """
    ReportDialog { align: center middle; }
    #report-box { width: 80; height: auto; max-height: 95%; border: round $primary;
                  background: $surface; padding: 0 1; }
    #report-status.error { color: $error; text-style: bold; }
    #report-status.ok { color: $success; }
    #report-late.late { color: $error; text-style: bold; }
    .report-pair { height: auto; }
    .report-field { width: 1fr; height: auto; }
    """

    def __init__(self, view: DeadlineView) -> None:
        super().__init__()
        self.view = view
        self.busy = False

    def compose(self) -> ComposeResult:
        from dutydesk.services.incidents import due_label

        with VerticalScroll(id="report-box") as box:
            box.border_title = literal(t("report_dialog.title"), width=TITLE_WIDTH)
            due = due_label(self.view, self.desk.timezone)
            yield Static(literal(self.view.what), id="report-what")
            yield Static(
                literal(t("report_dialog.due", due=due, cite=self.view.cite)), id="report-due"
            )
            yield Static("", id="report-late")
            yield from getattr(self, f"_{self.view.subject}_fields")()
            yield Static("", id="report-status")
        yield Footer()

    def _channels(self, codes: tuple[str, ...]) -> Select[str]:
        default = "written" if self.view.channel == "written" else "phone"
        options = [(literal(t(f"report_dialog.channel_{c}")), c) for c in codes]
        return DeskSelect(options, value=default, allow_blank=False, id="report-channel")

    @staticmethod
    def _by_whom() -> Vertical:
        by_whom = DeskInput(placeholder=t("report_dialog.by_hint"), id="report-by")
        return _labelled("report_dialog.by_whom", by_whom)

    def _incident_fields(self) -> ComposeResult:
        kinds = [(literal(t(f"report_dialog.kind_{k}")), k) for k in KINDS]
        kind = DeskSelect(kinds, value="first", allow_blank=False, id="report-kind")
        channel = self._channels(INCIDENT_CHANNELS)
        yield _pair(
            _labelled("report_dialog.kind", kind), _labelled("report_dialog.channel", channel)
        )
        hint = t("report_dialog.time_hint")
        yield _pair(
            _labelled(
                "report_dialog.phoned_at", DeskInput(placeholder=hint, id="report-phoned-at")
            ),
            _labelled(
                "report_dialog.written_at", DeskInput(placeholder=hint, id="report-written-at")
            ),
        )
        yield _pair(_labelled("report_dialog.to_whom", DeskInput(id="report-to")), self._by_whom())

    def _verification_fields(self) -> ComposeResult:
        when = DeskInput(placeholder=t("report_dialog.time_hint"), id="report-at")
        yield _pair(
            _labelled("report_dialog.channel", self._channels(REPLY_CHANNELS)),
            _labelled("report_dialog.replied_at", when),
        )
        yield _pair(
            _labelled("report_dialog.reply", DeskInput(id="report-content")), self._by_whom()
        )

    def _instruction_fields(self) -> ComposeResult:
        when = DeskInput(placeholder=t("report_dialog.time_hint"), id="report-at")
        yield _pair(
            _labelled("report_dialog.fed_back_at", when),
            _labelled("report_dialog.feedback", DeskInput(id="report-content")),
        )

    def on_mount(self) -> None:
        self.query("Select, Input").first().focus()
        self._enable_times()
        self._show_late()

    # ------------------------------------------------------------ the late preview

    def _value(self, widget_id: str) -> str:
        found = self.query(f"#{widget_id}")
        return found.first(Input).value if found else ""

    def _choice(self, widget_id: str) -> str:
        found = self.query(f"#{widget_id}")
        return str(found.first(Select).value) if found else ""

    def _times(self) -> dict[str, DateTime]:
        """The report's times as typed (blank: now), by channel; raises DutyError if unreadable."""
        from dutydesk.services.core import parse_time

        now = self.desk.now()

        def read(widget_id: str) -> DateTime:
            typed = self._value(widget_id).strip()
            if not typed:
                return now
            # the desk's short-time rule: HH:MM is the latest such time not in the future,
            # going back to the day before only within this duty
            return parse_time(typed, self.desk.timezone, now, back_to=self.shift_start())

        if self.view.subject == "instruction":
            return {"feedback": read("report-at")}
        channel = self._choice("report-channel")
        if self.view.subject == "verification":
            return {channel: read("report-at")}
        times = {}
        if channel in ("phone", "both"):
            times["phone"] = read("report-phoned-at")
        if channel in ("written", "both"):
            times["written"] = read("report-written-at")
        return times

    def _show_late(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.incidents import done_times, late_minutes

        line = self.query_one("#report-late", Static)
        try:
            times = self._times()
        except DutyError as error:
            line.update(literal(error.message()))
            return
        met = (
            times
            if self.view.subject == "instruction"
            else done_times(times.get("phone"), times.get("written"))
        )
        done_at = met.get(self.view.channel)
        late = late_minutes(self.view.due_at, done_at) if done_at else 0
        if any(when > self.desk.now() for when in times.values()):
            late, text = 0, t("report_dialog.in_future")
        elif done_at is None:
            text = t("report_dialog.not_this_deadline")
        elif late:
            text = t("report_dialog.late", minutes=late)
        else:
            text = t("report_dialog.on_time")
        line.set_class(bool(late), "late")
        line.update(literal(text))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in TIME_FIELDS:
            self._show_late()

    def on_select_changed(self, _event: Select.Changed) -> None:
        self._enable_times()
        self._show_late()

    def _enable_times(self) -> None:
        """Only the times of the channel chosen can be typed (电话: the phone time, …)."""
        if self.view.subject != "incident":
            return
        channel = self._choice("report-channel")
        self.query_one("#report-phoned-at", Input).disabled = channel == "written"
        self.query_one("#report-written-at", Input).disabled = channel == "phone"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the last one it saves."""
        fields = list(self.query(Input).results(Input))
        if fields and event.input is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

    # ------------------------------------------------------------ saving

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        from dutydesk.errors import DutyError

        if self.busy:
            return
        try:
            times = self._times()
        except DutyError as error:  # unreadable time: said here, nothing written
            self.set_status(error.message(), ok=False)
            return
        job = ReportJob(
            times=times,
            kind=self._choice("report-kind"),
            to=self._value("report-to"),
            by=self._value("report-by"),
            content=self._value("report-content"),
        )
        self.busy = True
        # the app's worker: closing the dialog must not cancel the write it is finishing
        self.app.run_worker(
            lambda: self._run(self._record, job), thread=True, group="report-dialog"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The 首报 document is an incident's: the key is not offered on a 核报 or 批示."""
        return action != "first_report" or self.view.subject == "incident"

    def action_first_report(self) -> None:
        if self.view.subject != "incident":
            self.set_status(t("board.draft_incident_only"), ok=False)
            return
        if self.busy:
            return
        self.busy = True
        self.app.run_worker(
            lambda: self._run(self._save_first_report, ReportJob()),
            thread=True,
            group="report-dialog",
        )

    def _run(self, work: Work, job: ReportJob) -> None:
        """In the worker: the work on an engine of this thread, then back to the screen."""
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster import resolve_recorder

        try:
            with thread_desk(self.desk) as own:
                message, close = work(own, resolve_recorder(own, None), job)
        except DutyError as error:
            self.app.call_from_thread(self._failed, error.message())
            return
        self.app.call_from_thread(self._done, message, close)

    def _record(self, desk: Desk, person: Person, job: ReportJob) -> tuple[str, bool]:
        from dutydesk.services.incidents import feed_back, record_report, reply_verification

        times = job.times
        subject_id = self.view.subject_id
        if self.view.subject == "incident":
            done = record_report(
                desk,
                subject_id,
                job.kind,
                person,
                to_whom=job.to,
                phoned_at=times.get("phone"),
                written_at=times.get("written"),
                by_whom=job.by,
            )
            closures = done.closures
        elif self.view.subject == "verification":
            ((channel, when),) = times.items()
            closures = reply_verification(
                desk,
                subject_id,
                person,
                channel=channel,
                replied_at=when,
                content=job.content,
                by_whom=job.by,
            ).closures
        else:
            closures = feed_back(
                desk, subject_id, person, text=job.content, fed_back_at=times["feedback"]
            ).closures
        return self._outcome(closures), True

    def _outcome(self, closures: Sequence[DeadlineClosure]) -> str:
        mine = [c for c in closures if c.deadline_id == self.view.id]
        if not mine:
            return t("report_dialog.saved_open", what=self.view.what)
        late = mine[0].late_minutes
        key = "board.done_late" if late else "board.done_ok"
        return t(key, what=self.view.what, minutes=late)

    def _save_first_report(self, desk: Desk, person: Person, _job: ReportJob) -> tuple[str, bool]:
        from dutydesk.services.incidents import save_first_report

        saved = save_first_report(desk, self.view.subject_id, person)
        message = t(
            "report_doc.saved",
            number=saved.number,
            text=str(saved.text_path),
            docx=str(saved.docx_path),
        )
        return message, False

    def _done(self, message: str, close: bool) -> None:
        self.busy = False
        if close:
            self.dismiss(message)
        else:
            self.set_status(message, ok=True)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.set_status(message, ok=False)
