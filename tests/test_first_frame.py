"""The first frame written to the terminal is the whole first look, written as soon as it is made
(issue 19, start-up). Textual lays the first screen out and draws it while its start-up batch is
still held, and drops that frame: the next one held only the widgets changed since, and the list
came with a later layout (traced: ~40 ms after the header). DeskApp writes the first whole frame
even so (_first_whole_frame), and makes the frame after any dropped one a full one (_end_batch)."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen

from dutydesk.widgets.call_list import CallTable
from tests.support_first_look import started, three_calls


async def test_the_first_frame_made_is_written_whole(desk, officer, clock, monkeypatch):
    three_calls(desk, officer)
    events: list[tuple[str, object]] = []  # ("made", the app's batch count) | ("written", kind)
    real_display, real_refresh = App._display, Screen._compositor_refresh

    def written(app, screen, renderable):  # noqa: ANN001, ANN202
        if renderable is not None and not app._batch_count:
            events.append(("written", type(renderable).__name__))
        return real_display(app, screen, renderable)

    def made(screen):  # noqa: ANN001, ANN202
        events.append(("made", screen.app._batch_count))
        return real_refresh(screen)

    monkeypatch.setattr(App, "_display", written)
    monkeypatch.setattr(Screen, "_compositor_refresh", made)
    async with started(desk, clock, lambda: ("written", "LayoutUpdate") in events) as (app, _):
        assert app.screen.query(CallTable)  # the first look's screen
    first_made = next(value for kind, value in events if kind == "made")
    assert first_made, f"the first frame was not made in Textual's start-up batch: {events}"
    first_written = next(i for i, (kind, _value) in enumerate(events) if kind == "written")
    assert events[first_written] == ("written", "LayoutUpdate"), events
    made_before = [event for event in events[:first_written] if event[0] == "made"]
    assert len(made_before) == 1, f"the first frame made was dropped: {events}"


async def test_a_frame_dropped_in_a_batch_is_followed_by_a_whole_one(desk, officer, clock,
                                                                     monkeypatch):  # fmt: skip
    three_calls(desk, officer)
    async with started(desk, clock) as (app, pilot):
        await pilot.pause()
        kinds: list[str] = []
        real = App._display

        def written(app_, screen, renderable):  # noqa: ANN001, ANN202
            if renderable is not None and not app_._batch_count:
                kinds.append(type(renderable).__name__)
            return real(app_, screen, renderable)

        monkeypatch.setattr(App, "_display", written)
        screen, table = app.screen, app.screen.query_one(CallTable)
        with app.batch_update():
            table.refresh()  # a part of the screen changed, its frame made in the batch: dropped
            screen._compositor.update_widgets({table})
            screen._compositor_refresh()
        await pilot.pause()
        assert kinds and kinds[0] == "LayoutUpdate", kinds
