"""A read-only text to read or copy out (select with the mouse or the keyboard). Shown through
`visible()`: characters that would act on the terminal are shown, not sent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer

from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.inline_keys import DeskTextArea
from dutydesk.widgets.literal import literal, visible

TITLE_WIDTH = 80  # cells: the dialog is 90 wide


class TextDialog(DeskModal[None]):
    BINDINGS = bindings([Key("escape", "close", "detail.close")])

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="text-dialog") as box:
            box.border_title = literal(self.title_text, width=TITLE_WIDTH)
            yield DeskTextArea(
                visible(self.text), read_only=True, soft_wrap=True, id="text-dialog-body"
            )
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
