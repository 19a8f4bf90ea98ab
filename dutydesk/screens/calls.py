"""The call register screen: log a call in seconds, see the shift's calls, find any call of any
year, open one, correct one.

Nothing here touches the register on the UI thread: saving, the list, the search, the earlier calls
from a number and the units offered for completion are read or written in worker threads that post
their results back as messages (a newer list or lookup supersedes an older one). Tab and Shift+Tab
are priority keys: the app moves the focus as it takes the key from the terminal, so characters
typed right after a Tab land in the next field, never in the last."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, DataTable, Input, Select, Static, TextArea
from textual.worker import get_current_worker

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.screens.call_messages import (
    CallSaved,
    CallsLoaded,
    EarlierCalls,
    SaveFailed,
    UnitsLoaded,
)
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.call_form import CallForm
from dutydesk.widgets.call_list import CallTable, Shown
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.form_lines import EarlierLine
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal, visible
from dutydesk.widgets.throttle import Throttled

if TYPE_CHECKING:
    from pendulum import DateTime
    from textual.timer import Timer

    from dutydesk.services.calls import CallDraft, CallView

DRAFT_FORM = "call"
DRAFT_DELAY_S = 0.3
SHORT = 30  # a terminal with fewer lines gets the compact layout (calls.tcss: -short)
NARROW = 100  # a terminal with fewer cells gets narrower fields (-narrow)
EARLIER_DIGITS = 7  # digits typed before the earlier calls from the number are looked up
EARLIER_SHOWN = 3
SHIFT_LIMIT = 200
OUTSIDE_REFRESH_S = 1.0  # the list read again after commits at most this often
SEARCH_LIMIT = 50


class CallsScreen(DeskScreen[None]):
    KEYS = [
        Key("ctrl+s", "after_typing('save')", "calls_screen.save", priority=True),
        Key("ctrl+n", "new", "calls_screen.new", priority=True),
        Key("ctrl+f", "search", "calls_screen.search", priority=True),
        Key("ctrl+e", "amend", "calls_screen.amend", priority=True),
        Key("ctrl+o", "entry_form", "entry_form.open", priority=True),
        Key("ctrl+l", "leader_away", "absence_dialog.open", priority=True),
        Key("escape", "back", "calls_screen.back", show=False),
        Key("tab", "next_field", "call_form.next_field", show=False, priority=True),
        Key("shift+tab", "previous_field", "call_form.previous_field", show=False,
            priority=True),
    ]  # fmt: skip
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self._draft_timer: Timer | None = None
        self._clear_asked = False  # Ctrl+N pressed once over typed text
        self._early_asked: CallDraft | None = None  # the call whose early time was pointed out
        self._saving = False
        self._to_save: list[tuple[CallDraft, dict[str, Any]]] = []  # Ctrl+S'd, in order
        self._duty_began: DateTime | None = None

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        with Vertical(id="calls-body"):
            yield CallForm(self.desk.profile.calls.categories, [], id="call-form")
            yield EarlierLine(id="earlier")
            yield Static("", id="status")
            search = DeskInput(placeholder=t("calls_screen.search_placeholder"), id="search")
            search.border_title = literal(t("calls_screen.search"))
            yield search
            table = CallTable(id="calls-table")
            table.border_title = literal(t("calls_list.loading"))
            yield table
            yield Static("", id="preview")
        yield DeskFooter()

    def on_mount(self) -> None:
        outside = Throttled(self, OUTSIDE_REFRESH_S, self.refresh_calls)  # a burst of commits
        self.app.register_changed.subscribe(self, lambda _: outside())
        self.load_calls("")
        self.load_units()
        self._restore_draft()
        self.query_one(CallForm).focus_first()

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def on_resize(self) -> None:
        self.set_class(self.size.height < SHORT, "-short")
        self.set_class(self.size.width < NARROW, "-narrow")

    def duty_began(self) -> DateTime | None:
        """When this duty began, as the last list read found it (else as the header has it)."""
        return self._duty_began or self.shift_start()

    # -- the list -----------------------------------------------------------------------------

    def refresh_calls(self) -> None:
        self.load_calls(self.query_one("#search", Input).value.strip())

    @work(thread=True, exclusive=True, group="calls-list")
    def load_calls(self, term: str) -> None:
        from dutydesk.services.calls import list_calls
        from dutydesk.services.roster import current_shift, duty_began

        desk = self.desk
        if term:
            views = list_calls(desk, search=term, limit=SEARCH_LIMIT)
        else:
            shift = current_shift(desk)
            views = list_calls(desk, shift_id=shift.id if shift else None, limit=SHIFT_LIMIT)
        began = duty_began(desk)
        if not get_current_worker().is_cancelled:
            self.post_message(CallsLoaded(Shown(views, term), began))

    @on(CallsLoaded)
    def _calls_loaded(self, message: CallsLoaded) -> None:
        if message.shown.term != self.query_one("#search", Input).value.strip():
            return  # a newer search is on its way
        self._duty_began = message.duty_began
        self.query_one(CallTable).show(message.shown, self.desk.timezone)
        self._show_preview()

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

    def _after_detail(self, amended_number: str | None) -> None:
        self.refresh_calls()
        if amended_number:
            self.set_status(t("calls_screen.amended", number=amended_number), ok=True)

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

    @work(thread=True, exclusive=True, group="calls-earlier")
    def look_up_earlier(self, digits: str) -> None:
        from dutydesk.services.calls import list_calls

        views = list_calls(self.desk, search=digits, limit=EARLIER_SHOWN + 1)
        if not get_current_worker().is_cancelled:
            self.post_message(EarlierCalls(digits, views))

    @on(EarlierCalls)
    def _earlier_found(self, message: EarlierCalls) -> None:
        from dutydesk.services.core.search import phone_digits

        typed = phone_digits(self.query_one("#f-phone", Input).value.strip())
        if typed == message.digits:
            self._show_earlier(message.views, message.digits)

    def _show_earlier(self, views: list[CallView] | None, digits: str = "") -> None:
        width = max(20, self.size.width - 2)
        self.query_one(EarlierLine).show_calls(views, self.desk.timezone, width, EARLIER_SHOWN,
                                               digits)  # fmt: skip

    # -- saving -------------------------------------------------------------------------------

    def action_save(self) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services.calls import validate

        form = self.query_one(CallForm)
        try:
            draft = form.draft(self.desk)
        except DutyError as error:
            form.mark_problems(["received_at"])
            self.set_status(error.message(), ok=False)
            return
        problems = validate(self.desk, draft)  # in memory: the office and its profile
        if problems:
            failure = ValidationFailed(problems)
            form.mark_problems(failure.fields)
            self.set_status(failure.message(), ok=False)
            return
        if self._asks_about_early_time(draft):
            return
        self._to_save.append((draft, form.values()))
        self._early_asked = None
        form.clear()  # at once: the next call can be typed while this one is written
        form.focus_first()
        self.set_status(t("call_form.saving"), ok=True)
        self._save_next()

    def _save_next(self) -> None:
        """One save at a time, in Ctrl+S order (review, session 11: a second one was dropped)."""
        if self._to_save and not self._saving:
            self._saving = True
            self.save_in_background(*self._to_save.pop(0))

    def _asks_about_early_time(self, draft: CallDraft) -> bool:
        """A time before this duty began is saved only once confirmed by a second Ctrl+S."""
        began = self.duty_began()
        if draft.received_at is None or began is None or draft.received_at >= began:
            return False
        if self._early_asked == draft:
            return False
        self._early_asked = draft
        self.query_one(CallForm).mark_problems(["received_at"])
        at, start = (when.in_timezone(self.desk.timezone) for when in (draft.received_at, began))
        shown = "YYYY-MM-DD HH:mm"
        self.set_status(
            t("call_form.before_shift", at=at.format(shown), start=start.format(shown)), ok=False
        )
        return True

    @work(thread=True, group="calls-save")
    def save_in_background(self, draft: CallDraft, values: dict[str, Any]) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services import calls

        try:
            record = calls.save_call(self.desk, draft, self.recorder())
        except ValidationFailed as failure:
            self.post_message(SaveFailed(failure.message(), values, failure.fields))
        except DutyError as error:
            self.post_message(SaveFailed(t("app.save_failed", reason=error.message()), values))
        else:
            self.post_message(CallSaved(record.number))

    @on(CallSaved)
    def _saved(self, message: CallSaved) -> None:
        from dutydesk.services.core import discard_draft

        self._saving = False  # only now, after the commit returned, is the call saved
        self._save_next()
        form = self.query_one(CallForm)
        if form.nothing_typed():
            discard_draft(self.desk.path, DRAFT_FORM)
        self.set_status(t("app.saved", number=message.number), ok=True)
        self.refresh_calls()

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        self._saving = False
        self._save_next()
        form = self.query_one(CallForm)
        if form.nothing_typed():  # else the next call is being typed: keep that
            form.load_values(message.values)
            form.mark_problems(message.fields)
        self.set_status(message.message, ok=False)

    def action_new(self) -> None:
        from dutydesk.services.core import discard_draft

        form = self.query_one(CallForm)
        if not form.nothing_typed() and not self._clear_asked:
            self._clear_asked = True  # what was typed is thrown away only on a second Ctrl+N
            self.set_status(t("calls_screen.new_confirm"), ok=False)
            return
        form.clear()
        self._early_asked = None
        discard_draft(self.desk.path, DRAFT_FORM)
        self.set_status("", ok=True)
        form.focus_first()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.set_class(True, "-shown")
        search.focus()

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

        view = self.query_one(CallTable).selected_view()
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
        self.query_one("#search", Input).value = ""
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
            if not self._saving:  # the call just cleared is kept until its save returns
                discard_draft(self.desk.path, DRAFT_FORM)
        elif not save_draft(self.desk.path, DRAFT_FORM, form.values()):
            self.set_status(t("calls_screen.draft_failed"), ok=False)

    def _restore_draft(self) -> None:
        from dutydesk.services.core import load_draft

        if values := load_draft(self.desk.path, DRAFT_FORM):
            self.query_one(CallForm).load_values(values)
            self.set_status(t("calls_screen.draft_restored"), ok=True)
