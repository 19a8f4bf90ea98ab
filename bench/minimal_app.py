"""The floor for first paint: a minimal Textual app (Header, DataTable, Footer) with the same
title as DutyDesk. `python bench/minimal_app.py`"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class MinimalApp(App[None]):
    TITLE = "值班台"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("登记号", "时间", "内容")


if __name__ == "__main__":
    MinimalApp().run()
