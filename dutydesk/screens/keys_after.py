"""A screen's letter keys that open something (a note field, a form), acted on as they reach the
app, with the keys typed after them held until it is open. A screen's own bindings are acted on
once the key has gone through the focused widget and the screen back to the app, and the keys of
a burst typed after it went on to the old screen meanwhile: lost, or taken as its own keys (a new
officer's `n` and note on the handover checklist, session 17; `d` and an order's text in the
incident view)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.actions import SkipAction

if TYPE_CHECKING:
    from dutydesk.screens.base import DeskScreen


def act_after_keys(screen: DeskScreen[Any], action: str) -> None:
    """Run the screen's `action` after the keys already on their way to its focused widget (a
    cursor move typed before it), holding those typed after it (DeskApp.hold_keys) until it has
    run: they go to what it opened. The key's binding must be a priority one."""
    from dutydesk.widgets.desk_app import DeskApp

    app = screen.app
    if not isinstance(app, DeskApp):
        raise SkipAction()
    app.hold_keys()

    async def run() -> None:
        try:
            await screen.run_action(action)
        finally:
            app.call_later(app.release_keys)  # after what it opened has taken the focus

    (screen.focused or screen).call_later(run)
