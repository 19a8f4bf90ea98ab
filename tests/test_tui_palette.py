"""The command palette speaks the user's language: Textual's own entries that are kept (quit,
maximize) and the search placeholder come from the catalogue; the English-only ones (theme
picker, key help, screenshot) are not offered."""

from __future__ import annotations

import pytest
from textual.command import CommandInput, CommandPalette

from dutydesk.app import TEXTUAL_COMMANDS, make_app
from dutydesk.i18n import t


async def _palette_titles(app, pilot) -> tuple[list[str], str]:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(app)
    titles = [command.title for command in app.get_system_commands(app.screen)]
    placeholder = app.screen.query_one(CommandInput).placeholder
    return titles, placeholder


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_textual_palette_entries_are_in_the_chosen_language(desk, clock, lang):
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        titles, placeholder = await _palette_titles(app, pilot)
        assert placeholder == t("palette.placeholder")
        assert t("palette.quit") in titles
        assert {"Theme", "Screenshot", "Keys"}.isdisjoint(titles)
        if lang == "zh":
            assert "Quit" not in titles and placeholder == "搜索命令……"


def test_every_textual_entry_has_both_languages():
    from dutydesk.i18n import set_language

    for lang in ("zh", "en"):
        set_language(lang)
        for key in TEXTUAL_COMMANDS.values():
            assert t(key) != key and t(key + "_help") != key + "_help"
