"""Whether calls kept as pending when an app ended (killed between its commit and its note of
it) are in fact in the register (QA, session 12: one brought back and saved again became a
duplicate). A kept call carries the time stamped at its Ctrl+S, to the second; it is taken as
saved when a call of that second holds the same caller, unit, phone and summary. A kept
correction (screens/amend_draft.py) is taken as saved when the call has a correction line its
dialog was not opened on that gives the same reason and holds the text fields changed as typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk

COMPARED = ("caller", "unit", "phone", "summary")
INSTANT = "received_instant"  # as call_pending keeps it: the time to the microsecond


def already_saved(desk: Desk, kept: Sequence[dict[str, Any]]) -> dict[int, str]:
    """For each kept call (by its index in `kept`) found in the register: its number."""
    from dutydesk.services.calls.calls import list_calls
    from dutydesk.services.core.search import phone_digits

    found: dict[int, str] = {}
    for index, values in enumerate(kept):
        at, exact = _instant(values.get(INSTANT)), True
        if at is None:
            at, exact = _typed_time(desk, values.get("received_at")), False
        if at is None:
            continue
        wanted = {name: str(values.get(name) or "").strip() for name in COMPARED}
        wanted["phone"] = phone_digits(wanted["phone"]) or wanted["phone"]
        for view in list_calls(desk, since=at, limit=500):
            if view.received_at >= at.add(seconds=1) or view.number in found.values():
                continue
            if exact and view.received_at != at:
                continue
            have = {name: str(getattr(view, name) or "").strip() for name in COMPARED}
            have["phone"] = phone_digits(have["phone"]) or have["phone"]
            if have == wanted:
                found[index] = view.number
                break
    return found


def correction_saved(
    desk: Desk,
    number: str,
    seen: Sequence[str],
    reason: str,
    changes: dict[str, Any] | None = None,
) -> str | None:
    """The number of a correction of call `number` in the register that is none of the lines
    `seen` (those its dialog was opened on), gives `reason` and holds each text field of
    `changes` as typed; None if there is none. The fields matter: a reason such as 笔误 is
    often given, and another terminal's correction with it was taken for this one, which was
    then dropped as saved (breaker, session 18)."""
    from dutydesk.services.calls.calls import get_call
    from dutydesk.services.core.search import phone_digits

    _view, history = get_call(desk, number)
    wanted = reason.strip()
    typed = {name: _text(value) for name, value in (changes or {}).items()
             if name in CHANGED_TEXT}  # fmt: skip
    if "phone" in typed:
        typed["phone"] = phone_digits(typed["phone"]) or typed["phone"]
    for line in history:
        if line.amends is None or line.number in seen:
            continue
        if (line.amend_reason or "").strip() != wanted:
            continue
        have = {name: _text(getattr(line, name, "")) for name in typed}
        if "phone" in have:
            have["phone"] = phone_digits(have["phone"]) or have["phone"]
        if have == typed:
            return line.number
    return None


CHANGED_TEXT = ("caller", "unit", "phone", "summary", "handling", "place", "direction", "category")


def _text(value: Any) -> str:
    return str(value or "").strip()


def _instant(text: Any) -> DateTime | None:
    import pendulum

    if not isinstance(text, str):
        return None
    try:
        parsed = pendulum.parse(text)
    except ValueError:  # pendulum's ParserError is one
        return None
    return parsed if isinstance(parsed, pendulum.DateTime) and parsed.tzinfo else None


def _typed_time(desk: Desk, typed: Any) -> DateTime | None:
    from dutydesk.errors import DutyError
    from dutydesk.services.core import parse_time

    if not isinstance(typed, str) or not typed.strip():
        return None
    try:
        return parse_time(typed, desk.timezone, now=desk.now())
    except DutyError:
        return None
