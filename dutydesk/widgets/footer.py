"""A footer of two rows that shows every key: the screen's own keys above, the app's (the
screens' F-keys, quit, the command palette) below. Textual's one-row footer cuts the keys off at
the right edge, and at 80 columns a screen such as the handover one loses F4/F5 and 签字交接.
Below NARROW columns, and wherever a row's keys with their full labels would not fit, the row
is compact and labels that have a short form (`<key>_short` in the catalogue,
widgets/bindings.py) use it."""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from dutydesk.widgets.bindings import ID_PREFIX

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


class Planned(NamedTuple):
    """One key of a row as it will be shown."""

    key: str
    display: str
    label: str
    action: str
    disabled: bool
    tooltip: str
    styled: bool = True  # in the row's style; Ctrl+Q and the palette's keep FooterKey's compact
    classes: str = ""

    def cells(self, compact: bool) -> int:
        """Its width in a row, compact or not (Textual's Footer and FooterKey styles): " ^a " and
        "Label " in a row that is not compact, "^a Label" and a margin in one that is; Ctrl+Q
        always "^q Label" (and the margin); the palette's that beside a border and a padding
        (or the margin)."""
        text = cell_len(self.display) + 1 + cell_len(self.label)
        if self.classes:
            return text + 2
        if self.styled:
            return text + (1 if compact else 2)
        return text + (1 if compact else 0)


class KeysRow(SteadyFooter):
    """One row of the footer: the screen's keys (`app_keys` False) or the app's. A row whose
    keys with their full labels do not fit the width is compact, and if they still do not fit,
    takes the short labels (English at 120 columns cut the board's and the handover screen's
    last keys, session 14)."""

    def __init__(self, app_keys: bool, *, id: str | None = None) -> None:
        super().__init__(show_command_palette=app_keys, id=id)
        self.app_keys = app_keys

    def _keys_source(self) -> Any:
        return (super()._keys_source(), self._fit())

    def _fit(self) -> tuple[bool, bool]:
        """(compact, short labels): both below NARROW, else the first that fits the width."""
        width = self.app.size.width
        if width < NARROW or not self._bindings_ready:
            return width < NARROW, width < NARROW
        full = self._planned(squeezed=False)
        for compact in (False, True):
            if sum(planned.cells(compact) for planned in full) <= width:
                return compact, False
        return True, True

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self.compact, short = self._fit()
        for planned in self._planned(squeezed=short):
            footer_key = FooterKey(
                planned.key,
                planned.display,
                planned.label,
                planned.action,
                disabled=planned.disabled,
                tooltip=planned.tooltip,
                classes=planned.classes,
            )
            if not planned.styled:
                yield footer_key
                continue
            # born in the footer's style: else each key is restyled twice as it mounts
            # (compact by default, then bound to the footer's)
            footer_key.set_reactive(FooterKey.compact, self.compact)
            yield footer_key.data_bind(compact=Footer.compact)

    def _planned(self, squeezed: bool) -> list[Planned]:
        """The row's keys in order, labelled in full or (`squeezed`) by their short forms."""
        planned: list[Planned] = []
        shown: set[str] = set()
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, (node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in shown or key == palette_key:
                continue
            if (node is self.app) != self.app_keys:
                continue
            shown.add(binding.action)
            label = self._label(binding, binding.description, squeezed)
            planned.append(Planned(binding.key, self.app.get_key_display(binding), label,
                                   binding.action, not enabled, tooltip))  # fmt: skip
        if self.app_keys and "quit" not in shown:
            planned.extend(self._quit_key(squeezed))
        if self.app_keys and (palette := self.screen.active_bindings.get(palette_key)):
            label = self._label(palette.binding, palette.binding.description, squeezed)
            tooltip = palette.binding.tooltip or palette.binding.description
            planned.append(Planned(palette.binding.key, self.app.get_key_display(palette.binding),
                                   label, palette.binding.action, not palette.enabled, tooltip,
                                   styled=False, classes="-command-palette"))  # fmt: skip
        return planned

    def _quit_key(self, squeezed: bool) -> list[Planned]:
        """Ctrl+Q, shown although Textual binds it hidden: new officers did not find how to
        quit (QA, session 13); it stays Textual's priority binding, so no field takes it."""
        from dutydesk.i18n import t

        bound = self.screen.active_bindings.get(QUIT_KEY)
        if bound is None or bound.binding.action != "quit":
            return []
        label = self._label(bound.binding, t("nav.quit"), squeezed)
        display = self.app.get_key_display(bound.binding)
        return [Planned(QUIT_KEY, display, label, "quit", not bound.enabled, label, styled=False)]

    def _label(self, binding: Binding, label: str, squeezed: bool) -> str:
        """A squeezed row's short labels: a screen's key declared with Key by its catalogue
        key's `_short` form (as bindings.in_language gives below NARROW); the app's keys (the
        screens' F-keys, the command palette), bound with their labels in words, by
        `footer_short.<mode>`, so the row fits 80 columns in English (QA: "^p commandst", F7
        and F8 off the edge)."""
        from dutydesk.i18n import has, t

        if not squeezed:
            return label
        if not self.app_keys:
            own = (binding.id or "").removeprefix(ID_PREFIX)
            declared = binding.id is not None and binding.id.startswith(ID_PREFIX)
            return t(own + "_short") if declared and has(own + "_short") else label
        name = binding.action.removeprefix("app.")
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
        """Labels and spacing change across NARROW, and where a row's keys stop fitting: each
        row composes again only when what it shows changes (SteadyFooter)."""
        if event.size.width != self._width:
            self.screen.refresh_bindings()
        self._width = event.size.width
