"""Issue 18/19: documents and contacts are found by any part of their text with the calls
search's terms (1-, 2-, 3-, 4+-character Chinese, phone fragments, two terms, absent terms); the
index follows each routing, follow-up and closing, and a contact change or withdrawal; verify
finds an index that no longer holds the live rows, and reindex repairs it."""

from __future__ import annotations

import sqlite3

import pytest

from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.documents import (
    ContactInput,
    add_contact,
    add_document,
    change_contact,
    close_document,
    follow_document,
    route_document,
    withdraw_contact,
)
from dutydesk.services.lookup import (
    rebuild_register_indexes,
    register_index_problems,
    search_all,
    search_register,
)


def found(desk, register: str, query: str, limit: int = 50) -> list[int]:
    with desk.engine.connect() as connection:
        return search_register(connection, register, query, limit)


def document(desk, officer, **fields):
    values = {"direction": "in", "party": "市政府办公室", "title": "关于做好防汛工作的通知",
              "kind": "file", "urgency": "putong", "number": "市政办〔2026〕12号"}  # fmt: skip
    values.update(fields)
    return add_document(desk, officer, **values)


def query_of(desk):
    connection = sqlite3.connect(desk.path)
    return connection, lambda sql, params: connection.execute(sql, params).fetchall()


@pytest.fixture
def registers(desk, officer):
    flood = document(desk, officer, body="请各镇加强积水点巡查")
    power = document(desk, officer, number="区应急〔2026〕3号", party="区应急管理局",
                     title="停电应急预案演练安排", body="")  # fmt: skip
    secret = document(desk, officer, number="机要〔2026〕1号", title="绝密事项",
                      classified=True)  # fmt: skip
    town = add_contact(
        desk, officer, ContactInput("unit", "城关镇政府值班室", phone="0371-6688001")
    )
    head = add_contact(desk, officer, ContactInput("principal", "李明", unit="城关镇政府",
                       post="镇长", phone="022-23456789", mobile="13800000001"))  # fmt: skip
    return {"flood": flood.id, "power": power.id, "secret": secret.id, "town": town.id,
            "head": head.id}  # fmt: skip


@pytest.mark.parametrize(
    ("register", "query", "expected"),
    [
        ("document", "汛", ["flood"]),  # one character
        ("document", "停电", ["power"]),  # two characters
        ("document", "积水", ["flood"]),  # two characters, in the body
        ("document", "应急管", ["power"]),  # three
        ("document", "防汛工作", ["flood"]),  # four and more
        ("document", "2026", ["secret", "power", "flood"]),  # newest first
        ("document", "市政办 巡查", ["flood"]),  # two terms, different fields
        ("document", "停电 巡查", []),  # two terms, no document holds both
        ("document", "台风", []),  # absent
        ("document", "〔2026〕3", ["power"]),  # punctuation in the number
        ("contact", "镇", ["head", "town"]),
        ("contact", "镇长", ["head"]),
        ("contact", "022-2345", ["head"]),  # a phone fragment as written
        ("contact", "0222345", ["head"]),  # and as digits
        ("contact", "6688001", ["town"]),
        ("contact", "李明 13800000001", ["head"]),
        ("contact", "李明 6688001", []),
        ("contact", "-2", ["head"]),  # a short term with punctuation
    ],
)
def test_each_term_class_finds_exactly_its_records(desk, registers, register, query, expected):
    assert found(desk, register, query) == [registers[name] for name in expected]


def test_no_term_spans_two_fields(desk, registers):
    assert found(desk, "document", "号市政") == []  # number then party: joined by a newline


def test_a_classified_documents_body_is_never_indexed_nor_found(desk, registers):
    with sqlite3.connect(desk.path) as connection:
        [text] = connection.execute(
            "SELECT text FROM document_search WHERE id = ?", (registers["secret"],)
        ).fetchone()
    assert text.split("\n") == ["机要〔2026〕1号", "市政府办公室", "绝密事项", ""]


def test_each_step_of_a_document_is_found_as_it_is_recorded(desk, officer, registers):
    power = registers["power"]
    assert found(desk, "document", "综合科") == []
    route_document(desk, officer, power, routed_to="综合科 刘洋", channel="电话", note="速办")
    assert found(desk, "document", "综合科") == [power]
    assert found(desk, "document", "速办 停电") == [power]
    follow_document(desk, officer, power, text="已签收正在落实")
    assert found(desk, "document", "落实") == [power]
    close_document(desk, officer, power, note="演练完毕")
    assert found(desk, "document", "完毕 刘洋 签收") == [power]
    assert register_index_problems(query_of(desk)[1]) == []


