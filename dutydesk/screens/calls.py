"""The call register screen: log a call in seconds, see the shift's calls, find any call of any
year, open one, correct one.

Nothing here touches the register on the UI thread: saving, the list, the search, the earlier calls
from a number and the units offered for completion are read or written in worker threads that post
their results back as messages (a newer list or lookup supersedes an older one). Tab and Shift+Tab
are the app's priority keys (widgets/desk_app.py): characters typed right after a Tab land in the
next field, never in the last."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import DataTable, Input, Select, Static, TextArea
from textual.worker import get_current_worker

from dutydesk.i18n import t
from dutydesk.screens.call_messages import (
    CallsLoaded,
    EarlierCalls,
    UnitsLoaded,
)
from dutydesk.screens.call_saving import CallSaving
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.call_form import CallForm
from dutydesk.widgets.call_list import CallTable, Shown
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.form_lines import EarlierLine
from dutydesk.widgets.handed_over import HandedOverNote
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal, visible
from dutydesk.widgets.throttle import Throttled

if TYPE_CHECKING:
    from dutydesk.services.calls import CallView

SHORT = 30  # a terminal with fewer lines gets the compact layout (calls.tcss: -short)
NARROW = 100  # a terminal with fewer cells gets narrower fields (-narrow)
EARLIER_DIGITS = 7  # digits typed before the earlier calls from the number are looked up
EARLIER_SHOWN = 3
SHIFT_LIMIT = 200
OUTSIDE_REFRESH_S = 1.0  # the list read again after commits at most this often
SEARCH_LIMIT = 50


class CallsScreen(CallSaving):
    KEYS = [
        Key("ctrl+s", "after_typing('save')", "calls_screen.save", priority=True),
        Key("ctrl+n", "after_typing('new')", "calls_screen.new", priority=True),
        Key("ctrl+r", "recall", "calls_screen.recall", show=False, priority=True),
        Key("ctrl+f", "search", "calls_screen.search", priority=True),
        Key("ctrl+e", "amend", "calls_screen.amend", priority=True),
        Key("ctrl+o", "entry_form", "entry_form.open", priority=True),
        Key("ctrl+l", "leader_away", "absence_dialog.open", priority=True),
        # priority, as Tab is: the keys typed right after Esc in the search go to the form
        Key("escape", "back", "calls_screen.back", show=False, priority=True),
    ]  # fmt: skip
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.after_save = self.refresh_calls
        self._form_field: Widget | None = None  # the form's field the cursor was last in

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        with Vertical(id="calls-body"):
            yield CallForm(self.desk.profile.calls.categories, [], id="call-form")
            yield EarlierLine(id="earlier")
            yield Static("", id="status")
            # a term typed over the last one at Ctrl+F: all of it selected
            search = DeskInput(
                placeholder=t("calls_screen.search_placeholder"), id="search", select_on_focus=True
            )
            search.border_title = literal(t("calls_screen.search"))
            yield search
            table = CallTable(id="calls-table")
            table.border_title = literal(t("calls_list.loading"))
            yield table
            # the shift's list empty after a handover: what was handed over, in its place
            yield HandedOverNote("handed_over.hint_calls", summary_lines=3, id="handed-over")
            yield Static("", id="preview")
        yield DeskFooter()

    def on_mount(self) -> None:
        # a burst of commits gathered, and held while the officer types (throttle.py)
        outside = Throttled(
            self, OUTSIDE_REFRESH_S, self.refresh_calls, lambda: self.app.last_key_at
        )
        self.app.register_changed.subscribe(self, lambda _: outside())
        self.load_calls("")
        self.load_units()
        self.restore_drafts()
        self.app.before_quit.append(self.leave_drafts)
        # now: Widget.focus waits a refresh, and would take the focus from where the first
        # look's hand-over put it (the list, with the officer reading it: breaker, session 13)
        self.app.set_focus(self.query_one("#f-caller"))

    def on_resize(self) -> None:
        self.set_class(self.size.height < SHORT, "-short")
        self.set_class(self.size.width < NARROW, "-narrow")

    # -- the list -----------------------------------------------------------------------------

    def refresh_calls(self) -> None:
        self.load_calls(self.query_one("#search", Input).value.strip())

    @work(thread=True, exclusive=True, group="calls-list")
    def load_calls(self, term: str) -> None:
        from dutydesk.services.calls import list_calls
        from dutydesk.services.handover import handed_over
        from dutydesk.services.roster import current_shift, duty_began

        desk = self.desk
        handed = None
        # one more than listed is read: whether there are more is said in the list's title (QA:
        # the shift's list stopped at 50 calls, titled as the whole shift)
        if term:
            limit = SEARCH_LIMIT
            views = self._searched(term, limit + 1)
            if views is None:
                return
        else:
            limit = SHIFT_LIMIT
            shift = current_shift(desk)
            views = list_calls(desk, shift_id=shift.id if shift else None, limit=limit + 1)
            if shift is not None and shift.id is not None and not views:
                handed = handed_over(desk, shift.id)
        began = duty_began(desk)
        if not get_current_worker().is_cancelled:
            shown = Shown(views[:limit], term, more=len(views) > limit)
            self.post_message(CallsLoaded(shown, began, handed))

    @on(CallsLoaded)
    def _calls_loaded(self, message: CallsLoaded) -> None:
        if message.shown.term != self.query_one("#search", Input).value.strip():
            return  # a newer search is on its way
        self._duty_began = message.duty_began
        table = self.query_one(CallTable)
        table.show(message.shown, self.desk.timezone)
        handed = message.handed_over
        table.set_class(handed is not None, "-handed-over")  # the note right under its header
        self.query_one(HandedOverNote).show(handed, self.desk.timezone)
        self._show_preview()
        self._leave_an_empty_list()

    def on_screen_resume(self) -> None:
        self._leave_an_empty_list()

    def _leave_an_empty_list(self) -> None:
        """The cursor on the shift's list with no call in it (a shift just begun, as after a
        handover) goes back to the form field it left, now: the first caller's name typed there
        was lost, and the next fields' text landed one field off (new officer, session 17).
        Only in view: the app's focus set from a hidden screen is the screen in view's, and the
        keys typed on the handover screen after a sign-off went to this form (session 18); on
        coming back in view (on_screen_resume) it is done then."""
        table = self.query_one(CallTable)
        if (
            not self.is_current
            or self.focused is not table
            or table.row_count
            or self.query_one("#search", Input).value
        ):
            return
        field = self._form_field
        if field is None or not field.is_attached or not field.focusable:
            field = self.query_one("#f-caller", Input)
        self.app.set_focus(field)

    @on(DataTable.RowHighlighted, "#calls-table")
    def _show_preview(self) -> None:
        self.query_one("#preview", Static).update(self.query_one(CallTable).preview())

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.refresh_calls()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(CallTable).focus()

    @on(Input.Blurred, "#search")
    def _search_left(self) -> None:
        search = self.query_one("#search", Input)
        search.set_class(bool(search.value), "-shown")

    @on(DataTable.RowSelected, "#calls-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_detail(str(event.row_key.value))

    def selected_number(self) -> str | None:
        return self.query_one(CallTable).selected_number()

    def open_detail(self, number: str) -> None:
        from dutydesk.screens.call_detail import CallDetailScreen

        self.app.push_screen(CallDetailScreen(number), callback=self._after_detail)

    def _after_detail(self, amended: str | None) -> None:
        """Back from a call's detail or correction: `amended` says what a correction did."""
        self.refresh_calls()
        if amended:
            self.set_status(amended, ok=True)

    # -- the form: units offered, the time shown in full, earlier calls from the number -------

    @work(thread=True, exclusive=True, group="calls-units")
    def load_units(self) -> None:
        from dutydesk.services.calls import known_units

        self.post_message(UnitsLoaded(known_units(self.desk)))

    @on(UnitsLoaded)
    def _units_loaded(self, message: UnitsLoaded) -> None:
        shown = [visible(name) for name in message.units]
        self.query_one("#f-unit", Input).suggester = SuggestFromList(shown, case_sensitive=False)

    @on(Input.Blurred, "#f-time")
    def _time_left(self) -> None:
        from dutydesk.errors import DutyError

        form = self.query_one(CallForm)
        try:
            form.show_time_in_full(self.desk)
        except DutyError as error:
            self.query_one("#f-time").set_class(True, "-invalid")
            self.set_status(error.message(), ok=False)
            return
        self.query_one("#f-time").set_class(False, "-invalid")

    @on(Input.Changed, "#f-phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        from dutydesk.services.core.search import phone_digits

        digits = phone_digits(event.value.strip()) or ""
        if len(digits) < EARLIER_DIGITS:
            self._show_earlier(None)
            return
        self.look_up_earlier(digits)

    def _searched(self, term: str, limit: int) -> list[CallView] | None:
        """The calls matching `term` (in a worker); None, and the reason said, when the search
        cannot be made (an index damaged by hand: a traceback stopped the app)."""
        from dutydesk.errors import DutyError
        from dutydesk.services.calls import list_calls

        try:
            return list_calls(self.desk, search=term, limit=limit)
        except DutyError as error:
            self.app.call_from_thread(self.set_status, error.message(), ok=False)
            return None

    @work(thread=True, exclusive=True, group="calls-earlier")
    def look_up_earlier(self, digits: str) -> None:
        views = self._searched(digits, EARLIER_SHOWN + 1)
        if views is not None and not get_current_worker().is_cancelled:
            self.post_message(EarlierCalls(digits, views))

    @on(EarlierCalls)
    def _earlier_found(self, message: EarlierCalls) -> None:
        from dutydesk.services.core.search import phone_digits

        typed = phone_digits(self.query_one("#f-phone", Input).value.strip())
        if typed == message.digits:
            self._show_earlier(message.views, message.digits)

    @on(Select.Changed, "#f-direction")
    def _direction_changed(self, event: Select.Changed) -> None:
        self.query_one(EarlierLine).set_outgoing(event.value == "out")

    def _show_earlier(self, views: list[CallView] | None, digits: str = "") -> None:
        width = max(20, self.size.width - 2)
        self.query_one(EarlierLine).show_calls(views, self.desk.timezone, width, EARLIER_SHOWN,
                                               digits)  # fmt: skip

    def action_search(self) -> None:
        # the field left, now: Tab (a priority key) may have moved the focus a moment ago, and
        # its DescendantFocus is still on its way
        self._form_field = self._field_of(self.focused) or self._form_field
        search = self.query_one("#search", Input)
        search.set_class(True, "-shown")
        self.app.set_focus(search)  # now: the keys typed next are the term (not later, as focus())

    def action_amend(self) -> None:
        from dutydesk.screens.call_detail import AmendScreen

        number = self.selected_number()
        if number is None:
            self.set_status(t("calls_screen.nothing_selected"), ok=False)
            return
        self.app.push_screen(AmendScreen(number), callback=self._after_detail)

    def action_entry_form(self) -> None:
        """The incident, 核报 or 批示 form for the selected call, prefilled from it."""
        from dutydesk.screens.entry_form import open_form_for_call

        view = self.query_one(CallTable).selected_view()
        if view is None:
            self.set_status(t("entry_form.nothing_selected"), ok=False)
            return
        refuse = partial(self.set_status, ok=False)
        open_form_for_call(self, view, refuse, self._after_entry_form)

    def _after_entry_form(self, message: str | None) -> None:
        if message:
            self.set_status(message, ok=True)

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        self._form_field = self._field_of(event.widget) or self._form_field

    def _field_of(self, widget: Widget | None) -> Widget | None:
        """The form's field `widget` is (a dropdown's list: its dropdown), None if not one."""
        if widget is None or self.query_one(CallForm) not in widget.ancestors:
            return None
        chain = widget.ancestors_with_self
        return next((node for node in chain if isinstance(node, Select)), widget)

    def action_back(self) -> None:
        """Esc: the search cleared, the cursor back in the form field the officer left, at the
        end of its text with nothing selected (QA: it went to the caller, all selected, and the
        next key replaced the name), notes put away (the signing key's note stays two minutes
        otherwise: QA, session 12). An open dropdown's list closes on it, as before."""
        focused = self.focused
        if focused is not None and any(isinstance(node, Select) for node in focused.ancestors):
            raise SkipAction()  # the key goes on to the dropdown's list
        search = self.query_one("#search", Input)
        search.call_later(self._clear_search)  # after the keys already on their way to it
        field = self._form_field
        if field is None or not field.is_attached or not field.focusable:
            field = self.query_one("#f-caller", Input)
        if field is not focused:  # Esc in a field leaves its cursor where it is
            self.app.set_focus(field)  # now: the key typed next goes to it
            if isinstance(field, Input):
                field.cursor_position = len(field.value)
            elif isinstance(field, TextArea):
                field.move_cursor(field.document.end)
        self.app.clear_notifications()

    def _clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        search.set_class(search.has_focus, "-shown")
