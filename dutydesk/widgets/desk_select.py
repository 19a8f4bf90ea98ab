"""A dropdown that takes a burst of keys as if they were typed one at a time.

Textual's dropdown (Select) opens its list when it reads Enter, Space, Up or Down, and the list
takes the cursor a moment later. Keys sent in one burst (a fast typist, a slow link, a loaded
machine) reached the closed dropdown before that: Enter, Up, Enter opened the list and the Up and
the Enter were taken as "open" again, so nothing was chosen (new officer, session 17). Here the
key that opens the list is acted on as it reaches the app, and the keys typed after it wait
(DeskApp.hold_keys) until the list has the cursor. Likewise the Enter that chooses in the list (or
the Esc that closes it) holds the keys after it until the dropdown has the cursor back: the
dropdown takes it back itself once it has read the choice, and a Tab and a reason typed on went
to the next field, then the rest of the reason to the dropdown.

A dropdown takes no text: with `text_to`, the characters typed on it while it is closed go to
that field, the cursor with them (DeskApp moves it as the key reaches the app): the re-grade
reason typed straight after Ctrl+G was lost on its level dropdown (new officer, session 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual._time import get_time
from textual.actions import SkipAction
from textual.binding import Binding
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectOverlay

from dutydesk.widgets.bindings import Key, bindings

if TYPE_CHECKING:
    from textual import events
    from textual.timer import Timer
    from textual.widget import Widget

OPEN_KEYS = "enter,space,up,down"  # Select's own keys that open its list
HOLD_LIMIT_S = 1.0  # the keys held for a choice are given out by then whatever happens
LATE_S = 1.0  # a closed list's late Dismiss (its losing the cursor) is read within this


class DeskSelect(Select[str]):
    # each only while it can act (check_action): the dialog's own Esc (取消) shows and acts while
    # the list is closed, and the open list's Esc keeps its label (关闭列表: bindings.py)
    BINDINGS = [
        Binding(OPEN_KEYS, "open_list", show=False, priority=True),
        Binding("enter", "close_list", show=False, priority=True),
        *bindings([Key("escape", "close_list", "palette.dismiss_menu", priority=True)]),
    ]

    def __init__(self, *args: Any, text_to: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_to = text_to  # the id of the field text typed on this dropdown goes to
        self._held_for_choice = False
        self._hold_limit: Timer | None = None
        self._late_dismiss: float | None = None  # when the list closed with the cursor in it

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_list":
            return not self.expanded
        if action == "close_list":
            return self.expanded
        return super().check_action(action, parameters)

    def _list(self) -> OptionList:
        return self.query_one("SelectOverlay", OptionList)

    def action_open_list(self) -> None:
        """Open the list now, the keys typed after it held until it has the cursor (its focus
        is given in the app's turn: the keys are given out after it)."""
        from dutydesk.widgets.desk_app import DeskApp

        app = self.app
        if self.expanded or app.focused is not self or not isinstance(app, DeskApp):
            raise SkipAction()  # the key goes on (to the open list)
        app.hold_keys()
        self.action_show_overlay()
        app.call_later(app.release_keys)

    def action_close_list(self) -> None:
        """Enter or Esc in the open list: read by the list as before, the keys typed after it
        held until the dropdown has the cursor back (watch_expanded)."""
        from dutydesk.widgets.desk_app import DeskApp

        app = self.app
        chosen_list = self._list()
        if (
            self.expanded
            and app.focused is chosen_list
            and isinstance(app, DeskApp)
            and not self._held_for_choice
            and chosen_list.highlighted is not None  # Enter chooses (or Esc closes) for sure
        ):
            app.hold_keys()
            self._held_for_choice = True
            self._hold_limit = app.set_timer(HOLD_LIMIT_S, self._give_out_held)
        raise SkipAction()  # the key goes on to the list

    def watch_expanded(self, expanded: bool) -> None:
        """The list closed: the keys held since its Enter or Esc are given out once the
        dropdown has taken the cursor back (Select gives it in the app's turn, asked for just
        before or just after this: so after this message, then after the app's turn)."""
        self.refresh_bindings()  # the footer: the open list's Esc, or the dialog's
        if not expanded and self.app.focused is self._list():  # it is about to lose the cursor
            self._late_dismiss = get_time()
        if not expanded and self._held_for_choice:
            self.call_later(self.app.call_later, self._give_out_held)

    @on(SelectOverlay.Dismiss)
    def _dismissed_before_reopened(self, event: SelectOverlay.Dismiss) -> None:
        """The list, closed by a choice (or Esc), gives the cursor back to the dropdown, and its
        losing the cursor sends a Dismiss that is read a moment later. A burst that opens the
        list again meanwhile (Enter Down Enter Enter Up Enter) had that late Dismiss close the
        list it had just opened: the second choice was lost and the keys after it went to the
        field before the dropdown. That one Dismiss, read within LATE_S of the close with the
        list open again, is dropped (Select's own handler does not run) and the list given the
        cursor; any other (Shift+Tab or a click on the dropdown: breaker, session 19) closes
        the list as Select does."""
        late = self._late_dismiss is not None and get_time() - self._late_dismiss < LATE_S
        if not event.lost_focus or not late:
            return
        self._late_dismiss = None
        if self.expanded:
            event.stop()
            event.prevent_default()
            self._list().focus(scroll_visible=False)

    async def _give_out_held(self) -> None:
        from dutydesk.widgets.desk_app import DeskApp

        app = self.app
        if self._held_for_choice and isinstance(app, DeskApp):
            self._held_for_choice = False
            if self._hold_limit is not None:
                self._hold_limit.stop()
            await app.release_keys()

    def field_for_text(self, key: events.Key) -> Widget | None:
        """The field a character typed on this closed dropdown goes to (DeskApp), or None."""
        if self.text_to is None or self.expanded or not key.is_printable or key.key == "space":
            return None
        return self.screen.query_one(f"#{self.text_to}")
