"""Process-level settings for a long-running desk."""

from __future__ import annotations

import atexit
import gc


def settle_heap() -> None:
    """Once the register is open: move every object made so far (modules, ORM mappings, the
    profile, the catalogue) out of the garbage collector's sight. Full collections then walk only
    what the session makes, so they stop pausing a keystroke (bench: a 64 ms pause in a search
    before, none over 23 ms after). The collector is off from the launch until here
    (launch.open_app): nearly all the start makes lives on, and collecting during the start
    (~350 runs before the first paint, the minimal Textual app ~95) walked it again and again
    for little; this one collection walks it once."""
    gc.collect()
    gc.freeze()
    gc.enable()


def release_heap() -> None:
    """When the app closes: hand the frozen objects back to the collector (a process that runs
    the app more than once, as the tests do, would otherwise keep every one of them)."""
    gc.unfreeze()


def end_without_collecting() -> None:
    """At the interpreter's exit (an atexit call: before it tears the modules down) every object
    left is frozen: the interpreter's own end then does not walk the whole heap again. It did
    several times while tearing the modules down (~0.25 s a time for the app's ~250,000 objects),
    and that was most of Ctrl+Q: 0.7 s of 0.85 on a small register, 0.9 s of 1.15 on a 3 GB one
    (bench/measure/quit.py), after the terminal had been given back and before the shell's
    prompt came. What it would have freed goes with the process; the app closes what it must
    itself before then (the drafts, the register: app.py's on_unmount), and Python promises no
    finalizer of an object still alive at exit anyway. Registered once however often called."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
