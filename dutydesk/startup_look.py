"""The start-up's first look (services/calls/first_look.py), read in a thread of its own from the
moment the register is known: the launcher begins it before Textual is imported, so the look is
usually there when the app composes its first screen, and that screen can be the calls screen's
first look instead of a loading line (no second screen to compose, no switch between them).

Nothing here imports Textual or SQLModel."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.clock import Clock
    from dutydesk.services.calls.first_look import FirstLook

_begun: dict[Path, FirstLookRead] = {}  # begun by the launcher, taken by the app
_begun_lock = threading.Lock()


class FirstLookRead:
    """One reading of the first look, in a daemon thread; `result` waits for it."""

    def __init__(self, path: Path, clock: Clock | None) -> None:
        self.path = path
        self.clock = clock
        self.look: FirstLook | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._read, name="first-look", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            from dutydesk.clock import default_clock
            from dutydesk.services.calls import first_look  # looked up now: tests replace it

            now = (self.clock or default_clock()).now()
            self.look = first_look.read_first_look(self.path, now)
        finally:  # an unexpected error leaves no look: the app waits for the full path
            self._done.set()

    def done(self) -> bool:
        return self._done.is_set()

    def result(self, timeout: float) -> FirstLook | None:
        """The look, waiting at most `timeout` seconds for it (None: none, or not yet)."""
        self._done.wait(timeout)
        return self.look


def begin_first_look(path: Path, clock: Clock | None) -> FirstLookRead:
    """Start reading `path`'s first look now (the launcher, before importing the app)."""
    reading = FirstLookRead(path, clock)
    with _begun_lock:
        _begun[path] = reading
    return reading


def take_first_look(path: Path, clock: Clock | None) -> FirstLookRead:
    """The reading begun for `path` with `clock`, else one begun now (each is taken once)."""
    with _begun_lock:
        begun = _begun.pop(path, None)
    if begun is not None and begun.clock is clock:
        return begun
    return FirstLookRead(path, clock)
