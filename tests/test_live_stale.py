"""Issue 19, the calls screen idle (session 10): the header's and the board's live state is read
again when someone commits, or at the moment it goes stale by time alone (midnight, the shift
slot's end, the end of the leader's absence), and at no other time: the reload once a minute
regardless was the idle screen's largest remaining cost."""

from __future__ import annotations

from datetime import date

import pendulum
from textual.widgets import Static

from dutydesk.app import make_app
from dutydesk.services.roster import AbsenceDraft, find_person, record_absence
from dutydesk.services.roster.people import add_person
from dutydesk.widgets import live_state
from tests.support_people import authority_for

SIZE = (120, 40)
PATIENCE = 200  # pauses of 50 ms: a generous bound, never a timing assertion


async def _opened(app, pilot) -> None:  # noqa: ANN001
    while not app._taken_over.is_set():
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _until(pilot, condition) -> None:  # noqa: ANN001
    for _ in range(PATIENCE):
        if condition():
            return
        await pilot.pause(0.05)


def _label(app, name: str) -> str:  # noqa: ANN001
    line = app.screen.query_one(f"#header-{name}-line")
    return str(app.screen.query_one(f"#header-{name}", Static).render()) if line.display else ""


async def test_the_calendar_warning_counts_down_at_midnight_without_a_key(desk, clock):
    clock.set(pendulum.parse("2026-12-01T23:59:00+08:00"))  # type: ignore[arg-type]
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _opened(app, pilot)
        assert "日历数据至 2026-12-31（剩 30 天）" in _label(app, "calendar")
        clock.set(pendulum.parse("2026-12-02T00:00:01+08:00"))  # type: ignore[arg-type]
        await _until(pilot, lambda: "剩 29 天" in _label(app, "calendar"))
        assert "日历数据至 2026-12-31（剩 29 天）" in _label(app, "calendar")


async def test_the_leader_shows_back_when_the_recorded_absence_ends(desk, clock):
    add_person(
        desk, "李强", "leader", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    draft = AbsenceDraft("李强", "市政府", "13900001111", clock.now().add(hours=2))
    record_absence(desk, draft, find_person(desk, "张伟"))
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _opened(app, pilot)
        assert "市政府" in _label(app, "leader")
        clock.advance(hours=1, minutes=59)
        for _ in range(10):
            await pilot.pause(0.05)
        assert "市政府" in _label(app, "leader")  # still away
        clock.advance(minutes=1, seconds=1)
        await _until(pilot, lambda: _label(app, "leader") == "")
        assert _label(app, "leader") == ""


async def test_nothing_is_read_again_until_a_commit_or_the_slots_end(desk, clock, monkeypatch):
    loads: list[object] = []
    load_live = live_state.load_live

    def counted(desk):  # noqa: ANN001, ANN202
        loads.append(desk.now())
        return load_live(desk)

    monkeypatch.setattr(live_state, "load_live", counted)
    app = make_app(desk.path, clock=clock)
    intervals: list[object] = []
    set_interval = app.set_interval

    def noted(interval, callback, **options):  # noqa: ANN001, ANN003, ANN202
        intervals.append(callback)
        return set_interval(interval, callback, **options)

    monkeypatch.setattr(app, "set_interval", noted)
    async with app.run_test(size=SIZE) as pilot:
        await _opened(app, pilot)
        assert app.refresh_live not in intervals  # no reload on a timer, whatever happened
        assert app.live is not None
        first, ends = len(loads), app.live.status.window.ends_at
        clock.set(ends.subtract(seconds=1))  # the whole slot passes with nothing committed
        for _ in range(10):
            await pilot.pause(0.05)
        assert len(loads) == first
        clock.set(ends)
        await _until(pilot, lambda: len(loads) > first)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(loads) == first + 1
        assert app.live.status.window.starts_at == ends  # the next slot, read once


async def test_the_header_and_the_board_show_another_terminals_incident_in_one_step(desk, clock):
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
    from dutydesk.services.roster.people import list_people

    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _opened(app, pilot)
        await pilot.press("f3")
        await _until(pilot, lambda: type(app.screen).__name__ == "DeadlinesScreen")
        board = app.screen.query_one("#board")
        other = open_desk(desk.path, clock)  # another terminal on the same file
        try:
            officer = next(p for p in list_people(other) if p.role == "officer")
            for place in ("一号路口", "二号路口"):
                before = str(board.border_title)
                draft = IncidentDraft(type="accident", level="IV", occurred_at=other.now(),
                                      place=place, summary="另一终端登记")  # fmt: skip
                record_incident(other, draft, officer)
                await _until(pilot, lambda before=before: str(board.border_title) != before)
                count = str(board.border_title).split("：")[1].split(" ")[0]
                header = str(app.screen.query_one("#header-deadlines", Static).render())
                assert header.startswith(f"报告时限 {count} 项"), (board.border_title, header)
        finally:
            other.close()
