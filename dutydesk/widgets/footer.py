"""A footer of two rows that shows every key: the screen's own keys above, the app's (the
screens' F-keys, quit, the command palette) below. Textual's one-row footer cuts the keys off at
the right edge, and at 80 columns a screen such as the handover one loses F4/F5 and 签字交接.
Below NARROW columns the rows are compact and labels that have a short form (`<key>_short` in
the catalogue, widgets/bindings.py) use it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

QUIT_KEY = "ctrl+q"
NARROW = 100  # columns: below this the footer is compact and uses short labels


class SteadyFooter(Footer):
    """Textual's footer, rebuilt only when the keys it would show changed. Textual rebuilds
    every key (mounting and restyling each) whenever the screen's bindings are refreshed, which
    happens each time a screen is shown again, though the keys are the same: with the two rows
    of DeskFooter that was most of the cost of switching screens."""

    _shown: Any = None  # what the keys were last composed from

    def _keys_source(self) -> Any:
        bindings = self.screen.active_bindings.items()
        return (
            self._bindings_ready,
            self.app.size.width < NARROW,
            self.compact,
            self.show_command_palette,
            tuple((key, node is self.app, *rest) for key, (node, *rest) in bindings),
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        source = self._keys_source()
        if source == self._shown:
            return
        self._shown = source
        await super().recompose()


class KeysRow(SteadyFooter):
    """One row of the footer: the screen's keys (`app_keys` False) or the app's."""

    def __init__(self, app_keys: bool, *, id: str | None = None) -> None:
        super().__init__(show_command_palette=app_keys, id=id)
        self.app_keys = app_keys

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self.compact = self.app.size.width < NARROW
        shown: set[str] = set()
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, (node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in shown or key == palette_key:
                continue
            if (node is self.app) != self.app_keys:
                continue
            shown.add(binding.action)
            footer_key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                self._label(binding.action, binding.description),
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            )
            # born in the footer's style: else each key is restyled twice as it mounts
            # (compact by default, then bound to the footer's)
            footer_key.set_reactive(FooterKey.compact, self.compact)
            yield footer_key.data_bind(compact=Footer.compact)
        if self.app_keys and "quit" not in shown:
            yield from self._quit_key()
        if self.app_keys and (palette := self.screen.active_bindings.get(palette_key)):
            yield FooterKey(
                palette.binding.key,
                self.app.get_key_display(palette.binding),
                self._label("command_palette", palette.binding.description),
                palette.binding.action,
                classes="-command-palette",
                disabled=not palette.enabled,
                tooltip=palette.binding.tooltip or palette.binding.description,
            )

    def _quit_key(self) -> ComposeResult:
        """Ctrl+Q, shown although Textual binds it hidden: new officers did not find how to
        quit (QA, session 13); it stays Textual's priority binding, so no field takes it."""
        from dutydesk.i18n import t

        bound = self.screen.active_bindings.get(QUIT_KEY)
        if bound is None or bound.binding.action != "quit":
            return
        label = self._label("quit", t("nav.quit"))
        yield FooterKey(QUIT_KEY, self.app.get_key_display(bound.binding), label, "quit",
                        disabled=not bound.enabled, tooltip=label)  # fmt: skip

    def _label(self, action: str, label: str) -> str:
        """The app's keys (the screens' F-keys, the command palette) are bound with their
        labels in words, not catalogue keys: compact, those with a short form
        (`footer_short.<mode>`) use it, so the row fits 80 columns in English (QA: "^p
        commandst", F7 and F8 off the edge)."""
        from dutydesk.i18n import has, t

        if not (self.app_keys and self.compact):
            return label
        name = action.removeprefix("app.")
        if name.startswith("switch_mode('"):
            name = name.removeprefix("switch_mode('").removesuffix("')")
        short = f"footer_short.{name}"
        return t(short) if has(short) else label


class DeskFooter(Vertical):
    DEFAULT_CSS = """
    DeskFooter { dock: bottom; height: auto; }
    DeskFooter KeysRow { dock: none; }
    """

    def __init__(self) -> None:
        super().__init__(id="desk-footer")
        self._width = 0

    def compose(self) -> ComposeResult:
        yield KeysRow(False, id="screen-keys")
        yield KeysRow(True, id="app-keys")

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != (self._width < NARROW) or not self._width:
            self.screen.refresh_bindings()  # labels and spacing change across NARROW
        self._width = event.size.width
