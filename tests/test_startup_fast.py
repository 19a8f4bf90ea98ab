"""Issue 19, usable at start (session 9): the first look is read from the launcher's start,
beside Textual's import, and is the app's first screen (no loading screen first, no mode switch);
its list is built once; the catalogue is read from its compiled copy; SQLAlchemy is not imported
before the first look has painted."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest

from dutydesk import catalogue_cache
from dutydesk.startup_look import begin_first_look
from tests.conftest import T0
from tests.support_first_look import launched, started, three_calls, until


@pytest.fixture
def calls_desk(desk, officer):  # a desk with three calls in the shift
    three_calls(desk, officer)
    return desk


async def test_a_first_look_read_in_time_is_the_first_screen_and_its_list_is_built_once(
    calls_desk, clock, monkeypatch
):
    from dutydesk.screens.calls import CallsScreen
    from dutydesk.screens.first_calls import FirstCallsScreen
    from dutydesk.startup_app import LoadingScreen, StartingApp
    from dutydesk.widgets.call_list import CallTable

    made: list[object] = []
    real_first, real_relayout = StartingApp._first_screen, CallTable.relayout
    monkeypatch.setattr(StartingApp, "_first_screen",
                        lambda self: made.append(real_first(self)) or made[-1])  # fmt: skip
    built: list[int] = []  # the first look's list, each time it was built (its rows)

    def relayout(table: CallTable) -> None:
        real_relayout(table)
        if isinstance(table.screen, FirstCallsScreen):
            built.append(table.row_count)

    monkeypatch.setattr(CallTable, "relayout", relayout)
    calls_desk.close()
    assert begin_first_look(calls_desk.path, clock).result(30) is not None  # read, as launched
    async with started(calls_desk, clock) as (app, pilot):
        await until(pilot, app._taken_over.is_set)
        assert isinstance(app.screen, CallsScreen)
    assert [type(screen) for screen in made] == [FirstCallsScreen]
    assert not any(isinstance(screen, LoadingScreen) for screen in made)
    assert built == [3]  # once, laid out at its width (not first at none, then again)


def test_the_first_look_begun_for_another_clock_is_not_taken(calls_desk, clock):
    from dutydesk.clock import FrozenClock
    from dutydesk.startup_look import take_first_look

    calls_desk.close()
    begun = begin_first_look(calls_desk.path, FrozenClock(T0))
    assert take_first_look(calls_desk.path, clock) is not begun
    again = begin_first_look(calls_desk.path, clock)
    assert take_first_look(calls_desk.path, clock) is again
    assert take_first_look(calls_desk.path, clock) is not again  # taken once


def test_the_catalogue_is_read_from_its_compiled_copy_of_the_same_files(tmp_path):
    from dutydesk.i18n import _CATALOGUE_DIR, _flatten, catalogue

    folder = tmp_path / "locales"
    (folder / "zh").mkdir(parents=True)
    first, second = folder / "zh" / "a.toml", folder / "zh" / "b.toml"
    first.write_text('[app]\ntitle = "值班台"\n', encoding="utf-8")
    second.write_text('[nav]\nquit = "退出"\n', encoding="utf-8")
    sources = [first, second]
    assert catalogue_cache.load(folder, "zh", sources) is None  # nothing kept yet
    messages = {"app.title": "值班台", "nav.quit": "退出"}
    catalogue_cache.keep(folder, "zh", sources, messages)
    assert catalogue_cache.load(folder, "zh", sources) == messages
    second.write_text('[nav]\nquit = "离开"\n', encoding="utf-8")  # changed: not that copy
    assert catalogue_cache.load(folder, "zh", sources) is None
    parsed: dict[str, str] = {}  # the real catalogue parsed here, file by file
    for path in sorted((_CATALOGUE_DIR / "zh").glob("*.toml")):
        parsed.update(_flatten(tomllib.loads(path.read_text(encoding="utf-8"))))
    assert catalogue.__wrapped__("zh") == parsed  # as read now: from its copy once kept


def test_the_catalogue_is_parsed_where_no_copy_can_be_kept(tmp_path):
    folder = tmp_path / "locales"
    (folder / "zh").mkdir(parents=True)
    source = folder / "zh" / "a.toml"
    source.write_text('[app]\ntitle = "值班台"\n', encoding="utf-8")
    (folder / "__pycache__").write_text("a file where the folder would be")
    catalogue_cache.keep(folder, "zh", [source], {"app.title": "值班台"})  # no error
    assert catalogue_cache.load(folder, "zh", [source]) is None


def test_sqlalchemy_is_not_imported_before_the_first_look_has_painted(calls_desk):
    seen = launched(
        calls_desk,
        """
        seen['sqlalchemy'] = 'sqlalchemy' in sys.modules
        seen['sqlmodel'] = 'sqlmodel' in sys.modules
        seen['screen'] = type(self.screen).__name__
    """,
    )
    assert seen == {"textual_at_begin": False, "sqlalchemy": False, "sqlmodel": False,
                    "screen": "FirstCallsScreen"}  # fmt: skip


def test_typing_into_the_first_look_imports_no_sqlalchemy(calls_desk):
    """The second key typed into the first look's caller field imported the services, and with
    them SQLModel, on the UI thread (proposing the phone list's owner of the number, before any
    list was read): every key typed while the register opened waited ~1 s under load for it."""
    seen = launched(
        calls_desk,
        """
        from textual.widgets import Input
        from dutydesk.widgets.call_form import CallForm
        await self._replay_early_keys()  # the register is not opened: nothing else runs
        form = self.screen.query_one(CallForm)
        caller = form.query_one('#f-caller', Input)
        for typed in ('z', 'zq', 'zqx'):
            caller.value = typed
            form.on_input_changed(Input.Changed(caller, typed))
        for worker in list(self.workers):
            if worker.group == 'call-form-phones':
                await worker.wait()
        seen['sqlalchemy'] = 'sqlalchemy' in sys.modules
        seen['caller'] = caller.value
    """,
    )
    assert seen == {"textual_at_begin": False, "sqlalchemy": False, "caller": "zqx"}


def test_the_collector_is_off_from_the_launch_until_the_register_is_settled(calls_desk):
    """Nearly all the start makes lives on: the collector walking it ~350 times before the
    first paint was a sixth of the start's CPU (session 10). It is back on once the register is
    open and its heap settled (one collection), and after the app has closed."""
    calls_desk.close()
    probe = (
        "import gc, json, sys\n"
        "from dutydesk.clock import FrozenClock\n"
        "import dutydesk.launch, dutydesk.startup_look as look\n"
        "seen = {}\n"
        "def run(app):\n"
        "    from dutydesk.startup_app import StartingApp\n"
        "    real = StartingApp._first_painted\n"
        "    async def painted(self):\n"
        "        seen['collecting_before_paint'] = gc.isenabled()\n"
        "        await real(self)\n"
        "        from dutydesk.runtime import settle_heap\n"
        "        settle_heap()\n"
        "        seen['collecting_once_settled'] = gc.isenabled()\n"
        "        self.exit()\n"
        "    StartingApp._first_painted = painted\n"
        "    app.run(headless=True, size=(120, 36))\n"
        "    return 0\n"
        "real_begin = look.begin_first_look\n"
        "def begin(path, clock):\n"
        "    seen['collecting_at_begin'] = gc.isenabled()\n"
        "    reading = real_begin(path, clock)\n"
        "    import dutydesk.app\n"
        "    dutydesk.app.run_app = run\n"
        "    return reading\n"
        "look.begin_first_look = begin\n"
        "dutydesk.launch.main(['--db', sys.argv[1]], FrozenClock(sys.argv[2]))\n"
        "seen['collecting_at_end'] = gc.isenabled()\n"
        "print(json.dumps(seen))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(calls_desk.path), T0],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"collecting_at_begin": False, "collecting_before_paint": False,
                    "collecting_once_settled": True, "collecting_at_end": True}  # fmt: skip
