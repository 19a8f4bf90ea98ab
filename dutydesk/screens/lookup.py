"""Search all registers (F9, and the command palette): calls, documents (文电) and the phone list
found as the user types, each row saying its register; Enter opens the record (a call's detail,
a document with its steps, a phone-list entry with its history). The search runs in a worker
thread; what was typed and found is shown literally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.lookup import Hit

COLUMNS = ("register", "at", "title", "detail")
FIXED = {"register": 10, "at": 16}  # cells; the record and its detail share the rest


def column_widths(screen_width: int) -> dict[str, int]:
    """Widths that fit the dialog (95% of the screen, less its border and each cell's padding)."""
    inner = int(screen_width * 0.95) - 2
    rest = max(inner - sum(FIXED.values()) - 2 * len(COLUMNS) - 2, 20)
    title = rest * 11 // 20
    return {**FIXED, "title": title, "detail": rest - title}


PER_REGISTER = 30


class LookupDialog(DeskModal[None]):
    STATUS_LINE = "#lookup-status"
    KEYS = [
        Key("escape", "close", "lookup.close"),
        Key("down", "to_table", "lookup.open", show=False),
    ]
    BINDINGS = bindings(KEYS)
    DEFAULT_CSS = """
    LookupDialog { align: center middle; }
    #lookup-box { width: 95%; height: 90%; border: round $primary; background: $surface; }
    #lookup-table { height: 1fr; }
    #lookup-status { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.hits: dict[str, Hit] = {}
        self.widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup-box") as box:
            box.border_title = literal(t("lookup.title"))
            yield DeskInput(placeholder=t("lookup.placeholder"), id="lookup-input")
            table: DataTable[str] = DataTable(id="lookup-table", cursor_type="row")
            self.widths = column_widths(self.app.size.width)
            for column in COLUMNS:
                table.add_column(t(f"lookup.col_{column}"), key=column,
                                 width=self.widths[column])  # fmt: skip
            yield table
            yield Static(literal(t("lookup.hint")), id="lookup-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#lookup-input", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        query = event.value
        if not query.split():
            self._show(query, [])
            self.say(t("lookup.hint"))
            return
        self.run_worker(lambda: self._search(query), thread=True, exclusive=True,
                        group="lookup", exit_on_error=False)  # fmt: skip

    def _search(self, query: str) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.lookup import search_all

        try:
            with thread_desk(self.desk) as own:
                hits = search_all(own, query, limit=PER_REGISTER)
        except DutyError as error:  # an index damaged by hand: said, not an empty list
            self.app.call_from_thread(self.say, error.message())
            return
        self.app.call_from_thread(self._show, query, hits)

    def _show(self, query: str, hits: list[Hit]) -> None:
        if query != self.query_one("#lookup-input", Input).value:
            return  # an older search answering after a newer one was typed
        table = self.query_one("#lookup-table", DataTable)
        table.clear()
        self.hits = {}
        from dutydesk.services.lookup import register_label

        zone = self.desk.timezone
        for index, hit in enumerate(hits):
            key = str(index)
            self.hits[key] = hit
            at = hit.at.in_timezone(zone).format("YYYY-MM-DD HH:mm") if hit.at else ""
            cells = (t(register_label(hit)), at, hit.title, hit.detail)
            # a cell longer than its column ends in "…" (a phone at the end was cut unseen)
            shown = (
                literal(cell, width=self.widths[column])
                for column, cell in zip(COLUMNS, cells, strict=True)
            )
            table.add_row(*shown, key=key)
        if query.split():
            found = t("lookup.count", count=len(hits), limit=PER_REGISTER)
            self.say(found if hits else t("lookup.none", query=query))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._open_row()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open_row()

    def action_to_table(self) -> None:
        if self.hits:
            self.query_one("#lookup-table", DataTable).focus()

    def _open_row(self) -> None:
        table = self.query_one("#lookup-table", DataTable)
        if not self.hits or table.cursor_row < 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        hit = self.hits.get(key or "")
        if hit is None:
            return
        if hit.register == "calls":
            from dutydesk.screens.call_detail import CallDetailScreen

            self.app.push_screen(CallDetailScreen(hit.key))
            return
        from dutydesk.screens.lookup_record import RecordDialog

        self.app.push_screen(RecordDialog(hit.register, hit.key, hit.title))

    def action_close(self) -> None:
        self.dismiss(None)
