"""The call register's rules, without any screen: numbering, amendments, validation, pending
items and search (Chinese included)."""

from __future__ import annotations

import re
import sqlite3
import threading
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pendulum
import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.calls.calls import (
    CallDraft,
    amend_call,
    get_call,
    list_calls,
    save_call,
)
from dutydesk.services.core.desk import open_desk
from dutydesk.services.handover.pending import close_item, open_items
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)

NUMBER_RE = r"^\d{4}-\d{6}$"


def draft(**overrides: object) -> CallDraft:
    values: dict[str, object] = {
        "caller": "李红",
        "unit": "城关镇",
        "phone": "0371-66000000",
        "summary": "人民路积水约30厘米，已设置警示标志",
    }
    values.update(overrides)
    return CallDraft(**values)  # type: ignore[arg-type]


def raw_rows(path: Path, sql: str, *params: object) -> list[tuple]:
    with closing(sqlite3.connect(path)) as conn, conn:
        return conn.execute(sql, params).fetchall()


def count(path: Path, table: str) -> int:
    return raw_rows(path, f"SELECT COUNT(*) FROM {table}")[0][0]


def numbers(views) -> list[str]:
    return [view.number for view in views]


# ---------------------------------------------------------------- numbering (登记号)


def test_numbers_are_year_dash_six_digits_and_follow_on(desk, officer):
    first = save_call(desk, draft(), officer)
    second = save_call(desk, draft(caller="周涛"), officer)
    assert (first.number, second.number) == ("2026-000001", "2026-000002")
    assert first.year == 2026 and (first.seq, second.seq) == (1, 2)
    assert re.match(NUMBER_RE, first.number)


def test_numbering_restarts_when_shanghai_crosses_into_the_new_year(desk, officer, clock):
    clock.set(pendulum.parse("2026-12-31T23:59:00+08:00"))  # type: ignore[arg-type]
    save_call(desk, draft(), officer)
    last_of_year = save_call(desk, draft(), officer)
    assert last_of_year.number == "2026-000002"
    # 00:01 in Beijing is still 2026-12-31 in UTC: the office's year decides.
    clock.advance(minutes=2)
    assert clock.now().in_timezone("UTC").year == 2026
    first_of_year = save_call(desk, draft(), officer)
    assert first_of_year.number == "2027-000001"
    assert save_call(desk, draft(), officer).number == "2027-000002"
    # the 2026 sequence is kept, not reset or reused
    assert raw_rows(desk.path, "SELECT year, last_value FROM register_sequence ORDER BY year") == [
        (2026, 2),
        (2027, 2),
    ]


def test_numbers_are_never_reused_by_amendments_or_after_a_refused_save(desk, officer):
    original = save_call(desk, draft(), officer)
    amendment = amend_call(desk, original.number, "电话记错", {"phone": "0371-66000001"}, officer)
    with pytest.raises(ValidationFailed):
        save_call(desk, draft(caller=""), officer)
    later = save_call(desk, draft(), officer)
    assert [original.number, amendment.number, later.number] == [
        "2026-000001",
        "2026-000002",
        "2026-000003",
    ]
    all_numbers = [row[0] for row in raw_rows(desk.path, "SELECT number FROM call_record")]
    assert len(all_numbers) == len(set(all_numbers)) == 3
    # the store itself refuses a second line with a number already given
    with pytest.raises(sqlite3.IntegrityError):
        raw_rows(
            desk.path,
            "INSERT INTO call_record (year, seq, number, received_at, recorded_at, direction, "
            "caller, unit, phone, verified, category, summary, handling, follow_up, "
            "recorded_by_id) SELECT 2026, 99, number, received_at, recorded_at, direction, "
            "caller, unit, phone, verified, category, summary, handling, follow_up, "
            "recorded_by_id FROM call_record WHERE id = 1",
        )


def test_two_connections_interleaved_get_distinct_contiguous_numbers(desk, officer, clock):
    other = open_desk(desk.path, clock)
    try:
        made = [
            save_call(terminal, draft(caller=f"来电人{i}"), officer)
            for i, terminal in enumerate([desk, other, desk, other, other, desk])
        ]
    finally:
        other.close()
    assert numbers(made) == [f"2026-{i:06d}" for i in range(1, 7)]


