"""Issue 12 (1): characters the desk now refuses (terminal escapes, bidi overrides, zero-width
characters) may still be in a register written by an older version. Such rows are written here
straight into the database, as that version would have; every screen still opens, nothing
crashes, and none of those characters reaches the terminal: they are shown as pictures or
<U+XXXX>. Then Hypothesis: any text at all goes through the one helper harmlessly."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql
from textual.app import App
from textual.widgets import DataTable, Static

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from dutydesk.services.core.desk import init_database, open_desk
from dutydesk.widgets.countdown_table import CountdownTable
from dutydesk.widgets.literal import literal, one_line, visible
from tests import hostile as h
from tests.conftest import T0
from tests.support_people import authority_for

SIZE = (160, 40)  # the board's columns wide enough for the incident's place
OFFICE = h.SGR + h.CLEAR + "办"
PERSON = h.RLO + h.ZWSP
UNIT = h.RLO + "镇" + h.BELL
PLACE = h.CLEAR + h.RLO
PERSON_SHOWN = visible(PERSON)[:14]  # the header cuts names to 20 cells


def _normal_records(desk):
    """What today's services accept: the rows copied below with older text."""
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
    from dutydesk.services.roster.people import add_person, find_person
    from dutydesk.services.roster.shifts import open_shift
    from dutydesk.services.spotcheck.units import UnitDraft, add_unit

    since = date(2024, 1, 1)
    add_person(desk, "张伟", "officer", in_post_since=since, authority=authority_for(desk))
    add_person(desk, "王建国", "leader", in_post_since=since, authority=authority_for(desk))
    open_shift(desk, "张伟", leader="王建国")
    officer = find_person(desk, "张伟")
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-66000000",
                              summary="人民路积水", follow_up=True), officer)  # fmt: skip
    add_unit(desk, UnitDraft("城关镇", "township", "0371-66000001"))
    draft = IncidentDraft(type="accident", level="III", occurred_at=desk.now(), place="人民路",
                          summary="燃气管道破裂")  # fmt: skip
    return officer, record_incident(desk, draft, officer)


def _older_rows(desk, officer, incident) -> None:
    from sqlmodel import select

    from dutydesk.db import read_session, write_session
    from dutydesk.models import CallRecord, Deadline, Incident, PendingItem, Person, Shift
    from dutydesk.models.spotcheck import SpotcheckUnit
    from dutydesk.services.roster.shifts import current_shift

    with write_session(desk.engine) as session:  # append-only since 0014: trigger dropped
        connection = session.connection()
        guard = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'office_no_update'"
        ).scalar_one()
        connection.exec_driver_sql("DROP TRIGGER office_no_update")
        connection.execute(sql("UPDATE office SET name = :name"), {"name": OFFICE})
        connection.exec_driver_sql(guard)
    person = h.insert_copy(desk, Person, officer.id, name=PERSON)
    h.insert_copy(desk, Shift, current_shift(desk).id, officer_id=person)
    call = h.insert_copy(desk, CallRecord, 1, number="2026-000002", seq=2, caller=h.SGR,
                         unit=h.RLO, summary=h.CLEAR + h.BELL + h.ZWSP + h.BOM,
                         handling=h.SGR, recorded_by_id=person)  # fmt: skip
    h.insert_copy(desk, PendingItem, 1, text=h.RLO + h.CLEAR, call_id=call)
    h.insert_copy(desk, SpotcheckUnit, 1, name=UNIT)
    copied = h.insert_copy(desk, Incident, incident.id, place=PLACE, summary=h.SGR)
    with read_session(desk.engine) as session:
        deadlines = session.exec(select(Deadline).where(Deadline.incident_id == incident.id))
        ids = [deadline.id for deadline in deadlines]
    for deadline_id in ids:
        h.insert_copy(desk, Deadline, deadline_id, incident_id=copied)


@pytest.fixture
def older(db_path, clock):
    desk = init_database(db_path, "测试办", "district", FrozenClock(T0))
    officer, incident = _normal_records(desk)
    _older_rows(desk, officer, incident)
    desk.close()
    desk = open_desk(db_path, clock)
    yield desk
    desk.close()


def _harmless(app, *shown: str) -> None:
    painted = h.screen_text(app)
    for raw in h.RAW:
        assert raw not in painted, f"{raw!r} reached the screen of {type(app.screen).__name__}"
    for text in shown:
        assert visible(text) in painted, text


