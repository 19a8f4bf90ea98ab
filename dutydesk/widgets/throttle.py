"""A repaint asked for by every commit anyone makes, done at most once an interval.

Another terminal saving ten calls a second asked the calls screen to read and rebuild its list
(200 rows) four times a second, and the keys typed meanwhile waited behind it (bench: a key's
p99 448 ms while another process saved, 217 ms without). Asked again within `interval` of the
last run, the action runs once when the interval is up, with whatever has been committed by
then: nothing is missed, it is only gathered.

Given `last_key_at` (when the officer last typed), a run also waits for a pause in the typing
(TYPING_PAUSE_S without a key), for at most TYPING_HOLD_MAX_S: rebuilding and painting the list
took 25-60 ms of the UI thread once a second while another terminal saved, and the key typed
then waited behind it (bench: a key's p99 ~110 ms, p50 ~21 ms)."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer

TYPING_PAUSE_S = 0.5
TYPING_HOLD_MAX_S = 10.0


class Throttled:
    def __init__(
        self,
        owner: DOMNode,
        interval: float,
        action: Callable[[], None],
        last_key_at: Callable[[], float] | None = None,
    ) -> None:
        self._owner = owner
        self._interval = interval
        self._action = action
        self._last_key_at = last_key_at
        self._last = float("-inf")  # time.monotonic() of the last run
        self._asked = float("-inf")  # of the first ask since then
        self._pending: Timer | None = None

    def __call__(self) -> None:
        if self._pending is not None:
            return  # a run is already due: it will see this change too
        self._asked = time.monotonic()
        self._run_or_wait(self._last + self._interval - self._asked)

    def _run_or_wait(self, wait: float) -> None:
        if wait <= 0:
            self._run()
        else:
            self._pending = self._owner.set_timer(wait, self._run)

    def _run(self) -> None:
        self._pending = None
        now = time.monotonic()
        if self._last_key_at is not None and now - self._asked < TYPING_HOLD_MAX_S:
            typing = self._last_key_at() + TYPING_PAUSE_S - now
            if typing > 0:
                self._run_or_wait(typing)
                return
        self._last = now
        self._action()