def test_concurrent_saves_from_two_threads_into_one_file(desk, officer, clock):
    per_thread = 15
    terminals = [desk, open_desk(desk.path, clock)]
    start = threading.Barrier(len(terminals))
    made: list[str] = []
    errors: list[BaseException] = []
    guard = threading.Lock()

    def work(terminal, name: str) -> None:
        start.wait()
        try:
            for i in range(per_thread):
                record = save_call(terminal, draft(caller=f"{name}{i}"), officer)
                with guard:
                    made.append(record.number)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(terminal, f"终端{n}"))
        for n, terminal in enumerate(terminals)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    terminals[1].close()
    assert not errors
    expected = [f"2026-{i:06d}" for i in range(1, 2 * per_thread + 1)]
    assert sorted(made) == expected
    assert count(desk.path, "call_record") == 2 * per_thread


# ---------------------------------------------------------------- amendments (更正)


def test_amendment_is_a_new_linked_row_and_the_original_is_unchanged(desk, officer, clock):
    original = save_call(desk, draft(handling="已通知交警"), officer)
    before = raw_rows(desk.path, "SELECT * FROM call_record WHERE id = ?", original.id)
    clock.advance(minutes=5)
    amendment = amend_call(
        desk, original.number, "积水深度记错", {"summary": "人民路积水约50厘米"}, officer
    )
    assert raw_rows(desk.path, "SELECT * FROM call_record WHERE id = ?", original.id) == before
    assert amendment.id != original.id
    assert amendment.amends_id == original.id and amendment.amend_reason == "积水深度记错"
    # unchanged fields are carried over from the current text
    assert (amendment.caller, amendment.handling) == ("李红", "已通知交警")
    assert count(desk.path, "call_record") == 2

    listed = list_calls(desk)
    assert numbers(listed) == [original.number]  # the amendment is not a call of its own
    assert listed[0].summary == "人民路积水约50厘米"
    assert listed[0].amended_by == amendment.number
    assert listed[0].amend_reason == "积水深度记错"


def test_get_call_gives_the_current_text_and_the_full_history(desk, officer):
    original = save_call(desk, draft(), officer)
    first = amend_call(desk, original.number, "原因一", {"unit": "柳林镇"}, officer)
    second = amend_call(desk, original.number, "原因二", {"verified": True}, officer)
    view, history = get_call(desk, original.number)
    assert view.number == original.number
    assert (view.unit, view.verified, view.amended_by) == ("柳林镇", True, second.number)
    assert numbers(history) == [original.number, first.number, second.number]
    assert [line.amends for line in history] == [None, original.number, original.number]
    assert [line.amend_reason for line in history] == [None, "原因一", "原因二"]
    assert [line.unit for line in history] == ["城关镇", "柳林镇", "柳林镇"]


def test_amending_an_amendment_number_amends_the_original(desk, officer):
    original = save_call(desk, draft(), officer)
    first = amend_call(desk, original.number, "改来电人", {"caller": "李洪"}, officer)
    second = amend_call(desk, first.number, "再改", {"caller": "李宏"}, officer)
    assert second.amends_id == original.id
    view, history = get_call(desk, first.number)
    assert view.number == original.number
    assert view.caller == "李宏" and view.amended_by == second.number
    assert len(history) == 3


def test_amendment_without_change_or_with_unknown_fields_is_refused(desk, officer):
    original = save_call(desk, draft(), officer)
    with pytest.raises(DutyError) as no_change:
        amend_call(desk, original.number, "无改动", {"caller": "李红"}, officer)
    assert no_change.value.key == "calls.no_change"
    with pytest.raises(DutyError) as unknown:
        amend_call(desk, original.number, "改编号", {"number": "2026-999999"}, officer)
    assert unknown.value.key == "calls.bad_change"
    assert "number" in unknown.value.params["fields"]
    with pytest.raises(DutyError) as missing:
        amend_call(desk, "2026-000999", "不存在", {"caller": "某人"}, officer)
    assert missing.value.key == "calls.unknown"
    assert count(desk.path, "call_record") == 1


