"""How the app starts (app.py's DutyDeskApp derives from StartingApp).

1. The first look (startup_look.py: the office, who is on duty, the shift's calls, read with
   sqlite3 in a thread begun by the launcher before Textual was imported) is the app's first
   screen when it is there as the app composes (screens/first_calls.py): no loading screen is
   composed and painted first, and no mode switch follows it. When it is not there yet, a loading
   line is shown and replaced by the first look once read.
2. Keys typed before a form is up are held and replayed to it in order (breaker #8).
3. Once the first look has painted, the register is opened (SQLModel and the domain) in a worker
   and the calls screen takes over what was typed and where the cursor was."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from dutydesk.i18n import t
from dutydesk.startup_look import take_first_look
from dutydesk.widgets.desk_app import DeskApp
from dutydesk.widgets.footer import SteadyFooter
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.clock import Clock
    from dutydesk.screens.call_saving import CallSaving
    from dutydesk.services.calls.first_look import FirstLook
    from dutydesk.services.core import ChangeWatch, Desk
    from dutydesk.widgets.live_state import LiveState


FIRST_MODE = "first-look"  # the mode the app starts in: the first look, or the loading line
WAIT_S = 60.0  # the most a start-up worker waits for the UI (a loaded machine is slow to mount)
# The most the first screen waits for a first look still being read: longer, and the header
# would wait for it; shorter, and a loading line is painted only to be replaced at once.
LOOK_WAIT_S = 0.15
ENDED_BY_SIGTERM = 143  # 128 + the signal's number, as a shell reports a process it ended
NOT_HELD = ("ctrl+q", "ctrl+c")  # keys acted on at once even before a form is up
# (first: the status line is one row, and the refusal is marked on its field as well)


class FirstLooked(Message):
    """The start-up's first look has been read (None: it could not be; wait for the full path)."""

    def __init__(self, look: FirstLook | None) -> None:
        super().__init__()
        self.look = look


class DeskOpened(Message):
    """The register is open and first read (posted from the worker that opened it)."""

    def __init__(self, desk: Desk, watch: ChangeWatch, first: LiveState, seq: int) -> None:
        super().__init__()
        self.desk, self.watch, self.first, self.seq = desk, watch, first, seq


class LoadingScreen(Screen[None]):
    """The header and a loading line, while there is no first look to show."""

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        yield Static(literal(t("app.loading")), id="loading")
        yield SteadyFooter()


