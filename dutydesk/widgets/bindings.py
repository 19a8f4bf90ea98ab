"""Key bindings whose footer labels come from the message catalogue.

Class-level BINDINGS are built once, at import, in whatever language was current then; so a
binding declared with Key carries the catalogue key of its label, and a screen shows its
bindings through in_language(), which puts each label in the app's language as the footer reads
them (screens/base.py): an app opened in English shows English keys."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from textual.binding import ActiveBinding, Binding, BindingType

from dutydesk.i18n import has, t

ID_PREFIX = "dutydesk."  # marks a binding declared with Key: its label is a catalogue key


class Key(NamedTuple):
    keys: str
    action: str
    label: str  # catalogue key
    show: bool = True
    priority: bool = False


def bindings(keys: list[Key]) -> list[BindingType]:
    """A screen's BINDINGS: its keys, labelled by catalogue key."""
    return [
        Binding(
            key.keys,
            key.action,
            key.label,
            show=key.show,
            priority=key.priority,
            id=ID_PREFIX + key.label,
        )
        for key in keys
    ]


# Textual's own keys that its widgets show in the footer, by action: an open dropdown's Esc
# ("Dismiss menu", SelectOverlay) showed in English on the Chinese screen (new officer, session 16)
TEXTUAL_SHOWN = {"dismiss": "palette.dismiss_menu"}


def in_language(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """`active` (Textual's active bindings of a screen) with each label declared by Key in the
    current language; of Textual's own bindings, the command palette's too."""
    return {key: _translated(binding) for key, binding in active.items()}


def _translated(active: ActiveBinding) -> ActiveBinding:
    binding = active.binding
    if (
        binding.action.removeprefix("app.") == "command_palette"
    ):  # Textual's own, labelled "palette" in English
        described = replace(
            binding, description=t("palette.footer"), tooltip=t("palette.footer_tooltip")
        )
        return active._replace(binding=described, tooltip=described.tooltip)
    own = TEXTUAL_SHOWN.get(binding.action)
    if own is not None and binding.id is None:  # Textual's own key, labelled in English
        return active._replace(binding=replace(binding, description=t(own)))
    if binding.id is None or not binding.id.startswith(ID_PREFIX):
        return active
    label = binding.description
    if _narrow(active) and has(label + "_short"):
        label += "_short"  # widgets/footer.py: a narrow terminal shows the short form
    return active._replace(binding=replace(binding, description=t(label)))


def _narrow(active: ActiveBinding) -> bool:
    from dutydesk.widgets.footer import NARROW

    try:
        return active.node.app.size.width < NARROW
    except Exception:  # noqa: BLE001 - no app running (a binding inspected outside one)
        return False
