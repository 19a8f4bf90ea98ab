"""The app's calendar view (command palette) and the header's warning 30 days before the
calendar's data ends (issue 14, item 1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from dutydesk.services.core.calendar import use_register_years
from dutydesk.services.core.calendar_notice import parse_notice
from dutydesk.services.core.calendar_register import import_notice
from tests.hostile import screen_text

SIZE = (120, 40)
NOTICE_2017 = Path(__file__).parent / "fixtures" / "calendar" / "notice-2017.txt"


@pytest.fixture(autouse=True)
def _package_calendar_after() -> Iterator[None]:
    yield
    use_register_years(())


def _header_shift(app) -> str:
    """The header's calendar warning (second line: the first keeps the names on duty)."""
    return str(app.screen.query_one("#header-calendar", Static).render())


async def _opened(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_header_warns_30_days_before_the_calendar_data_ends(desk, clock):
    app = make_app(desk.path, clock=clock)  # 2026-11-23: 38 days of data left
    async with app.run_test(size=SIZE) as pilot:
        await _opened(app, pilot)
        assert "日历数据至" not in _header_shift(app)
        clock.set(pendulum.parse("2026-12-01T09:00:00+08:00"))  # type: ignore[arg-type]
        app.refresh_shift()  # 张伟's shift, not handed over, is still on duty
        for _ in range(100):  # read in a worker, shown once back (CI: one pause was not enough)
            await app.workers.wait_for_complete()
            await pilot.pause()
            if "日历数据至" in _header_shift(app):
                break
        shown = _header_shift(app)
        assert "日历数据至 2026-12-31（剩 30 天），请录入新年放假通知" in shown
        assert app.screen.query_one("#header-calendar").has_class("warning")
        duty = str(app.screen.query_one("#header-duty", Static).render())
        assert "张伟" in duty and "王建国" in duty and duty.strip() in screen_text(app)


async def test_the_calendar_view_from_the_command_palette(desk, officer):
    text = Path(NOTICE_2017).read_text(encoding="utf-8")
    import_notice(desk, parse_notice(text), officer)
    app = make_app(desk.path, clock=FrozenClock(pendulum.parse("2017-03-01T10:00:00+08:00")))
    async with app.run_test(size=SIZE) as pilot:
        await _opened(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"节假日日历")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await _opened(app, pilot)
        assert type(app.screen).__name__ == "CalendarScreen"
        grid = str(app.screen.query_one("#calendar-grid", Static).render())
        assert grid.startswith("依据：国务院办公厅关于2017年部分节假日安排的通知")
        assert "2017年1月" in grid and "22班" in grid and "27休" in grid and "图例" in grid
        assert "#1" in grid and "（现行）" in grid
        await pilot.press("right")  # 2018: the package's data
        await _opened(app, pilot)
        grid = str(app.screen.query_one("#calendar-grid", Static).render())
        assert grid.startswith("依据：chinese-calendar") and "2018年2月" in grid
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ != "CalendarScreen"


async def test_the_calendar_view_says_when_a_year_has_no_data(desk):
    app = make_app(desk.path, clock=FrozenClock(pendulum.parse("2026-12-01T10:00:00+08:00")))
    async with app.run_test(size=SIZE) as pilot:
        await _opened(app, pilot)
        app.show_calendar()
        await _opened(app, pilot)
        await pilot.press("right")  # 2027
        await _opened(app, pilot)
        grid = str(app.screen.query_one("#calendar-grid", Static).render())
        assert "2027" in grid and "超出已知的官方节假日安排" in grid
