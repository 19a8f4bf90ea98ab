"""The spot-check screen: draw a fair round, call each drawn unit, record the outcome
in a few keys, correct a wrong one with a reason, close the round. The header line shows the
shift's quota. Every read and write runs in a worker thread, never on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widgets import DataTable, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.literal import literal

NAME_WIDTH = 32  # cells of a unit's name in the table
NARROW_NAME_WIDTH = 20  # below WIDE columns: the phone and the result stay on screen
WIDE = 100
PHONE_WIDTH = 16
# The result and the phone come first: at 80 columns they stay on screen.
COLUMNS = ("position", "unit", "phone", "result", "answered_by", "method", "faults", "kind")

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.spotcheck import DrawnUnit, RoundView


def unit_result(unit: DrawnUnit) -> str:
    latest = unit.latest
    if unit.state == "answered" and latest is not None:
        text = t("spotcheck_result.faults" if latest.faults else "spotcheck_result.ok")
    else:
        text = t("spotcheck_result." + unit.state)
    if latest is not None and latest.corrects is not None:
        text += t("spotcheck_screen.corrected_mark")
    return text


def next_row(units: tuple[DrawnUnit, ...], recorded: int) -> int:
    """Where the cursor goes after recording row `recorded`: the next unit still without an
    outcome (after it, then from the top), else the row just recorded."""
    order = [*range(recorded + 1, len(units)), *range(recorded)]
    return next((index for index in order if units[index].state == "pending"), recorded)


def after_queued_keys(screen: Screen[Any], action: Callable[[], None]) -> None:
    """Run `action` once the keys typed before a priority key (Enter, Ctrl+E, Ctrl+S: handled
    as they arrive) have been handled: a key waits in the focused widget's queue, then bubbles
    through each parent's to the app, whose bindings move the cursor. So `action` is queued
    behind it at each step, and reads the row or the field as typed."""
    focused = screen.focused
    chain: list[MessagePump] = list(focused.ancestors_with_self) if focused else [screen]
    if chain[-1] is not screen.app:
        chain.append(screen.app)

    def step(index: int) -> None:
        if index == len(chain):
            action()
        else:
            chain[index].call_later(step, index + 1)

    step(0)


class SpotCheckScreen(DeskScreen[None]):
    STATUS_LINE = "#spotcheck-status"
    KEYS = [
        Key("ctrl+n", "start_round", "spotcheck_screen.start", priority=True),
        Key("enter", "record", "spotcheck_screen.record", priority=True),
        Key("ctrl+e", "correct", "spotcheck_screen.correct", priority=True),
        Key("ctrl+k", "close_round", "spotcheck_screen.close", priority=True),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.round: RoundView | None = None
        self.just_recorded: str | None = None  # the unit whose dialog just saved
        self.busy = False  # a draw is being written

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        yield Static("", id="spotcheck-quota")
        table: DataTable[str] = DataTable(
            id="spotcheck-units", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("", id="spotcheck-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._fill([])
        self.reload()

    def _fill(self, rows: list[tuple[str, list[Text]]]) -> None:
        """The table anew, each column as wide as its widest cell: widths fixed here, not left
        to DataTable's measuring when idle, which a second refill before then left stale
        (names cut to the header's width)."""
        table = self.query_one("#spotcheck-units", DataTable)
        table.clear(columns=True)
        for index, key in enumerate(COLUMNS):
            label = literal(t("spotcheck_screen.column_" + key))
            width = max([label.cell_len, *(cells[index].cell_len for _, cells in rows)])
            table.add_column(label, key=key, width=width)
        for name, cells in rows:
            table.add_row(*cells, key=name)

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------ reading, in a worker

    def reload(self) -> None:
        if self.app.desk is None:  # switched to before the register is open: read on resume
            return
        self.in_worker(self._read, self._show, group="spotcheck-read")

    @staticmethod
    def _read(desk: Desk) -> tuple[str, RoundView | None]:
        from dutydesk.services.spotcheck import current_round, quota_line, quota_status

        return quota_line(quota_status(desk)), current_round(desk)

    def in_worker(self, job: Callable[[Desk], object], then: Callable[..., None], *,
                  group: str) -> None:  # fmt: skip
        """Run `job` on a register of its own in a thread; `then` gets its result on the UI
        thread, a refusal goes to the status line."""
        desk = self.desk

        def _work() -> None:
            from dutydesk.errors import DutyError
            from dutydesk.services.core import thread_desk

            try:
                with thread_desk(desk) as own:
                    result = job(own)
            except DutyError as error:
                self.app.call_from_thread(self._refused, error.message())
                return
            self.app.call_from_thread(then, result)

        self.run_worker(_work, thread=True, exclusive=True, group=group)

    def _refused(self, message: str) -> None:
        self.busy = False
        self.set_status(message, ok=False)

    def _show(self, read: tuple[str, RoundView | None]) -> None:
        quota, self.round = read
        self.query_one("#spotcheck-quota", Static).update(literal(quota))
        table = self.query_one("#spotcheck-units", DataTable)
        keep = self._selected_unit()
        current = self.round
        width = NAME_WIDTH if self.app.size.width >= WIDE else NARROW_NAME_WIDTH
        units = current.units if current else ()
        self._fill([(unit.name, self._cells(unit, width)) for unit in units])
        if current is None:
            table.border_title = literal(t("spotcheck_screen.no_round"))
            return
        table.border_title = literal(
            t("spotcheck_screen.round_title", number=current.number, seed=current.seed,
              drawn=len(current.units), required=current.required)
        )  # fmt: skip
        names = [unit.name for unit in current.units]
        recorded, self.just_recorded = self.just_recorded, None
        if recorded in names:
            table.move_cursor(row=next_row(current.units, names.index(recorded)))
        elif keep in names:
            table.move_cursor(row=names.index(keep))

    @staticmethod
    def _cells(unit: DrawnUnit, name_width: int) -> list[Text]:
        latest = unit.latest
        faults = " ".join(t("spotcheck_fault." + code) for code in latest.faults) if latest else ""
        by = ""
        if latest is not None and latest.answered:
            by = latest.answered_by or t("spotcheck_table.name_not_given")
        return [
            literal(str(unit.position)),
            literal(unit.name, width=name_width),
            literal(unit.duty_phone, width=PHONE_WIDTH),
            literal(unit_result(unit)),
            literal(by, width=12),
            literal(t("spotcheck_method." + latest.method) if latest else ""),
            literal(faults),
            literal(t("spotcheck_kind." + unit.kind)),
        ]

    # ------------------------------------------------------------ keys

    def action_start_round(self) -> None:
        if self.busy:
            return
        self.busy = True

        def _draw(desk: Desk) -> RoundView:
            from dutydesk.services.roster import resolve_recorder
            from dutydesk.services.spotcheck import start_round

            return start_round(desk, resolve_recorder(desk, None))

        self.in_worker(_draw, self._drawn, group="spotcheck-draw")

    def _drawn(self, drawn: RoundView) -> None:
        self.busy = False
        self.set_status(t("spotcheck_screen.started", count=len(drawn.units)), ok=True)
        self.reload()
        self.query_one("#spotcheck-units", DataTable).focus()

    def _selected_unit(self) -> str | None:
        table = self.query_one("#spotcheck-units", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def _selected(self) -> DrawnUnit | None:
        name = self._selected_unit()
        if self.round is None or name is None:
            self.set_status(t("spotcheck_screen.nothing_selected"), ok=False)
            return None
        return next((unit for unit in self.round.units if unit.name == name), None)

    @on(DataTable.RowSelected, "#spotcheck-units")
    def _row_selected(self) -> None:
        self.action_record()

    def action_record(self) -> None:
        after_queued_keys(self, self._record_now)

    def action_correct(self) -> None:
        after_queued_keys(self, self._correct_now)

    def _record_now(self) -> None:
        """A unit without an outcome, or not answered yet (a retry): the outcome dialog. A unit
        whose answered result stands is not reopened: that takes a correction (Ctrl+E)."""
        from dutydesk.screens.spotcheck_outcome import OutcomeScreen
        from dutydesk.services.spotcheck import standing_answer

        unit = self._selected()
        if unit is None or self.round is None:
            return
        refusal = standing_answer(self.desk, unit)
        if refusal is not None:
            self.set_status(t("spotcheck_screen.already", message=refusal.message()), ok=False)
            return
        screen = OutcomeScreen(self.round.id, unit)
        self.app.push_screen(screen, callback=lambda said: self._recorded(unit.name, said))

    def _correct_now(self) -> None:
        """The outcome dialog on the unit's result as it stands, to put it right with a reason."""
        from dutydesk.screens.spotcheck_outcome import OutcomeScreen

        unit = self._selected()
        if unit is None or self.round is None:
            return
        if unit.latest is None:
            self.set_status(t("spotcheck.nothing_to_correct", name=unit.name), ok=False)
            return
        screen = OutcomeScreen(self.round.id, unit, correcting=True)
        self.app.push_screen(screen, callback=lambda said: self._recorded(unit.name, said))

    def _recorded(self, unit: str, message: str | None) -> None:
        if message:
            self.just_recorded = unit
            self.set_status(message, ok=True)
            self.reload()

    def action_close_round(self) -> None:
        from dutydesk.screens.spotcheck_outcome import CloseRoundScreen

        if self.round is None:
            self.set_status(t("spotcheck_screen.no_round"), ok=False)
            return
        missing = [unit.name for unit in self.round.units if unit.state == "pending"]
        self.app.push_screen(CloseRoundScreen(self.round.id, missing), callback=self._after_close)

    def _after_close(self, closed: bool | None) -> None:
        if closed:
            self.set_status(t("spotcheck_screen.closed"), ok=True)
            self.reload()
