"""Key bindings whose footer labels come from the message catalogue.

Class-level BINDINGS are built once, at import, in whatever language was current then; screens
bind here, per instance, so an app opened in English shows English keys."""

from __future__ import annotations

from typing import NamedTuple

from textual.dom import DOMNode

from dutydesk.i18n import t


class Key(NamedTuple):
    keys: str
    action: str
    label: str  # catalogue key
    show: bool = True
    priority: bool = False


def bind_keys(node: DOMNode, keys: list[Key]) -> None:
    for key in keys:
        node._bindings.bind(
            key.keys, key.action, t(key.label), show=key.show, priority=key.priority
        )
