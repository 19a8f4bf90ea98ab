"""Issue 13: the terminal app reaches the app, the desk and the recorder through typed bases
(screens/base.py), never through a type-checker escape; it uses no private Textual API for its
key labels; and the services hand it real values, not what the store keeps."""

from __future__ import annotations

import re
from pathlib import Path

import pendulum
import pytest
from textual.app import App

import dutydesk
from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.handover.handover import mark
from dutydesk.services.handover.handover_checklist import build_checklist

PACKAGE = Path(dutydesk.__file__).parent
UI_SOURCES = sorted(
    [PACKAGE / "app.py", *(PACKAGE / "screens").rglob("*.py"), *(PACKAGE / "widgets").rglob("*.py")]
)
ESCAPES = re.compile(r"#\s*type:\s*ignore|\bcast\(|\._bindings\b")


def test_the_terminal_app_needs_no_ignore_no_cast_and_no_private_bindings():
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in UI_SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ESCAPES.search(line)
    ]
    assert found == []


def test_a_ticked_arrival_hands_the_screen_its_time_not_the_stored_text(desk):
    assert build_checklist(desk).item("arrival").arrived_at is None  # not ticked yet
    at = desk.now().subtract(minutes=20)
    mark(desk, "arrival", "done", at=at)
    items = build_checklist(desk).items
    arrival = next(item for item in items if item.key == "arrival")
    assert isinstance(arrival.arrived_at, pendulum.DateTime)
    assert arrival.arrived_at == at
    assert all(item.arrived_at is None for item in items if item.key != "arrival")


async def test_footer_labels_are_in_the_language_of_each_app(desk, clock):
    """The screens' bindings are declared once per class; each app, one after the other in this
    process, shows them in its own language."""
    for lang in ("en", "zh", "en"):
        app = make_app(desk.path, clock=clock, lang=lang)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert type(app.screen).__name__ == "CallsScreen"
            shown = {key: bound.binding.description for key, bound in app.active_bindings.items()}
        assert shown["ctrl+s"] == t("calls_screen.save", lang=lang)
        assert shown["ctrl+n"] == t("calls_screen.new", lang=lang)
        assert t("calls_screen.save", lang=lang) != "calls_screen.save"


async def test_a_screen_outside_the_duty_desk_app_is_refused():
    """The typed app is checked, not assumed: a desk screen cannot be shown by another app."""
    from dutydesk.screens.text_dialog import TextDialog

    app: App[None] = App()
    async with app.run_test():
        with pytest.raises(AssertionError):
            await app.push_screen(TextDialog("title", "text"))
