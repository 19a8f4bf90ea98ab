"""The app as its screens and widgets see it: the open register, the shift on duty, and the live
state the header and the deadline board show.

It lives here, below the screens, so that a screen or a widget can check at run time that it is
in this app (Textual's `getters.app`) without importing `dutydesk.app`, which imports the screens
(layers: app > screens > widgets). DutyDeskApp (app.py) is its one subclass.

The live state: twice a second the app asks the register whether anyone (this app, another
terminal, the CLI) has committed since it last looked (`PRAGMA data_version`, a counter in shared
memory: no I/O, never waits). Only then does a worker thread load the shift and the open deadlines,
once, and post them back; the header and the board are both repainted from that one load, in the
same step, so they never disagree, and neither reads the register on the UI thread. Without a
commit, a load goes stale only at a time known when it was read (`LiveState.stale_at`: midnight,
the shift slot's end, the leader's absence's end), and is read again then; the countdowns in
between are worked out from memory, once a second, on the check's own wake-up (tick_each_second):
the app has one timer while it waits (bench: a wake-up costs more than what it does)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol
from weakref import WeakSet

from textual import events, on
from textual.app import App
from textual.driver import Driver
from textual.geometry import Region
from textual.message import Message
from textual.message_pump import MessagePump
from textual.signal import Signal
from textual.widgets import Input, TextArea

from dutydesk.i18n import t
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.css_cache import keep_parsed_stylesheets
from dutydesk.widgets.live_state import LiveState, ShiftStatus, read_live, shift_on_duty

if TYPE_CHECKING:
    from pendulum import DateTime
    from rich.console import RenderableType
    from textual.screen import Screen

    from dutydesk.services.core import ChangeWatch, Desk
    from dutydesk.widgets.inline_keys import TextRefused

# how often the register is asked whether anyone has committed: another terminal's write is
# shown within a second (0.25 s woke the idle app four times a second for it: bench, session 19)
CHANGE_CHECK_S = 0.5
CHECKS_A_SECOND = 2  # the clocks tick on every second check


class Ticking(Protocol):
    """A clock or a countdown that moves once a second (the header, the deadline board)."""

    @property
    def is_attached(self) -> bool: ...

    def tick(self) -> None: ...


# App[object], not App[None]: Textual types every app it is handed as App[object] (`self.app`,
# CommandPalette.is_open), and its type parameter is invariant. This app returns no result.
class DeskApp(App[object]):
    # Tab and Shift+Tab move the focus as the app takes the key from the terminal, on every
    # screen and in every dialog: as Screen's plain bindings, the key waited at the focused
    # field behind the characters typed before it and came back to the app after those typed
    # next had gone to the same field (QA: the incident form's `AA` Tab `BB` gave `AABB`, a new
    # PIN typed twice was "not the same"). A field that takes Tab itself (a TextArea indenting)
    # still gets it: Textual drops an ancestor's binding of a key the focused widget consumes.
    BINDINGS = bindings([
        Key("tab", "focus_next", "call_form.next_field", show=False, priority=True),
        Key("shift+tab", "focus_previous", "call_form.previous_field", show=False,
            priority=True),
    ])  # fmt: skip

    class LiveLoaded(Message):
        """A worker has read the live state (posted from its thread): `state` None when nothing
        shown has changed or the register could not be read this time."""

        def __init__(self, state: LiveState | None, seq: int | None) -> None:
            super().__init__()
            self.state = state
            self.seq = seq

    def __init__(self) -> None:
        keep_parsed_stylesheets()  # before Textual parses any (as the app starts)
        super().__init__()
        self.desk: Desk | None = None  # None until the register is open (in a worker)
        self.shift_status: ShiftStatus | None = None
        self.live: LiveState | None = None  # the latest load; the header and the board show it
        self.live_changed: Signal[LiveState] = Signal(self, "live_changed")
        # another shift on duty (a handover, a shift opened): when it began; what the screens
        # said before then was the last shift's (screens/base.py)
        self.shift_changed: Signal[DateTime] = Signal(self, "shift_changed")
        # anyone (this app included) committed to the register: lists that show calls re-read
        self.register_changed: Signal[None] = Signal(self, "register_changed")
        self.register_changes = 0  # how many times the register was seen changed (upkeep's cue)
        self._live_seq: int | None = None  # the hash chain's last link at the latest read
        self._live_engine = ExitStack()  # the live reads' own engine, disposed at the end
        self._live_desk: Desk | None = None
        self._loading = False  # a read is running in a worker
        self._again: bool | None = None  # asked again while it ran (forced or not)
        self._held_keys: list[events.Key] | None = None  # keys typed while a save clears a form
        self.before_quit: list[Callable[[], object]] = []  # forms' drafts written at Ctrl+Q
        self._holds = 0  # saves asked for whose form has not yet been cleared
        self._quit_asked = False  # Ctrl+Q pressed once over a form's unsaved text
        self.last_key_at = float("-inf")  # time.monotonic() of the last key typed
        self.last_frame_at = float("-inf")  # and of the last frame written to the terminal
        self._frame_dropped = False  # a frame was made during a batch: not written (_end_batch)
        self._each_second: WeakSet[Ticking] = WeakSet()  # ticked on every CHECKS_A_SECOND-th check
        self._checks = 0  # change checks made

    def get_driver_class(self) -> type[Driver]:
        """Textual's terminal driver on Linux and macOS, its input thread asleep until a key
        (widgets/quiet_input.py); any other driver (Windows', one TEXTUAL_DRIVER names) as
        Textual chose it."""
        from textual import constants

        driver = super().get_driver_class()
        if constants.DRIVER is None and driver.__name__ == "LinuxDriver":
            from dutydesk.widgets.quiet_input import QuietLinuxDriver

            return QuietLinuxDriver
        return driver

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        """Every frame (widgets/keys_first.py: a start-up worker's imports wait for a pause in
        them; tests/test_textual_private.py). A frame made during a batch is not written
        (Textual drops it) but its regions count as drawn: noted, for _end_batch. The first
        whole frame is written even so (_first_whole_frame)."""
        if renderable is not None and self._batch_count:
            if self._first_whole_frame(screen, renderable):
                held, self._batch_count = self._batch_count, 0
                try:
                    self._display(screen, renderable)
                finally:
                    self._batch_count = held
                return
            self._frame_dropped = True
        elif renderable is not None:
            self.last_frame_at = time.monotonic()
        super()._display(screen, renderable)

    def _first_whole_frame(self, screen: Screen[Any], renderable: RenderableType) -> bool:
        """The app's first frame, of the whole screen: the first screen is laid out and drawn
        while Textual's start-up batch is still held (its Mount, animator and ready callbacks),
        and that frame was dropped; the screen came ~25 ms later, with the layout that follows
        the start's Resize (traced: tests/test_first_frame.py). Written as it is made: it is the
        whole of one screen, as any frame after a batch would be."""
        return (
            self.last_frame_at == float("-inf")
            and screen is self.screen
            and type(renderable).__name__ == "LayoutUpdate"  # textual._compositor's whole frame
        )

    def _end_batch(self) -> None:
        """The screen drawn whole once a batch that dropped a frame ends. The first screen is
        laid out while Textual's start-up batch is held: that first frame, with the shift's
        calls, was dropped, the next one held only the widgets that changed since, and the list
        came with a later layout (traced: ~40 ms after the header; tests/test_first_frame.py)."""
        super()._end_batch()
        if not self._batch_count and self._frame_dropped and self._screen_stack:
            self._frame_dropped = False
            # The whole screen dirty: the next frame is a full one (a repaint of the screen
            # would be, but another came after the start's Resize had drawn it whole). One cell
            # repainted, to be sure a frame comes.
            compositor = self.screen._compositor
            compositor._dirty_regions.add(compositor.size.region)
            self.screen.refresh(Region(0, 0, 1, 1))

    async def on_event(self, event: events.Event) -> None:
        """While a Ctrl+S is being acted on (hold_keys .. release_keys), the keys typed after it
        wait, in order, then go to the field the save left the cursor in (QA, session 12: a
        burst typed on went into the saved call's last field, or into the next call's wrong
        fields)."""
        held = self._held_keys
        key = event if isinstance(event, events.Key) and not event.is_forwarded else None
        if key is not None:
            self.last_key_at = time.monotonic()
        if key is not None and key.key != "ctrl+q":
            self._quit_asked = False  # a second Ctrl+Q quits only right after the first
        if held is not None and key is not None and key.key not in ("ctrl+q", "ctrl+c"):
            held.append(key)
            return
        if key is not None:
            self._text_goes_on(key)
        await super().on_event(event)

    async def action_quit(self) -> None:
        """Ctrl+Q: what each form holds is written to its draft first (a draft is otherwise
        written 0.3 s after the last key, and a quit just after a key lost it: QA, session 12).
        Each at its best: nothing here may keep the app from closing. A form that keeps no
        draft (the registration forms) and holds typed text asks first, as its Esc does."""
        # keys read with the Ctrl+Q (one read: a paste, a slow link) wait in the field's queue:
        # taken first, or the draft missed them (breaker, session 20)
        await _handled_by(self.focused or self.screen)
        unsaved = getattr(self.screen, "holds_unsaved_text", None)
        say = getattr(self.screen, "say", None)
        if unsaved is not None and say is not None and not self._quit_asked and unsaved():
            self._quit_asked = True
            kept = getattr(self.screen, "keeps_draft_at_quit", False)  # the correction dialog
            say(t("entry_form.quit_confirm_kept" if kept else "entry_form.quit_confirm"))
            return
        for keep in self.before_quit:
            with contextlib.suppress(Exception):  # quitting goes on whatever the disk says
                keep()
        await super().action_quit()

    @on(Driver.SignalResume)
    def _draw_all_on_resume(self) -> None:
        """Back from a suspend (SIGTSTP, then `fg`): the terminal shows the shell's screen, and
        Textual drew again only what changed (the clock): the rest stayed blank (breaker,
        session 19). The whole screen is laid out and drawn again."""
        self.screen.refresh(layout=True)

    def hold_keys(self) -> None:
        self._holds += 1
        if self._held_keys is None:
            self._held_keys = []

    def drop_held_keys(self) -> list[events.Key]:
        """One save refused: the keys held since, which were typed for the next call, taken
        away (never typed into the refused one) for the screen to show."""
        self._holds = max(0, self._holds - 1)
        dropped, self._held_keys = self._held_keys or [], None if not self._holds else []
        return dropped

    async def release_keys(self) -> None:
        """One save done: the keys held since, in order, until another Ctrl+S among them (its
        own save releases the rest)."""
        self._holds = max(0, self._holds - 1)
        held = self._held_keys or []
        while held and not self._holds:
            key = held.pop(0)
            self._text_goes_on(key)
            target = self.focused or self.screen  # where App.on_event hands a key it does not bind
            await super().on_event(key)
            await _handled_by(target)  # a field takes its keys in its own time: in order here
        if not held and not self._holds:
            self._held_keys = None

    def _text_goes_on(self, key: events.Key) -> None:
        """A character typed on a widget that takes no text but names a field for it (a closed
        dropdown: widgets/desk_select.py): the cursor goes to that field now, the key with it."""
        for_text = getattr(self.focused, "field_for_text", None)
        field = for_text(key) if callable(for_text) else None
        if field is not None:
            self.set_focus(field)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A steady cursor in every field: a blinking one repaints the screen twice a second,
        which was most of the calls screen's CPU while it waits for a call (bench: py-spy)."""
        widget = event.widget
        if isinstance(widget, Input | TextArea) and widget.cursor_blink:
            widget.cursor_blink = False

    def start_live(self, watch: ChangeWatch, first: LiveState, seq: int) -> None:
        """Once the register is open and first read: show that, then read again whenever
        `watch` says anyone (this app included) has committed to the register."""
        from dutydesk.services.core import thread_desk

        assert self.desk is not None
        self._live_desk = self._live_engine.enter_context(thread_desk(self.desk))
        self._live_seq = seq
        self.show_live(first)

        def check() -> None:
            if watch.changed():
                self.register_changes += 1
                self.register_changed.publish(None)
                self.refresh_live(force=False)
            elif self._stale():
                self.refresh_live()
            self._checks += 1
            if self._checks % CHECKS_A_SECOND == 0:
                self._tick_clocks()

        self.set_interval(CHANGE_CHECK_S, check)

    def tick_each_second(self, ticking: Ticking) -> None:
        """`ticking.tick()` once a second from now, on the change check's wake-up: a timer of
        its own for each clock woke the idle app once more each second (bench, session 19)."""
        self._each_second.add(ticking)

    def stop_ticking(self, ticking: Ticking) -> None:
        self._each_second.discard(ticking)

    def _tick_clocks(self) -> None:
        for ticking in list(self._each_second):
            if ticking.is_attached:  # one being removed has no screen to ask
                ticking.tick()

    def _stale(self) -> bool:
        """The state shown has reached its `stale_at` (and no read is under way)."""
        live, desk = self.live, self._live_desk
        return (
            not self._loading
            and live is not None
            and desk is not None
            and (desk.now() >= live.stale_at)
        )

    def refresh_live(self, force: bool = True) -> None:
        """Read the live state again, in a worker; the header and the board repaint when it
        comes. Call it after any write this app makes, to show it at once. Reads never overlap:
        one asked for while another runs starts when that one has posted its result. Unless
        `force`, a read finds first whether anything but QUIET_KINDS was written."""
        if self._live_desk is None:
            return
        if self._loading:
            self._again = force or bool(self._again)
            return
        self._loading = True
        self.run_worker(partial(self._read_live, self._live_desk, force), thread=True, group="live")

    def refresh_shift(self) -> None:
        """Read the shift and who is on duty again (after a shift is opened or handed over)."""
        self.refresh_live()

    def _read_live(self, desk: Desk, force: bool) -> None:
        from dutydesk.errors import DutyError

        try:
            seq, state = read_live(desk, self._live_seq, force)
        except DutyError:  # the register busy past the retries: the next change or timer retries
            self.post_message(self.LiveLoaded(None, None))
            return
        self.post_message(self.LiveLoaded(state, seq))

    def on_desk_app_live_loaded(self, message: LiveLoaded) -> None:
        self._loading = False
        if message.seq is not None:
            self._live_seq = message.seq
        if message.state is not None:
            self.show_live(message.state)
        if self._again is not None:
            force, self._again = self._again, None
            self.refresh_live(force)

    def show_live(self, state: LiveState) -> None:
        before, self.live = self.live, state
        self.shift_status = state.status
        self.live_changed.publish(state)  # the header and the board, in this same step
        if before is not None and shift_on_duty(before) != shift_on_duty(state):
            duty = state.status.duty
            self.shift_changed.publish(duty.shift.opened_at if duty else state.loaded_at)

    def close_live(self) -> None:
        self._live_engine.close()

    def on_text_refused(self, message: TextRefused) -> None:
        """A field left out a character no text may hold, on a screen with no status line of
        its own (the desk's screens say it on theirs)."""
        self.notify(message.text, severity="warning", markup=False)

    def hold_keys_for_save(self) -> None:
        """Ctrl+S typed before the register is open: the start-up app holds the keys typed
        after it until that call is saved (startup_app.StartingApp); open, nothing to hold."""


async def _handled_by(widget: MessagePump, timeout_s: float = 1.0) -> None:
    """Once `widget` has handled what was sent to it before now (its messages are handled in
    order); at most `timeout_s` (a widget removed meanwhile handles nothing more)."""
    import asyncio

    done = asyncio.Event()
    widget.call_later(done.set)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout_s)
