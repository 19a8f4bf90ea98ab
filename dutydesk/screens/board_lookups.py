"""The deadline board's look-ups of a row's incident, off the UI thread: each reads the register
in a worker thread (on an engine of its own, services.core.thread_desk) and always posts one typed
message back to the board (screens/deadlines.py), which then opens the incident view (Ctrl+E) or
the re-grade dialog (Ctrl+G) or the first-report draft (Ctrl+T), or asks for the incident's
number, or says why not. The board holds
the keys typed meanwhile and gives them out once it has (DeskApp.hold_keys): what is typed
after Ctrl+G goes to the dialog it opens, as when the look-up ran on the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

if TYPE_CHECKING:
    from dutydesk.screens.base import DeskScreen
    from dutydesk.services.incidents import DeadlineView

GROUP = "board-incident"  # one look-up at a time (the keys after one wait for its answer)


class RowIncident(Message):
    """The incident of the row Ctrl+E was pressed on: None when the row has none; `problem`
    said when it could not be read."""

    def __init__(self, incident_id: int | None, problem: str = "") -> None:
        super().__init__()
        self.incident_id = incident_id
        self.problem = problem


class RegradeTarget(Message):
    """The incident Ctrl+G re-grades, read: its number, label and level. `incident_id` None
    with no `problem`: the row has no incident, so its number is to be asked for."""

    def __init__(
        self, incident_id: int | None, label: str = "", level: str = "", problem: str = ""
    ) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.label = label
        self.level = level
        self.problem = problem


class DraftRead(Message):
    """Ctrl+T's first-report draft of an incident, drawn from its elements; or `problem`."""

    def __init__(self, title: str, text: str, problem: str = "") -> None:
        super().__init__()
        self.title = title
        self.text = text
        self.problem = problem


@work(thread=True, group=GROUP)
def read_draft(screen: DeskScreen[None], view: DeadlineView) -> None:
    """Ctrl+T on an incident's row: its first-report text; `screen` gets a DraftRead."""
    from dutydesk.errors import DutyError
    from dutydesk.i18n import t
    from dutydesk.services.core import thread_desk
    from dutydesk.services.incidents import draft_first_report, get_incident

    try:
        with thread_desk(screen.desk) as own:
            text = draft_first_report(own, get_incident(own, view.subject_id))
    except DutyError as error:
        screen.post_message(DraftRead("", "", error.message()))
        return
    screen.post_message(DraftRead(t("board.draft_title", what=view.label), text))


@work(thread=True, group=GROUP)
def find_row_incident(screen: DeskScreen[None], view: DeadlineView) -> None:
    """Ctrl+E: the incident `view`'s row belongs to; `screen` gets a RowIncident."""
    from dutydesk.errors import DutyError
    from dutydesk.services.board import incident_of_row
    from dutydesk.services.core import thread_desk

    try:
        with thread_desk(screen.desk) as own:
            found = incident_of_row(own, view)
    except DutyError as error:
        screen.post_message(RowIncident(None, error.message()))
        return
    screen.post_message(RowIncident(found))


@work(thread=True, group=GROUP)
def find_regrade_target(
    screen: DeskScreen[None], view: DeadlineView | None, number: int | None = None
) -> None:
    """Ctrl+G: the incident numbered `number` (asked for), else the one `view`'s row belongs
    to, read with its label and level; `screen` gets a RegradeTarget."""
    from dutydesk.errors import DutyError
    from dutydesk.services.board import incident_of_row
    from dutydesk.services.core import thread_desk
    from dutydesk.services.incidents import get_incident, incident_label

    try:
        with thread_desk(screen.desk) as own:
            incident_id = number
            if incident_id is None and view is not None:
                incident_id = incident_of_row(own, view)
            if incident_id is None:  # no row, or a row with no incident: ask for its number
                screen.post_message(RegradeTarget(None))
                return
            incident = get_incident(own, incident_id)
    except DutyError as error:  # e.g. a number with no incident behind it
        screen.post_message(RegradeTarget(None, problem=error.message()))
        return
    screen.post_message(RegradeTarget(incident_id, incident_label(incident), incident.level))
