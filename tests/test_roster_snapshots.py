"""The roster screen (F7) at 120x36 and 80x24 in Chinese and at 120x36 in English: November 2026
generated for three leaders and five officers, one seat left empty so a conflict shows in
place, the counts beside. The register is made once per module and copied per test. Update with
`pytest tests/test_roster_snapshots.py --snapshot-update` and look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from tests.conftest import T0
from tests.support_template import copy_register, make_template

SIZES = [("zh", (120, 36)), ("zh", (80, 24)), ("en", (120, 36))]


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from datetime import date

    from dutydesk.services.core import open_desk
    from dutydesk.services.roster.rosters import assign
    from dutydesk.services.roster.rotation import generate_month
    from tests.roster_support import PLANNER, staff

    path = make_template(tmp_path_factory.mktemp("roster-snapshots"))
    desk = open_desk(path, FrozenClock(T0))
    staff(desk, leaders=3, officers=5)
    made = generate_month(desk, 2026, 11, seed=11, by=PLANNER)
    assign(desk, made.roster_id, date(2026, 11, 1), "day", "officer", None, by=PLANNER)
    desk.close()
    return path


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=["zh-120x36", "zh-80x24", "en-120x36"])
def test_roster_screen_snapshot(lang, size, register, db_path, snap_compare):
    copy_register(register, db_path)
    app = make_app(db_path, clock=FrozenClock(T0), lang=lang)

    async def ready(pilot) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f7")
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()

    assert snap_compare(app, terminal_size=size, run_before=ready)
