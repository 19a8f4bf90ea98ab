"""The roster screen (排班, F7): a month as a grid, dates down and seats across (leader,
officers, standby), moved with the arrow keys. Enter on a seat puts the cursor in the name line,
which completes the names of that seat's level; Enter there assigns (blank clears), Escape goes
back. Conflicts show in place with their article, each person's counts beside the grid.
Ctrl+G generates the rotation of the roster under the cursor (the month's, or a holiday or
sensitive period's made with Ctrl+N), Ctrl+F files it (a dialog: when, to whom, how); after
filing Ctrl+T changes a seat (调班/替岗) and Ctrl+R reports changes to the upper office.
PageUp/PageDown change the month. With no shift open (a new register) an administrator works
on the roster on their PIN. Every read and write runs in a worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.roster_acts import RosterActs
from dutydesk.screens.roster_dialogs import refusal
from dutydesk.screens.roster_rows import Row, count_columns, count_rows, rows, seats, title
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.roster.roster_grid import MonthGrid

# Below this many cells the counts go under the grid: at 120 columns beside it they left the
# notes column a dozen cells, too few for a shift's conflicts (QA #7).
NARROW = 140


class RosterScreen(RosterActs):
    DEFAULT_CSS = """
    #roster-title { height: 1; padding: 0 1; text-style: bold; }
    #roster-body { height: 1fr; }
    #roster-grid { width: 1fr; height: 1fr; border: round $primary; }
    #roster-counts { width: 50; height: 1fr; border: round $primary; }
    #roster-body.-narrow { layout: vertical; }
    #roster-body.-narrow #roster-counts { width: 1fr; height: 28%; min-height: 6; }
    #roster-name { height: 3; display: none; }
    #roster-name.-editing { display: block; }
    #roster-status { height: auto; max-height: 3; padding: 0 1; color: $warning; }
    #roster-status.error { color: $error; text-style: bold; }
    """
    KEYS = [
        Key("ctrl+g", "generate", "roster_screen.generate", priority=True),
        Key("ctrl+f", "file", "roster_screen.file", priority=True),
        Key("ctrl+n", "new_roster", "roster_screen.new", priority=True),
        Key("ctrl+t", "change", "roster_screen.change_key", priority=True),
        Key("ctrl+r", "report", "roster_screen.report", priority=True),
        Key("pageup", "month(-1)", "roster_screen.previous", priority=True),
        Key("pagedown", "month(1)", "roster_screen.next", priority=True),
        Key("escape", "back_to_grid", "roster_screen.back", show=False),
    ]
    BINDINGS = bindings(KEYS)
    STATUS_LINE = "#roster-status"

    def __init__(self, year: int | None = None, month: int | None = None) -> None:
        super().__init__()
        self.year, self.month = year, month
        self.grid: MonthGrid | None = None
        self.rows: list[Row] = []
        self.people: dict[str, list[str]] = {}  # role -> eligible names, for completion
        self._editing: tuple[Row, str] | None = None  # (row, Seat.key) being assigned
        self._busy = False
        self.acting_as: str | None = None  # an administrator signed in while no shift is open
        self.acting_until = 0.0

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        yield Static("", id="roster-title")
        with Horizontal(id="roster-body"):
            grid: DataTable[Text] = DataTable(id="roster-grid", cursor_type="cell")
            grid.border_title = literal(t("roster_screen.title"))
            yield grid
            counts: DataTable[str] = DataTable(id="roster-counts", cursor_type="none")
            counts.border_title = literal(t("roster_screen.counts"))
            yield counts
        name = DeskInput(id="roster-name", placeholder=t("roster_screen.name_hint"))
        name.disabled = True
        yield name
        yield Static(literal(t("roster_screen.hint")), id="roster-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        from dutydesk.screens.roster_rows import columns

        if self.year is None or self.month is None:
            today = self.desk.now()
            self.year, self.month = today.year, today.month
        if not self.app.is_running:  # built ahead as the app shut down: its widgets are gone
            return
        grid = self.query_one("#roster-grid", DataTable)
        for key, label in columns(self.desk.profile):
            grid.add_column(literal(label), key=key)
        counts = self.query_one("#roster-counts", DataTable)
        for label in count_columns():
            counts.add_column(literal(label))
        self.on_resize()
        grid.focus()  # the month is read as the screen is shown (on_screen_resume)

    def on_resize(self) -> None:
        self.query_one("#roster-body").set_class(self.size.width < NARROW, "-narrow")

    def on_screen_resume(self) -> None:
        """Shown (first, or again after a dialog or another screen): read the month."""
        self.reload()

    # ------------------------------------------------------------------ reading

    def reload(self, then: str | None = None) -> None:
        """Read the month again (in a worker); `then` is said on the status line once shown."""
        assert self.year is not None and self.month is not None
        if not self.app.is_running:  # shutting down: nothing to show it on
            return
        year, month = self.year, self.month
        self.run_worker(lambda: self._load(year, month, then), thread=True, exclusive=True,
                        group="roster-load")  # fmt: skip

    def _load(self, year: int, month: int, then: str | None) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster import ineligibilities, list_people
        from dutydesk.services.roster.roster_grid import month_roster

        try:
            with thread_desk(self.desk) as desk:
                grid = month_roster(desk, year, month)
                day = desk.now().date()
                people: dict[str, list[str]] = {}
                for person in list_people(desk):
                    if not ineligibilities(person, desk.profile.eligibility, day):
                        people.setdefault(person.role, []).append(person.name)
        except DutyError as error:
            self.app.call_from_thread(self.set_status, refusal(error), ok=False)
            return
        self.app.call_from_thread(self._show, grid, people, then)

    def _show(self, grid: MonthGrid, people: dict[str, list[str]], then: str | None) -> None:
        if (grid.year, grid.month) != (self.year, self.month):
            return  # a month since left
        if (grid, people) == (self.grid, self.people):  # shown again, nothing changed
            if then is not None:
                self.set_status(then, ok=True)
            return
        self.grid, self.people = grid, people
        self.rows = rows(grid, self.desk.profile)
        self.query_one("#roster-title", Static).update(literal(title(grid, self.desk.timezone)))
        table = self.query_one("#roster-grid", DataTable)
        where = table.cursor_coordinate
        # the cursor put back where it was says nothing: what was just done stays on the line
        with table.prevent(DataTable.CellHighlighted):
            table.clear()
            for row in self.rows:
                table.add_row(*row.cells, key=row.key)
            if self.rows:
                table.cursor_coordinate = table.validate_cursor_coordinate(where)
        counts = self.query_one("#roster-counts", DataTable)
        counts.clear()
        for count in count_rows(grid.counts):
            counts.add_row(*(literal(cell) for cell in count))
        from dutydesk.services.roster.roster_checks import sole_leader_warning

        sole = sole_leader_warning(grid, "roster_leader.sole_short")
        counts.border_subtitle = literal(sole or "")
        if then is not None:
            self.set_status(then, ok=True)
        self.render_ahead()  # when built ahead, hidden

    def action_month(self, step: int) -> None:
        assert self.year is not None and self.month is not None
        index = self.year * 12 + self.month - 1 + step
        self.year, self.month = divmod(index, 12)[0], divmod(index, 12)[1] + 1
        self._leave_name_line()
        self.query_one("#roster-grid", DataTable).cursor_coordinate = Coordinate(0, 0)
        self.reload(t("roster_screen.month", year=self.year, month=self.month))

    # ------------------------------------------------------------------ assigning

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        """A shift with conflicts or changes says them in full on the status line (the notes
        column is cut)."""
        if event.data_table.id != "roster-grid" or event.coordinate.row >= len(self.rows):
            return
        row = self.rows[event.coordinate.row]
        if self._editing is not None or not (row.conflicts or row.changes):
            return
        parts = list(row.changes)
        if row.conflicts:
            parts.insert(0, t("roster_screen.conflicts",
                              list=t("error.separator").join(row.conflicts)))  # fmt: skip
        self.set_status(" ".join(parts), ok=not row.conflicts)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a seat: its name goes to the name line, which completes that level."""
        if event.data_table.id != "roster-grid" or not self.rows:
            return
        row = self.rows[event.coordinate.row]
        column = str(event.cell_key.column_key.value)
        seat = next((s for s in seats(self.desk.profile) if s.key == column), None)
        if seat is None:
            self.say(t("roster_screen.not_a_seat"))
            return
        self._editing = (row, column)
        name = self.query_one("#roster-name", Input)
        name.disabled = False
        name.add_class("-editing")
        name.suggester = SuggestFromList(self.people.get(seat.role, []), case_sensitive=False)
        name.value = row.names.get(column) or ""
        name.border_title = literal(t("roster_screen.assigning", day=row.day.strftime("%m-%d"),
                                      slot=t("shift." + row.slot_code),
                                      seat=t("role." + seat.role)))  # fmt: skip
        name.focus()
        self.say(t("roster_screen.name_help"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "roster-name" or self._editing is None or self._busy:
            return
        row, column = self._editing
        seat = next(s for s in seats(self.desk.profile) if s.key == column)
        typed = event.value.strip() or None
        assert self.year is not None and self.month is not None
        if not self.app.is_running:  # shutting down: nothing to show it on
            return
        year, month = self.year, self.month

        def assign(desk: Desk, by: str) -> str:
            from dutydesk.services.roster.roster_entry import assign_seat

            assign_seat(desk, (year, month), row.roster_id, (row.day, row.slot_code),
                        (seat.role, seat.index), typed, by)  # fmt: skip
            return t("roster_screen.assigned" if typed else "roster_screen.cleared",
                     name=typed or "", day=row.day.strftime("%m-%d"),
                     slot=t("shift." + row.slot_code))  # fmt: skip

        self._write(assign, back_to_grid=True)

    def action_back_to_grid(self) -> None:
        self._leave_name_line()
        self.say(t("roster_screen.hint"))

    def _leave_name_line(self) -> None:
        self._editing = None
        name = self.query_one("#roster-name", Input)
        name.value = ""
        name.border_title = None
        name.disabled = True
        name.remove_class("-editing")
        self.query_one("#roster-grid", DataTable).focus()