class StartingApp(DeskApp):
    DEFAULT_MODE = FIRST_MODE
    _sigterm_taker: StartingApp | None = None  # the app whose handler SIGTERM has now

    def __init__(self, db_path: Path, clock: Clock | None = None) -> None:
        super().__init__()
        from dutydesk.screens.pending_files import own_form_draft

        self.db_path = db_path
        self.clock = clock
        self.call_draft = own_form_draft(db_path)  # the call form's draft file, this app's
        self._first_look = take_first_look(db_path, clock)
        self._first_shown = threading.Event()  # the first look painted, or there is none
        self._taken_over = threading.Event()  # the calls screen has taken over from it
        self._early_keys: list[events.Key] | None = []  # typed before any form (None: one is up)
        self._save_held = False  # Ctrl+S in the first look: its save waits for the register
        self._sigterm_before: Any = signal.SIG_DFL  # SIGTERM's handler before the app's own
        self.add_mode(FIRST_MODE, self._first_screen)

    def _first_screen(self) -> Screen:
        """The first look if it has been read (waiting a little for it), else the loading line."""
        from dutydesk.screens.first_calls import FirstCallsScreen

        look = self._first_look.result(LOOK_WAIT_S)
        if look is not None:
            return FirstCallsScreen(look)
        return LoadingScreen()

    def on_mount(self) -> None:
        self._end_on_sigterm(True)
        if isinstance(self.screen, LoadingScreen):  # no first look yet: shown once read
            self.run_worker(self._await_first_look, thread=True, group="first-look")
        self.run_worker(self._open_desk, thread=True, exclusive=True, group="open")

    def _end_on_sigterm(self, on: bool) -> None:
        """`kill` (SIGTERM) ends the app as Ctrl+Q does, without its question: the drafts
        written and the terminal given back (it was left in the app's screen, with the mouse
        still reported: breaker, session 19). Taken off at the app's end (app.py). Only the
        first of apps run one inside another (tests) takes it: a second one's end put back the
        first one's handler with nothing behind it, and SIGTERM was ignored from then on."""
        import asyncio

        try:
            loop = asyncio.get_running_loop()
            if on and StartingApp._sigterm_taker is None:
                self._sigterm_before = signal.getsignal(signal.SIGTERM)
                loop.add_signal_handler(signal.SIGTERM, self._ended_by_signal)
                StartingApp._sigterm_taker = self
            elif not on and StartingApp._sigterm_taker is self:
                StartingApp._sigterm_taker = None
                loop.remove_signal_handler(signal.SIGTERM)
                signal.signal(signal.SIGTERM, self._sigterm_before)  # not only the default
        except (RuntimeError, ValueError, NotImplementedError, TypeError):
            pass  # not the main thread's loop (or Windows): the signal's default, as before

    def _ended_by_signal(self) -> None:
        for keep in self.before_quit:
            try:
                keep()
            except Exception:  # noqa: BLE001, S112 - ending goes on whatever the disk says
                continue
        self.exit(return_code=ENDED_BY_SIGTERM)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed before the first form is up are held, not handed to the loading screen
        (which has no field and dropped them: breaker #8), until `_replay_early_keys`."""
        held = self._early_keys
        key = event if isinstance(event, events.Key) and not event.is_forwarded else None
        if held is not None and key is not None and key.key not in NOT_HELD:
            self.last_key_at = time.monotonic()
            held.append(key)
            return
        await super().on_event(event)

    async def _replay_early_keys(self) -> None:
        """The held keys, in the order typed, to the form now up. A key typed while they are
        replayed is held too, and replayed after them: the order stays the order typed. A
        Ctrl+S among them in the first look holds the rest until its save (take_over)."""
        while self._early_keys:
            await super().on_event(self._early_keys.pop(0))
            if self._save_held and self.desk is None:
                return
        self._early_keys = None

    def hold_keys_for_save(self) -> None:
        """Ctrl+S in the first look, before the register is open: the keys typed after it wait
        until that call is saved, then go to the next one (review, session 11: they were added
        to the call held for saving, and saved with it); if its save is refused, they go to
        neither, and are shown (_keys_not_applied)."""
        self._save_held = True
        if self._early_keys is None:
            self._early_keys = []

    async def on_first_calls_screen_ready(self, _message: Message) -> None:
        """The first look's form has the focus and its list has painted: what was typed before
        goes to the form, then the register opens. Keys typed from here on go straight to the
        form, not held until a later refresh (one waited ~30 ms of the start's scroll bars and
        timers, bench). A form not laid out yet is, after its first refresh (so Tab finds the
        next field)."""
        from dutydesk.widgets.call_form import CallForm

        forms = self.screen.query(CallForm)
        if forms and forms.first().region.area:
            await self._first_painted()
        else:
            self.call_after_refresh(self._first_painted)

    async def _first_painted(self) -> None:
        await self._replay_early_keys()
        self._first_shown.set()
        self._mount_footer_in_a_pause(time.monotonic())

    def _mount_footer_in_a_pause(self, asked_at: float) -> None:
        """The first look's keys row (~20 keys, each a widget, and a layout of the whole screen:
        40-50 ms of the UI thread) once no key has come for TYPING_PAUSE_S, counted from the
        first frame: the first moments are for answering keys (bench: a key typed as the list
        showed waited behind the row), and the row is the least urgent part of the screen."""
        from dutydesk.screens.first_calls import FirstCallsScreen
        from dutydesk.widgets.throttle import TYPING_HOLD_MAX_S, TYPING_PAUSE_S

        screen = self.screen_stack[-1] if self.screen_stack else None  # none: closing
        if not isinstance(screen, FirstCallsScreen):
            return  # the calls screen has taken over, with its own keys row
        now = time.monotonic()
        wait = max(self.last_key_at, asked_at) + TYPING_PAUSE_S - now
        if wait > 0 and now - asked_at < TYPING_HOLD_MAX_S:
            self.set_timer(wait, lambda: self._mount_footer_in_a_pause(asked_at))
        else:
            self.call_later(screen.mount_footer)

    def _await_first_look(self) -> None:
        """The first look, once read (it was not when the first screen was composed)."""
        self.post_message(FirstLooked(self._first_look.result(WAIT_S)))

    async def on_first_looked(self, message: FirstLooked) -> None:
        """The first look in place of the loading line; the register opens behind it once it
        has painted. Keys typed until its form is ready are held (on_event), then go to it."""
        from dutydesk.screens.first_calls import FirstCallsScreen

        if message.look is None or self.desk is not None or self.current_mode != FIRST_MODE:
            self._first_shown.set()
            return
        # over the loading line, in the first mode's stack (a mode's first screen cannot be
        # switched for another); both go when the calls screen takes over
        await self.push_screen(FirstCallsScreen(message.look))  # it says when it is ready

    def _open_desk(self) -> None:
        """Open the register (SQLModel and the domain) and read it; the worker ends once the
        calls screen has taken over (tests wait for the app's workers, then find it there)."""
        # Not before the first look has painted: two threads share one interpreter.
        self._first_shown.wait(timeout=WAIT_S)
        from dutydesk.errors import DutyError
        from dutydesk.widgets.keys_first import imports_in_pauses

        try:
            with imports_in_pauses(lambda: self.last_key_at, lambda: self.last_frame_at):
                from dutydesk.services.core import open_desk, thread_desk, watch_changes
                from dutydesk.widgets.live_state import read_live

                desk = open_desk(self.db_path, self.clock, upkeep_off_path=True)
            watch = watch_changes(desk)  # before the first load: a commit during it is seen
            with thread_desk(desk) as own:
                seq, first = read_live(own, None, force=True)
        except DutyError as error:
            self.call_from_thread(self._fail, error.message())
            return
        assert first is not None  # forced
        self._wait_for_a_pause_in_typing()
        self.post_message(DeskOpened(desk, watch, first, seq))
        self._taken_over.wait(timeout=WAIT_S)

    def _wait_for_a_pause_in_typing(self) -> None:
        """(In the worker.) The calls screen's take-over holds the UI thread 200-400 ms: not
        between two keys of an officer typing in the first look, but in a pause (TYPING_PAUSE_S
        without a key), waited for TYPING_HOLD_MAX_S at most. Not after a Ctrl+S there: the
        keys typed after it are held, unseen, until that save (hold_keys_for_save)."""
        from dutydesk.widgets.throttle import TYPING_HOLD_MAX_S, TYPING_PAUSE_S

        held_since = time.monotonic()
        while not self._save_held and time.monotonic() - held_since < TYPING_HOLD_MAX_S:
            wait = self.last_key_at + TYPING_PAUSE_S - time.monotonic()
            if wait <= 0 or self._taken_over.wait(timeout=wait):  # set: the app is closing
                return

    def _fail(self, message: str) -> None:
        self.exit(return_code=1, message=literal(message))

    async def take_over(self) -> None:
        """The calls screen in place of the first look (or the loading line): what was typed
        there and where the cursor was go with it; then any key held meanwhile."""
        from dutydesk.screens.calls import CallsScreen
        from dutydesk.screens.first_calls import FirstCallsScreen
        from dutydesk.widgets.call_form import CallForm

        looked = self.screen if isinstance(self.screen, FirstCallsScreen) else None
        await self.switch_mode("calls")
        form = self.screen.query_one(CallForm) if isinstance(self.screen, CallsScreen) else None
        if looked is not None and form is not None:
            looked.hand_over(form)
        elif self._early_keys and form is not None:  # no first look: the keys held until now
            self.set_focus(form.query_one("#f-caller"))  # now: Widget.focus waits a refresh
        await self.remove_mode(FIRST_MODE)  # before any key queued meanwhile (a quit)
        if self._save_held and isinstance(self.screen, CallsScreen) and form is not None:
            self._save_held = False
            at_save = form.values()
            self.screen.action_save()  # the call as it stood at Ctrl+S; the keys after it follow
            if form.values() == at_save:  # refused: the call stays, the keys after it do not
                self._keys_not_applied(self.screen)
            else:  # saved: the next call
                self.set_focus(form.query_one("#f-caller"))  # now: Widget.focus waits a refresh
        await self._replay_early_keys()

    def _keys_not_applied(self, screen: CallSaving) -> None:
        """The held save was refused: the call is still in the form, its problem marked. The
        keys typed blind after Ctrl+S were meant for the next call; replayed, they would go into
        this one (review, session 12: "西关路口积水李明"). They are dropped and shown, with the
        refusal, on the status line (CallSaving.keys_not_applied, as after a burst)."""
        keys, self._early_keys = self._early_keys or [], []
        screen.keys_not_applied(keys)

    def stop_waiting(self) -> None:
        """The app is closing: a start-up worker still waiting stops waiting."""
        self._first_shown.set()
        self._taken_over.set()
