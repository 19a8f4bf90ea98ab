"""Dialogs of the People screen, each on an administrator's authority (their name and PIN,
checked by the service: a wrong PIN counts towards that administrator's lockout), and the
new-PIN dialog offered at sign-off to someone whose PIN was set under an older rule.

PINs are masked, kept only until the worker has used them, and cleared from the fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskCheckbox, DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.errors import DutyError
    from dutydesk.services.core import Desk
    from dutydesk.services.roster import Authority

ROLES = ("officer", "leader", "standby", "admin")
DIALOG_CSS = """
{name} { align: center middle; }
{name} > VerticalScroll { width: 80; max-width: 100%; height: auto; max-height: 100%;
                          border: round $primary; background: $surface; padding: 0 1; }
{name} .pick-label { margin-top: 1; text-style: bold; }
{name} .dialog-status { color: $error; height: auto; }
"""


# the rules a new PIN is refused by (services/roster/pins.py): the new PIN is meant
NEW_PIN_FIELDS = {
    f"handover_pin.{rule}": "#new-pin"
    for rule in ("bad_length", "bad_characters", "one_digit", "straight_run", "repeated_block",
                 "one_odd_digit", "mismatch")
}  # fmt: skip


def _field(widget: Input, label: str) -> Input:
    widget.border_title = t(label)
    return widget


class _WorkerDialog(DeskModal["str | None"]):
    """Ctrl+S runs `work` in a worker thread on the register; its message dismisses the dialog,
    a DutyError is shown in the dialog and nothing was written."""

    KEYS = [
        Key("ctrl+s", "after_typing('save')", "people_screen.ok", priority=True),
        Key("escape", "cancel", "people_screen.cancel"),
    ]
    BINDINGS = bindings(KEYS)
    STATUS_LINE = ".dialog-status"
    # the field each refusal names, by its key (screens/refusal_focus.py): the cursor goes there
    FIELDS: ClassVar[dict[str, str]] = {}

    # Each dialog defines these two: what it read from its fields, and the write it makes.
    collect: Callable[[], dict[str, object]]
    work: Callable[[Desk, dict[str, object]], str]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        job = self.collect()
        for pin in self.query("Input.pin").results(Input):  # masked fields: not kept on screen
            pin.value = ""
        # the app's worker: closing the dialog must not cancel the write it is finishing
        self.app.run_worker(lambda: self._run(job), thread=True, group="people-dialog")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the last one it saves."""
        fields = list(self.query(Input).results(Input))
        if fields and event.input is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

    def _run(self, job: dict[str, object]) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk

        try:
            with thread_desk(self.desk) as own:
                message = self.work(own, job)
        except DutyError as error:
            self.app.call_from_thread(self._failed, error.message(), error)
            return
        self.app.call_from_thread(self._done, message)

    def _done(self, message: str) -> None:
        self.dismiss(message)

    def _failed(self, message: str, error: DutyError | None = None) -> None:
        from dutydesk.screens.refusal_focus import focus_refused

        self.busy = False
        self.say(message)
        if error is not None:
            focus_refused(self, error, self.FIELDS)


class _AuthorisedDialog(_WorkerDialog):
    FIELDS: ClassVar[dict[str, str]] = {
        "handover_pin.": "#admin-pin",
        "authority.first_pin": "#admin-pin",
        "authority.not_admin": "#admin-name",
    }

    def admin_fields(self) -> ComposeResult:
        yield _field(DeskInput(id="admin-name"), "people_screen.admin_name")
        yield _field(
            DeskInput(password=True, id="admin-pin", classes="pin"), "people_screen.admin_pin"
        )
        yield Static("", classes="dialog-status")

    def authority(self, desk: Desk, job: dict[str, object]) -> Authority:
        from dutydesk.services.roster import authorise

        return authorise(desk, str(job["admin"]).strip(), str(job["admin_pin"]))


