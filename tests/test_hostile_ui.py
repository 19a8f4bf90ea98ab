"""Issue 12 (1): user text is shown literally on every screen. One register holds the hostile
corpus (tests/hostile.py) in every text field of every record type, stored through the services;
each test drives some screens of it in Pilot and looks at what is painted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from textual.widgets import DataTable, Input, Static

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from dutydesk.services.core.desk import init_database, open_desk
from tests import hostile as h
from tests.conftest import T0
from tests.support_people import authority_for
from tests.support_template import copy_register

SIZE = (160, 60)  # tall enough for every hostile call in the list
CALL_TEXTS = (*h.MARKUP, h.LONG)
OFFICE = h.STYLED + "办"
UNITS = (h.CLICK, h.LINK, h.INDEXED, h.MIXED)


def _people_and_calls(desk):
    from dutydesk.services.calls.calls import CallDraft, amend_call, save_call
    from dutydesk.services.roster.people import add_person, find_person
    from dutydesk.services.roster.shifts import open_shift

    since = date(2024, 1, 1)
    add_person(desk, h.CLOSE_ALL, "officer", in_post_since=since, authority=authority_for(desk))
    add_person(desk, h.STYLED, "leader", in_post_since=since, authority=authority_for(desk))
    open_shift(desk, h.CLOSE_ALL, leader=h.STYLED)
    officer = find_person(desk, h.CLOSE_ALL)
    for index, summary in enumerate(CALL_TEXTS):
        caller = h.MARKUP[index % len(h.MARKUP)][:14]
        draft = CallDraft(caller=caller, unit=h.INDEXED, phone="0371-66000000", summary=summary,
                          handling=h.DOLLARS, follow_up=index == 0)  # fmt: skip
        save_call(desk, draft, officer)
    amend_call(desk, "2026-000002", h.UNBALANCED, {"handling": h.VARIABLE, "place": h.LINK},
               officer)  # fmt: skip
    return officer


def _incident_and_reports(desk, officer) -> None:
    from dutydesk.services.incidents.incident_regrade import regrade_incident
    from dutydesk.services.incidents.incident_reports import record_report
    from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
    from dutydesk.services.incidents.instructions import add_instruction, feed_back
    from dutydesk.services.incidents.verifications import add_verification, reply_verification

    now = desk.now()
    draft = IncidentDraft(type="accident", level="III", occurred_at=now, place=h.LINK,
                          summary=h.STYLED + h.LONG, scope=h.INDEXED, measures=h.CLICK,
                          next_steps=h.UNCLOSED, source_caller=h.ESCAPED, source_unit=h.MIXED,
                          reporter=h.CLOSE_ALL, reviewer=h.DOLLARS)  # fmt: skip
    record_incident(desk, draft, officer)  # left open: on the board
    incident = record_incident(
        desk, replace(draft, place=h.EMOJI), officer
    )  # reported and re-graded
    assert incident.id is not None
    record_report(desk, incident.id, "first", officer, to_whom=h.STYLED, phoned_at=now,
                  by_whom=h.CLOSE_ALL)  # fmt: skip
    record_report(desk, incident.id, "followup", officer, to_whom=h.VARIABLE, written_at=now,
                  by_whom=h.BACKSLASHES)  # fmt: skip
    regrade_incident(desk, incident.id, "II", h.CLOSING_TAG, officer)
    instruction = add_instruction(desk, officer, received_at=now, leader=h.STYLED, text=h.CLICK,
                                  passed_to=h.LINK, incident_id=incident.id)  # fmt: skip
    feed_back(desk, instruction.id, officer, text=h.UNBALANCED)
    verification = add_verification(desk, officer, received_at=now, subject=h.LINK,
                                    requested_by=h.CLOSING_TAG)  # fmt: skip
    reply_verification(desk, verification.id, officer, channel="phone", replied_at=now,
                       content=h.ESCAPED, by_whom=h.INDEXED)  # fmt: skip


def _spotcheck_and_handover(desk, officer) -> None:
    from dutydesk.services.handover.handover import mark
    from dutydesk.services.handover.handover_checklist import build_checklist
    from dutydesk.services.spotcheck.spotcheck import record_outcome, start_round
    from dutydesk.services.spotcheck.units import UnitDraft, add_unit

    for index, name in enumerate(UNITS):
        add_unit(desk, UnitDraft(name, "township", f"0371-6600{index:04d}"))
    drawn = start_round(desk, officer, count=len(UNITS))
    record_outcome(desk, drawn.id, h.CLICK, officer, method=desk.profile.spotcheck.methods[0],
                   answered=True, answered_by=h.STYLED, on_roster=False, note=h.LINK)  # fmt: skip
    items = build_checklist(desk).items
    device = next(item for item in items if item.kind == "device")
    check = next(item for item in items if item.kind == "check")
    mark(desk, "summary", "done", h.STYLED + h.LONG)
    mark(desk, device.key, "fault", h.CLICK)
    mark(desk, check.key, "not_done", h.LINK)


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite3"
    desk = init_database(path, OFFICE, "district", FrozenClock(T0))
    officer = _people_and_calls(desk)
    _incident_and_reports(desk, officer)
    _spotcheck_and_handover(desk, officer)
    desk.close()
    return path


@pytest.fixture
def hostile(hostile_template, db_path, clock):
    copy_register(hostile_template, db_path)
    desk = open_desk(db_path, clock)
    yield desk
    desk.close()


async def _start(app, pilot, key: str | None = None) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    if app.screen.__class__.__name__ == "OpenShiftScreen":
        await pilot.press("escape")
    if key:
        await pilot.press(key)
    await pilot.pause()


def _plain_cells(table: DataTable, column: str) -> list[str]:
    return [table.get_cell(row, column).plain for row in table.rows]


async def _click_is_harmless(app, pilot, text: str) -> None:
    where = h.position_of(app, text)
    assert where is not None, f"{text!r} is not on the screen"
    await pilot.click(offset=(where[0] + len(text) - 4, where[1]))  # on the "z" of the text
    await pilot.pause()
    assert app.is_running and app.return_code is None


async def test_calls_list_detail_correction_and_header_show_the_text_as_typed(hostile, clock):
    app = make_app(hostile.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot)
        assert type(app.screen).__name__ == "CallsScreen"
        text = h.screen_text(app)
        for shown in (OFFICE, h.CLOSE_ALL, h.STYLED, *h.MARKUP):  # header and list
            assert shown in text, shown
        table = app.screen.query_one("#calls-table", DataTable)
        summaries = _plain_cells(table, "summary")
        assert set(h.MARKUP) <= set(summaries)
        assert h.LONG[:20] in text and any(s.endswith("…") for s in summaries)  # cut, not wrapped
        await _click_is_harmless(app, pilot, h.CLICK)

        app.screen.open_detail("2026-000002")
        await app.workers.wait_for_complete()  # the call is read in a worker
        await pilot.pause()
        detail = str(app.screen.query_one("#detail-current", Static).render())
        assert h.CLOSE_ALL in detail and h.INDEXED in detail and h.VARIABLE in detail
        assert h.LINK in detail  # the place (地点), a link's markup shown as typed
        text = h.screen_text(app)
        assert h.UNBALANCED in text and h.VARIABLE in text  # the correction's reason, new text
        await pilot.press("ctrl+e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "AmendScreen"
        assert app.screen.query_one("#f-unit", Input).value == h.INDEXED
        assert app.screen.query_one("#f-handling", Input).value == h.VARIABLE
        assert app.screen.query_one("#f-place", Input).value == h.LINK
        assert h.INDEXED in h.screen_text(app)
        await pilot.press("escape", "escape")
        app.ask_open_shift()  # the names in the choice of who is on duty
        await pilot.pause()
        assert h.CLOSE_ALL in h.screen_text(app) and h.STYLED in h.screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_board_draft_and_regrade_show_the_text_as_typed(hostile, clock):
    from dutydesk.widgets.countdown_table import CountdownTable

    app = make_app(hostile.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot, "f3")
        board = app.screen.query_one("#board", CountdownTable)
        whats = [board.cell_text(row, "what") for row in range(board.row_count)]
        assert any(h.LINK in what for what in whats)  # the incident's place in its label
        assert h.LINK[:20] in h.screen_text(app)  # the column is narrowed to fit: "…"
        board.cursor_row = next(i for i, what in enumerate(whats) if "事件" in what)
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        assert type(app.screen).__name__ == "TextDialog"
        body = app.screen.query_one("#text-dialog-body").text
        for shown in (h.LINK, h.STYLED, h.INDEXED, h.CLICK, h.UNCLOSED):
            assert shown in body, shown
        assert h.LINK in h.screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await app.workers.wait_for_complete()  # the board reads in a worker
        await pilot.pause()
        assert type(app.screen).__name__ == "RegradeDialog"
        assert h.LINK in h.screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_spotcheck_table_and_outcome_dialog_show_the_text_as_typed(hostile, clock):
    app = make_app(hostile.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot, "f4")
        await app.workers.wait_for_complete()  # the screen reads in a worker
        await pilot.pause()
        table = app.screen.query_one("#spotcheck-units", DataTable)
        assert set(_plain_cells(table, "unit")) == set(UNITS)
        assert "[bold red] …" in _plain_cells(table, "answered_by")  # who answered, cut to 12
        text = h.screen_text(app)
        for shown in UNITS:
            assert shown in text, shown
        await _click_is_harmless(app, pilot, h.CLICK)
        table.move_cursor(row=_plain_cells(table, "unit").index(h.CLICK))
        await pilot.press("ctrl+e")  # its result stands: the dialog opens to correct it
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "OutcomeScreen"
        assert h.CLICK in h.screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_handover_list_note_and_sign_dialog_show_the_text_as_typed(hostile, clock):
    from dutydesk.screens.handover_sign import SignOffScreen

    app = make_app(hostile.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _start(app, pilot, "f5")
        assert type(app.screen).__name__ == "HandoverScreen"
        text = h.screen_text(app)
        for shown in (h.CLICK, h.LINK, h.CLOSE_ALL, h.CLOSING_TAG[:5]):  # notes, officer, item
            assert shown in text, shown
        await pilot.press("s")  # the summary, to edit: its text as stored
        await pilot.pause()
        assert app.screen.query_one("#handover-note", Input).value == h.STYLED + h.LONG
        await pilot.press("escape")
        app.push_screen(SignOffScreen(h.CLOSE_ALL))
        await pilot.pause()
        assert app.screen.query_one("#sign-name", Input).value == h.CLOSE_ALL
        assert h.CLOSE_ALL in h.screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (None, 0)
