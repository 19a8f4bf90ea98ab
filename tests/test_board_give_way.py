"""The board's columns on a narrow screen: a long citation gives way (down to RULE_KEPT cells)
before the item is cut, and the item before the rest of the citation (new officer, session 16:
the items were cut beside a wide 依据 column of English citations)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult

from dutydesk.screens.deadlines import GIVE_WAY, LIVE_COLUMNS, RULE_KEPT, STATIC_COLUMNS
from dutydesk.widgets.countdown_table import CountdownTable

WHAT = "Phone report · Incident #1 III (major) Accident at No. 12 Renmin Road"
RULE = "District General Incident Information Handling Flow (relatively serious level and above)"


class _Board(App[None]):
    def compose(self) -> ComposeResult:
        columns = [(key, key) for key in (*LIVE_COLUMNS, *STATIC_COLUMNS)]
        yield CountdownTable(columns, len(LIVE_COLUMNS), lambda _key: (Text("ok"), Text("30m")),
                             give_way=GIVE_WAY)  # fmt: skip


def _widths(table: CountdownTable) -> dict[str, int]:
    return dict(zip(table.column_keys, table.widths, strict=True))


async def test_a_long_citation_gives_way_before_the_item():
    app = _Board()
    async with app.run_test(size=(140, 10)) as pilot:
        table = app.query_one(CountdownTable)
        table.set_rows([("d1", (WHAT, "11-23 10:30", "from the event", RULE))])
        await pilot.pause()
        widths = _widths(table)
        assert widths["what"] == cell_len(WHAT)  # the item whole
        assert RULE_KEPT <= widths["rule"] < cell_len(RULE)


async def test_narrower_the_item_is_cut_and_then_the_rest_of_the_citation():
    app = _Board()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(CountdownTable)
        table.set_rows([("d1", (WHAT, "11-23 10:30", "from the event", RULE))])
        await pilot.pause()
        widths = _widths(table)
        assert widths["what"] < cell_len(WHAT)
        assert widths["rule"] <= RULE_KEPT
