"""The calls list's marks (已核实, 待办, 已更正) and the call's detail: the column cut 待办 after
已核实 and 已更正, there was none at 80 columns, and the detail did not say 需跟进 (new officer,
session 17). Where the words do not fit, every row takes the short marks (核 办 更); at 80
columns the column comes with the first mark listed, its content still at least SUMMARY_MIN."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.calls.calls import CallDraft, amend_call, save_call
from dutydesk.widgets.call_list import CAPS, SUMMARY_MIN, CallTable
from tests.hostile import screen_text

MARKS = ("mark_verified", "mark_follow_up", "mark_amended")


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _save(desk, officer, *, verified=False, follow_up=False, amended=False) -> str:
    view = save_call(desk, CallDraft(caller="市政府总值班室", unit="市政府总值班室",
                                     phone="0371-66000000", summary="要求核实网传东关街道塌方信息",
                                     category="instruction", verified=verified,
                                     follow_up=follow_up), officer)  # fmt: skip
    if amended:
        amend_call(desk, view.number, "更正电话", {"phone": "0371-66000001"}, officer)
    return view.number


def _marks_of(table: CallTable) -> dict[str, str]:
    """Each listed call's marks cell, by its number."""
    index = list(table.columns).index("marks")
    return {number: str(table.get_row(number)[index]) for number in table.shown_numbers()}


def _fits(table: CallTable) -> None:
    columns = table.ordered_columns
    assert columns[-1].key.value == "summary" and columns[-1].width >= SUMMARY_MIN
    assert sum(column.get_render_width(table) for column in columns) <= table.size.width


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_mark_is_shown_whole_at_120_columns(desk, clock, officer, lang):
    every = _save(desk, officer, verified=True, follow_up=True, amended=True)
    pending = _save(desk, officer, follow_up=True)
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        shown = _marks_of(table)
        short = [t(f"calls_screen.{mark}_short") for mark in MARKS]
        assert shown[every] == "".join(short), shown  # all three, none cut
        assert shown[pending] == short[1]  # the same marks on every row
        assert "…" not in "".join(shown.values())
        _fits(table)


async def test_the_words_stay_where_they_fit(desk, clock, officer):
    number = _save(desk, officer, verified=True, follow_up=True)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        assert _marks_of(table)[number] == "已核实 待办"
        assert table.columns["marks"].width <= CAPS["marks"]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_at_80_columns_the_marks_come_with_the_first_call_marked(desk, clock, officer, lang):
    plain = _save(desk, officer)
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        assert "marks" not in table.columns  # no call marked: the content keeps the cells
        every = _save(desk, officer, verified=True, follow_up=True, amended=True)
        app.screen.refresh_calls()
        await _settle(app, pilot)
        shown = _marks_of(table)
        assert shown[every] == "".join(t(f"calls_screen.{mark}_short") for mark in MARKS)
        assert shown[plain] == ""
        heading = str(table.columns["marks"].label)
        assert heading == t("column.marks_short")
        _fits(table)


@pytest.mark.parametrize(("lang", "said"), [("zh", "需跟进：是"), ("en", "Follow-up: yes")])
async def test_the_calls_detail_says_whether_it_needs_follow_up(desk, clock, officer, lang, said):
    _save(desk, officer, follow_up=True)
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#calls-table", DataTable).focus()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert type(app.screen).__name__ == "CallDetailScreen"
        detail = str(app.screen.query_one("#detail-current", Static).render())
        assert said in detail.splitlines(), detail


async def test_an_outgoing_calls_detail_names_the_person_called(desk, clock, officer):
    """New officer, session 18: a 去电's detail said 来电人 where its form says 受话人."""
    save_call(desk, CallDraft(caller="周丽", unit="城关镇", phone="0371-66000000",
                              summary="通知明日检查", direction="out"), officer)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(app, pilot)
        app.screen.query_one("#calls-table", DataTable).focus()
        await pilot.press("enter")
        await _settle(app, pilot)
        detail = str(app.screen.query_one("#detail-current", Static).render()).splitlines()
        assert "受话人：周丽" in detail and not any(line.startswith("来电人") for line in detail)


def _title(table: CallTable) -> str:
    return str(table.border_title or "")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_short_marks_come_with_their_legend_over_the_list(desk, clock, officer, lang):
    _save(desk, officer, verified=True, follow_up=True, amended=True)
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        title = _title(app.screen.query_one(CallTable))
        for mark in MARKS:  # each character beside its words (核 已核实 ...)
            assert f"{t(f'calls_screen.{mark}_short')} {t(f'calls_screen.{mark}')}" in title
        short, word = t("calls_screen.mark_follow_up_short"), t("calls_screen.mark_follow_up")
        assert f"{short} {word}" in screen_text(app)  # drawn (a subtitle was not: no bottom border)


async def test_no_legend_while_the_marks_are_words_or_none(desk, clock, officer):
    _save(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        assert "已核实" not in _title(app.screen.query_one(CallTable))  # no call marked
    _save(desk, officer, verified=True, follow_up=True)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(CallTable)
        assert "已核实 待办" in _marks_of(table).values() and "核 已核实" not in _title(table)
