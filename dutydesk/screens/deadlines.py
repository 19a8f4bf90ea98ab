"""The deadline board: every open reporting deadline, soonest first, counting down
live. One CountdownTable (widgets/countdown_table.py): each second the screen's one timer
re-evaluates every deadline and repaints the rows on screen, whose live cells are read at paint
time; DataTable re-rendered every visible cell on each update (bench: 500 rows, ~15 % of a core).

A row that alerts (enters warning or overdue, or re-alerts) rings the bell and flashes: for the
profile's incidents.flash_seconds its cells alternate between reverse and normal style on each
tick of the screen's one timer. The word and colour of the state stay as they are."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from dutydesk.i18n import cite, t
from dutydesk.screens.base import DeskScreen
from dutydesk.screens.board_lookups import (
    DraftRead,
    RegradeTarget,
    RowIncident,
    find_regrade_target,
    find_row_incident,
    read_draft,
)
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.countdown_table import CountdownTable
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.literal import literal, one_line

if TYPE_CHECKING:
    from pendulum import Date, DateTime

    from dutydesk.services.incidents import DeadlineView
    from dutydesk.widgets.live_state import LiveState

ALERTING = ("warning", "overdue")
STATUS_STYLES = {"ok": "green", "warning": "bold black on yellow", "overdue": "bold white on red"}
FLASH_STYLE = "reverse"
LIVE_COLUMNS = ("status", "remaining")
STATIC_COLUMNS = ("what", "due", "clock", "rule")
# Cut in this order on a narrow screen; the due time never. The rule first down to RULE_KEPT
# cells (a long English citation, not 天津规定第二十条), then the item, then the rule further: the
# item is what the officer acts on (new officer, session 16: items cut beside a wide 依据).
RULE_KEPT = 20
GIVE_WAY: tuple[str | tuple[str, int], ...] = ("clock", ("rule", RULE_KEPT), "what", "rule")


class DeadlinesScreen(DeskScreen[None]):
    STATUS_LINE = "#board-status"
    KEYS = [
        Key("ctrl+a", "acknowledge", "board.acknowledge", priority=True),
        Key("ctrl+d", "done", "board.done", priority=True),
        Key("ctrl+r", "reload", "board.reload", priority=True),
        Key("ctrl+t", "draft", "board.draft", priority=True),
        Key("ctrl+g", "regrade", "board.regrade", priority=True),
        Key("ctrl+n", "new_entry('incident')", "board_entry.new_incident", priority=True),
        Key("ctrl+k", "new_entry('verification')", "board_entry.new_verification", priority=True),
        Key("ctrl+l", "new_entry('instruction')", "board_entry.new_instruction", priority=True),
        # the incident view (its orders); not in the footer, listed under the keys
        Key("ctrl+e", "open_incident", "board.open_incident", show=False, priority=True),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        # keyed by the board's row keys (services/board.board_key): every register's items
        self.views: dict[str, DeadlineView] = {}
        self.last_alert: dict[str, DateTime] = {}
        self.flash_until: dict[str, DateTime] = {}  # rows flashing, until when (desk clock)
        self.flash_on: dict[str, bool] = {}  # whether a flashing row is reversed this tick
        self.static_cells: dict[str, tuple[str, ...]] = {}  # what, due, clock, rule as shown
        self.due_ts: dict[str, float] = {}  # open dated items: due time as a timestamp
        self.painted_at: DateTime | None = None  # the time of the last tick
        self.shown: LiveState | None = None  # the app's load the board shows

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        columns = [(key, t("board.column_" + key)) for key in (*LIVE_COLUMNS, *STATIC_COLUMNS)]
        table = CountdownTable(
            columns, len(LIVE_COLUMNS), self._live_of, give_way=GIVE_WAY,
            empty=t("board.none_open"), id="board",
        )  # fmt: skip
        table.border_title = literal(t("board.title"))
        yield table
        yield Static("", id="board-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.app.live_changed.subscribe(self, self.show_live, immediate=True)
        if self.app.live is not None:
            self.show_live(self.app.live)
        # once a second on the app's change check (a timer of its own woke the app once more
        # each second, on every screen once the board had been opened); out of sight too: an
        # alert rings wherever the officer is
        self.app.tick_each_second(self)

    def on_unmount(self) -> None:
        self.app.stop_ticking(self)

    def on_screen_resume(self) -> None:
        if self.app.live is not None and self.app.live is not self.shown:
            self.show_live(self.app.live)

    def reload(self) -> None:
        """Read the open deadlines again, in the app's worker: the board and the header repaint
        together when they come (show_live). Any change from another terminal does the same by
        itself within a second."""
        self.app.refresh_live()

    def show_live(self, state: LiveState) -> None:
        """Show the open deadlines of the app's latest load (the header shows the same load)."""
        from dutydesk.services.board import board_key
        from dutydesk.services.incidents import due_label

        self.shown = state
        table = self.query_one("#board", CountdownTable)
        self.views = {board_key(view): view for view in state.deadlines}
        self.due_ts = {
            key: view.due_at.timestamp()
            for key, view in self.views.items()
            if view.due_at is not None and view.status in ("ok", *ALERTING)
        }
        for gone in set(self.flash_until) - set(self.views):
            self._stop_flash(gone)
        timezone = self.desk.timezone
        today = self.desk.now().in_timezone(timezone).date()
        self.static_cells = {}
        rows = []
        for key, view in self.views.items():
            clock = t(
                "board.clock",
                counts_from=t("deadline_counts_from." + view.counts_from),
                at=view.clock_at.in_timezone(timezone).format("MM-DD HH:mm"),
            )
            due = due_label(view, timezone, self._due_format(view, today))
            cells = (view.what, due, clock, cite(view.cite))
            self.static_cells[key] = tuple(one_line(cell) for cell in cells)
            reverse = self.flash_on.get(key, False)
            rows.append((key, self._static_cells(key, reverse)))
        table.set_rows(rows)
        table.border_title = literal(t("board.title_count", count=len(self.views)))

    def _due_format(self, view: DeadlineView, today: Date) -> str:
        """A re-graded deadline's two clocks due today as HH:mm, so both fit the column
        ("按事件时间 10:20 / 按定级时间 11:25"); otherwise with their date."""
        zone = self.desk.timezone
        dues = [d for d in (view.due_at, view.event_due_at) if d is not None]
        both_today = len(dues) == 2 and all(d.in_timezone(zone).date() == today for d in dues)
        return "HH:mm" if both_today else "MM-DD HH:mm"

    def _live_of(self, key: str) -> tuple[Text, Text]:
        """The live cells of a row being painted: its countdown at the last tick."""
        from dutydesk.services.incidents import reevaluate

        view = self.views[key]
        if self.painted_at is not None and key in self.due_ts:
            view = reevaluate(view, self.painted_at, self.desk.profile)
        return self._live_cells(view, self.flash_on.get(key, False))

    @staticmethod
    def _live_cells(view: DeadlineView, reverse: bool = False) -> tuple[Text, Text]:
        """Status by word and by colour (never colour alone), reversed while flashing."""
        from dutydesk.services.incidents import remaining_label

        style = STATUS_STYLES.get(view.status, "")
        if reverse:
            style = f"{style} {FLASH_STYLE}".strip()
        return (
            Text(t("deadline_status." + view.status), style=style),
            Text(remaining_label(view), style=style),
        )

    def _static_cells(self, key: str, reverse: bool) -> tuple[str | Text, ...]:
        cells = self.static_cells.get(key, ("",) * len(STATIC_COLUMNS))
        if not reverse:
            return cells
        return tuple(Text(cell, style=FLASH_STYLE) for cell in cells)

    def is_flashing(self, key: int | str) -> bool:
        """Whether a row flashes: a report deadline by its number, any item by its row key."""
        return str(key) in self.flash_until

    def _start_flash(self, key: str, now: DateTime) -> None:
        seconds = self.desk.profile.incidents.flash_seconds
        if seconds > 0:
            self.flash_until[key] = now.add(seconds=seconds)
            self.flash_on[key] = False  # the step below turns it on at once

    def _stop_flash(self, key: str) -> None:
        self.flash_until.pop(key, None)
        self.flash_on.pop(key, None)

    def _flash_step(self, key: str, now: DateTime) -> tuple[bool, bool]:
        """(reversed this tick, the static cells need redrawing) for one row."""
        until = self.flash_until.get(key)
        if until is None:
            return False, False
        if now >= until:
            self._stop_flash(key)
            return False, True
        reverse = not self.flash_on.get(key, False)
        self.flash_on[key] = reverse
        return reverse, True

    def tick(self) -> None:
        """Re-evaluate every deadline's state (alerts never wait for scrolling), then repaint:
        only the rows on screen are rendered, their countdowns computed at paint time."""
        from dutydesk.services.incidents import open_status, realert_due, reevaluate

        tables = self.query("#board").results(CountdownTable)
        table = next(tables, None)
        if table is None:  # ticked by the app while being mounted or removed
            return
        now = self.desk.now()
        self.painted_at = now
        now_ts = now.timestamp()
        profile = self.desk.profile
        for key, view in list(self.views.items()):
            due_ts = self.due_ts.get(key)
            if due_ts is None:  # no limit ("as soon as possible"), done or superseded: it stays
                continue
            status = open_status(math.floor(due_ts - now_ts), profile.incidents.warning_minutes)
            fresh = view if status == view.status else reevaluate(view, now, profile)
            self.views[key] = fresh
            entered_alert = fresh.status in ALERTING and fresh.status != view.status
            if entered_alert or (
                fresh.status in ALERTING
                and fresh.acked_status != fresh.status
                and realert_due(fresh, now, self.last_alert.get(key), profile)
            ):
                self.last_alert[key] = now
                self.app.bell()
                self._start_flash(key, now)
            reverse, redraw = self._flash_step(key, now)
            if redraw:
                table.update_static(key, self._static_cells(key, reverse))
        table.refresh_changed()

    def _selected(self) -> DeadlineView | None:
        key = self.query_one("#board", CountdownTable).cursor_key
        return None if key is None else self.views.get(key)

    def _open_dialog(self, dialog_kind: str) -> None:
        """Ctrl+A: acknowledge with a reason; Ctrl+D: record the report, reply or feedback that
        meets the deadline. Never done without such a record (both dialogs save in a worker)."""
        from dutydesk.screens.ack_dialog import AckDialog
        from dutydesk.screens.report_dialog import ReportDialog
        from dutydesk.services.board import is_deadline_row

        view = self._selected()
        if view is None:
            self.say(t("board.nothing_selected"))
            return

        def _closed(message: str | None) -> None:
            if message is not None:
                if dialog_kind == "ack":
                    self._stop_flash(str(view.id))  # acknowledged: the alert has been seen
                self.say(message)
                self.reload()

        if not is_deadline_row(view):  # e.g. a document: passed on in its own register
            self.say(t(f"board.not_here_{view.subject}", what=view.label))
            return
        if dialog_kind == "ack" and view.status not in ("warning", "overdue"):
            # said before a reason is typed, naming the item, not its number (QA)
            self.say(t("board.nothing_to_ack", what=view.label))
            return
        dialog = AckDialog(view) if dialog_kind == "ack" else ReportDialog(view)
        self.app.push_screen(dialog, _closed)

    def action_acknowledge(self) -> None:
        self._open_dialog("ack")

    def action_done(self) -> None:
        self._open_dialog("report")

    def action_draft(self) -> None:
        """The first-report text from the incident's elements, in the usual order, to copy out;
        read in a worker (a DraftRead comes back), the keys typed meanwhile held for it."""
        view = self._selected()
        if view is None or view.subject != "incident":
            self.say(t("board.draft_incident_only"))
            return
        self.app.hold_keys()
        read_draft(self, view)

    @on(DraftRead)
    def _draft_read(self, message: DraftRead) -> None:
        from dutydesk.screens.text_dialog import TextDialog

        try:
            if not self.is_current:  # the officer has moved on while it was read
                return
            if message.problem:
                self.say(message.problem)
            else:
                self.app.push_screen(TextDialog(message.title, message.text))
        finally:
            self.app.call_later(self.app.release_keys)

    def action_regrade(self) -> None:
        """Re-grade the selected row's incident (an incident's deadline, or a 核报, 批示 or order
        linked to one); on any other row, or none, ask for the incident's number: an incident
        whose deadlines are all closed has no row here and is re-graded all the same. Looked up
        in a worker (board_lookups), the keys typed meanwhile held for what it opens."""
        self.app.hold_keys()
        find_regrade_target(self, self._selected())

    @on(RegradeTarget)
    async def _regrade_target(self, message: RegradeTarget) -> None:
        try:
            await self._show_regrade_target(message)
        finally:
            self.app.call_later(self.app.release_keys)  # to the dialog, once it is up

    async def _show_regrade_target(self, message: RegradeTarget) -> None:
        """The re-grade dialog for the incident read, else the question for its number."""
        from dutydesk.screens.incident_view import IncidentAsk
        from dutydesk.screens.regrade_dialog import RegradeDialog

        if not self.is_current:  # the officer has moved on while it was read
            return
        if message.problem:  # a number with no incident behind it
            self.say(message.problem)
            return
        if message.incident_id is None:

            def _asked(number: int | None) -> None:
                if number is not None:
                    self.app.hold_keys()
                    find_regrade_target(self, None, number)

            await self.app.push_screen(IncidentAsk(t("board.regrade_ask")), _asked)
            return

        def _regraded(said: str | None) -> None:
            if said is not None:
                self.say(said)
                self.reload()

        dialog = RegradeDialog(message.incident_id, message.label, message.level)
        await self.app.push_screen(dialog, _regraded)

    def action_new_entry(self, kind: str) -> None:
        """A new incident, 核报 or 批示, with no call behind it; its deadlines appear here."""
        from dutydesk.screens.entry_form import board_form

        def _saved(message: str | None) -> None:
            if message:
                self.say(message)
                self.reload()

        self.app.push_screen(board_form(kind), _saved)

    def action_reload(self) -> None:
        self.reload()

    def action_open_incident(self) -> None:
        """The selected row's incident in the incident view, with its orders (issue 18); the
        row's incident is looked up in a worker, the keys typed meanwhile held for the view."""
        view = self._selected()
        if view is None:
            self.say(t("board.incident_only"))
            return
        self.app.hold_keys()
        find_row_incident(self, view)

    @on(RowIncident)
    def _row_incident(self, message: RowIncident) -> None:
        from dutydesk.screens.incident_view import open_incident_view

        try:
            if not self.is_current:  # the officer has moved on while it was read
                return
            if message.problem:
                self.say(message.problem)
            elif message.incident_id is None:
                self.say(t("board.incident_only"))
            else:
                open_incident_view(self.app, message.incident_id)
        finally:
            self.app.call_later(self.app.release_keys)
