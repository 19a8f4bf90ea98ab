"""The command palette in the user's language: Textual's own system commands (quit, keys,
theme, screenshot, maximize/minimize) titled from the catalogue, the palette's placeholder and
its "no matches" line, the theme picker's placeholder, and what the keys and screenshot
commands say."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from dutydesk.i18n import t

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

# Textual's own palette entries (by their English title), with the catalogue key of each.
TEXTUAL_COMMANDS = {
    "Theme": "palette.theme",
    "Quit": "palette.quit",
    "Keys": "palette.keys",
    "Minimize": "palette.minimize",
    "Maximize": "palette.maximize",
    "Screenshot": "palette.screenshot",
}


class DeskPalette(CommandPalette):
    """Textual's palette with its one hard-coded English line ("No matches found") from the
    catalogue. Textual builds that line inside this private method, so it is replaced whole."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def translated_system_commands(
    app: App[object], screen: Screen, textual_commands: Iterable[SystemCommand]
) -> Iterable[SystemCommand]:
    """Textual's system commands with title and help in the current language; the key help
    and the screenshot replaced by ones that speak it (Textual's own show English texts)."""
    replacements: dict[str, Callable[[], object]] = {
        "Keys": lambda: show_keys(app, screen),
        "Screenshot": lambda: app.set_timer(0.1, lambda: save_screenshot(app)),
    }
    for command in textual_commands:
        key = TEXTUAL_COMMANDS.get(command.title)
        if key is None:
            continue  # an entry added by a later Textual: left out rather than shown in English
        callback = replacements.get(command.title, command.callback)
        yield command._replace(title=t(key), help=t(key + "_help"), callback=callback)


def show_keys(app: App[object], screen: Screen) -> None:
    """The screen's keys and what each does, as a notice: the footer's keys, all of them, in
    the user's language (Textual's key panel lists its widgets' keys in English)."""
    lines = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.description and (binding.show or key == app.COMMAND_PALETTE_BINDING):
            lines.append(f"{app.get_key_display(binding)}  {binding.description}")
    app.notify(
        "\n".join(lines) or t("palette.keys_none"),
        title=t("palette.keys"),
        timeout=10,
        markup=False,
    )


def save_screenshot(app: App[object]) -> None:
    try:
        path = app.save_screenshot()
    except OSError as error:
        app.notify(
            t("palette.screenshot_failed", reason=error.strerror or error),
            title=t("palette.screenshot"),
            severity="error",
            markup=False,
        )
        return
    app.notify(
        t("palette.screenshot_saved", path=path), title=t("palette.screenshot"), markup=False
    )


def theme_palette() -> CommandPalette:
    from textual.theme import ThemeProvider

    return DeskPalette(providers=[ThemeProvider], placeholder=t("palette.theme_placeholder"))


def command_palette() -> CommandPalette:
    return DeskPalette(placeholder=t("palette.placeholder"), id="--command-palette")