class AddPersonDialog(_AuthorisedDialog):
    """Add a person on an administrator's authority; returns the status line, or None."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "AddPersonDialog")
    FIELDS: ClassVar[dict[str, str]] = _AuthorisedDialog.FIELDS | {
        "name": "#person-name",
        "people.exists": "#person-name",
        "people_check.lookalike": "#person-name",
        "in_post_since": "#person-since",
        "problem.bad_date": "#person-since",
    }

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:  # scrolls when the terminal is short
            box.border_title = t("people_screen.dialog_add_title")
            yield _field(DeskInput(id="person-name"), "people_screen.new_name")
            options = [(t("role." + role), role) for role in ROLES]
            yield Label(t("people_screen.role"), classes="pick-label")
            yield DeskSelect(options, value="officer", allow_blank=False, id="person-role")
            yield _field(DeskInput(id="person-since"), "people_screen.in_post_since")
            yield DeskCheckbox(t("people_screen.staff"), value=True, id="person-staff")
            yield DeskCheckbox(t("people_screen.trained"), value=True, id="person-trained")
            yield from self.admin_fields()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#person-name", Input).focus()

    def collect(self) -> dict[str, object]:
        return {
            "name": self.value("person-name"),
            "role": str(self.query_one("#person-role", Select).value),
            "since": self.value("person-since").strip(),
            "staff": self.query_one("#person-staff", Checkbox).value,
            "trained": self.query_one("#person-trained", Checkbox).value,
            "admin": self.value("admin-name"),
            "admin_pin": self.value("admin-pin"),
        }

    def work(self, desk: Desk, job: dict[str, object]) -> str:
        from dutydesk.services.core import parse_date
        from dutydesk.services.roster import add_person

        since = parse_date(str(job["since"])) if job["since"] else None
        authority = self.authority(desk, job)
        person, _reasons = add_person(
            desk, str(job["name"]), str(job["role"]), staff=bool(job["staff"]),
            in_post_since=since, trained=bool(job["trained"]), authority=authority,
        )  # fmt: skip
        role = t("role." + person.role)
        return t("people_screen.added", name=person.name, role=role, admin=authority.admin_name)


class SetPinDialog(_AuthorisedDialog):
    """Set a first PIN, or replace a forgotten one, on an administrator's authority."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "SetPinDialog")
    FIELDS: ClassVar[dict[str, str]] = _AuthorisedDialog.FIELDS | NEW_PIN_FIELDS

    def __init__(self, name: str) -> None:
        super().__init__()
        self.person = name

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:  # scrolls when the terminal is short
            box.border_title = literal(t("people_screen.dialog_pin_title", name=self.person))
            yield _field(
                DeskInput(password=True, id="new-pin", classes="pin"), "people_screen.new_pin"
            )
            yield _field(
                DeskInput(password=True, id="new-pin-again", classes="pin"),
                "people_screen.new_pin_again",
            )
            yield from self.admin_fields()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-pin", Input).focus()

    def collect(self) -> dict[str, object]:
        return {
            "pin": self.value("new-pin"),
            "again": self.value("new-pin-again"),
            "admin": self.value("admin-name"),
            "admin_pin": self.value("admin-pin"),
        }

    def work(self, desk: Desk, job: dict[str, object]) -> str:
        from dutydesk.services.roster import check_new_pin, set_pin

        check_new_pin(str(job["pin"]), str(job["again"]))  # before the administrator's try
        authority = self.authority(desk, job)
        set_pin(desk, self.person, str(job["pin"]), str(job["again"]), authority=authority)
        return t("people_screen.pin_done", name=self.person, admin=authority.admin_name)


class NewPinDialog(_WorkerDialog):
    """At sign-off: `name`'s PIN (just typed, right) was set under an older rule; a new one is
    set with it as the current PIN. Escape leaves it for the next sign-off."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "NewPinDialog")
    FIELDS: ClassVar[dict[str, str]] = NEW_PIN_FIELDS

    def __init__(self, name: str, current: str) -> None:
        super().__init__()
        self.person = name
        self._current = current

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:  # scrolls when the terminal is short
            box.border_title = literal(t("pin_rule.title", name=self.person))
            yield Static(literal(t("pin_rule.outdated", name=self.person)))
            yield _field(
                DeskInput(password=True, id="new-pin", classes="pin"), "people_screen.new_pin"
            )
            yield _field(
                DeskInput(password=True, id="new-pin-again", classes="pin"),
                "people_screen.new_pin_again",
            )
            yield Static("", classes="dialog-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-pin", Input).focus()

    def collect(self) -> dict[str, object]:
        return {"pin": self.value("new-pin"), "again": self.value("new-pin-again")}

    def work(self, desk: Desk, job: dict[str, object]) -> str:
        from dutydesk.services.roster import set_pin

        set_pin(desk, self.person, str(job["pin"]), str(job["again"]), current=self._current)
        self._current = ""
        return t("handover_pin.set", name=self.person)
