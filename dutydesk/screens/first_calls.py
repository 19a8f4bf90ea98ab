"""The calls screen as it first appears, before the register is open: the office, who is on duty,
the shift's calls and a form that takes keys, from the first look (services/calls/first_look.py,
read with sqlite3 while SQLModel loads). It looks like the calls screen, and when the register is
open the calls screen takes its place and takes over what was typed here and where the cursor was
(app.py, CallsScreen.take_over). Nothing here reads or writes the register."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, TextArea
from textual.widgets.input import Selection

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.call_form import CallForm
from dutydesk.widgets.call_list import CallTable, Shown, highlighted
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.calls.first_look import FirstLook

SHORT = 30  # as the calls screen (screens/calls.py)
NARROW = 100
READY_ANYWAY_S = 0.5


def _footer_slot() -> Static:
    """As high as DeskFooter's two rows, where it docks: the list does not move when it comes."""
    slot = Static("", id="footer-slot")
    slot.styles.dock = "bottom"
    slot.styles.height = 2
    return slot


def _first_preview(look: FirstLook) -> Text:
    """The preview line as the list shows it with its cursor on the first (newest) call."""
    if not look.calls:
        return Text("", end="")
    text = highlighted(look.calls[0].summary, [], 10_000)
    text.no_wrap = False
    return text


class FirstCallsScreen(DeskScreen[None]):
    """The app's first screen when the first look is read in time (startup_app.py); a DeskScreen
    for its start at the app's CSS count (no re-parse of every stylesheet when it is shown)."""

    KEYS = [
        Key("ctrl+s", "after_typing('save')", "calls_screen.save", priority=True),
    ]  # fmt: skip
    BINDINGS = bindings(KEYS)

    class Ready(Message):
        """Its caller field has the focus and the shift's calls are on screen: what was typed
        before may go to the form, and the register may open behind it (startup_app.py)."""

    def __init__(self, look: FirstLook) -> None:
        super().__init__()
        self.look = look
        self.save_asked = False  # Ctrl+S before the register opened: saved once it has
        self.draft_shown = False  # the crash draft is in this form: handed over whatever it is

    def compose(self) -> ComposeResult:
        look = self.look
        if look.officer is None:
            duty = t("header.no_shift")
        else:
            duty = t("header.on_duty", officer=look.officer, leader=look.leader or "—")
        yield DutyHeader(first_look=(look.office_name, duty))
        with Vertical(id="calls-body"):
            yield CallForm(self.look.categories, [], id="call-form")
            yield Static("", id="earlier")
            yield Static(literal(t("app.loading")), id="status")
            search = DeskInput(placeholder=t("calls_screen.search_placeholder"), id="search")
            search.border_title = literal(t("calls_screen.search"))
            search.disabled = True  # searching needs the open register
            yield search
            yield CallTable(id="calls-table")
            yield Static("", id="preview")
        yield _footer_slot()  # the keys once the list has painted (mount_footer)

    def on_mount(self) -> None:
        look = self.look
        table = self.query_one(CallTable)
        # Filled now for the terminal's width (it spans it), so the rows are in the first frame
        # (filled once laid out, they came a frame and a layout of the screen later; laid out at
        # another width, it is filled again); the rows a terminal can show first, the rest in a
        # pause of the typing (mount_footer)
        table.rows_first, table.hold_rest = self.app.size.height, True
        table.assumed_width = self.app.size.width
        table.show(Shown(look.calls, "", look.more), look.timezone)
        self.query_one("#preview", Static).update(_first_preview(look))
        self.set_focus(self.query_one("#f-caller"))  # now, not later: the first key is for it
        self._restore_draft()
        self._ready_said = False
        # the list says when its rows have painted; a list never laid out (no room for it) does
        # not, and the register opens all the same
        self.set_timer(READY_ANYWAY_S, self._say_ready)

    def on_call_table_listed(self, message: CallTable.Listed) -> None:
        message.stop()
        self._say_ready()

    def _say_ready(self) -> None:
        """Once: after any key typed so far (those come first), and once the list's frame is
        out (the register's opening, in a worker, slowed it: one interpreter for both)."""
        if not self._ready_said:
            self._ready_said = True
            self.app.post_message(self.Ready())

    async def mount_footer(self) -> None:
        """The footer's rows of keys, in the place kept for them, and the list's rows below the
        first screenful, once the first frame with the office, the list and the form is out
        (the app: in a pause of the typing). The footer's ~20 keys, each a widget to style and
        lay out, were about 40 ms before that frame (session 13, bench: the list's frame 491 ->
        456 ms without them); the rows below make the list's scroll bar and a layout of the
        whole screen (~25 ms)."""
        slots = self.query("#footer-slot")
        if not slots or not self.is_attached:  # the app ended before its first frame
            return
        self.query_one(CallTable).add_rest()
        await self.mount(DeskFooter(), before=slots.first())
        await slots.remove()

    def on_resize(self) -> None:
        self.set_class(self.size.height < SHORT, "-short")
        self.set_class(self.size.width < NARROW, "-narrow")

    def _restore_draft(self) -> None:
        """The crash draft (a file beside the register, read with the stdlib) into this form
        before any key reaches it: a key typed now adds to it, never replaces it, and the calls
        screen's draft file is only written from what this form hands over."""
        from dutydesk.services.core.drafts import load_draft

        path = getattr(self.app, "db_path", None)
        own = getattr(self.app, "call_draft", None)
        values = load_draft(path, own.form) if path is not None and own is not None else None
        if not values:
            return
        self.query_one(CallForm).load_values(values)
        caller = self.query_one("#f-caller", Input)
        at = Selection.cursor(len(caller.value))  # typing goes on after it: not all selected
        caller.call_later(setattr, caller, "selection", at)  # after the focus selects all
        self.draft_shown = True
        status = self.query_one("#status", Static)
        status.update(literal(t("calls_screen.draft_restored")))
        status.add_class("error")  # to be seen before the next call is typed into it

    def action_after_typing(self, action: str) -> None:
        """Ctrl+S: the keys typed after it are held from this moment (the app), the save itself
        marked after the keys typed before it."""
        from dutydesk.widgets.desk_app import DeskApp

        if action == "save" and isinstance(self.app, DeskApp):
            self.app.hold_keys_for_save()
        super().action_after_typing(action)

    def action_save(self) -> None:
        """Held until the register is open: the calls screen takes this form over and saves."""
        self.save_asked = True
        self.query_one("#status", Static).update(literal(t("first_calls.save_held")))

    def hand_over(self, form: CallForm) -> None:
        """To the calls screen's `form`, once the register is open: what was typed here (over
        any draft it restored), the field the cursor was in and where in it. Focused at once
        (not later, as Widget.focus does), so the next key reaches it."""
        mine = self.query_one(CallForm)
        if self.draft_shown or not mine.nothing_typed():
            form.load_values(mine.values())
        here = self.focused
        if isinstance(here, CallTable):  # the officer was reading the list: it stays so
            table = form.screen.query_one(CallTable)
            self.app.set_focus(table)
            if (number := here.selected_number()) is not None:
                table.select_when_listed(number)
            return
        if here is None or not (here.id or "").startswith("f-"):
            return
        there = form.query_one(f"#{here.id}")
        self.app.set_focus(there)
        if isinstance(here, Input) and isinstance(there, Input):
            at = Selection.cursor(here.cursor_position)  # not all selected, as a focus does
            there.call_later(setattr, there, "selection", at)
        elif isinstance(here, TextArea) and isinstance(there, TextArea):
            there.cursor_location = here.cursor_location