def test_amendment_needs_a_reason_and_valid_values(desk, officer, clock):
    original = save_call(desk, draft(), officer)
    with pytest.raises(ValidationFailed) as no_reason:
        amend_call(desk, original.number, "  ", {"caller": "某人"}, officer)
    assert no_reason.value.fields == ["reason"]
    with pytest.raises(ValidationFailed) as bad_phone:
        amend_call(desk, original.number, "改电话", {"phone": "无"}, officer)
    assert bad_phone.value.fields == ["phone"]
    with pytest.raises(ValidationFailed) as future:
        amend_call(
            desk, original.number, "改时间", {"received_at": clock.now().add(days=1)}, officer
        )
    assert future.value.fields == ["received_at"]
    with pytest.raises(ValidationFailed) as blank_time:
        amend_call(desk, original.number, "改时间", {"received_at": None}, officer)
    assert blank_time.value.fields == ["received_at"]
    assert count(desk.path, "call_record") == 1
    # a correction of the time into the past is fine
    earlier = clock.now().subtract(hours=1)
    amend_call(desk, original.number, "时间记错", {"received_at": earlier}, officer)
    assert list_calls(desk)[0].received_at == earlier


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("field", ["caller", "unit", "phone", "summary"])
@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_each_required_field(desk, officer, field, blank):
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(**{field: blank}), officer)
    assert failed.value.fields == [field]
    assert [p.key for p in failed.value.problems] == ["problem.required"]
    assert count(desk.path, "call_record") == 0


def test_every_problem_is_reported_at_once_and_nothing_is_written(desk, officer):
    before = count(desk.path, "audit_link")
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, CallDraft(direction="up", category="weather"), officer)
    assert set(failed.value.fields) == {
        "caller",
        "unit",
        "phone",
        "summary",
        "direction",
        "category",
    }
    assert count(desk.path, "call_record") == 0
    assert count(desk.path, "register_sequence") == 0
    assert count(desk.path, "audit_link") == before


@pytest.mark.parametrize(
    ("field", "limit"),
    [("caller", 100), ("unit", 100), ("summary", 4000), ("handling", 4000), ("phone", 40)],
)
def test_length_limits(desk, officer, field, limit):
    filler = "1" * limit if field == "phone" else "字" * limit
    save_call(desk, draft(**{field: filler}), officer)  # exactly at the limit: fine
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(**{field: filler + "1"}), officer)
    assert failed.value.fields == [field]
    problem = failed.value.problems[0]
    assert problem.key == "problem.too_long"
    assert problem.params == {"limit": limit, "length": limit + 1}


@pytest.mark.parametrize(
    ("field", "value", "key", "char"),
    [
        ("caller", "李\x07红", "text_problem.control", "U+0007"),
        ("unit", "城关\x1b镇", "text_problem.control", "U+001B"),
        ("caller", "李\n红", "text_problem.line_break", "U+000A"),  # one-line fields: no breaks
        ("summary", "积水\x00", "text_problem.control", "U+0000"),
        ("handling", "已\x7f通知", "text_problem.control", "U+007F"),
    ],
)
def test_control_characters_are_refused(desk, officer, field, value, key, char):
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(**{field: value}), officer)
    assert failed.value.fields == [field]
    assert failed.value.problems[0].key == key
    assert failed.value.problems[0].params == {"char": char}


def test_line_breaks_and_tabs_are_fine_in_summary_and_handling(desk, officer):
    record = save_call(desk, draft(summary="第一行\n第二行\t完", handling="甲\n乙"), officer)
    assert get_call(desk, record.number)[0].summary == "第一行\n第二行\t完"


@pytest.mark.parametrize("phone", ["电话", "abc", "12", "0371-6600000a", "138 0013; 8000"])
def test_bad_phone_numbers(desk, officer, phone):
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(phone=phone), officer)
    assert failed.value.fields == ["phone"]
    assert failed.value.problems[0].key == "problem.bad_phone"


@pytest.mark.parametrize(
    "phone", ["0371-66000000", "+86 138 0013 8000", "66000000转8001", "(022) 2345-6789", "110"]
)
def test_good_phone_numbers(desk, officer, phone):
    assert save_call(desk, draft(phone=phone), officer).phone == phone


