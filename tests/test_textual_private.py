"""Textual's private parts the app relies on to switch screens quickly (pyproject pins Textual to
the minor version these were checked against). A new Textual that renames or reshapes any of
them fails here, by name, rather than silently restyling, re-parsing or rebuilding again:

- screens/base.py: a screen's restyle skipped when shown again (Screen._on_screen_resume and
  _on_screen_suspend, ScreenResume.refresh_styles, the CSS counts), a new screen started at the
  app's CSS count (textual._context.active_app), a screen built ahead laid out and rendered while
  hidden (Screen._refresh_layout, _layout_required, the compositor's render_update);
- app.py: the roster's mode built ahead (App._init_mode);
- widgets/footer.py: the footer rebuilt only when its keys change (Footer._bindings_ready,
  Footer.recompose);
- widgets/css_cache.py: parsed stylesheets kept between starts (Stylesheet._parse_rules and its
  _parse_cache);
- widgets/desk_app.py: each frame timed (App._display), for widgets/keys_first.py; the frame
  after one dropped in a batch made a full one (App._end_batch, _batch_count, the compositor's
  _dirty_regions and size); the first whole frame (textual._compositor.LayoutUpdate, by name)
  written during the start-up batch;
- widgets/call_list.py: the first look's rows measured before its first frame
  (DataTable._update_dimensions, _require_update_dimensions, _new_rows);
- widgets/quiet_input.py: the Linux driver's input thread replaced (LinuxDriver.run_input_thread,
  its exit_event, _debug and process_message), asleep for what the parser has left to wait
  (Parser._timeout_time, textual._time.get_time)."""

from __future__ import annotations

import inspect
from contextvars import ContextVar
from importlib.metadata import version

import pytest
from textual import events
from textual._compositor import Compositor
from textual._context import active_app
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.drivers.linux_driver import LinuxDriver
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Select
from textual.widgets._footer import FooterKey

from dutydesk.screens.base import DeskScreen

SIGNATURES = [
    (Screen, "_on_screen_resume", ["self", "event"]),
    (Screen, "_on_screen_suspend", ["self"]),
    (Screen, "_on_mount", ["self", "event"]),
    (Screen, "_refresh_layout", ["self", "size", "scroll"]),
    (App, "_init_mode", ["self", "mode"]),
    (App, "get_screen_stack", ["self", "mode"]),
    (Compositor, "render_update", ["self", "full", "screen_stack", "simplify"]),
    (Footer, "recompose", ["self"]),
    (App, "_display", ["self", "screen", "renderable"]),
    (App, "_end_batch", ["self"]),
    (DataTable, "_update_dimensions", ["self", "new_rows"]),
    (LinuxDriver, "run_input_thread", ["self"]),
    (LinuxDriver, "process_message", ["self", "message"]),
    (LinuxDriver, "__init__", ["self", "app", "debug", "mouse", "size"]),
    (
        Stylesheet,
        "_parse_rules",
        ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"],
    ),
]


@pytest.mark.parametrize(("owner", "name", "parameters"), SIGNATURES,
                         ids=[f"{o.__name__}.{n}" for o, n, _p in SIGNATURES])  # fmt: skip
def test_the_overridden_and_called_methods_keep_their_signatures(owner, name, parameters):
    method = getattr(owner, name, None)
    assert method is not None, f"Textual {version('textual')}: {owner.__name__}.{name} is gone"
    found = list(inspect.signature(method).parameters)
    assert found == parameters, (
        f"Textual {version('textual')}: {owner.__name__}.{name}{found} was {parameters}"
    )


def test_the_handlers_overridden_are_textual_handlers_of_the_same_kind():
    # DeskScreen's run beside Textual's own (a handler for each class of the MRO), not instead
    for name in ("_on_screen_resume", "_on_screen_suspend", "_on_mount"):
        assert name in vars(Screen), f"Screen.{name} is no longer Textual's handler"
        assert name in vars(DeskScreen)
    assert inspect.iscoroutinefunction(Footer.recompose)
    assert not inspect.iscoroutinefunction(Screen._on_screen_resume)


