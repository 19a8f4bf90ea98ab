"""The command palette speaks the user's language: every one of Textual's own entries (theme,
quit, keys, screenshot, maximize), the search placeholder, the "no matches" line, the footer's
palette key and what the keys command shows come from the catalogue."""

from __future__ import annotations

import re

import pytest
from textual.command import CommandInput, CommandPalette
from textual.widgets import Footer

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.widgets.palette import TEXTUAL_COMMANDS

LATIN = re.compile(r"[A-Za-z]{2,}")


async def _open_palette(app, pilot) -> tuple[list[str], list[str], str]:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(app)
    commands = list(app.get_system_commands(app.screen))
    placeholder = app.screen.query_one(CommandInput).placeholder
    return [c.title for c in commands], [c.help for c in commands], placeholder


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_textual_palette_entries_are_in_the_chosen_language(desk, clock, lang):
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        titles, helps, placeholder = await _open_palette(app, pilot)
        assert placeholder == t("palette.placeholder")
        for key in ("palette.quit", "palette.keys", "palette.theme", "palette.screenshot"):
            assert t(key) in titles
        if lang == "zh":
            assert placeholder == "搜索命令……"
            assert not [text for text in titles + helps if LATIN.search(text.replace("SVG", ""))]


async def test_no_matches_line_and_footer_key_are_in_chinese(desk, clock):
    app = make_app(desk.path, clock=clock, lang="zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        for _ in range(100):  # the footer composes its keys once the screen's bindings are in
            await pilot.pause(0.02)
            if app.screen.query("FooterKey"):
                break
        footer_text = " ".join(str(key.description) for key in app.screen.query("FooterKey"))
        assert "命令" in footer_text and "palette" not in footer_text
        assert app.screen.query(Footer)
        await pilot.press("ctrl+p")
        await pilot.press(*"qqqzzz")
        await pilot.pause(0.7)
        options = app.screen.query_one("CommandList").options
        assert [o for o in options if "没有匹配的命令" in str(o.prompt)]


async def test_keys_command_lists_the_screen_keys_in_chinese(desk, clock):
    app = make_app(desk.path, clock=clock, lang="zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys = next(c for c in app.get_system_commands(app.screen) if c.title == "按键")
        keys.callback()
        await pilot.pause()
        notices = list(app._notifications)
        assert notices and notices[-1].title == "按键"
        assert t("nav.calls") in notices[-1].message and "palette" not in notices[-1].message


def test_every_textual_entry_has_both_languages():
    from dutydesk.i18n import set_language

    for lang in ("zh", "en"):
        set_language(lang)
        for key in TEXTUAL_COMMANDS.values():
            assert t(key) != key and t(key + "_help") != key + "_help"
