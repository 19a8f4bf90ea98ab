"""The set-up the first-look tests share (tests/test_first_look.py, tests/test_startup_fast.py):
three calls in the shift, a call held until the test lets it go (the register's opening, the
first look's read), the app started under a Pilot on the closed register, and the launcher run
in a child process with a probe in place of the first screen's paint."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from dutydesk.app import make_app
from dutydesk.services.calls import CallDraft, save_call
from tests.conftest import T0


def three_calls(desk, officer) -> list[str]:  # noqa: ANN001
    """Three calls saved in the shift; their numbers."""
    return [save_call(desk, CallDraft(caller=f"来电人{i}", unit="城关镇", phone="0371-66000000",
                                      summary=f"人民路积水约{i + 1}0厘米"), officer).number
            for i in range(3)]  # fmt: skip


def hold(monkeypatch: pytest.MonkeyPatch, module: Any, name: str):  # noqa: ANN201
    """`module.name` waits, once called, until the test sets `release` (`held` says it was
    called). Returns (held, release)."""
    real, release, held = getattr(module, name), threading.Event(), threading.Event()

    def held_call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        held.set()
        release.wait(timeout=30)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held_call)
    return held, release


async def until(pilot, condition: Callable[[], bool]) -> None:  # noqa: ANN001
    while not condition():
        await pilot.pause(0.01)


@asynccontextmanager
async def started(desk, clock, condition: Callable[[], bool] | None = None) -> AsyncIterator:  # noqa: ANN001
    """The app on `desk`'s register (closed first, as a launch finds it) under a Pilot, once
    `condition` holds."""
    desk.close()
    app = make_app(desk.path, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        if condition is not None:
            await until(pilot, condition)
        yield app, pilot


PROBE = """\
import json, sys
from dutydesk.clock import FrozenClock
import dutydesk.launch, dutydesk.startup_look as look
seen = {{}}
def run(app):
    from dutydesk.startup_app import StartingApp
    async def painted(self):
{painted}
        self.exit()
    StartingApp._first_painted = painted
    app.run(headless=True, size=(120, 36))
    return 0
real_begin = look.begin_first_look
def begin(path, clock):
    seen['textual_at_begin'] = 'textual' in sys.modules
    reading = real_begin(path, clock)
    import dutydesk.app
    dutydesk.app.run_app = run
    return reading
look.begin_first_look = begin
dutydesk.launch.main(['--db', sys.argv[1]], FrozenClock(sys.argv[2]))
print(json.dumps(seen))
"""


def launched(desk, painted: str) -> dict[str, Any]:  # noqa: ANN001
    """`dutydesk --db` on `desk`'s register in a child process (a fresh interpreter: what it
    has imported is what a launch imports), running `painted` (the body of the first screen's
    paint, filling `seen`) instead of the app; what it saw, with `textual_at_begin`."""
    desk.close()
    probe = PROBE.format(painted=textwrap.indent(textwrap.dedent(painted), " " * 8))
    result = subprocess.run([sys.executable, "-c", probe, str(desk.path), T0],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