def test_the_contact_index_holds_the_phone_list_in_force(desk, officer, registers):
    head = registers["head"]
    moved = ContactInput("principal", "李明", unit="城关镇政府", post="镇党委书记",
                         phone="022-23456789", mobile="13900000002")  # fmt: skip
    newer = change_contact(desk, head, officer, moved, reason="任职变动")
    assert found(desk, "contact", "镇长") == []  # the replaced row is out
    assert found(desk, "contact", "书记") == [newer.id]
    assert found(desk, "contact", "13900000002") == [newer.id]
    withdraw_contact(desk, newer.id, officer, reason="调离")
    assert found(desk, "contact", "李明") == []
    assert found(desk, "contact", "镇") == [registers["town"]]
    assert register_index_problems(query_of(desk)[1]) == []


def test_search_all_says_which_register_each_hit_is_from(desk, officer, registers):
    number = save_call(
        desk,
        CallDraft(caller="李明", unit="城关镇", phone="0371-66123456", summary="城关镇积水报告"),
        officer,
    ).number
    hits = search_all(desk, "积水")
    assert [(hit.register, hit.key) for hit in hits] == [
        ("calls", number), ("documents", str(registers["flood"]))]  # fmt: skip
    assert [h.register for h in search_all(desk, "李明")] == ["calls", "contacts"]
    assert [h.key for h in search_all(desk, "李明", ("contacts",))] == [str(registers["head"])]
    assert search_all(desk, "   ") == [] and search_all(desk, "台风") == []
    assert hits[1].to_json("Asia/Shanghai")["title"] == "市政办〔2026〕12号 关于做好防汛工作的通知"


@pytest.mark.parametrize(
    ("damage", "index"),
    [
        ("DELETE FROM document_search WHERE id = {flood}", "document_search"),
        ("UPDATE document_search SET text = 'x' WHERE id = {power}", "document_search.text"),
        (
            "INSERT INTO contact_fts(contact_fts, rowid, text) SELECT 'delete', id, text "
            "FROM contact_search WHERE id = {town}",
            "contact_fts",
        ),
        ("INSERT INTO document_grams(rowid, grams) VALUES (999, 'x')", "document_grams"),
        ("INSERT INTO contact_search(id, text) VALUES (999, 'x')", "contact_search"),
    ],
)
def test_verify_finds_a_damaged_index_and_reindex_repairs_it(desk, registers, damage, index):
    assert verify_register(desk.path).ok
    connection, query = query_of(desk)
    with connection:
        connection.execute(damage.format(**registers))
    assert index in [problem.index for problem in register_index_problems(query)]
    assert not verify_register(desk.path).ok
    assert rebuild_register_indexes(desk) == 5  # three documents, two contacts
    assert register_index_problems(query) == []
    assert verify_register(desk.path).ok
    assert found(desk, "document", "积水") == [registers["flood"]]
    connection.close()


def _index_content(path, deep: bool) -> list[str]:  # noqa: ANN001
    return [p.args["index"] for p in verify_register(path, deep=deep).problems
            if p.code == "index_content"]  # fmt: skip


def test_verify_deep_finds_a_document_index_rewritten_with_text_of_the_same_length(desk, registers):
    assert verify_register(desk.path, deep=True).ok  # an honest register, token by token
    connection, _query = query_of(desk)
    with connection:  # the index document now holds other words of the same length
        connection.execute(
            "INSERT INTO document_fts(document_fts, rowid, text) SELECT 'delete', id, text "
            "FROM document_search WHERE id = ?", (registers["flood"],))  # fmt: skip
        connection.execute(
            "INSERT INTO document_fts(rowid, text) SELECT id, substr(replace(hex(text), "
            "'0', '1'), 1, length(text)) FROM document_search WHERE id = ?",
            (registers["flood"],),
        )
    connection.close()
    assert _index_content(desk.path, deep=False) == []  # the token counts agree
    assert _index_content(desk.path, deep=True) == ["document_fts"]
    rebuild_register_indexes(desk)
    assert verify_register(desk.path, deep=True).ok


def test_a_call_out_is_named_a_call_out_across_the_registers(desk, officer, registers):
    """F9 and `dutydesk search` named every call 来电, a 去电 too (new officer, session 15)."""
    from dutydesk.i18n import set_language, t
    from dutydesk.services.lookup import register_label

    set_language("zh")
    out = save_call(desk, CallDraft(caller="赵刚", unit="区供电公司", phone="0371-66887766",
                                    summary="通知抢修停电线路", direction="out"), officer).number  # fmt: skip
    came = save_call(desk, CallDraft(caller="李明", unit="城关镇", phone="0371-66123456",
                                     summary="报告停电线路"), officer).number  # fmt: skip
    hits = {hit.key: hit for hit in search_all(desk, "停电线路", ("calls",))}
    assert t(register_label(hits[out])) == "去电" and t(register_label(hits[came])) == "来电"
    assert hits[out].to_json("Asia/Shanghai")["direction"] == "out"
