"""The first frame written to the terminal is the whole first look (issue 19, start-up). Textual
lays the first screen out while its start-up batch is held and drops that frame; the next frame
then held only the widgets changed since, and the list came with a later layout (traced: ~40 ms
after the header). DeskApp._end_batch makes the frame after a dropped one a full one."""

from __future__ import annotations

from textual.app import App

from dutydesk.widgets.call_list import CallTable
from tests.support_first_look import started, three_calls


async def test_the_first_frame_written_holds_the_whole_first_look(desk, officer, clock,
                                                                  monkeypatch):  # fmt: skip
    three_calls(desk, officer)
    frames: list[tuple[int, str]] = []  # (the app's batch count, the update's kind)
    real = App._display

    def recorded(app, screen, renderable):  # noqa: ANN001, ANN202
        if renderable is not None:
            frames.append((app._batch_count, type(renderable).__name__))
        return real(app, screen, renderable)

    monkeypatch.setattr(App, "_display", recorded)
    async with started(desk, clock, lambda: any(not batch for batch, _kind in frames)) as (app, _):
        assert app.screen.query(CallTable)  # the first look's screen
    dropped = [kind for batch, kind in frames if batch]
    written = [kind for batch, kind in frames if not batch]
    assert dropped, "Textual drew no frame during its start-up batch: check this test's premise"
    assert written[0] == "LayoutUpdate", f"the first frame written was a {written[0]}: {frames}"
