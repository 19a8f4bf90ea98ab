"""A start-up worker's imports step aside while the screen is being drawn or a key answered.

Opening the register loads SQLAlchemy, SQLModel, the models and the profiles in a worker thread
(about 450 ms of Python, most of it defining classes) while the first look is drawn and already
takes keys. Both threads share one interpreter: the first look's last frames and a key typed
then were drawn in turns with the imports (traced: the frame with the list 35-70 ms after the
one before it, a key painted ~40 ms after it came instead of 4-12 ms). Each module the worker is
about to import first waits until no frame has been written for FRAME_QUIET_S and no key has
come for KEY_ANSWER_S (at most MAX_WAIT_S a module): the imports go on in the gaps.

The wait is at the interpreter's "import" audit event, raised before a module not yet loaded is
looked for, with no import lock held (a finder on sys.meta_path is asked under the interpreter's
global import lock, and its wait held up every first import of the UI thread). Only a thread
importing the very module the worker waits to import waits with it. The hook, once added, stays
for the process (Python has no removing one); with no worker waiting it is one comparison."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

KEY_ANSWER_S = 0.05  # a key's answer on an idle machine is 4-12 ms; a loaded one is slower
FRAME_QUIET_S = 0.03  # the start's frames come 5-35 ms apart
MAX_WAIT_S = 0.5  # the most one import waits: typing without a pause does not stop the start
STEP_S = 0.005


class _Pauses:
    """The thread whose imports wait, and until when the UI is busy."""

    def __init__(self, busy_until: Callable[[], float], thread_id: int) -> None:
        self.busy_until = busy_until
        self.thread_id = thread_id
        self.waited_s = 0.0

    def wait(self) -> None:
        began = time.monotonic()
        while True:
            now = time.monotonic()
            quiet_at = self.busy_until()
            if now >= quiet_at or now - began >= MAX_WAIT_S:
                break
            time.sleep(min(STEP_S, quiet_at - now))
        self.waited_s += time.monotonic() - began


_waiting: _Pauses | None = None  # the worker whose imports wait now (one at a time)
_hooked = False


def _on_audit(event: str, _args: tuple[Any, ...]) -> None:
    pauses = _waiting
    if pauses is not None and event == "import" and threading.get_ident() == pauses.thread_id:
        pauses.wait()


@contextmanager
def imports_in_pauses(
    last_key_at: Callable[[], float], last_frame_at: Callable[[], float]
) -> Iterator[_Pauses]:
    """While inside, the calling thread's imports wait for a pause in the keys and the frames
    (see the module's text); both are time.monotonic() values read as the worker goes."""
    global _waiting, _hooked

    def busy_until() -> float:
        return max(last_key_at() + KEY_ANSWER_S, last_frame_at() + FRAME_QUIET_S)

    pauses = _Pauses(busy_until, threading.get_ident())
    if not _hooked:
        sys.addaudithook(_on_audit)
        _hooked = True
    _waiting = pauses
    try:
        yield pauses
    finally:
        _waiting = None
