"""The People screen (人员): everyone in the register with their role, whether they may sit a
shift and whether they have a PIN. Adding a person and setting or resetting a PIN go through a
dialog that asks for an administrator's name and PIN (screens/people_dialogs.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

COLUMNS = ("name", "role", "eligibility", "pin")


@dataclass(frozen=True)
class PersonRow:
    name: str
    role: str
    reasons: tuple[str, ...]  # why not eligible, as shown (empty: eligible)
    pin_set: bool

    @property
    def sits_shifts(self) -> bool:
        return self.role != "admin"  # an administrator keeps the register, sits no shift


def load_rows(desk: Desk) -> list[PersonRow]:
    """The register's people as the table shows them (run in a worker thread)."""
    from dutydesk.services.roster import has_pin, ineligibilities, list_people

    today = desk.now().date()
    rows = []
    for person in list_people(desk):
        reasons = ineligibilities(person, desk.profile.eligibility, today)
        rows.append(
            PersonRow(
                person.name,
                person.role,
                tuple(t(r.key, name=person.name, cite=r.cite) for r in reasons),
                has_pin(desk, person.name),
            )
        )
    return rows


class PeopleScreen(DeskScreen[None]):
    DEFAULT_CSS = """
    #people-table { height: 1fr; border: round $primary; }
    #people-status { height: auto; padding: 0 1; color: $warning; }
    """
    KEYS = [
        Key("ctrl+n", "add_person", "people_screen.add", priority=True),
        Key("ctrl+r", "set_pin", "people_screen.set_pin", priority=True),
    ]
    BINDINGS = bindings(KEYS)
    STATUS_LINE = "#people-status"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PersonRow] = []

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        table: DataTable[Text] = DataTable(id="people-table", cursor_type="row", zebra_stripes=True)
        table.border_title = t("people_screen.title")
        yield table
        yield Static("", id="people-status", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#people-table", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"people_screen.{key}"), key=key)
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.run_worker(self._load, thread=True, exclusive=True, group="people-load")

    def _load(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk

        try:
            with thread_desk(self.desk) as own:
                rows = load_rows(own)
        except DutyError as error:
            self.app.call_from_thread(self.say, error.message())
            return
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[PersonRow]) -> None:
        self.rows = rows
        table = self.query_one("#people-table", DataTable)
        table.clear()
        for row in rows:
            eligibility = (
                "—"
                if not row.sits_shifts
                else t(
                    "people_screen.not_eligible",
                    reasons=t("people_screen.separator").join(row.reasons),
                )
                if row.reasons
                else t("people_screen.eligible")
            )
            pin = t("people_screen.pin_set" if row.pin_set else "people_screen.pin_none")
            cells = (row.name, t("role." + row.role), eligibility, pin)
            table.add_row(*(literal(cell) for cell in cells), key=row.name)

    def selected(self) -> PersonRow | None:
        table = self.query_one("#people-table", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_add_person(self) -> None:
        from dutydesk.screens.people_dialogs import AddPersonDialog

        self.app.push_screen(AddPersonDialog(), callback=self._after_dialog)

    def action_set_pin(self) -> None:
        from dutydesk.screens.people_dialogs import SetPinDialog

        row = self.selected()
        if row is None:
            self.say(t("people_screen.nothing_selected"))
            return
        self.app.push_screen(SetPinDialog(row.name), callback=self._after_dialog)

    def _after_dialog(self, message: str | None) -> None:
        if message:  # the list is reloaded as the screen resumes
            self.say(message)
