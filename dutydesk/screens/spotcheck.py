"""The spot-check screen: draw a fair round, call each drawn unit, record the outcome
in a few keys, close the round. The header line shows the shift's quota."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.literal import literal

NAME_WIDTH = 32  # cells of a unit's name in the table
PHONE_WIDTH = 20

if TYPE_CHECKING:
    from dutydesk.services.spotcheck import DrawnUnit, RoundView


def unit_result(unit: DrawnUnit) -> str:
    latest = unit.latest
    if unit.state == "answered" and latest is not None:
        return t("spotcheck_result.faults" if latest.faults else "spotcheck_result.ok")
    return t("spotcheck_result." + unit.state)


class SpotCheckScreen(DeskScreen[None]):
    STATUS_LINE = "#spotcheck-status"
    KEYS = [
        Key("ctrl+n", "start_round", "spotcheck_screen.start", priority=True),
        Key("enter", "record", "spotcheck_screen.record"),
        Key("ctrl+k", "close_round", "spotcheck_screen.close", priority=True),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.round: RoundView | None = None

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        yield Static("", id="spotcheck-quota")
        table: DataTable[str] = DataTable(
            id="spotcheck-units", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("", id="spotcheck-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#spotcheck-units", DataTable)
        for key in ("position", "unit", "kind", "phone"):
            table.add_column(literal(t("spotcheck_screen.column_" + key)), key=key)
        for key, width in (("result", 10), ("method", 12), ("answered_by", 10)):
            table.add_column(literal(t("spotcheck_screen.column_" + key)), key=key, width=width)
        table.add_column(literal(t("spotcheck_screen.column_faults")), key="faults")
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        from dutydesk.services.spotcheck import current_round, quota_line, quota_status

        quota = literal(quota_line(quota_status(self.desk)))
        self.query_one("#spotcheck-quota", Static).update(quota)
        self.round = current_round(self.desk)
        self.show_round()

    def show_round(self) -> None:
        table = self.query_one("#spotcheck-units", DataTable)
        table.clear()
        current = self.round
        if current is None:
            table.border_title = literal(t("spotcheck_screen.no_round"))
            return
        table.border_title = literal(
            t(
                "spotcheck_screen.round_title",
                number=current.number,
                seed=current.seed,
                drawn=len(current.units),
                required=current.required,
            )
        )
        for unit in current.units:
            latest = unit.latest
            faults = (
                " ".join(t("spotcheck_fault." + code) for code in latest.faults) if latest else ""
            )
            table.add_row(
                literal(str(unit.position)),
                literal(unit.name, width=NAME_WIDTH),
                literal(t("spotcheck_kind." + unit.kind)),
                literal(unit.duty_phone, width=PHONE_WIDTH),
                literal(unit_result(unit)),
                literal(t("spotcheck_method." + latest.method) if latest else ""),
                literal(latest.answered_by if latest else "", width=10),
                literal(faults),
                key=unit.name,
            )

    def action_start_round(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.spotcheck import start_round

        try:
            self.round = start_round(self.desk, self.recorder())
        except DutyError as error:
            self.say(error.message())
            return
        self.say(t("spotcheck_screen.started", count=len(self.round.units)))
        self.reload()
        self.query_one("#spotcheck-units", DataTable).focus()

    def _selected_unit(self) -> str | None:
        table = self.query_one("#spotcheck-units", DataTable)
        if self.round is None or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    @on(DataTable.RowSelected, "#spotcheck-units")
    def _row_selected(self) -> None:
        self.action_record()

    def action_record(self) -> None:
        from dutydesk.screens.spotcheck_outcome import OutcomeScreen

        unit = self._selected_unit()
        if unit is None or self.round is None:
            self.say(t("spotcheck_screen.nothing_selected"))
            return
        self.app.push_screen(OutcomeScreen(self.round.id, unit), callback=self._recorded)

    def _recorded(self, saved: bool | None) -> None:
        if saved:
            self.say(t("spotcheck_screen.recorded"))
            self.reload()

    def action_close_round(self) -> None:
        from dutydesk.screens.spotcheck_outcome import CloseRoundScreen

        if self.round is None:
            self.say(t("spotcheck_screen.no_round"))
            return
        missing = [unit.name for unit in self.round.units if unit.state == "pending"]
        self.app.push_screen(CloseRoundScreen(self.round.id, missing), callback=self._after_close)

    def _after_close(self, closed: bool | None) -> None:
        if closed:
            self.say(t("spotcheck_screen.closed"))
            self.reload()
