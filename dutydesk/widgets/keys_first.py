"""A start-up worker's imports step aside while the screen is being drawn or a key answered.

Opening the register loads SQLAlchemy, SQLModel, the models and the profiles in a worker thread
(about 450 ms of Python, most of it defining classes) while the first look is drawn and already
takes keys. Both threads share one interpreter: the first look's last frames (Textual lays the
screen out again as its scroll bars and notices settle) and a key typed then were drawn in turns
with the imports: the list showed 40-70 ms later, and a key was painted 40-80 ms after it came
instead of 4-12 ms (bench, the probe typed as the list showed). Each module the worker is about
to import first waits until no frame has been written for FRAME_QUIET_S and no key has come for
KEY_ANSWER_S (at most MAX_WAIT_S a module): the imports go on in the gaps. Only imports wait,
never a lock of the register, so a wait holds no one up but a thread importing the same module
(which waits at most as long)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

KEY_ANSWER_S = 0.05  # a key's answer on an idle machine is 4-12 ms; a loaded one is slower
FRAME_QUIET_S = 0.03  # the start's frames come 5-35 ms apart
MAX_WAIT_S = 0.5  # the most one import waits: typing without a pause does not stop the start
STEP_S = 0.005


class _KeysFirst(MetaPathFinder):
    """Finds nothing: only waits, in the one thread it was installed for, then lets the
    finders after it find the module."""

    def __init__(self, busy_until: Callable[[], float], thread_id: int) -> None:
        self._busy_until = busy_until
        self._thread_id = thread_id
        self.waited_s = 0.0

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if threading.get_ident() == self._thread_id:
            self._wait_for_keys()
        return None

    def _wait_for_keys(self) -> None:
        began = time.monotonic()
        while True:
            now = time.monotonic()
            quiet_at = self._busy_until()
            if now >= quiet_at or now - began >= MAX_WAIT_S:
                break
            time.sleep(min(STEP_S, quiet_at - now))
        self.waited_s += time.monotonic() - began


@contextmanager
def imports_in_pauses(
    last_key_at: Callable[[], float], last_frame_at: Callable[[], float]
) -> Iterator[_KeysFirst]:
    """While inside, the calling thread's imports wait for a pause in the keys and the frames
    (see the module's text); both are time.monotonic() values read as the worker goes."""
    import sys

    def busy_until() -> float:
        return max(last_key_at() + KEY_ANSWER_S, last_frame_at() + FRAME_QUIET_S)

    finder = _KeysFirst(busy_until, threading.get_ident())
    sys.meta_path.insert(0, finder)
    try:
        yield finder
    finally:
        sys.meta_path.remove(finder)
