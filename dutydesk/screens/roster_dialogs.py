"""The roster screen's small dialogs: what they share (Ctrl+S writes in a worker, a refusal is
said in the dialog and nothing is written), an administrator signing in with their PIN to work
on the roster while no shift is open (a new register: `authorise`, the check the CLI's
administrator acts use), and a holiday or sensitive-period roster made for a date range."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Label, Select, Static

from dutydesk.i18n import cite, t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.errors import DutyError
    from dutydesk.services.core import Desk

DIALOG_CSS = """
{name} { align: center middle; }
{name} > VerticalScroll { width: 80; max-width: 100%; height: auto; max-height: 100%;
                          border: round $primary; background: $surface; padding: 0 1; }
{name} .pick-label { margin-top: 1; text-style: bold; }
{name} .dialog-status { color: $error; height: auto; }
"""
NEW_KINDS = ("holiday", "sensitive")  # a month's roster is made by generating or assigning
# A refusal's parameters that the roster services give as codes (the CLI's words), and where
# the catalogue names them: the screen never shows `day` or `officer`.
CODED = {"slot": "shift.", "role": "role.", "channel": "roster_file_dialog.channel_",
         "kind": "roster_new.kind_"}  # fmt: skip


def refusal(error: DutyError) -> str:
    """`error`'s message with any slot, role, channel or kind code named as the catalogue
    names it."""
    from dutydesk.errors import DutyError, ValidationFailed
    from dutydesk.i18n import has

    if isinstance(error, ValidationFailed):
        return error.message()
    params = dict(error.params)
    for name, prefix in CODED.items():
        value = params.get(name)
        if isinstance(value, str) and has(prefix + value):
            params[name] = t(prefix + value)
    return DutyError(error.key, **params).message()


def field(widget: Input, label_key: str, **params: Any) -> Input:
    widget.border_title = literal(t(label_key, **params))
    return widget


class RosterDialog(DeskModal["str | None"]):
    """Ctrl+S runs `work(desk, job)` in a worker; its line dismisses the dialog. Each dialog
    defines `collect` (its fields, read on the UI thread) and `work` (the write)."""

    KEYS = [
        Key("ctrl+s", "after_typing('save')", "roster_dialog.save", priority=True),
        Key("escape", "cancel", "roster_dialog.cancel"),
    ]
    BINDINGS = bindings(KEYS)
    STATUS_LINE = ".dialog-status"
    # the field each refusal names, by its key (screens/refusal_focus.py): the cursor goes there
    FIELDS: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def collect(self) -> dict[str, str]:
        raise NotImplementedError  # abstract: each dialog defines it

    def work(self, desk: Desk, job: dict[str, str]) -> str:
        raise NotImplementedError  # abstract: each dialog defines it

    def say(self, message: str) -> None:
        """The status line is the dialog's last line: brought into sight when it speaks (QA #8:
        at 80x24 a refusal on Ctrl+S was said below the fold)."""
        super().say(message)
        status = self.query_one(self.STATUS_LINE)
        self.call_after_refresh(status.scroll_visible, animate=False)

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def choice(self, widget_id: str) -> str:
        chosen = self.query_one(f"#{widget_id}", Select).value
        return chosen if isinstance(chosen, str) else ""

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the last one it saves."""
        fields = list(self.query(Input).results(Input))
        if fields and event.input is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        job = self.collect()
        for pin in self.query("Input.pin").results(Input):  # masked fields: not kept on screen
            pin.value = ""
        self.set_status(t("roster_screen.working"), ok=True)
        # the app's worker: closing the dialog must not cancel the write it is finishing
        self.app.run_worker(lambda: self._run(job), thread=True, group="roster-dialog")

    def _run(self, job: dict[str, str]) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk

        try:
            with thread_desk(self.desk) as desk:
                said = self.work(desk, job)
        except DutyError as error:
            self.app.call_from_thread(self._refused, refusal(error), error)
            return
        self.app.call_from_thread(self.dismiss, said)

    def _refused(self, message: str, error: DutyError | None = None) -> None:
        from dutydesk.screens.refusal_focus import focus_refused

        self.busy = False
        self.set_status(message, ok=False)
        if error is not None:
            focus_refused(self, error, self.FIELDS)


class AdminDialog(RosterDialog):
    """No shift is open (a new register): an administrator works on the roster on their PIN.
    Dismissed with the administrator's name, else None."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "AdminDialog")
    FIELDS: ClassVar[dict[str, str]] = {
        "handover_pin.": "#admin-pin",
        "authority.first_pin": "#admin-pin",
        "authority.not_admin": "#admin-name",
    }

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = literal(t("roster_admin.title"))
            yield Static(literal(t("roster_admin.explain")))
            yield field(DeskInput(id="admin-name"), "roster_admin.name")
            yield field(DeskInput(password=True, id="admin-pin", classes="pin"), "roster_admin.pin")
            yield Static("", classes="dialog-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#admin-name", Input).focus()

    def collect(self) -> dict[str, str]:
        return {"name": self.value("admin-name").strip(), "pin": self.value("admin-pin")}

    def work(self, desk: Desk, job: dict[str, str]) -> str:
        from dutydesk.services.roster import authorise

        authority = authorise(desk, job["name"], job["pin"])
        assert authority.admin_name is not None
        return authority.admin_name


class NewRosterDialog(RosterDialog):
    """A holiday roster (its days in the profile's holiday slots, over the month's) or a special
    sensitive period's, for a date range. Dismissed with the line to say, else None; `made`
    holds the new roster's first day for the screen to go to."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "NewRosterDialog")
    FIELDS: ClassVar[dict[str, str]] = {
        "roster.bad_label": "#new-label",
        "roster.": "#new-from",  # the range's refusals (order, overlap, holidays): its first day
    }

    def __init__(self, by: str) -> None:
        super().__init__()
        self.by = by
        self.made: tuple[int, int] | None = None  # (year, month) of the new roster's first day

    def compose(self) -> ComposeResult:
        from dutydesk.services.roster.rosters import roster_rules

        with VerticalScroll() as box:
            box.border_title = literal(t("roster_new.title"))
            rules = roster_rules(self.desk.profile)
            yield Static(literal(t("roster_new.explain", holiday_cite=cite(rules.holiday_cite),
                                   sensitive_cite=cite(rules.sensitive_cite))))  # fmt: skip
            yield Label(literal(t("roster_new.kind")), classes="pick-label")
            options = [(literal(t(f"roster_new.kind_{kind}")), kind) for kind in NEW_KINDS]
            yield DeskSelect(options, value="holiday", allow_blank=False, id="new-kind")
            yield field(DeskInput(id="new-from", placeholder="2027-02-05"), "roster_new.from")
            yield field(DeskInput(id="new-until", placeholder="2027-02-13"), "roster_new.until")
            yield field(DeskInput(id="new-label", placeholder=t("roster_new.label_hint")),
                        "roster_new.label")  # fmt: skip
            yield Static("", classes="dialog-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-from", Input).focus()

    def collect(self) -> dict[str, str]:
        return {"kind": self.choice("new-kind"), "from": self.value("new-from"),
                "until": self.value("new-until"), "label": self.value("new-label")}  # fmt: skip

    def work(self, desk: Desk, job: dict[str, str]) -> str:
        from dutydesk.services.core import parse_date
        from dutydesk.services.roster import create_roster

        first, last = parse_date(job["from"]), parse_date(job["until"])
        made = create_roster(desk, job["kind"], first, last, job["label"], self.by)
        self.made = (first.year, first.month)
        return t("roster_new.made", label=made.label, start=first.isoformat(),
                 end=last.isoformat())  # fmt: skip