def test_bad_direction_and_category(desk, officer):
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(direction="sideways"), officer)
    assert failed.value.fields == ["direction"]
    assert failed.value.problems[0].key == "problem.bad_choice"
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(category="weather"), officer)
    assert failed.value.fields == ["category"]
    for category in desk.profile.calls.categories:
        save_call(desk, draft(category=category, direction="out"), officer)


def test_received_at_defaults_to_now_may_be_earlier_but_not_in_the_future(desk, officer, clock):
    assert save_call(desk, draft(), officer).received_at == clock.now()
    earlier = clock.now().subtract(hours=3)
    assert save_call(desk, draft(received_at=earlier), officer).received_at == earlier
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(received_at=clock.now().add(minutes=5)), officer)
    assert failed.value.fields == ["received_at"]
    assert failed.value.problems[0].key == "problem.in_future"
    naive = datetime(2026, 11, 23, 9, 0)
    with pytest.raises(ValidationFailed) as failed:
        save_call(desk, draft(received_at=naive), officer)  # type: ignore[arg-type]
    assert failed.value.problems[0].key == "time_input.no_zone"
    assert count(desk.path, "call_record") == 2


# ---------------------------------------------------------------- pending items (待办事项)


def test_follow_up_creates_a_pending_item_that_stays_open_until_closed(desk, officer, clock):
    quiet = save_call(desk, draft(), officer)
    flagged = save_call(
        desk, draft(summary="请区水利局一小时后反馈排水情况", follow_up=True), officer
    )
    items = open_items(desk)
    assert [item.call_number for item in items] == [flagged.number]
    assert items[0].text == "请区水利局一小时后反馈排水情况"
    assert items[0].created_by == "张伟"
    assert quiet.follow_up is False and flagged.follow_up is True

    item_row = raw_rows(desk.path, "SELECT * FROM pending_item")
    clock.advance(hours=2)
    close_item(desk, items[0].id, officer, "已反馈，积水已排除")
    assert open_items(desk) == []
    assert raw_rows(desk.path, "SELECT * FROM pending_item") == item_row  # unchanged
    assert raw_rows(desk.path, "SELECT item_id, note FROM pending_closure") == [
        (items[0].id, "已反馈，积水已排除")
    ]

    with pytest.raises(DutyError) as twice:
        close_item(desk, items[0].id, officer)
    assert twice.value.key == "pending.already_closed"
    with pytest.raises(DutyError) as unknown:
        close_item(desk, 999, officer)
    assert unknown.value.key == "pending.unknown"
    assert count(desk.path, "pending_closure") == 1


# ---------------------------------------------------------------- search


@pytest.fixture
def register(desk, officer, clock):
    """Four calls, one per hour, oldest first."""
    calls = [
        draft(caller="李红", unit="城关镇", phone="0371-66001234",
              summary="人民路积水约30厘米，交警已到场"),
        draft(caller="周涛", unit="区供电公司", phone="13800138000",
              summary="东关街道大面积停电，预计两小时恢复"),
        draft(caller="Alice Wang", unit="高新技术产业园区", phone="022-23456789",
              summary='园区报告 "NEAR" 标志牌*损坏* AND 已修复 (test)'),
        draft(caller="吴敏", unit="柳林镇", phone="0371-66005678",
              summary="燃气管道被挖破，已关阀断气", handling="区住建局到场"),
    ]  # fmt: skip
    made = []
    for call in calls:
        made.append(save_call(desk, call, officer).number)
        clock.advance(hours=1)
    return made


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("人民路积水", [0]),  # trigram: 3+ characters
        ("大面积停电", [1]),
        ("交警已到场", [0]),
        ("积水", [0]),  # two Chinese characters: the trigram trap
        ("停电", [1]),
        ("燃气", [3]),
        ("住建", [3]),  # in handling
        ("积", [1, 0]),  # one character: 大面积, 积水
        ("镇", [3, 0]),  # newest first
        ("园", [2]),
        ("138", [1]),  # phone fragments
        ("0371", [3, 0]),
        ("66", [3, 0]),
        ("6600123", [0]),
        ("0371-6600", [3, 0]),
        ("alice", [2]),  # case-insensitive
        ("城关镇", [0]),  # unit
        ("周涛", [1]),  # caller, two characters
        ("不存在的事", []),
        ("雪", []),
    ],
)
def test_search_finds_any_part_of_caller_unit_phone_or_content(desk, register, term, expected):
    assert numbers(list_calls(desk, search=term)) == [register[i] for i in expected]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("镇 积水", [0]),
        ("0371 燃气", [3]),
        ("积水 停电", []),
        ("人民路 交警已到场", [0]),
        ("镇 区", [3]),  # 柳林镇 … 区住建局
        ("  积水   人民路 ", [0]),  # extra spaces
    ],
)
def test_search_with_several_terms_needs_all_of_them(desk, register, term, expected):
    assert numbers(list_calls(desk, search=term)) == [register[i] for i in expected]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ('"', [2]),
        ('"NEAR"', [2]),
        ("NEAR", [2]),
        ("AND", [2]),
        ("*", [2]),
        ("*损坏*", [2]),
        ("(test)", [2]),
        ("NEAR(", []),
        ("OR", []),
        ("caller:李红", []),
        ("^", []),
        ("，", [3, 1, 0]),  # a full-width comma, one character
        ("%", []),
        ("_", []),
        ("'", []),
        ("\\", []),
        ('" AND *', [2]),
        ('""', []),
    ],
)
def test_search_terms_with_punctuation_quotes_or_fts_syntax(desk, register, term, expected):
    assert numbers(list_calls(desk, search=term)) == [register[i] for i in expected]


