"""Keys that arrive together in the dialogs converted to DeskInput/DeskTextArea (QA: `abc`,
Backspace, `d` typed fast gave `abc` in the 登记文电 dialog, the incident form...): Backspace
and the arrows keep their place among the characters around them (Textual issue #6605)."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, save_call
from tests.test_tui_batched_keys import _post_all, _ready  # the one key-posting helper

SIZE = (120, 36)
BATCH = ["a", "b", "c", "backspace", "d", "left", "left", "x", "backspace", "y"]
EXPECTED = "aybd"  # ab, abd, a|bd, ax|bd, a|bd, ay|bd (checked by _typed below)


def _typed(keys: list[str]) -> str:
    """What an editor makes of the keys, worked out here independently of Textual."""
    text, cursor = "", 0
    for key in keys:
        if key == "backspace" and cursor:
            text, cursor = text[: cursor - 1] + text[cursor:], cursor - 1
        elif key == "left":
            cursor = max(cursor - 1, 0)
        elif len(key) == 1:
            text, cursor = text[:cursor] + key + text[cursor:], cursor + 1
    return text


def _shown(field) -> str:
    return field.text if isinstance(field, TextArea) else field.value


def test_the_expected_text_is_what_an_editor_makes_of_the_batch():
    assert _typed(BATCH) == EXPECTED


async def test_a_batch_in_the_register_document_dialog_is_applied_in_order(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f8")
        await _ready(app, pilot)
        await pilot.press("ctrl+n")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RegisterDocumentDialog"
        field = app.focused
        assert isinstance(field, Input) and field.value == ""
        _post_all(app, BATCH)
        await _ready(app, pilot)
        assert field.value == EXPECTED


async def test_a_batch_in_the_incident_form_is_applied_in_order(desk, clock, officer):
    draft = CallDraft(
        category="incident",
        summary="人民路燃气管道破裂",
        caller="刘洋",
        unit="市政府总值班室",
        phone="022-23456789",
    )
    save_call(desk, draft, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")  # on the selected call of the list
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "IncidentForm"
        for selector in ("#e-incident_place", "#e-incident_summary"):
            field = app.screen.query_one(selector)
            if isinstance(field, TextArea):
                field.load_text("")  # the call's summary is offered: start empty
            field.focus()
            await pilot.pause()
            _post_all(app, BATCH)
            await _ready(app, pilot)
            assert _shown(field) == EXPECTED, selector