async def _visit(app, pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await app.workers.wait_for_complete()  # screens read the register in workers
    await pilot.pause()


async def test_an_older_registers_escapes_and_overrides_are_shown_not_obeyed(older, clock):
    from dutydesk.screens.handover_sign import SignOffScreen
    from dutydesk.services.roster.people import find_person
    from dutydesk.services.spotcheck.spotcheck import start_round

    start_round(older, find_person(older, "张伟"), count=2)  # both units, the older one too
    app = make_app(older.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "CallsScreen"
        _harmless(app, h.SGR, h.RLO, visible(OFFICE)[:20], PERSON_SHOWN)
        assert "␛[2J" in h.screen_text(app)  # the picture of ESC, not the escape
        app.screen.open_detail("2026-000002")
        await app.workers.wait_for_complete()
        await pilot.pause()
        _harmless(app, h.CLEAR + h.BELL + h.ZWSP + h.BOM, PERSON)
        await _visit(app, pilot, "ctrl+e")
        assert type(app.screen).__name__ == "AmendScreen"
        _harmless(app, h.SGR)
        await _visit(app, pilot, "escape", "escape", "f3")
        _harmless(app, PLACE)
        board = app.screen.query_one(CountdownTable)
        whats = [board.cell_text(row, "what") for row in range(board.row_count)]
        board.cursor_row = next(i for i, what in enumerate(whats) if visible(PLACE) in what)
        await _visit(app, pilot, "ctrl+t")
        assert type(app.screen).__name__ == "TextDialog"
        _harmless(app, PLACE, h.SGR)
        await _visit(app, pilot, "escape", "ctrl+g")
        assert type(app.screen).__name__ == "RegradeDialog"
        _harmless(app, PLACE)
        await _visit(app, pilot, "escape", "f4")
        _harmless(app, UNIT)
        table = app.screen.query_one("#spotcheck-units", DataTable)
        table.move_cursor(row=[str(key.value) for key in table.rows].index(UNIT))
        await _visit(app, pilot, "enter")
        assert type(app.screen).__name__ == "OutcomeScreen"
        _harmless(app, UNIT)
        await _visit(app, pilot, "escape", "f5")
        _harmless(app, PERSON, h.RLO + h.CLEAR)
        app.push_screen(SignOffScreen(PERSON))
        await pilot.pause()
        _harmless(app, PERSON)
        await _visit(app, pilot, "escape")
        app.ask_open_shift()
        await pilot.pause()
        _harmless(app, PERSON)
        await _visit(app, pilot, "escape", "f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"
        _harmless(app, PERSON)
        people = app.screen.query_one("#people-table", DataTable)
        people.move_cursor(row=[str(key.value) for key in people.rows].index(PERSON))
        await _visit(app, pilot, "ctrl+r")  # set or reset the PIN: the dialog names the person
        assert type(app.screen).__name__ == "SetPinDialog"
        _harmless(app, PERSON)
    assert app.return_code in (None, 0)


NEUTRALISED = {"Cc", "Cf", "Cs", "Zl", "Zp"}


@given(st.text())
def test_visible_leaves_no_character_that_acts_on_the_terminal(value):
    shown = visible(value)
    assert all(c in "\n\t" or unicodedata.category(c) not in NEUTRALISED for c in shown)
    assert visible(shown) == shown  # already harmless text is left as it is
    assert "\n" not in one_line(value) and "\t" not in one_line(value)
    cut = literal(value, width=12)
    assert cut.cell_len <= 12 and "\n" not in cut.plain


class _Cell(App[None]):
    """The three ways user text is put on a screen: a Static, a table cell, a border title."""

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def compose(self):
        static = Static(literal(self.value), id="static")
        static.styles.border = ("round", "white")
        static.border_title = literal(self.value, width=20)
        yield static
        yield DataTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("x", key="x")
        table.add_row(literal(self.value, width=30))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60) | st.sampled_from([*h.MARKUP, *h.REFUSED]))
async def test_any_text_is_painted_literally(value):
    app = _Cell(value)
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        painted = h.screen_text(app)
        cell = app.query_one(DataTable).get_cell_at((0, 0))
    assert cell.plain == literal(value, width=30).plain
    assert not any(raw in painted for raw in h.RAW)
    first = one_line(value)[:8].strip()
    if first and all(unicodedata.east_asian_width(c) != "A" for c in first):
        assert first.split()[0] in painted
