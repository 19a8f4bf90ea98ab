"""A call's place (地点, Henan 6(2): "事件发生时间、地点、事件、来电人(责任单位)等要素要记录齐全"):
optional, validated as free text, searchable, correctable by amendment, in 电话记录.csv, and
chained so that older rows without a place still verify."""

from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing

import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.archive.verify import CHANGED, verify_register
from dutydesk.services.calls.call_csv import CALL_COLUMNS, call_rows
from dutydesk.services.calls.call_views import call_to_json
from dutydesk.services.calls.calls import CallDraft, amend_call, get_call, list_calls, save_call
from dutydesk.services.core.spreadsheet import safe_rows
from dutydesk.services.roster.shifts import current_shift
from tests import hostile
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)

PLACE = "人民路与建设路交叉口"


def draft(**overrides: object) -> CallDraft:
    values: dict[str, object] = {
        "caller": "李红",
        "unit": "城关镇",
        "phone": "0371-66000000",
        "summary": "积水约30厘米，已设置警示标志",
    }
    values.update(overrides)
    return CallDraft(**values)  # type: ignore[arg-type]


def fields_of(problem: ValidationFailed) -> set[str]:
    return {p.field for p in problem.problems}


def test_a_place_is_stored_shown_and_optional(desk, officer):
    with_place = save_call(desk, draft(place=PLACE), officer)
    without = save_call(desk, draft(), officer)
    view, history = get_call(desk, with_place.number)
    assert view.place == PLACE and history[0].place == PLACE
    assert get_call(desk, without.number)[0].place == ""
    assert without.place is None  # nothing typed: nothing stored
    assert call_to_json(view, desk.timezone)["place"] == PLACE


@pytest.mark.parametrize("bad", hostile.REFUSED)
def test_a_place_with_control_or_invisible_characters_is_refused(desk, officer, bad):
    with pytest.raises(ValidationFailed) as refused:
        save_call(desk, draft(place=bad), officer)
    assert fields_of(refused.value) == {"place"}
    assert list_calls(desk) == []


def test_a_place_is_one_line_of_at_most_200_characters(desk, officer):
    for bad in ("第一行\n第二行", "路" * 201):
        with pytest.raises(ValidationFailed) as refused:
            save_call(desk, draft(place=bad), officer)
        assert fields_of(refused.value) == {"place"}
    assert save_call(desk, draft(place="路" * 200), officer).place == "路" * 200


@pytest.mark.parametrize("text", hostile.MARKUP)
def test_markup_in_a_place_is_kept_exactly(desk, officer, text):
    record = save_call(desk, draft(place=text), officer)
    assert get_call(desk, record.number)[0].place == text


@pytest.mark.parametrize("term", ["建设路", "交叉口", "建设", "人民路 交叉"])
def test_calls_are_found_by_their_place(desk, officer, term):
    found = save_call(desk, draft(place="人民路与建设路交叉口", summary="积水"), officer)
    save_call(desk, draft(place="新华街", summary="停电"), officer)
    save_call(desk, draft(summary="路灯不亮"), officer)
    assert [view.number for view in list_calls(desk, search=term)] == [found.number]


def test_a_correction_can_set_change_or_blank_the_place(desk, officer):
    original = save_call(desk, draft(), officer)
    amend_call(desk, original.number, "补记地点", {"place": PLACE}, officer)
    assert get_call(desk, original.number)[0].place == PLACE
    amend_call(desk, original.number, "地点有误", {"place": "新华街"}, officer)
    view, history = get_call(desk, original.number)
    assert view.place == "新华街"
    assert [row.place for row in history] == ["", PLACE, "新华街"]
    with pytest.raises(DutyError):  # the same place again changes nothing
        amend_call(desk, original.number, "再改", {"place": "新华街"}, officer)
    with pytest.raises(ValidationFailed):
        amend_call(desk, original.number, "再改", {"place": hostile.SGR}, officer)
    assert [view.number for view in list_calls(desk, search="新华街")] == [original.number]


def test_the_place_is_a_column_of_the_call_register_csv(desk, officer):
    save_call(desk, draft(place='=HYPERLINK("http://x")'), officer)
    save_call(desk, draft(), officer)
    rows = call_rows(desk, current_shift(desk))
    column = CALL_COLUMNS.index("place")
    assert [row[column] for row in rows] == ['=HYPERLINK("http://x")', ""]
    out = io.StringIO()
    csv.writer(out).writerows(safe_rows(rows))
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[column] == '\'=HYPERLINK("http://x")'  # shown as text, never run


def test_a_place_is_chained_and_changing_it_behind_the_desks_back_is_found(desk, officer):
    with_place = save_call(desk, draft(place=PLACE), officer)
    without = save_call(desk, draft(), officer)
    assert verify_register(desk.path).ok
    with closing(sqlite3.connect(desk.path)) as conn, conn:
        conn.execute("DROP TRIGGER call_record_no_update")
        conn.execute("UPDATE call_record SET place = '别处' WHERE id = ?", (with_place.id,))
        conn.execute("UPDATE call_record SET place = '补上' WHERE id = ?", (without.id,))
    report = verify_register(desk.path)
    changed = {(f.problem, f.record_id) for f in report.findings}
    assert changed == {(CHANGED, with_place.id), (CHANGED, without.id)}


def _migrate(path, target: str, down: bool = False) -> None:
    from alembic import command

    from dutydesk.db import alembic_config, make_engine

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            step = command.downgrade if down else command.upgrade
            step(alembic_config(connection), target)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def _columns(path, table: str) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def test_calls_written_before_the_place_column_still_verify_and_are_found(desk, officer):
    """A register at 0011 (no place column) with calls in it: after the upgrade every old row
    verifies as before, holds no place, and the rebuilt search index still finds it."""
    old = save_call(desk, draft(summary="变压器冒烟"), officer)
    desk.close()
    _migrate(desk.path, "0011", down=True)
    assert "place" not in _columns(desk.path, "call_record")
    assert verify_register(desk.path).ok
    _migrate(desk.path, "heads")
    assert "place" in _columns(desk.path, "call_record")
    report = verify_register(desk.path)
    assert report.ok and "call_record" in report.tables
    from dutydesk.services.core.desk import open_desk

    again = open_desk(desk.path, desk.clock)
    try:
        assert [v.number for v in list_calls(again, search="变压器")] == [old.number]
        assert get_call(again, old.number)[0].place == ""
        newer = save_call(again, draft(place=PLACE), officer)
        assert [v.number for v in list_calls(again, search="交叉口")] == [newer.number]
        assert verify_register(again.path).ok
    finally:
        again.close()


def test_the_migration_cannot_be_undone_once_a_place_is_recorded(desk, officer):
    save_call(desk, draft(place=PLACE), officer)
    desk.close()
    with pytest.raises(RuntimeError, match="call_record.place"):
        _migrate(desk.path, "0011", down=True)
    assert "place" in _columns(desk.path, "call_record")
    assert verify_register(desk.path).ok
