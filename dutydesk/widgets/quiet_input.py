"""Textual's Linux driver with an input thread that sleeps until there is something to read.

Textual's own thread asks the terminal for input ten times a second whether or not anything was
typed (`select` with a 0.1 s timeout), so that it notices in time when the app stops and when a
lone Esc has waited long enough to be a key of its own. That was a third of the idle calls
screen's CPU (bench, session 19: ~0.16 ms a wake-up, 400 in 40 s; the minimal Textual app idles
on it alone). Here the thread waits on the terminal and on a pipe of its own with no timeout: the
pipe is written when the app stops the thread (its exit event set), and a timeout is given only
while the parser waits for the rest of an escape sequence, as long as it has left to wait.

Only on the terminal (Textual's LinuxDriver, not one named by TEXTUAL_DRIVER, the headless one of
the tests or Windows'): DeskApp.get_driver_class."""

from __future__ import annotations

import contextlib
import os
import selectors
from codecs import getincrementaldecoder
from threading import Event, Lock
from typing import TYPE_CHECKING

from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App


class WakingEvent(Event):
    """The driver's exit event: setting it also wakes the input thread (`wake`)."""

    def __init__(self, wake: Callable[[], None]) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        self._wake()


def waiting_left(parser: XTermParser) -> float | None:
    """How long the input thread may sleep: None (until input) unless the parser is waiting for
    the rest of an escape sequence, and then what is left of its wait."""
    due = parser._timeout_time
    return None if due is None else max(0.0, due - get_time())


class QuietLinuxDriver(LinuxDriver):
    def __init__(
        self,
        app: App[object],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        # the wake-up pipe of the input thread running, made by it and closed by it when it
        # ends: the driver is started again after a suspend (SIGCONT), and a pipe closed with
        # the driver left the next thread selecting on a closed descriptor (breaker, session 19)
        self._pipe: tuple[int, int] | None = None
        self._pipe_lock = Lock()
        self.exit_event = WakingEvent(self._wake)

    def _wake(self) -> None:
        with self._pipe_lock:  # never written once closed: the number may be another file's
            if self._pipe is not None:
                with contextlib.suppress(OSError):  # full: the thread has a wake-up waiting
                    os.write(self._pipe[1], b"!")

    def _open_pipe(self) -> int:
        read, write = os.pipe()
        os.set_blocking(read, False)
        os.set_blocking(write, False)
        with self._pipe_lock:
            self._pipe = (read, write)
        return read

    def _close_pipe(self) -> None:
        with self._pipe_lock:
            pipe, self._pipe = self._pipe, None
        for fd in pipe or ():
            with contextlib.suppress(OSError):
                os.close(fd)

    @staticmethod
    def _drain(read: int) -> None:
        with contextlib.suppress(OSError):  # empty (BlockingIOError): nothing to drain
            while os.read(read, 4096):
                pass

    def run_input_thread(self) -> None:
        """Textual 8.2's LinuxDriver.run_input_thread, waiting on the terminal and the wake-up
        pipe with no timeout unless the parser has one running. At the end of a piped input
        the terminal is no longer waited on (Textual's, and this one before, read it again
        at once, for ever: a core spinning with `< /dev/null`, breaker, session 19). Stopped,
        it ends at once (Textual's slept 0.1 s first: a tenth of a second of every Ctrl+Q)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        wake = self._open_pipe()
        selector.register(wake, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process(ready: list[tuple[selectors.SelectorKey, int]]) -> None:
            for key, mask in ready:
                if key.fd == wake:
                    self._drain(wake)
                elif mask & selectors.EVENT_READ:
                    text = decode(os.read(self.fileno, 1024 * 4))
                    if not text:  # stdin piped: at its end
                        with contextlib.suppress(KeyError, ValueError):
                            selector.unregister(self.fileno)
                        break
                    for event in parser.feed(text):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(waiting_left(parser)))
            # The parser's last tick, at once. Textual's thread selected once more for 0.1 s
            # here with nothing registered: a sleep, and Ctrl+Q (and a suspend) waited for it.
            process([])
        finally:
            selector.close()
            self._close_pipe()
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass
