"""After a refusal the cursor goes to the field the message names (QA: it stayed where it was, so
a PIN typed fast after a refused name or reason landed, in clear, in the field after it).

A dialog maps the refusals its service gives to its fields: by the refusal's catalogue key (a
key ending in "." stands for every key under it, as "handover_pin." for every PIN refusal), by
the field of each problem of a ValidationFailed, and else by the value the refusal names (a
person's name, a date as typed), found in the field that holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Input

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

    from dutydesk.errors import DutyError

NAMED_PARAMS = ("name", "value")  # a refusal's parameters that carry what was typed


def field_for_key(key: str, fields: dict[str, str]) -> str | None:
    """The selector `fields` gives for catalogue key `key` (exactly, or under a prefix)."""
    if key in fields:
        return fields[key]
    prefixes = [prefix for prefix in fields if prefix.endswith(".") and key.startswith(prefix)]
    return fields[max(prefixes, key=len)] if prefixes else None


def refused_field(screen: Screen[Any], error: DutyError, fields: dict[str, str]) -> Widget | None:
    """The widget of `screen` that `error` names, or None when it names none of them. Run on
    the UI thread (it reads the fields)."""
    from dutydesk.errors import ValidationFailed

    keys = error.fields if isinstance(error, ValidationFailed) else [error.key]
    for key in keys:
        selector = field_for_key(key, fields)
        if selector is not None and (found := screen.query(selector)):
            return found.first()
    for param in NAMED_PARAMS:
        value = error.params.get(param)
        if not isinstance(value, str) or not value.strip():
            continue
        for field in screen.query(Input).results(Input):
            if not field.password and field.value.strip() == value.strip():
                return field
    return None


def focus_refused(screen: Screen[Any], error: DutyError, fields: dict[str, str]) -> None:
    """Take the cursor to the field `error` names, if it names one; a PIN refused is emptied,
    to be typed anew (not added to the refused one)."""
    widget = refused_field(screen, error, fields)
    if widget is None or not widget.focusable:
        return
    if isinstance(widget, Input) and widget.password:
        widget.value = ""
    widget.focus()
    widget.scroll_visible(animate=False)
