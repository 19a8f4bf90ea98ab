"""The official calendar of a year, as `dutydesk calendar show YEAR` prints it: month grid with
holidays and swapped working days marked, the source of the data and the register's records.
Reached from the command palette; ← → change the year. Read in a worker thread."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.widgets import Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.footer import DeskFooter

MIN_YEAR, MAX_YEAR = 2000, 2100


class CalendarScreen(DeskModal[None]):
    DEFAULT_CSS = """
    #calendar-box { width: 116; max-width: 100%; height: 90%; border: round $primary;
                    background: $surface; }
    #calendar-body { height: 1fr; overflow-x: auto; }
    #calendar-grid { width: auto; }
    """
    BINDINGS = bindings(
        [
            Key("escape", "close", "detail.close"),
            # priority: the scrolling body would take ← → for itself (it scrolls sideways when
            # the terminal is narrower than three months)
            Key("left", "year(-1)", "calendar_view.previous_year", priority=True),
            Key("right", "year(1)", "calendar_view.next_year", priority=True),
        ]
    )

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year

    def compose(self) -> ComposeResult:
        with Vertical(id="calendar-box") as box:
            box.border_title = t("calendar_view.screen_title", year=self.year)
            box.border_subtitle = t("calendar_view.screen_help")
            with ScrollableContainer(id="calendar-body"):
                yield Static(Text(t("app.loading")), id="calendar-grid")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        self.query_one("#calendar-box").border_title = t(
            "calendar_view.screen_title", year=self.year
        )
        self.run_worker(self._read, thread=True, exclusive=True, group="calendar")

    def _read(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import install_register_calendar, thread_desk, year_view

        year = self.year
        try:
            with thread_desk(self.desk) as own:  # SQLite connections of this thread only
                install_register_calendar(own)  # a notice imported meanwhile from the CLI
                lines = year_view(own, year)
        except DutyError as error:
            lines = [error.message()]
        self.app.call_from_thread(self._show, year, "\n".join(lines))

    def _show(self, year: int, text: str) -> None:
        if year != self.year:  # the year was changed again meanwhile
            return
        # Markup off: notice titles and names come from outside.
        self.query_one("#calendar-grid", Static).update(Text(text, no_wrap=True))

    def action_year(self, step: int) -> None:
        year = self.year + step
        if MIN_YEAR <= year <= MAX_YEAR:
            self.year = year
            self._load()

    def action_close(self) -> None:
        self.dismiss(None)
