"""The call register screen: log a call in seconds, see the shift's calls, find any
call of any year, open one, correct one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, DataTable, Footer, Input, Select, Static, TextArea

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.call_form import CallForm
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from textual.timer import Timer

    from dutydesk.services.calls import CallView

DRAFT_FORM = "call"
DRAFT_DELAY_S = 0.3
SUMMARY_WIDTH = 60
NAME_WIDTH = 16  # cells of the caller and the unit in the list (the detail shows them whole)
PHONE_WIDTH = 20


class CallsScreen(DeskScreen[None]):
    KEYS = [
        Key("ctrl+s", "save", "calls_screen.save", priority=True),
        Key("ctrl+n", "new", "calls_screen.new", priority=True),
        Key("ctrl+f", "search", "calls_screen.search", priority=True),
        Key("ctrl+e", "amend", "calls_screen.amend", priority=True),
        Key("ctrl+o", "entry_form", "entry_form.open", priority=True),
        Key("escape", "back", "calls_screen.back", show=False),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self._draft_timer: Timer | None = None
        self._clear_asked = False  # Ctrl+N pressed once over typed text
        self._views: dict[str, CallView] = {}

    def compose(self) -> ComposeResult:
        from dutydesk.services.calls import known_units

        yield DutyHeader()
        with Vertical(id="calls-body"):
            yield CallForm(
                self.desk.profile.calls.categories, known_units(self.desk), id="call-form"
            )
            yield Static("", id="status")
            search = Input(placeholder=t("calls_screen.search_placeholder"), id="search")
            search.border_title = literal(t("calls_screen.search"))
            yield search
            table: DataTable[str] = DataTable(
                id="calls-table", cursor_type="row", zebra_stripes=True
            )
            table.border_title = literal(t("calls_screen.shift_calls"))
            yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#calls-table", DataTable)
        for key in ("number", "time", "direction", "caller", "unit", "phone", "category"):
            table.add_column(literal(t("column." + key)), key=key)
        table.add_column(literal(t("column.marks")), key="marks")
        table.add_column(literal(t("column.summary")), key="summary")
        self.refresh_calls()
        self._restore_draft()
        self.query_one(CallForm).focus_first()

    # -- the list -----------------------------------------------------------------------------

    def refresh_calls(self) -> None:
        from dutydesk.services.calls import list_calls

        term = self.query_one("#search", Input).value.strip()
        table = self.query_one("#calls-table", DataTable)
        if term:
            views = list_calls(self.desk, search=term, limit=50)
            title = t("calls_screen.search_results", term=term, count=len(views))
            table.border_title = literal(title, width=table.size.width or SUMMARY_WIDTH)
        else:
            status = self.app.shift_status
            shift = status.duty.shift if status and status.duty else None
            views = list_calls(self.desk, shift_id=shift.id if shift else None, limit=200)
            table.border_title = literal(t("calls_screen.shift_calls"))
        table.clear()
        self._views = {}
        timezone = self.desk.timezone
        for view in views:
            self._views[view.number] = view
            table.add_row(
                literal(view.number),
                literal(view.received_at.in_timezone(timezone).format("MM-DD HH:mm")),
                literal(t("direction." + view.direction)),
                literal(view.caller, width=NAME_WIDTH),
                literal(view.unit, width=NAME_WIDTH),
                literal(view.phone, width=PHONE_WIDTH),
                literal(t("category." + view.category)),
                literal(self._marks(view)),
                literal(view.summary, width=SUMMARY_WIDTH),
                key=view.number,
            )

    @staticmethod
    def _marks(view: CallView) -> str:
        marks = []
        if view.verified:
            marks.append(t("calls_screen.mark_verified"))
        if view.follow_up:
            marks.append(t("calls_screen.mark_follow_up"))
        if view.amended_by:
            marks.append(t("calls_screen.mark_amended"))
        return " ".join(marks)

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.refresh_calls()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one("#calls-table", DataTable).focus()

    @on(DataTable.RowSelected, "#calls-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_detail(str(event.row_key.value))

    def selected_number(self) -> str | None:
        table = self.query_one("#calls-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def open_detail(self, number: str) -> None:
        from dutydesk.screens.call_detail import CallDetailScreen

        self.app.push_screen(CallDetailScreen(number), callback=self._after_detail)

    def _after_detail(self, amended_number: str | None) -> None:
        self.refresh_calls()
        if amended_number:
            self.set_status(t("calls_screen.amended", number=amended_number), ok=True)

    # -- saving -------------------------------------------------------------------------------

    def action_save(self) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services.calls import save_call
        from dutydesk.services.core import discard_draft

        form = self.query_one(CallForm)
        try:
            draft = form.draft(self.desk, self.shift_start())
        except DutyError as error:
            form.mark_problems(["received_at"])
            self.set_status(error.message(), ok=False)
            return
        try:
            record = save_call(self.desk, draft, self.recorder())
        except ValidationFailed as failure:
            form.mark_problems(failure.fields)
            self.set_status(failure.message(), ok=False)
            return
        except DutyError as error:
            self.set_status(t("app.save_failed", reason=error.message()), ok=False)
            return
        # Only now, after the commit returned, is the call saved.
        discard_draft(self.desk.path, DRAFT_FORM)
        form.clear()
        self.set_status(t("app.saved", number=record.number), ok=True)
        self.refresh_calls()
        form.focus_first()

    def action_new(self) -> None:
        from dutydesk.services.core import discard_draft

        form = self.query_one(CallForm)
        if not form.nothing_typed() and not self._clear_asked:
            self._clear_asked = True  # what was typed is thrown away only on a second Ctrl+N
            self.set_status(t("calls_screen.new_confirm"), ok=False)
            return
        form.clear()
        discard_draft(self.desk.path, DRAFT_FORM)
        self.set_status("", ok=True)
        self.query_one(CallForm).focus_first()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_amend(self) -> None:
        from dutydesk.screens.call_detail import AmendScreen

        number = self.selected_number()
        if number is None:
            self.set_status(t("calls_screen.nothing_selected"), ok=False)
            return
        self.app.push_screen(AmendScreen(number), callback=self._after_detail)

    def action_entry_form(self) -> None:
        """The incident, 核报 or 批示 form for the selected call, prefilled from it."""
        from dutydesk.screens.entry_form import form_for_call, no_form_message

        number = self.selected_number()
        view = self._views.get(number) if number else None
        if view is None:
            self.set_status(t("entry_form.nothing_selected"), ok=False)
            return
        form = form_for_call(view)
        if form is None:
            self.set_status(no_form_message(view), ok=False)
            return
        self.app.push_screen(form, callback=self._after_entry_form)

    def _after_entry_form(self, message: str | None) -> None:
        if message:
            self.set_status(message, ok=True)

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one(CallForm).focus_first()

    # -- drafts: nothing typed is lost --------------------------------------------------------

    @on(Input.Changed, "#call-form Input")
    @on(TextArea.Changed, "#call-form TextArea")
    @on(Checkbox.Changed, "#call-form Checkbox")
    @on(Select.Changed, "#call-form Select")
    def _form_changed(self) -> None:
        self._clear_asked = False
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._keep_draft)

    def _keep_draft(self) -> None:
        from dutydesk.services.core import discard_draft, save_draft

        form = self.query_one(CallForm)
        if form.nothing_typed():
            discard_draft(self.desk.path, DRAFT_FORM)
        elif not save_draft(self.desk.path, DRAFT_FORM, form.values()):
            self.set_status(t("calls_screen.draft_failed"), ok=False)

    def _restore_draft(self) -> None:
        from dutydesk.services.core import load_draft

        values = load_draft(self.desk.path, DRAFT_FORM)
        if values:
            self.query_one(CallForm).load_values(values)
            self.set_status(t("calls_screen.draft_restored"), ok=True)
