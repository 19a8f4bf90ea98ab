"""d on the handover checklist (QA session 10: "done/undone toggle?"): one behaviour on every
item — it marks the item done (a device "OK"; the summary and the arrival ask for their text or
time first) and never takes a tick back: on an item already done it records nothing again, says
so (it re-recorded a ticked item and reopened a written summary); the cursor stays on the item
(tests/test_tui_handover_cursor.py). The footer says what it does, and no key is labelled as its
undoing ("Undone" was n, not done with a reason)."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input

from dutydesk.app import make_app
from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import HandoverMark
from dutydesk.services.handover import build_checklist
from dutydesk.services.handover.handover import mark
from tests.test_tui_handover import SIZE, _prepare, _ready, _status


def _marks(desk) -> int:
    with read_session(desk.engine) as session:
        return len(session.exec(select(HandoverMark)).all())


def _to(app, key: str) -> None:
    table = app.screen.query_one("#handover-table", DataTable)
    table.move_cursor(row=table.get_row_index(key))


def _cursor(app) -> str:
    table = app.screen.query_one("#handover-table", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


async def test_d_marks_done_once_and_never_undoes(desk, clock, officer):
    _prepare(desk, clock, officer)
    mark(desk, "summary", "done", "无重大情况")
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        _to(app, "calls")
        await pilot.press("d")
        await _ready(app, pilot)
        assert build_checklist(desk).item("calls").state == "done"
        assert _cursor(app) == "calls"  # stays: Down goes to the next
        written = _marks(desk)

        _to(app, "calls")
        await pilot.press("d")  # again: nothing recorded, nothing undone
        await _ready(app, pilot)
        assert build_checklist(desk).item("calls").state == "done"
        assert _marks(desk) == written
        item = build_checklist(desk).item("calls")
        assert _status(app) == t("handover_done.already", item=item.label(),
                                 state=t("handover_state.done"))  # fmt: skip
        assert _cursor(app) == "calls"

        _to(app, "summary")  # written already: d does not reopen it as if to edit or untick
        await pilot.press("d")
        await _ready(app, pilot)
        assert not app.screen.query_one("#handover-note", Input).display
        assert _marks(desk) == written
        assert build_checklist(desk).item("summary").note == "无重大情况"

        _to(app, "device:fax")  # a device: d is "OK", as the footer says
        await pilot.press("d")
        await _ready(app, pilot)
        assert build_checklist(desk).item("device:fax").state == "ok"


@pytest.mark.parametrize(("lang", "width"), [("en", 80), ("en", 120), ("zh", 80)])
async def test_the_footer_says_what_d_does_and_labels_no_key_undone(desk, clock, lang, width):
    from textual.widgets._footer import FooterKey

    app = make_app(desk.path, clock=clock, lang=lang)
    async with app.run_test(size=(width, 36)) as pilot:
        await _ready(app, pilot)
        await pilot.press("f5")
        await _ready(app, pilot)
        labels = {key.key: key.description for key in app.screen.query(FooterKey)}
    assert labels["d"] in (t("handover_screen.done"), t("handover_screen.done_short"))
    assert "Undone" not in labels.values()
