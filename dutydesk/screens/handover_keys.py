"""The handover checklist's keys that open its note field (n, f, s, t, c), acted on as they reach
the app, with the keys typed after them held until the note is open: a new officer's burst of `n`
and a note (session 17) left the note empty and had its letters taken as the checklist's own keys
(d marked an item; a later note landed against another item), because those letters were on
their way to the checklist before `n` had opened the note. In the note, the same letters are
text (SkipAction: the key goes on to the field)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction
from textual.widgets import Input, TextArea

from dutydesk.screens.keys_after import act_after_keys

if TYPE_CHECKING:
    from dutydesk.screens.base import DeskScreen


def note_after_keys(screen: DeskScreen[Any], action: str, asking: bool) -> None:
    """Run `action` after the keys already on their way to the checklist, holding those typed
    after it (DeskApp.hold_keys) until it has run: they go to the note it opened."""
    if asking or isinstance(screen.focused, Input | TextArea):
        raise SkipAction()
    act_after_keys(screen, action)
