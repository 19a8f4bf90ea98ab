"""The handover checklist as the screen shows it: its rows, its head, the selected item in full,
and the checklist read again in a worker whenever anyone commits to the register, so marks made
elsewhere (the command line, another terminal) appear on an open screen (breaker, session 17:
only when it was shown again). Not while a note is being typed here, and a read that finds the
checklist as shown changes nothing on the screen (this screen's own marks are shown already)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from dutydesk.i18n import t
from dutydesk.screens.handover_previous import HandedOverScreen
from dutydesk.screens.handover_rows import full_text, row_cells
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.handover import Checklist, Item


class ChecklistRead(Message):
    def __init__(self, checklist: Checklist) -> None:
        super().__init__()
        self.checklist = checklist


def _as_shown(checklist: Checklist) -> tuple[Any, ...]:
    """What of a checklist the screen shows: a read equal to the one shown redraws nothing."""
    items = tuple((i.key, i.state, i.note, i.arrived_at, i.label()) for i in checklist.items)
    return (checklist.shift.id, checklist.ready, items)


class ChecklistScreen(HandedOverScreen):
    checklist: Checklist | None = None
    _asking: tuple[str, str] | None = None  # (what, item key) while the note is open

    def watch_register(self) -> None:
        changed = getattr(self.app, "register_changed", None)  # the desk app's signal
        if changed is not None:
            changed.subscribe(self, self._register_changed)

    def _register_changed(self, _: None) -> None:
        if self.is_current and self._asking is None and self.checklist is not None:
            self._read_checklist()

    @work(thread=True, exclusive=True, group="handover-checklist")
    def _read_checklist(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.handover import build_checklist

        try:
            checklist = build_checklist(self.desk)
        except DutyError:
            return  # the register busy or gone: the next change, or F5, reads it again
        if not get_current_worker().is_cancelled:
            self.post_message(ChecklistRead(checklist))

    @on(ChecklistRead)
    def _checklist_read(self, message: ChecklistRead) -> None:
        shown = self.checklist
        if self._asking is None and (
            shown is None or _as_shown(shown) != _as_shown(message.checklist)
        ):
            self.show_checklist(message.checklist)

    def show_refused(self, message: str) -> None:
        """No checklist to show (no shift on duty, the register unreadable): why, in its place."""
        self.query_one("#handover-table", DataTable).clear()
        self.checklist = None
        self.query_one("#handover-head", Static).update(literal(message))
        self.show_handed_over(None)

    def show_checklist(self, checklist: Checklist) -> None:
        table = self.query_one("#handover-table", DataTable)
        row, scrolled = table.cursor_row, table.scroll_y
        marked = self.current_item()
        table.clear()
        self.checklist = checklist
        self.show_handed_over(checklist.shift.id)
        for item in checklist.items:
            table.add_row(*row_cells(item, self.desk.timezone), key=item.key)
        if marked is not None and checklist.item(marked.key) is not None:
            row = table.get_row_index(marked.key)  # the cursor stays with its item, if it moved
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), scroll=False)
            # the rows where they were (a mark read in from elsewhere made the view jump: new
            # officer, session 18), then the cursor's in sight if it moved
            table.call_after_refresh(self._scroll_back, scrolled)
        self._show_full()
        self.query_one("#handover-head", Static).update(literal(_head(checklist)))

    def _scroll_back(self, scrolled: float) -> None:
        table = self.query_one("#handover-table", DataTable)
        table.scroll_to(y=scrolled, animate=False, immediate=True)
        table.move_cursor(row=table.cursor_row)  # scrolls only when the cursor is out of sight

    @on(DataTable.RowHighlighted, "#handover-table")
    def _row_highlighted(self) -> None:
        self._show_full()

    def _show_full(self) -> None:
        """The selected item's full text, article and note under the table, when its row cuts
        any of them (the form carries them in full; the row cuts to fit the screen)."""
        item = self.current_item()
        full = self.query_one("#handover-full", Static)
        text = full_text(item, self.desk.timezone) if item is not None else None
        full.display = text is not None
        if text is not None:
            full.update(literal(text))

    def current_item(self) -> Item | None:
        if self.checklist is None:
            return None
        table = self.query_one("#handover-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.checklist.item(str(row_key.value))


def _head(checklist: Checklist) -> str:
    due = checklist.due
    head = t(
        "handover_screen.head_ready" if checklist.ready else "handover_screen.head",
        shift=t("shift." + checklist.shift.slot_code),
        officer=checklist.officer,
        due=due.at.format("MM-DD HH:mm"),
        cite=due.cite,
        arrive_by=due.arrive_by.format("HH:mm"),
        open=len(checklist.blocking),
    )
    for section in checklist.absent:
        head += "\n" + t("handover_form.absent_" + section)
    if due.calendar in ("unavailable", "beyond_data"):  # said plainly: the regular time
        head += "\n" + t("handover_schedule.calendar_" + due.calendar)
    return head
