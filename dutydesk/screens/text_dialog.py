"""A read-only text to read or copy out (select with the mouse or the keyboard)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, TextArea

from dutydesk.widgets.bindings import Key, bind_keys


class TextDialog(ModalScreen[None]):
    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        bind_keys(self, [Key("escape", "close", "detail.close")])
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="text-dialog") as box:
            box.border_title = self.title_text
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="text-dialog-body")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
