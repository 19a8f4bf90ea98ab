"""The terminal driver's input thread asleep until a key (widgets/quiet_input.py, session 19):
Textual's woke ten times a second for nothing, a third of the idle calls screen's CPU."""

from __future__ import annotations

import os
import selectors
import signal
import threading
from collections.abc import AsyncIterator

import pytest
from textual import events
from textual.drivers.linux_driver import LinuxDriver

from dutydesk.widgets import quiet_input
from dutydesk.widgets.quiet_input import QuietLinuxDriver, WakingEvent

STOP_S = 5.0  # far more than the thread needs: only a thread that never wakes reaches it


class RecordingSelector(selectors.SelectSelector):
    """Textual's selector, each wait's timeout noted."""

    timeouts: list[float | None] = []

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        RecordingSelector.timeouts.append(timeout)
        return super().select(timeout)


@pytest.fixture
async def driver(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[QuietLinuxDriver, int, list]]:
    """The driver reading a pipe for a terminal, its thread running; what it posts, listed (a
    driver is made in a running event loop)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT)}
    monkeypatch.setattr(quiet_input.selectors, "SelectSelector", RecordingSelector)
    RecordingSelector.timeouts = []
    read, write = os.pipe()
    posted: list[object] = []
    try:
        quiet = QuietLinuxDriver(object())  # type: ignore[arg-type]  # no app: nothing posted to it
        quiet.fileno = read
        quiet.process_message = posted.append  # type: ignore[method-assign,assignment]
        thread = threading.Thread(target=quiet.run_input_thread, daemon=True)
        thread.start()
        yield quiet, write, posted
        quiet.exit_event.set()
        thread.join(STOP_S)
        assert not thread.is_alive(), "the stop did not wake the input thread"
        quiet.close()
    finally:
        for fd in (read, write):
            os.close(fd)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _wait_for(condition, what: str) -> None:  # noqa: ANN001
    done = threading.Event()
    for _ in range(500):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError(what)


async def test_it_is_textuals_linux_driver_with_an_exit_event_that_wakes_it(driver):
    quiet, _write, _posted = driver
    assert isinstance(quiet, LinuxDriver)
    assert isinstance(quiet.exit_event, WakingEvent)


async def test_the_idle_input_thread_waits_without_a_timeout_and_takes_keys(driver):
    _quiet, write, posted = driver
    _wait_for(lambda: RecordingSelector.timeouts, "the thread never waited")
    assert RecordingSelector.timeouts == [None]  # asleep until a key (Textual's: 0.1 s)
    os.write(write, b"a")
    _wait_for(lambda: posted, "the key never came")
    assert isinstance(posted[0], events.Key) and posted[0].character == "a"
    assert RecordingSelector.timeouts[-1] is None  # and asleep again


async def test_a_lone_esc_is_a_key_once_its_wait_is_over(driver):
    """An escape sequence's rest is waited for as long as the parser says, then Esc is a key."""
    _quiet, write, posted = driver
    _wait_for(lambda: RecordingSelector.timeouts, "the thread never waited")
    os.write(write, b"\x1b")
    _wait_for(lambda: posted, "Esc never came")
    assert isinstance(posted[0], events.Key) and posted[0].key == "escape"
    waits = [timeout for timeout in RecordingSelector.timeouts if timeout is not None]
    assert waits and all(0 <= wait <= 0.2 for wait in waits)  # ESCAPE_DELAY, not forever
    assert RecordingSelector.timeouts[-1] is None


async def test_stopped_it_ends_without_waiting_once_more(driver):
    """Stopped (Ctrl+Q, a suspend), Textual's thread waited once more, for 0.1 s on nothing:
    a tenth of a second of every quit before the terminal was given back."""
    quiet, _write, _posted = driver
    _wait_for(lambda: RecordingSelector.timeouts, "the thread never waited")
    quiet.exit_event.set()
    _wait_for(lambda: quiet._pipe is None, "the thread did not end")
    assert RecordingSelector.timeouts == [None]  # the one wait, woken by the stop


def test_the_app_runs_on_it_in_a_terminal(desk, clock, monkeypatch):
    from textual import constants

    from dutydesk.app import make_app

    monkeypatch.setattr(constants, "DRIVER", None)
    assert make_app(desk.path, clock=clock).driver_class is QuietLinuxDriver
    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.linux_driver:LinuxDriver")
    assert make_app(desk.path, clock=clock).driver_class is LinuxDriver  # as it is asked


async def test_the_thread_started_again_after_a_suspend_takes_keys_and_stops(driver):
    """Textual stops the input thread on a suspend (SIGTSTP) and starts the same driver's thread
    again on SIGCONT: the wake-up pipe was closed with the first, and the next thread selected
    on a closed descriptor and took the app down at `fg` (breaker, session 19)."""
    quiet, write, posted = driver
    _wait_for(lambda: RecordingSelector.timeouts, "the thread never waited")
    quiet.exit_event.set()  # as Driver.suspend_application_mode stops it
    _wait_for(lambda: quiet._pipe is None, "the first thread kept its pipe")
    quiet.exit_event.clear()
    again = threading.Thread(target=quiet.run_input_thread, daemon=True)
    again.start()
    os.write(write, b"b")
    _wait_for(lambda: posted, "the key never came to the thread started again")
    assert isinstance(posted[-1], events.Key) and posted[-1].character == "b"
    quiet.exit_event.set()
    again.join(STOP_S)
    assert not again.is_alive()
    quiet.exit_event.clear()  # the fixture stops a thread no longer running: harmless


async def test_at_the_end_of_its_input_the_thread_sleeps_instead_of_spinning(driver):
    """Started with `< /dev/null`, Textual's thread read the ended input again at once, for ever
    (a core at 100 %); the terminal is no longer waited on once it has ended."""
    quiet, write, _posted = driver
    _wait_for(lambda: RecordingSelector.timeouts, "the thread never waited")
    spare_read, spare_write = os.pipe()
    try:
        os.close(write)  # the input ends ...
        os.dup2(spare_write, write)  # (the number kept open for the fixture to close)
        threading.Event().wait(0.3)
        waits = len(RecordingSelector.timeouts)
        threading.Event().wait(0.3)
        assert len(RecordingSelector.timeouts) - waits <= 1, "it keeps waking"
        assert quiet._pipe is not None  # still running, asleep on its wake-up pipe
    finally:
        os.close(spare_read)
        os.close(spare_write)


async def test_back_from_a_suspend_the_whole_screen_is_drawn_again(desk, clock):
    """After SIGTSTP and `fg` Textual drew only what had changed (the clock): the rest of the
    screen stayed blank, the stock driver's as well (breaker, session 19)."""
    from textual.driver import Driver

    from dutydesk.app import make_app

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        asked: list[bool] = []
        screen = app.screen
        refresh = screen.refresh

        def noted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            asked.append(bool(kwargs.get("layout")))
            return refresh(*args, **kwargs)

        screen.refresh = noted  # type: ignore[method-assign]
        app.post_message(Driver.SignalResume())
        await pilot.pause()
        assert any(asked), asked  # refreshed with its layout: every widget drawn again