def test_the_stylesheet_keeps_its_parse_cache_where_the_css_cache_reads_it():
    from dutydesk.widgets import css_cache

    sheet, css, read_from = Stylesheet(), "Static { color: red; }", ("test", "css")
    rules = css_cache._textual_parse_rules(sheet, css, read_from)
    # Textual itself keeps the rules under the key css_cache._parse_rules looks up
    key = (css, read_from, False, 0, "")
    assert key in sheet._parse_cache and sheet._parse_cache[key] is rules
    assert rules and all(hasattr(rule, "selector_set") for rule in rules)
    assert css_cache._textual_parse_rules is not css_cache._parse_rules
    assert css_cache._textual_parse_rules.__qualname__ == "Stylesheet._parse_rules"


def test_the_private_state_read_is_still_there():
    assert isinstance(active_app, ContextVar)
    assert events.ScreenResume(refresh_styles=False).refresh_styles is False
    assert isinstance(vars(Footer)["_bindings_ready"], Reactive)
    assert isinstance(vars(FooterKey)["compact"], Reactive)
    app = App()
    assert isinstance(app._css_update_count, int)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "_css_update_count", 7)
        token = active_app.set(app)
        try:
            screen = DeskScreen()
        finally:
            active_app.reset(token)
    assert screen._css_update_count == 7  # started at the app's count, not Textual's -1
    assert isinstance(screen._layout_required, bool)
    assert isinstance(screen._compositor, Compositor)
    assert isinstance(app._batch_count, int)
    assert isinstance(screen._compositor._dirty_regions, set)
    assert screen._compositor.size.region.area == 0  # not laid out yet: a Size, empty
    from textual._compositor import LayoutUpdate

    assert LayoutUpdate.__name__ == "LayoutUpdate"  # desk_app._first_whole_frame names it
    assert inspect.signature(Compositor.render_full_update).return_annotation in (
        "LayoutUpdate", LayoutUpdate)  # fmt: skip
    from textual.widgets import OptionList
    from textual.widgets._select import SelectOverlay

    # desk_select.DeskSelect finds its list by this name, and opens it with this action
    assert SelectOverlay.__name__ == "SelectOverlay" and issubclass(SelectOverlay, OptionList)
    assert callable(getattr(Select, "action_show_overlay", None))
    # ... and drops a late Dismiss: sent for a lost cursor, before Select's own handler runs
    assert SelectOverlay.Dismiss(lost_focus=True).lost_focus is True
    assert SelectOverlay.Dismiss in vars(Select)["_decorated_handlers"]
    from textual._time import get_time
    from textual._xterm_parser import XTermParser

    # quiet_input.waiting_left: the parser's deadline for an escape sequence's rest, on this clock
    parser = XTermParser(False)
    assert parser._timeout_time is None
    list(parser.feed("\x1b"))
    assert isinstance(parser._timeout_time, float) and parser._timeout_time > get_time() - 1
    # and the thread is stopped by setting the event quiet_input makes wake it, joined after
    stop = inspect.getsource(LinuxDriver.disable_input)
    assert stop.index("self.exit_event.set()") < stop.index("self._key_thread.join()")


async def test_a_data_table_keeps_the_rows_it_has_not_measured_where_the_list_reads_them():
    class TableApp(App[None]):
        def compose(self):  # noqa: ANN202
            yield DataTable()

    app = TableApp()
    async with app.run_test(size=(40, 10)):
        table = app.query_one(DataTable)
        table.add_column("a")
        key = table.add_row("x")
        assert table._require_update_dimensions is True
        assert isinstance(table._new_rows, set) and key in table._new_rows


def test_textual_is_the_minor_version_these_were_checked_against():
    assert version("textual").startswith("8.2."), "check the parts above, then the pin"