def test_blank_search_lists_everything(desk, register):
    assert numbers(list_calls(desk, search="   ")) == list(reversed(register))


def test_search_hits_in_an_amendment_map_to_the_original(desk, officer, register):
    amendment = amend_call(
        desk, register[0], "补充情况", {"summary": "人民路积水已排除，燃气表房进水"}, officer
    )
    for term in ("燃气表房", "表房", "表"):
        found = list_calls(desk, search=term)
        assert numbers(found) == [register[0]], term
        assert found[0].amended_by == amendment.number
        assert found[0].summary == "人民路积水已排除，燃气表房进水"
    # a term found in the original and its amendment gives the call once
    assert numbers(list_calls(desk, search="人民路")) == [register[0]]
    assert numbers(list_calls(desk, search="燃气")) == [register[0], register[3]]


def test_search_finds_calls_of_earlier_years(desk, officer, clock):
    clock.set(pendulum.parse("2025-06-01T09:00:00+08:00"))  # type: ignore[arg-type]
    old = save_call(desk, draft(summary="去年的停电报告"), officer)
    clock.set(pendulum.parse("2026-11-23T10:00:00+08:00"))  # type: ignore[arg-type]
    new = save_call(desk, draft(summary="今年的停电报告"), officer)
    assert old.number.startswith("2025-")
    assert numbers(list_calls(desk, search="停电")) == [new.number, old.number]


def test_list_newest_first_with_since_and_limit(desk, officer, register, clock):
    assert numbers(list_calls(desk)) == list(reversed(register))
    since = pendulum.parse("2026-11-23T11:00:00+08:00")  # the second call's time
    assert numbers(list_calls(desk, since=since)) == list(reversed(register[1:]))  # type: ignore[arg-type]
    assert numbers(list_calls(desk, since=since, search="镇")) == [register[3]]  # type: ignore[arg-type]
    assert numbers(list_calls(desk, limit=2)) == [register[3], register[2]]
    # a call logged late, with an earlier time received, sorts by the time received
    late = save_call(desk, draft(received_at=clock.now().subtract(days=1)), officer)
    assert numbers(list_calls(desk))[-1] == late.number


def test_the_validation_message_has_no_stray_space_in_chinese_and_one_in_english():
    from dutydesk.errors import FieldProblem
    from dutydesk.i18n import set_language

    failed = ValidationFailed(
        [
            FieldProblem("regrade_reason", "problem.required"),
            FieldProblem("phone", "problem.required"),
        ]
    )
    assert failed.message() == "未保存，请修改：重新定级理由必须填写；电话必须填写"
    set_language("en")
    assert failed.message().startswith("Not saved, please correct: ")
    assert "correct:  " not in failed.message()
