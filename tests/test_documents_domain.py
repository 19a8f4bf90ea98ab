"""The document register (收发文登记): registering, routing (交办), follow-up (督办) and closing,
each a chained append-only row; the handling deadlines by urgency (急件 within the profile's
minutes, 普通件 by 08:30 of the next working day of the official calendar); the classified
refusal (Henan 6(7)); the board's composition and the handover's acknowledgement."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pendulum
import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.profiles import load_profile
from dutydesk.services.documents import (
    add_document,
    close_document,
    document_deadlines,
    follow_document,
    get_document,
    handling_due,
    list_documents,
    open_documents,
    route_document,
)

ZONE = "Asia/Shanghai"


def local(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


def incoming(desk, officer, urgency="putong", **fields):
    values = {"direction": "in", "party": "市政府办公室", "title": "关于做好防汛工作的通知",
              "kind": "file", "urgency": urgency, "number": "市政办〔2026〕12号"}  # fmt: skip
    values.update(fields)
    return add_document(desk, officer, **values)


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(("urgency", "minutes"), [("teji", 30), ("jiaji", 60)])
def test_an_urgent_document_is_due_within_its_minutes(desk, officer, clock, urgency, minutes):
    row = incoming(desk, officer, urgency)
    [view] = document_deadlines(desk, clock.now())
    assert view.subject == "document" and view.subject_id == row.id
    assert view.due_at == row.moved_at.add(minutes=minutes)
    assert view.minutes == minutes
    assert view.cite == desk.profile.documents.urgencies[urgency].cite
    assert view.status == "ok"
    clock.set(row.moved_at.add(minutes=minutes, seconds=1))
    [late] = document_deadlines(desk, clock.now())
    assert late.status == "overdue"


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-09-30T17:00", "2026-10-08T08:30"),  # National Day 2026: 10-01..10-07 off
        ("2026-10-09T16:00", "2026-10-10T08:30"),  # Saturday 10-10 is a swapped working day
        ("2026-11-27T15:00", "2026-11-30T08:30"),  # Friday: Monday, across the weekend
        ("2026-11-28T01:00", "2026-11-30T08:30"),  # received on a Saturday
        ("2026-11-30T07:00", "2026-12-01T08:30"),  # early on a working day: still the next one
    ],
)
def test_an_ordinary_document_is_due_at_0830_of_the_next_working_day(received, due):
    for profile_id in ("district", "tianjin", "henan"):
        result = handling_due(load_profile(profile_id), "putong", local(received), ZONE)
        assert result.at == local(due), profile_id
        assert result.minutes is None


def test_an_ordinary_document_registered_on_friday_shows_monday_on_the_board(desk, officer, clock):
    clock.set(local("2026-11-27T15:00"))
    incoming(desk, officer, "putong", moved_at=local("2026-11-27T14:40"))
    [view] = document_deadlines(desk, local("2026-11-30T08:00"))
    assert view.due_at == local("2026-11-30T08:30")
    assert view.status in ("ok", "warning")
    [overdue] = document_deadlines(desk, local("2026-11-30T08:31"))
    assert overdue.status == "overdue"


def test_routing_meets_the_deadline_and_closing_ends_the_document(desk, officer, clock):
    row = incoming(desk, officer, "teji")
    clock.advance(minutes=10)
    route_document(desk, officer, row.id, routed_to="综合科 刘洋", channel="电话")
    assert document_deadlines(desk, clock.now()) == []
    assert [view.id for view in open_documents(desk)] == [row.id]
    follow_document(desk, officer, row.id, text="综合科已签收，正在办理")
    clock.advance(minutes=5)
    close_document(desk, officer, row.id, note="已办结")
    view = get_document(desk, row.id)
    assert [r.routed_to for r in view.routings] == ["综合科 刘洋"]
    assert [f.text for f in view.followups] == ["综合科已签收，正在办理"]
    assert view.closure is not None and not view.is_open
    assert open_documents(desk) == []


def test_a_closed_document_takes_no_more_steps(desk, officer):
    row = incoming(desk, officer)
    route_document(desk, officer, row.id, routed_to="综合科", channel="电话")
    close_document(desk, officer, row.id)
    for step in (
        lambda: route_document(desk, officer, row.id, routed_to="综合科", channel="电话"),
        lambda: follow_document(desk, officer, row.id, text="再问"),
        lambda: close_document(desk, officer, row.id),
    ):
        with pytest.raises(DutyError) as caught:
            step()
        assert caught.value.key == "document.closed"


def test_an_outgoing_document_has_no_handling_deadline(desk, officer, clock):
    from dutydesk.services.documents import document_state

    incoming(desk, officer, "teji", direction="out", party="市政府总值班室")
    assert document_deadlines(desk, clock.now().add(days=3)) == []
    [view] = open_documents(desk)
    assert view.due is None and document_state(view, clock.now().add(days=3)) == "sent"


def test_the_filters(desk, officer, clock):
    urgent = incoming(desk, officer, "jiaji")
    ordinary = incoming(desk, officer, "putong")
    done = incoming(desk, officer, "teji")
    route_document(desk, officer, done.id, routed_to="综合科", channel="电话")
    close_document(desk, officer, done.id)
    at = clock.now().add(minutes=61)

    def ids(which):
        return sorted(view.id for view in list_documents(desk, at, which))

    assert ids("all") == sorted([urgent.id, ordinary.id, done.id])
    assert ids("open") == sorted([urgent.id, ordinary.id])
    assert ids("urgent") == [urgent.id]
    assert ids("overdue") == [urgent.id]
    with pytest.raises(DutyError):
        list_documents(desk, at, "late")


# ---------------------------------------------------------------- refusals


def test_a_classified_document_is_refused_its_body_text_with_the_reason(desk, officer):
    with pytest.raises(DutyError) as caught:
        incoming(desk, officer, classified=True, body="正文内容")
    assert caught.value.key == "document.classified_body"
    assert "6(7)" in caught.value.params["cite"]
    assert "非涉密计算机" in caught.value.message()
    assert list_documents(desk) == []
    row = incoming(desk, officer, classified=True)
    assert row.classified and row.body == ""


def test_a_classified_documents_text_cannot_slip_in_by_its_title(desk, officer):
    with pytest.raises(DutyError) as caught:
        incoming(desk, officer, classified=True, title="导弹部署坐标北纬39度东经116度" * 5)
    assert caught.value.key == "document.classified_title" and "6(7)" in caught.value.params["cite"]
    assert list_documents(desk) == []
    assert incoming(desk, officer, classified=True, title="关于某项工作的通知").classified


def test_bad_fields_are_refused_and_nothing_is_written(desk, officer):
    with pytest.raises(ValidationFailed) as caught:
        incoming(desk, officer, urgency="fast", kind="email", title="  ")
    assert set(caught.value.fields) >= {"document_urgency", "document_kind", "document_title"}
    assert list_documents(desk) == []
    urgency = next(p for p in caught.value.problems if p.field == "document_urgency")
    assert "teji（特急）" in urgency.params["choices"]  # each code with its name (QA)


def test_a_routing_before_the_document_came_is_refused(desk, officer, clock):
    row = incoming(desk, officer)
    with pytest.raises(ValidationFailed):
        route_document(desk, officer, row.id, routed_to="综合科", channel="电话",
                       routed_at=row.moved_at.subtract(hours=1))  # fmt: skip
    assert get_document(desk, row.id).routings == []


# ---------------------------------------------------------------- the chain


def test_every_step_is_chained_and_append_only(desk, officer):
    from dutydesk.services.archive.verify import verify_register

    row = incoming(desk, officer)
    route_document(desk, officer, row.id, routed_to="综合科", channel="传真")
    follow_document(desk, officer, row.id, text="已催办")
    close_document(desk, officer, row.id)
    with closing(sqlite3.connect(desk.path)) as conn:
        kinds = {k for (k,) in conn.execute("SELECT kind FROM audit_link")}
        for table in ("document", "document_routing", "document_followup", "document_closure"):
            assert table in kinds
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"UPDATE {table} SET id = id")
    assert verify_register(desk.path).ok


# ---------------------------------------------------------------- board and handover


def test_the_board_has_documents_beside_report_deadlines_under_distinct_keys(desk, officer, clock):
    from dutydesk.services.board import SOURCES, board_items, board_key, is_deadline_row
    from dutydesk.services.incidents import add_verification

    row = incoming(desk, officer, "teji")
    add_verification(desk, officer, received_at=clock.now(), subject="核实网传信息")
    two = [source for source in SOURCES if source[0] in ("deadlines", "documents")]
    items = board_items(desk, clock.now(), two)
    subjects = sorted(view.subject for view in items)
    assert "document" in subjects and "verification" in subjects
    keys = [board_key(view) for view in items]
    assert len(keys) == len(set(keys))
    assert sorted(keys) == sorted(
        [f"document:{row.id}", *(str(v.id) for v in items if v.subject != "document")]
    )
    [document] = [view for view in items if view.subject == "document"]
    assert board_key(document) == f"document:{row.id}" and not is_deadline_row(document)
    assert [view.due_at for view in items] == sorted(view.due_at for view in items)


def test_the_board_takes_its_sources_as_a_list(desk, officer, clock):
    from dutydesk.services.board import SOURCES, board_items

    incoming(desk, officer, "teji")
    assert [name for name, _ in SOURCES] == ["deadlines", "documents", "orders", "roster"]
    only_documents = [source for source in SOURCES if source[0] == "documents"]
    assert {v.subject for v in board_items(desk, clock.now(), only_documents)} == {"document"}
    assert board_items(desk, clock.now(), []) == []


def test_the_incoming_officer_acknowledges_each_open_document(desk, officer):
    from dutydesk.services.handover import build_checklist, mark

    first = incoming(desk, officer, "teji")
    second = incoming(desk, officer, "putong", title="关于报送值班表的通知")
    closed = incoming(desk, officer, "putong", title="已办结的文")
    route_document(desk, officer, closed.id, routed_to="综合科", channel="电话")
    close_document(desk, officer, closed.id)
    checklist = build_checklist(desk)
    keys = [item.key for item in checklist.items if item.section == "documents"]
    assert keys == ["documents", f"document:{first.id}", f"document:{second.id}"]
    item = checklist.item(f"document:{first.id}")
    assert item is not None and item.kind == "ack" and item.blocking
    assert "市政办〔2026〕12号" in item.label()
    mark(desk, f"document:{first.id}", "acknowledged")
    after = build_checklist(desk)
    assert after.item(f"document:{first.id}").state == "acknowledged"
    assert after.item(f"document:{first.id}").role == "incoming"
    assert after.item(f"document:{second.id}").blocking


def test_a_classified_documents_text_cannot_slip_in_by_its_notes(desk, officer):
    """QA: a 6 KB body went in by follow-ups, a routing note and a closing note, and on into
    the archive's CSV and the city's archive."""
    row = incoming(desk, officer, classified=True)
    body = "绝密正文第一段。" * 20
    attempts = (
        lambda: follow_document(desk, officer, row.id, text=body),
        lambda: route_document(
            desk, officer, row.id, routed_to="王建国", channel="面呈", note=body
        ),
        lambda: close_document(desk, officer, row.id, note=body),
    )
    for attempt in attempts:
        with pytest.raises(DutyError) as refused:
            attempt()
        assert refused.value.key == "document.classified_note"
    [view] = list_documents(desk)
    assert not view.followups and not view.routings and view.is_open
    follow_document(
        desk, officer, row.id, text="已电话督促城关镇按要求办理"
    )  # short: what was done


def test_a_document_never_passed_on_is_not_closed(desk, officer, clock):
    """Closing before routing would take the 交办 deadline off the board unseen."""
    row = incoming(desk, officer, "teji")
    with pytest.raises(DutyError) as refused:
        close_document(desk, officer, row.id, note="不需要办理")
    assert refused.value.key == "document.close_unrouted"
    assert "交办" in refused.value.message()
    assert get_document(desk, row.id).is_open
    assert [d.subject_id for d in document_deadlines(desk, clock.now())] == [row.id]


def test_a_profile_may_allow_closing_unrouted_with_the_reason_recorded(desk, officer):
    rules = desk.profile.documents
    closing = rules.closing.model_copy(update={"unrouted_with_reason": True})
    documents = rules.model_copy(update={"closing": closing})
    desk.profile = desk.profile.model_copy(update={"documents": documents})
    row = incoming(desk, officer, "putong")
    with pytest.raises(DutyError) as refused:
        close_document(desk, officer, row.id, note="  ")
    assert refused.value.key == "document.close_unrouted_reason"
    close_document(desk, officer, row.id, note="阅知件，无需交办")
    view = get_document(desk, row.id)
    assert not view.is_open and view.closure.note == "阅知件，无需交办"


def test_a_form_time_is_read_as_the_calls_form_reads_it(desk, clock):
    """`0930` is 09:30, as on the calls form (the order dispatch form refused it)."""
    from dutydesk.services.documents import typed_step_time

    local = clock.now().in_timezone(desk.timezone)
    earlier = local.subtract(minutes=30)
    typed = typed_step_time(desk, earlier.format("HHmm"))
    assert typed is not None and typed.in_timezone(desk.timezone).format("HH:mm") == earlier.format(
        "HH:mm"
    )
    assert typed_step_time(desk, "  ") is None
    with pytest.raises(DutyError):
        typed_step_time(desk, "2599")


def test_open_reads_above_the_closed_mark_match_every_document(desk, officer):
    """The open documents are read above the mark through which all are closed (bench): after
    each step, every filter's list agrees with the documents' own state."""
    from dutydesk.services.documents.document_views import closed_through

    def closed(document_id: int) -> None:
        route_document(desk, officer, document_id, routed_to="综合科", channel="电话")
        close_document(desk, officer, document_id)

    def open_ids() -> list[int]:
        return sorted(view.id for view in list_documents(desk, which="open"))

    rows = [incoming(desk, officer, urgency) for urgency in ("teji", "putong", "jiaji")]
    closed(rows[0].id)
    closed(rows[1].id)
    assert open_ids() == [rows[2].id]
    with desk_session(desk) as session:
        assert closed_through(session, desk) == rows[1].id
    later = incoming(desk, officer, "teji")
    assert open_ids() == [rows[2].id, later.id]
    assert sorted(v.id for v in list_documents(desk, which="urgent")) == [rows[2].id, later.id]
    closed(rows[2].id)
    assert open_ids() == [later.id]
    assert [view.id for view in open_documents(desk)] == [later.id]
    assert [item.subject_id for item in document_deadlines(desk, desk.now())] == [later.id]
    closed(later.id)
    assert open_ids() == [] and open_documents(desk) == []
    with desk_session(desk) as session:
        assert closed_through(session, desk) == later.id


def desk_session(desk):  # noqa: ANN001, ANN201
    from dutydesk.db import read_session

    return read_session(desk.engine)
