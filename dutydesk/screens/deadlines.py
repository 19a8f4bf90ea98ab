"""The deadline board: every open reporting deadline, soonest first, counting down
live. One DataTable updated cell by cell each second (cheapest for the CPU, see MEASURED.md).

A row that alerts (enters warning or overdue, or re-alerts) rings the bell and flashes: for the
profile's incidents.flash_seconds its cells alternate between reverse and normal style on each
tick of the screen's one timer. The word and colour of the state stay as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dutydesk.i18n import t
from dutydesk.widgets.bindings import Key, bind_keys
from dutydesk.widgets.header import DutyHeader

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.deadline_views import DeadlineView
    from dutydesk.services.desk import Desk

TICK_S = 1.0
RELOAD_S = 30.0  # deadlines created from another terminal appear within this time
ALERTING = ("warning", "overdue")
STATUS_STYLES = {"ok": "green", "warning": "bold black on yellow", "overdue": "bold white on red"}
FLASH_STYLE = "reverse"
STATIC_COLUMNS = ("what", "due", "clock", "rule")


class DeadlinesScreen(Screen[None]):
    KEYS = [
        Key("ctrl+a", "acknowledge", "board.acknowledge", priority=True),
        Key("ctrl+d", "done", "board.done", priority=True),
        Key("ctrl+r", "reload", "board.reload", priority=True),
        Key("ctrl+t", "draft", "board.draft", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        bind_keys(self, self.KEYS)
        self.views: dict[int, DeadlineView] = {}
        self.last_alert: dict[int, DateTime] = {}
        self.flash_until: dict[int, DateTime] = {}  # rows flashing, until when (desk clock)
        self.flash_on: dict[int, bool] = {}  # whether a flashing row is reversed this tick
        self.static_cells: dict[int, tuple[str, ...]] = {}  # what, due, clock, rule as shown
        self.order: list[int] = []  # deadline ids in row order
        self.drawn: dict[int, tuple[str, str, bool]] = {}  # what each row's live cells show
        self.stale: set[int] = set()  # rows off screen whose cells are behind

    @property
    def desk(self) -> Desk:
        desk = self.app.desk  # type: ignore[attr-defined]
        assert desk is not None
        return desk

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        table: DataTable[str] = DataTable(id="board", cursor_type="row", zebra_stripes=True)
        table.border_title = t("board.title")
        yield table
        yield Static("", id="board-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#board", DataTable)
        for key in ("status", "remaining", *STATIC_COLUMNS):
            table.add_column(t("board.column_" + key), key=key)
        self.reload()
        self.set_interval(TICK_S, self.tick)
        self.set_interval(RELOAD_S, self.reload)
        self.watch(table, "scroll_y", self._draw_stale, init=False)

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        from dutydesk.services.deadlines import open_deadlines

        table = self.query_one("#board", DataTable)
        table.clear()
        self.views = {view.id: view for view in open_deadlines(self.desk)}
        self.order = list(self.views)
        self.drawn = {}
        self.stale = set()
        for gone in set(self.flash_until) - set(self.views):
            self._stop_flash(gone)
        timezone = self.desk.timezone
        self.static_cells = {}
        for view in self.views.values():
            clock = t(
                "board.clock",
                counts_from=t("deadline_counts_from." + view.counts_from),
                at=view.clock_at.in_timezone(timezone).format("MM-DD HH:mm"),
            )
            due = view.due_at.in_timezone(timezone).format("MM-DD HH:mm") if view.due_at else "—"
            self.static_cells[view.id] = (view.what, due, clock, view.cite)
            reverse = self.flash_on.get(view.id, False)
            table.add_row(
                *self._live_cells(view, reverse),
                *self._static_cells(view.id, reverse),
                key=str(view.id),
            )
        table.border_title = t("board.title_count", count=len(self.views))

    @staticmethod
    def _live_cells(view: DeadlineView, reverse: bool = False) -> tuple[Text, Text]:
        """Status by word and by colour (never colour alone), reversed while flashing."""
        from dutydesk.services.deadline_views import remaining_label

        style = STATUS_STYLES.get(view.status, "")
        if reverse:
            style = f"{style} {FLASH_STYLE}".strip()
        return (
            Text(t("deadline_status." + view.status), style=style),
            Text(remaining_label(view), style=style),
        )

    def _static_cells(self, deadline_id: int, reverse: bool) -> tuple[str | Text, ...]:
        cells = self.static_cells.get(deadline_id, ("",) * len(STATIC_COLUMNS))
        if not reverse:
            return cells
        return tuple(Text(cell, style=FLASH_STYLE) for cell in cells)

    def is_flashing(self, deadline_id: int) -> bool:
        return deadline_id in self.flash_until

    def _start_flash(self, deadline_id: int, now: DateTime) -> None:
        seconds = self.desk.profile.incidents.flash_seconds
        if seconds > 0:
            self.flash_until[deadline_id] = now.add(seconds=seconds)
            self.flash_on[deadline_id] = False  # the step below turns it on at once

    def _stop_flash(self, deadline_id: int) -> None:
        self.flash_until.pop(deadline_id, None)
        self.flash_on.pop(deadline_id, None)

    def _flash_step(self, deadline_id: int, now: DateTime) -> tuple[bool, bool]:
        """(reversed this tick, the static cells need redrawing) for one row."""
        until = self.flash_until.get(deadline_id)
        if until is None:
            return False, False
        if now >= until:
            self._stop_flash(deadline_id)
            return False, True
        reverse = not self.flash_on.get(deadline_id, False)
        self.flash_on[deadline_id] = reverse
        return reverse, True

    def tick(self) -> None:
        """Re-evaluate every row (alerts must not wait for scrolling), but redraw only the rows
        on screen whose cells changed: with 500 rows, updating every cell cost ~11 % of a core."""
        from dutydesk.services.deadline_views import realert_due, reevaluate

        now = self.desk.now()
        table = self.query_one("#board", DataTable)
        shown = set(self._visible_ids(table))
        for deadline_id, view in list(self.views.items()):
            fresh = reevaluate(view, now, self.desk.profile)
            self.views[deadline_id] = fresh
            entered_alert = fresh.status in ALERTING and fresh.status != view.status
            if entered_alert or (
                fresh.status in ALERTING
                and fresh.acked_status != fresh.status
                and realert_due(fresh, now, self.last_alert.get(deadline_id), self.desk.profile)
            ):
                self.last_alert[deadline_id] = now
                self.app.bell()
                self._start_flash(deadline_id, now)
            reverse, redraw = self._flash_step(deadline_id, now)
            if deadline_id in shown:
                self._draw(table, deadline_id, reverse, redraw)
            else:
                self.stale.add(deadline_id)

    def _visible_ids(self, table: DataTable[str]) -> list[int]:
        top = int(table.scroll_y)
        return self.order[top : top + table.size.height + 1]

    def _draw(self, table: DataTable[str], deadline_id: int, reverse: bool, static: bool) -> None:
        from dutydesk.services.deadline_views import remaining_label

        view = self.views[deadline_id]
        shown = (view.status, remaining_label(view), reverse)
        if static or self.drawn.get(deadline_id) != shown:
            row = str(deadline_id)
            status, remaining = self._live_cells(view, reverse)
            table.update_cell(row, "status", status)
            table.update_cell(row, "remaining", remaining)
            self.drawn[deadline_id] = shown
        if static:
            cells = self._static_cells(deadline_id, reverse)
            for column, cell in zip(STATIC_COLUMNS, cells, strict=True):
                table.update_cell(str(deadline_id), column, cell)
        self.stale.discard(deadline_id)

    def _draw_stale(self) -> None:
        table = self.query_one("#board", DataTable)
        for deadline_id in self._visible_ids(table):
            if deadline_id in self.stale:
                self._draw(table, deadline_id, self.flash_on.get(deadline_id, False), True)

    def _selected(self) -> DeadlineView | None:
        table = self.query_one("#board", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.views.get(int(str(row_key.value)))

    def _act(self, operation: str) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services import deadlines
        from dutydesk.services.calls import resolve_recorder

        view = self._selected()
        status = self.query_one("#board-status", Static)
        if view is None:
            status.update(t("board.nothing_selected"))
            return
        try:
            person = resolve_recorder(self.desk, None)
            if operation == "ack":
                deadlines.acknowledge(self.desk, view.id, person)
                self._stop_flash(view.id)  # acknowledged: the alert has been seen
                status.update(t("board.acked", what=view.what))
            else:
                done = deadlines.close_deadline(self.desk, view.id, person)
                key = "board.done_late" if done.status == "late" else "board.done_ok"
                status.update(t(key, what=view.what, minutes=done.late_minutes or 0))
        except DutyError as error:
            status.update(error.message())
            return
        self.reload()

    def action_acknowledge(self) -> None:
        self._act("ack")

    def action_done(self) -> None:
        self._act("done")

    def action_draft(self) -> None:
        """The first-report text from the incident's elements, in the usual order, to copy out."""
        from dutydesk.screens.text_dialog import TextDialog
        from dutydesk.services.incidents import draft_first_report, get_incident

        view = self._selected()
        if view is None or view.subject != "incident":
            self.query_one("#board-status", Static).update(t("board.draft_incident_only"))
            return
        text = draft_first_report(self.desk, get_incident(self.desk, view.subject_id))
        self.app.push_screen(TextDialog(t("board.draft_title", what=view.label), text))

    def action_reload(self) -> None:
        self.reload()
