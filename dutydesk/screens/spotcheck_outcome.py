"""Dialogs of the spot-check screen: one unit's outcome, and closing a round."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Footer, Input, Select, SelectionList, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.literal import literal

TITLE_WIDTH = 72  # cells: the dialogs are 80 wide
SAVE_KEYS = [
    Key("ctrl+s", "save", "spotcheck_screen.save", priority=True),
    Key("escape", "cancel", "spotcheck_screen.cancel"),
]


class OutcomeScreen(DeskModal[bool]):
    """Method, answered or not, who answered (on the roster?), faults (Tianjin art. 18), note."""

    STATUS_LINE = "#outcome-status"
    BINDINGS = bindings(SAVE_KEYS)

    def __init__(self, round_id: int, unit: str) -> None:
        super().__init__()
        self.round_id = round_id
        self.unit = unit

    def compose(self) -> ComposeResult:
        profile = self.desk.profile
        with Vertical(id="outcome-box") as box:
            title = t("spotcheck_screen.outcome_title", unit=self.unit)
            box.border_title = literal(title, width=TITLE_WIDTH)
            methods = [
                (literal(t("spotcheck_method." + code)), code) for code in profile.spotcheck.methods
            ]
            method: Select[str] = Select(
                methods, value=methods[0][1], allow_blank=False, id="outcome-method"
            )
            method.border_title = literal(t("field.spotcheck_method"))
            yield method
            yield Checkbox(t("field.spotcheck_answered"), value=True, id="outcome-answered")
            answered_by = Input(id="outcome-by")
            answered_by.border_title = literal(t("field.spotcheck_answered_by"))
            yield answered_by
            yield Checkbox(t("spotcheck_screen.on_roster"), value=True, id="outcome-roster")
            faults: SelectionList[str] = SelectionList(
                *[(t("spotcheck_fault." + code), code) for code in profile.spotcheck.faults],
                id="outcome-faults",
            )
            faults.border_title = literal(t("field.spotcheck_fault"))
            yield faults
            note = Input(id="outcome-note")
            note.border_title = literal(t("field.note"))
            yield note
            yield Static("", id="outcome-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#outcome-by", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.spotcheck import record_outcome

        answered = self.query_one("#outcome-answered", Checkbox).value
        try:
            record_outcome(
                self.desk,
                self.round_id,
                self.unit,
                self.recorder(),
                method=str(self.query_one("#outcome-method", Select).value),
                answered=answered,
                answered_by=self.query_one("#outcome-by", Input).value if answered else "",
                on_roster=self.query_one("#outcome-roster", Checkbox).value if answered else None,
                faults=list(self.query_one("#outcome-faults", SelectionList).selected),
                note=self.query_one("#outcome-note", Input).value,
            )
        except DutyError as error:
            self.say(error.message())
            return
        self.dismiss(True)


class CloseRoundScreen(DeskModal[bool]):
    """A unit left without an outcome needs a written reason before the round can close."""

    STATUS_LINE = "#close-status"
    BINDINGS = bindings(SAVE_KEYS)

    def __init__(self, round_id: int, missing: list[str]) -> None:
        super().__init__()
        self.round_id = round_id
        self.missing = missing

    def compose(self) -> ComposeResult:
        with Vertical(id="close-round-box") as box:
            box.border_title = literal(t("spotcheck_screen.close_title"))
            if self.missing:
                yield Static(
                    literal(
                        t(
                            "spotcheck_screen.close_missing",
                            units=t("spotcheck_screen.separator").join(self.missing),
                        )
                    )
                )
                reason = Input(id="close-reason")
                reason.border_title = literal(t("spotcheck_screen.close_reason"))
                yield reason
            else:
                yield Static(literal(t("spotcheck_screen.close_confirm")))
            yield Static("", id="close-status")
        yield Footer()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.spotcheck import close_round

        reasons: dict[str | int, str] = {}  # by unit name (the service also takes positions)
        if self.missing:
            text = self.query_one("#close-reason", Input).value
            reasons = {unit: text for unit in self.missing}
        try:
            close_round(self.desk, self.round_id, self.recorder(), reasons)
        except DutyError as error:
            self.say(error.message())
            return
        self.dismiss(True)
