"""Switching screens without redoing work (screens/base.py, widgets/footer.py, app.py): a screen
shown again is restyled whenever what its styles hang on changed while it was hidden (the theme,
the terminal's size), so skipping the restyle never shows stale styles; the roster screen is
built ahead while the app idles, hidden, and F7 then shows it with its month.

The language is chosen when the app is made (make_app's `lang`) and never changes in a running
app, so there is no language change to restyle for."""

from __future__ import annotations

from textual.color import Color
from textual.widgets import DataTable

from dutydesk.app import make_app

SIZE = (120, 36)


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _border_colour(app) -> Color:
    return app.screen.query_one("#roster-grid", DataTable).styles.border_top[1]


def _count_restyles(screen) -> list[int]:
    """How many times Textual restyles `screen` as a whole (it does so when a screen is shown
    again, unless DeskScreen found nothing changed)."""
    restyles = [0]
    restyle = screen.update_node_styles

    def counted(*args, **kwargs):
        restyles[0] += 1
        return restyle(*args, **kwargs)

    screen.update_node_styles = counted
    return restyles


async def test_a_screen_shown_again_after_a_theme_change_has_the_new_theme(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        app.theme = "textual-dark"
        await _ready(app, pilot)
        await pilot.press("f7")
        await _ready(app, pilot)
        dark = _border_colour(app)
        assert dark == Color.parse(app.theme_variables["primary"])
        restyles = _count_restyles(app.screen)
        await pilot.press("f2", "f7")  # nothing changed meanwhile: not restyled
        await _ready(app, pilot)
        assert restyles == [0]
        await pilot.press("f2")
        await _ready(app, pilot)
        app.theme = "textual-light"  # while the roster screen is hidden
        await _ready(app, pilot)
        await pilot.press("f7")
        await _ready(app, pilot)
        assert restyles[0] >= 1
        light = _border_colour(app)
        assert light == Color.parse(app.theme_variables["primary"])
        assert light != dark


async def test_a_screen_shown_again_after_a_resize_is_laid_out_for_the_new_size(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(160, 40)) as pilot:  # wide: the counts beside the grid
        await _ready(app, pilot)
        await pilot.press("f7")
        await _ready(app, pilot)
        counts = app.screen.query_one("#roster-counts")
        assert counts.region.width == 50  # beside the grid
        restyles = _count_restyles(app.screen)
        await pilot.press("f2")
        await _ready(app, pilot)
        await pilot.resize_terminal(80, 24)  # while the roster screen is hidden
        await _ready(app, pilot)
        await pilot.press("f7")
        await _ready(app, pilot)
        assert restyles[0] >= 1
        assert app.screen.query_one("#roster-body").has_class("-narrow")
        assert (counts.region.width, counts.region.height) == (80, 6)  # under the grid


async def test_the_roster_screen_is_built_ahead_hidden_and_shows_its_month(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        calls, focused = app.screen, app.focused
        for _ in range(100):  # the app builds it once idle (app.BUILD_AHEAD_AFTER_S)
            if app.get_screen_stack("calls") and "roster" in app._screen_stacks:
                break
            await pilot.pause(0.05)
        await _ready(app, pilot)
        built = app.get_screen_stack("roster")[0]
        assert type(built).__name__ == "RosterScreen" and built.rows  # the month read
        assert (app.screen, app.focused) == (calls, focused)  # nothing moved for the officer
        await pilot.press("f7")
        await _ready(app, pilot)
        assert app.screen is built
        grid = built.query_one("#roster-grid", DataTable)
        assert grid.has_focus and grid.row_count == len(built.rows) == 60  # 30 days, 2 slots
