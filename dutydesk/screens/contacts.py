"""The phone list (常用电话号码表) on screen: the entries in force, filtered as typed; an entry
added (a), changed (e: a new record replacing it, with the reason) or withdrawn (w); the list
exported as XLSX (x). Reads and saves run in worker threads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.screens.entry_form import EntryForm, picker, text_input
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.models import Contact

COLUMNS = ("kind", "name", "unit", "post", "phone", "mobile", "note")
# Fixed widths (cells): auto-sized columns were painted at their headers' width until the table
# measured its rows, so a picture taken in between cut every name to two characters.
WIDTHS = {"kind": 10, "name": 16, "unit": 16, "post": 8, "phone": 14, "mobile": 13, "note": 20}
KINDS = ("unit", "principal", "upper")


class ContactForm(EntryForm):
    """Add an entry, or change one (then the reason is asked too)."""

    TITLE_KEY = "contacts_screen.add_title"

    def __init__(self, contact: Contact | None = None, *, withdraw: bool = False) -> None:
        super().__init__()
        self.contact = contact
        self.withdraw = withdraw

    def fields(self) -> ComposeResult:
        row = self.contact
        if row is not None:
            key = "withdraw_title" if self.withdraw else "change_title"
            yield Static(literal(t(f"contacts_screen.{key}", id=row.id) + f"  {row.name}"))
        if not self.withdraw:
            kinds = [(t(f"contact_kind.{kind}"), kind) for kind in KINDS]
            with Horizontal(classes="entry-row"):
                yield picker("contact_kind", kinds, row.kind if row else "unit")
                yield text_input("contact_name", row.name if row else "")
            with Horizontal(classes="entry-row"):
                yield text_input("contact_unit", row.unit if row else "")
                yield text_input("contact_post", row.post if row else "")
            with Horizontal(classes="entry-row"):
                yield text_input("contact_phone", row.phone if row else "")
                yield text_input("contact_mobile", row.mobile if row else "")
            yield text_input("contact_note", row.note if row else "")
        if row is not None:
            yield text_input("contact_reason")

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.documents import (
            ContactInput,
            add_contact,
            change_contact,
            withdraw_contact,
        )

        who = self.recorder()
        contact_id = self.contact.id if self.contact is not None else None
        if contact_id is not None and self.withdraw:
            withdraw_contact(self.desk, contact_id, who, values["contact_reason"])
            return t("contact.withdrew", id=contact_id)
        entry = ContactInput(**{name: values[f"contact_{name}"] for name in COLUMNS})
        if contact_id is None:
            row = add_contact(self.desk, who, entry)
            return t("contact.added", id=row.id, name=row.name)
        row = change_contact(self.desk, contact_id, who, entry, values["contact_reason"])
        return t("contact.changed", old=contact_id, id=row.id)


class ExportForm(EntryForm):
    TITLE_KEY = "contacts_screen.export_title"

    def fields(self) -> ComposeResult:
        yield text_input("contact_export_path", f"{t('contact.sheet')}.xlsx")

    def save_values(self, values: dict[str, Any]) -> str:
        from pathlib import Path

        from dutydesk.errors import DutyError
        from dutydesk.services.documents import contacts_xlsx

        path = Path(values["contact_export_path"].strip() or f"{t('contact.sheet')}.xlsx")
        path = path.expanduser()
        if not path.is_absolute():  # beside the register, not wherever the app was started (QA)
            path = self.desk.path.parent / path
        try:
            count = contacts_xlsx(self.desk, path)
        except OSError as exc:
            raise DutyError("contact.file_unreadable", path=str(path), reason=exc.strerror) from exc
        return t("contact.exported", count=count, path=str(path))


class ContactsScreen(DeskScreen[None]):
    STATUS_LINE = "#contacts-status"
    KEYS: ClassVar[list[Key]] = [
        Key("ctrl+n", "add", "contacts_screen.add", priority=True),
        Key("ctrl+e", "change", "contacts_screen.change", priority=True),
        Key("ctrl+w", "withdraw", "contacts_screen.withdraw", priority=True),
        Key("ctrl+x", "export", "contacts_screen.export", priority=True),
        Key("escape", "back", "incident_view.back"),
    ]
    BINDINGS = bindings(KEYS)
    DEFAULT_CSS = """
    #contacts-filter { margin: 0 1; }
    #contacts-table { height: 1fr; border: round $primary; }
    #contacts-status.error { color: $error; text-style: bold; }
    #contacts-status.ok { color: $success; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, Contact] = {}

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        yield DeskInput(placeholder=t("contacts_screen.filter"), id="contacts-filter")
        table: DataTable[str] = DataTable(id="contacts-table", cursor_type="row")
        table.border_title = literal(t("contacts_screen.title"))
        for column in COLUMNS:
            table.add_column(t(f"field.contact_{column}"), key=column, width=WIDTHS[column])
        yield table
        yield Static("", id="contacts-status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#contacts-table", DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "contacts-filter":
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#contacts-table", DataTable).focus()

    def reload(self) -> None:
        query = self.query_one("#contacts-filter", Input).value
        self.run_worker(lambda: self._read(query), thread=True, exclusive=True,
                        group="contacts", exit_on_error=False)  # fmt: skip

    def _read(self, query: str) -> None:
        from dutydesk.services.core import thread_desk
        from dutydesk.services.documents import current_contacts

        with thread_desk(self.desk) as own:
            rows = current_contacts(own, query)
        self.app.call_from_thread(self.show, rows)

    def show(self, rows: list[Contact]) -> None:
        table = self.query_one("#contacts-table", DataTable)
        table.clear()
        self.rows = {str(row.id): row for row in rows}
        for row in rows:
            cells = [t(f"contact_kind.{row.kind}"), *(getattr(row, c) for c in COLUMNS[1:])]
            table.add_row(*(literal(cell) for cell in cells), key=str(row.id))
        table.border_subtitle = literal(t("contacts_screen.count", count=len(rows)))
        if not rows:
            self.say(t("contacts_screen.empty"))

    def _selected(self) -> Contact | None:
        table = self.query_one("#contacts-table", DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(key or "")

    def _open(self, form: EntryForm) -> None:
        def _closed(message: str | None) -> None:
            if message:
                self.set_status(message, ok=True)
                self.reload()

        self.app.push_screen(form, _closed)

    def action_add(self) -> None:
        self._open(ContactForm())

    def _for_selected(self, withdraw: bool) -> None:
        row = self._selected()
        if row is None:
            self.set_status(t("contacts_screen.pick"), ok=False)
            return
        self._open(ContactForm(row, withdraw=withdraw))

    def action_change(self) -> None:
        self._for_selected(False)

    def action_withdraw(self) -> None:
        self._for_selected(True)

    def action_export(self) -> None:
        self._open(ExportForm())

    def action_back(self) -> None:
        self.app.pop_screen()
