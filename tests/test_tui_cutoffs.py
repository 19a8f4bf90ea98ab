"""What QA found cut at 80x24 (QA #9): the call form's time field, its hint and a time shown in
full, and the F9 search's record column, which ended a long row mid-phone with no sign of the
cut. Each is read from the screen as rendered, in both languages."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import DataTable, Input

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.calls.calls import CallDraft, save_call

NARROW = (80, 24)


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _shown(widget) -> list[str]:
    """The widget's lines as the terminal shows them."""
    region = widget.region
    return [strip.text for strip in widget.render_lines(Region(0, 0, region.width, region.height))]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_time_field_shows_its_hint_and_a_time_in_full_at_80_columns(desk, clock, lang):
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=NARROW) as pilot:
        await _ready(app, pilot)
        field = app.screen.query_one("#f-time", Input)
        assert t("form.time_placeholder", lang=lang) in "".join(_shown(field))
        field.focus()
        await pilot.press(*"2150", "tab")  # leaving the field shows the time read, in full
        await pilot.pause()
        assert field.value == "2026-11-22 21:50"
        assert "2026-11-22 21:50" in "".join(_shown(field))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_search_row_cut_at_80_columns_ends_in_an_ellipsis(desk, officer, clock, lang):
    save_call(desk, CallDraft(caller="李红（城关镇应急管理办公室主任）", unit="城关镇人民政府",
                              phone="13800138000", summary="寒潮致水管冻裂"), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=NARROW) as pilot:
        await _ready(app, pilot)
        await pilot.press("f9")
        await _ready(app, pilot)
        await pilot.press(*"寒潮")
        await _ready(app, pilot)
        table = app.screen.query_one("#lookup-table", DataTable)
        assert table.row_count == 1
        row = next(line for line in _shown(table) if "李红" in line)
        assert "13800138000" not in row and "…" in row  # cut, and seen to be


@pytest.mark.parametrize("size", [NARROW, (120, 36)])
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_hint_of_the_call_form_is_shown_whole(desk, clock, lang, size):
    """At 80 columns the full hints were cut at a word ("where it", "事发地点（选"): a field
    shows its full hint when it fits, else its short one, whole."""
    from dutydesk.widgets.call_form import HINTS

    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=size) as pilot:
        await _ready(app, pilot)
        for widget_id, key in HINTS.items():
            field = app.screen.query_one(f"#{widget_id}", Input)
            short = t("call_form_narrow." + key.split(".")[1], lang=lang)
            assert field.placeholder in (t(key, lang=lang), short)
            assert field.placeholder in "".join(_shown(field)), (widget_id, _shown(field))
        if size != NARROW:
            assert app.screen.query_one("#f-place", Input).placeholder == t(
                "form.place_placeholder", lang=lang
            )
