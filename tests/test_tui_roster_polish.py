"""The roster screen's QA leftovers: at 120 columns the notes column shows every kind of
conflict a shift has, whole (QA #7: one, cut), zh and en; the 替岗 dialog's answer to Ctrl+S is
in sight at 80x24 (QA #8: said below the fold)."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.roster import (
    assign,
    current_shift,
    file_roster,
    generate_month,
    month_roster,
    month_roster_id,
)
from tests.roster_support import PLANNER, staff

NOTES_COLUMN = 6


async def _ready(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _roster_screen(app, pilot):
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "OpenShiftScreen"  # nobody on duty: asked first
    await pilot.press("escape")
    await pilot.press("f7")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "RosterScreen"
    return app.screen


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_kind_of_conflict_of_a_shift_shows_whole_at_120_columns(bare_desk, clock, lang):
    desk = bare_desk
    staff(desk, leaders=1, officers=2)  # rest conflicts nearly every shift, some two
    made = generate_month(desk, 2026, 11, seed=3, by=PLANNER)
    flagged = next(c for d in month_roster(desk, 2026, 11).days for c in d.cells if c.conflicts)
    assign(desk, made.roster_id, flagged.day, flagged.slot_code, "leader", None, by=PLANNER)
    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _roster_screen(app, pilot)
        grid = screen.query_one("#roster-grid", DataTable)
        columns = list(grid.columns.values())
        before_notes = sum(column.get_render_width(grid) for column in columns[:NOTES_COLUMN])
        room = grid.scrollable_content_region.width - before_notes - 2 * grid.cell_padding
        flagged = [row for row in screen.rows if row.conflicts]
        assert len(flagged) >= 10
        assert any(len(row.conflicts) > 1 for row in flagged)
        for n, row in enumerate(screen.rows):
            if not row.conflicts:
                continue
            notes = grid.get_cell_at((n, NOTES_COLUMN))
            assert isinstance(notes, Text)
            assert notes.cell_len <= room, (str(notes), room)
            assert notes.plain.count("⚠") >= 1 and "…" not in notes.plain
            for conflict in row.conflicts:
                named = next(
                    (name for name in row.names.values() if name and name in conflict), None
                )
                if named:  # the person concerned is coloured in their seat
                    seat = list(row.names.values()).index(named)
                    assert grid.get_cell_at((n, 3 + seat)).style
        many = next(n for n, row in enumerate(screen.rows) if len(row.conflicts) > 1)
        shown = str(grid.get_cell_at((many, NOTES_COLUMN)))
        assert "×" in shown or shown.count("⚠") > 1  # each conflict counted, not one


async def test_the_change_dialogs_answer_to_ctrl_s_is_in_sight_at_80x24(bare_desk, clock, tmp_path):
    desk = bare_desk
    staff(desk, leaders=3, officers=5)
    assert current_shift(desk) is None
    generate_month(desk, 2026, 12, seed=3, by=PLANNER)
    file_roster(desk, month_roster_id(desk, 2026, 12, PLANNER), sent_to="市政府总值班室",
                channel="fax", by=PLANNER, out_dir=tmp_path)  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _roster_screen(app, pilot)
        await pilot.press("pagedown")  # December 2026
        await _ready(app, pilot)
        app.screen.query_one("#roster-grid", DataTable).focus()
        await pilot.press("right", "right", "right", "right")  # 12-01 day, the officer's seat
        await pilot.press("ctrl+t")
        await _ready(app, pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "ChangeDialog"
        await pilot.press("ctrl+s")  # nothing filled in: refused
        await _ready(app, pilot)
        status = dialog.query_one(".dialog-status", Static)
        assert str(status.render()) == t("roster_change.no_approver")
        box = dialog.query_one("VerticalScroll")
        assert status.region and box.scrollable_content_region.contains_region(status.region)


async def test_filing_a_roster_with_flagged_conflicts_says_how_many_stand(desk, clock):
    """Breaker #10: two officers leave rest conflicts in a generated month; filing it said
    nothing of them. The confirmation says how many stand, as the grid counts them."""
    staff(desk, leaders=1, officers=1)  # with the register's own: two officers, two leaders
    generate_month(desk, 2026, 12, seed=3, by=PLANNER)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        await pilot.press("f7")
        await _ready(app, pilot)
        screen = app.screen
        await pilot.press("pagedown")  # December 2026
        await _ready(app, pilot)
        standing = sum(len(row.conflicts) for row in screen.rows)
        assert standing >= 10 and not any(row.blocking for row in screen.rows)
        await pilot.press("ctrl+f")
        await _ready(app, pilot)
        await pilot.press(*"市政府总值班室")
        await pilot.press("ctrl+s")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        said = str(screen.query_one("#roster-status", Static).render())
        assert t("roster_standing.line", count=standing) in said
