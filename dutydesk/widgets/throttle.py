"""A repaint asked for by every commit anyone makes, done at most once an interval.

Another terminal saving ten calls a second asked the calls screen to read and rebuild its list
(200 rows) four times a second, and the keys typed meanwhile waited behind it (bench: a key's
p99 448 ms while another process saved, 217 ms without). Asked again within `interval` of the
last run, the action runs once when the interval is up, with whatever has been committed by
then: nothing is missed, it is only gathered."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer


class Throttled:
    def __init__(self, owner: DOMNode, interval: float, action: Callable[[], None]) -> None:
        self._owner = owner
        self._interval = interval
        self._action = action
        self._last = float("-inf")  # time.monotonic() of the last run
        self._pending: Timer | None = None

    def __call__(self) -> None:
        if self._pending is not None:
            return  # a run is already due: it will see this change too
        wait = self._last + self._interval - time.monotonic()
        if wait <= 0:
            self._run()
        else:
            self._pending = self._owner.set_timer(wait, self._run)

    def _run(self) -> None:
        self._pending = None
        self._last = time.monotonic()
        self._action()
