"""Issue 18 item 3: orders after the district flow chart. The standby drafts type, level and
instruction from an incident; the office director confirms with their PIN or sends it back with a
note; the confirmed order is dispatched to named units and leaders; follow-ups until each has
reported back. Every step a chained, append-only record; the board's items and their limits."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.desk import init_database
from dutydesk.services.documents import (
    OrderDraft,
    decide_order,
    dispatch_order,
    draft_order,
    follow_up_order,
    get_order_view,
    order_deadlines,
    order_to_json,
)
from dutydesk.services.incidents import IncidentDraft, record_incident
from dutydesk.services.roster import add_person, find_person, open_shift, set_pin
from tests.support_addressees import phone_list
from tests.support_people import authority_for

DIRECTOR, DIRECTOR_PIN = "刘主任", "864213"
LEADER_PIN = "731592"
TABLES = ("duty_order", "order_decision", "order_dispatch", "order_follow_up")


def _crew(desk, director_role: str = "director") -> None:
    since = date(2024, 1, 1)
    for name, role in (("张伟", "officer"), ("王建国", "leader"), ("赵磊", "standby"),
                       (DIRECTOR, director_role)):  # fmt: skip
        add_person(desk, name, role, in_post_since=since, authority=authority_for(desk))
    set_pin(desk, DIRECTOR, DIRECTOR_PIN, DIRECTOR_PIN, authority=authority_for(desk))
    set_pin(desk, "王建国", LEADER_PIN, LEADER_PIN, authority=authority_for(desk))
    open_shift(desk, "张伟", leader="王建国", standby="赵磊")


@pytest.fixture
def district(tmp_path, clock):
    desk = init_database(tmp_path / "district.sqlite3", "某区政府总值班室", "district", clock)
    _crew(desk)
    yield desk
    desk.close()


def _incident(desk) -> int:
    draft = IncidentDraft(type="accident", level="IV", occurred_at=desk.now(), place="人民路",
                          summary="两车相撞")  # fmt: skip
    row = record_incident(desk, draft, find_person(desk, "张伟"))
    assert row.id is not None
    return row.id


def _drafted(desk) -> int:
    """An order drafted, and the phone list holding its addressees."""
    phone_list(desk, find_person(desk, "张伟"))
    standby = find_person(desk, "赵磊")
    draft = OrderDraft(_incident(desk), "事故灾难", "一般", "立即组织交警、医疗力量赶赴现场处置")
    order = draft_order(desk, standby, draft)
    assert order.id is not None
    return order.id


def _count(desk, table: str) -> int:
    with sqlite3.connect(desk.path) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_an_order_runs_from_draft_to_every_addressee_reporting_back(district, clock):
    desk, officer = district, find_person(district, "张伟")
    order_id = _drafted(desk)
    assert get_order_view(desk, order_id).state == "drafted"
    decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=True)
    assert get_order_view(desk, order_id).state == "confirmed"
    clock.advance(minutes=3)
    town = dispatch_order(desk, order_id, officer, addressee="城关镇政府值班室", kind="unit",
                          channel="phone")  # fmt: skip
    vice = dispatch_order(desk, order_id, officer, addressee="李副区长", kind="leader",
                          channel="sms")  # fmt: skip
    assert get_order_view(desk, order_id).state == "dispatched"
    clock.advance(minutes=20)
    follow_up_order(desk, town.id, officer, text="已到场，正在处置", reported_back=False)
    follow_up_order(desk, town.id, officer, text="道路已恢复通行", reported_back=True)
    assert get_order_view(desk, order_id).state == "dispatched"  # the leader has not reported
    follow_up_order(desk, vice.id, officer, text="已知悉并赶赴现场", reported_back=True)
    view = get_order_view(desk, order_id)
    assert view.state == "done"
    data = order_to_json(desk, view)
    assert data["decision"]["by"] == DIRECTOR and data["decision"]["kind"] == "confirmed"
    assert [d["channel"] for d in data["dispatches"]] == ["phone", "sms"]
    assert [len(d["follow_ups"]) for d in data["dispatches"]] == [2, 1]
    report = verify_register(desk.path)
    assert report.ok and set(TABLES) <= set(report.tables)
    with sqlite3.connect(desk.path) as conn:
        kinds = [row[0] for row in conn.execute(
            "SELECT kind FROM audit_link WHERE kind != 'pin_attempt' ORDER BY seq")]  # fmt: skip
    assert kinds[-7:] == ["duty_order", "order_decision", "order_dispatch", "order_dispatch",
                          "order_follow_up", "order_follow_up", "order_follow_up"]  # fmt: skip


def test_confirm_without_the_directors_pin_is_refused_and_writes_nothing(district):
    desk, officer = district, find_person(district, "张伟")
    order_id = _drafted(desk)
    with pytest.raises(DutyError) as wrong:
        decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin="000000", confirm=True)
    assert wrong.value.key == "handover_pin.wrong"
    with pytest.raises(DutyError) as empty:
        decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin="", confirm=True)
    assert empty.value.key == "order.pin_needed"
    # the shift leader's own right PIN does not make him the director (district flow chart)
    with pytest.raises(DutyError) as leader:
        decide_order(desk, order_id, officer, confirmer="王建国", pin=LEADER_PIN, confirm=True)
    assert leader.value.key == "order.not_confirmer"
    assert _count(desk, "order_decision") == 0
    assert get_order_view(desk, order_id).state == "drafted"


def test_dispatch_before_confirm_is_refused(district):
    desk, officer = district, find_person(district, "张伟")
    order_id = _drafted(desk)
    with pytest.raises(DutyError) as refused:
        dispatch_order(desk, order_id, officer, addressee="城关镇政府值班室", kind="unit",
                       channel="phone")  # fmt: skip
    assert refused.value.key == "order.not_confirmed"
    assert _count(desk, "order_dispatch") == 0


def test_a_returned_order_is_not_dispatched_and_is_redrafted_linked(district):
    desk, officer = district, find_person(district, "张伟")
    order_id = _drafted(desk)
    with pytest.raises(ValidationFailed) as no_note:  # sending back needs the note
        decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=False)
    assert no_note.value.fields == ["order_note"]
    decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=False,
                 note="级别应为较大")  # fmt: skip
    with pytest.raises(DutyError) as refused:
        dispatch_order(desk, order_id, officer, addressee="城关镇", kind="unit", channel="phone")
    assert refused.value.key == "order.was_returned"
    with pytest.raises(DutyError) as again:
        decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=True)
    assert again.value.key == "order.already_returned"
    incident = get_order_view(desk, order_id).order.incident_id
    redraft = draft_order(desk, find_person(desk, "赵磊"),
                          OrderDraft(incident, "事故灾难", "较大", "启动预案", revises_id=order_id))  # fmt: skip
    assert get_order_view(desk, order_id).revised_by_id == redraft.id
    assert get_order_view(desk, order_id).state == "returned"
    with pytest.raises(DutyError) as twice:
        draft_order(
            desk, officer, OrderDraft(incident, "事故灾难", "较大", "x", revises_id=order_id)
        )
    assert twice.value.key == "order.revised_already"


def test_bad_input_is_refused_before_anything_is_written(district):
    desk, officer = district, find_person(district, "张伟")
    incident = _incident(desk)
    with pytest.raises(ValidationFailed) as bad:
        draft_order(desk, officer, OrderDraft(incident, "地震", "五级", "  "))
    assert bad.value.fields == ["order_type", "order_level", "order_instruction"]
    with pytest.raises(DutyError) as unknown:
        draft_order(desk, officer, OrderDraft(incident + 99, "事故灾难", "一般", "处置"))
    assert unknown.value.key == "incident.unknown"
    order_id = _drafted(desk)
    decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=True)
    with pytest.raises(ValidationFailed) as channel:
        dispatch_order(desk, order_id, officer, addressee="城关镇", kind="town", channel="pigeon")
    assert channel.value.fields == ["order_addressee_kind", "order_channel"]
    assert _count(desk, "duty_order") == 1 and _count(desk, "order_dispatch") == 0


def test_the_board_items_follow_the_order_with_asap_where_the_text_sets_no_limit(district, clock):
    desk, officer = district, find_person(district, "张伟")
    order_id = _drafted(desk)
    [waiting] = order_deadlines(desk, desk.now())
    assert (waiting.subject, waiting.channel, waiting.id) == ("order", "confirm", order_id)
    assert waiting.due_at is None and waiting.status == "asap"  # 第一时间: no minutes
    assert "Handling Flow" in waiting.cite  # 一般突发事件信息处理流程
    decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=True)
    assert [v.channel for v in order_deadlines(desk, desk.now())] == ["dispatch"]
    sent = dispatch_order(desk, order_id, officer, addressee="城关镇", kind="unit", channel="fax")
    [feedback] = order_deadlines(desk, desk.now())
    assert (feedback.channel, feedback.id) == ("feedback", sent.id)
    assert "城关镇" in feedback.label
    follow_up_order(desk, sent.id, officer, text="已反馈", reported_back=True)
    assert order_deadlines(desk, desk.now()) == []
    with pytest.raises(DutyError) as more:
        follow_up_order(desk, sent.id, officer, text="再督办", reported_back=False)
    assert more.value.key == "order.reported_already"


def test_tianjin_feedback_is_due_within_24_hours_and_the_leader_confirms(desk, clock):
    set_pin(desk, "王建国", LEADER_PIN, LEADER_PIN, authority=authority_for(desk))
    officer = find_person(desk, "张伟")
    order_id = _drafted(desk)
    decide_order(desk, order_id, officer, confirmer="王建国", pin=LEADER_PIN, confirm=True)
    sent = dispatch_order(desk, order_id, officer, addressee="和平区政府值班室", kind="unit",
                          channel="radio")  # fmt: skip
    [item] = order_deadlines(desk, desk.now())
    assert item.due_at == sent.dispatched_at.add(hours=24)
    assert item.status == "ok" and item.cite == "Tianjin art. 24"
    clock.advance(hours=25)
    [late] = order_deadlines(desk, desk.now())
    assert late.status == "overdue"


def test_order_rows_are_append_only(district):
    order_id = _drafted(district)
    with sqlite3.connect(district.path) as conn:
        for statement in (f"UPDATE duty_order SET level = 'I' WHERE id = {order_id}",
                          "DELETE FROM duty_order"):  # fmt: skip
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)


def test_the_board_shows_orders_under_keys_of_their_own(district):
    from dutydesk.services.board import board_items, board_key, is_deadline_row

    desk, officer = district, find_person(district, "张伟")
    order_id = _drafted(desk)
    decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=True)
    dispatch_order(desk, order_id, officer, addressee="城关镇", kind="unit", channel="fax")
    items = board_items(desk, desk.now())
    assert {"order", "incident"} <= {view.subject for view in items}
    assert "roster" not in {view.subject for view in items}  # no roster kept here: no reminder
    keys = [board_key(view) for view in items]
    assert len(keys) == len(set(keys))
    [order] = [view for view in items if view.subject == "order"]
    assert board_key(order) == f"order:feedback:{order.id}" and not is_deadline_row(order)


def test_a_roster_to_file_is_on_the_board_and_below_what_is_due_as_soon_as_possible(bare_desk):
    from dutydesk.services.board import board_items, board_key, is_deadline_row
    from dutydesk.services.incidents.deadline_views import sort_key
    from dutydesk.services.roster import generate_month
    from tests.roster_support import PLANNER, staff

    staff(bare_desk, leaders=2, officers=3)
    generate_month(bare_desk, 2026, 12, seed=1, by=PLANNER)
    [roster] = [
        view for view in board_items(bare_desk, bare_desk.now()) if view.subject == "roster"
    ]
    assert roster.kind_label == "排班报备" and roster.cite and not is_deadline_row(roster)
    assert board_key(roster).startswith("roster:")
    assert roster.due_at is not None and roster.seconds_left is not None
    asap = replace(roster, id=99, subject="order", due_at=None, seconds_left=None)
    far = replace(roster, seconds_left=30 * 24 * 3600)
    near = replace(roster, id=98, seconds_left=3600)
    assert sorted([far, asap, near], key=sort_key) == [near, asap, far]


def test_the_one_who_drafted_an_order_does_not_confirm_it(district):
    desk, officer = district, find_person(district, "张伟")
    director = find_person(desk, DIRECTOR)
    draft = OrderDraft(_incident(desk), "事故灾难", "一般", "立即组织力量赶赴现场处置")
    order = draft_order(desk, director, draft)
    before = _count(desk, "order_decision")
    with pytest.raises(DutyError) as refused:
        decide_order(desk, order.id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=True)
    assert refused.value.key == "order.self_confirm"
    assert _count(desk, "order_decision") == before


def test_an_order_goes_only_to_a_unit_or_leader_a_register_knows(district):
    """QA: an order could be dispatched to anyone: a non-leader as "leader", a unit in neither
    the units register nor the phone list."""
    from dutydesk.services.spotcheck.units import UnitDraft, add_unit

    desk, officer = district, find_person(district, "张伟")
    order_id = _drafted(desk)
    decide_order(desk, order_id, officer, confirmer=DIRECTOR, pin=DIRECTOR_PIN, confirm=True)
    before = _count(desk, "order_dispatch")
    for name, kind in (("赵磊", "leader"), ("张伟", "leader"), ("城关镇政府值班室", "leader"),
                       ("不存在的乡", "unit"), ("李副区长", "unit")):  # fmt: skip
        with pytest.raises(DutyError) as refused:
            dispatch_order(desk, order_id, officer, addressee=name, kind=kind, channel="phone")
        assert refused.value.key == f"order.unknown_{kind}"
        assert name in refused.value.message()
        assert ("单位名录" if kind == "unit" else "人员名单") in refused.value.message()
    assert _count(desk, "order_dispatch") == before
    add_unit(desk, UnitDraft(name="新华街道", kind="subdistrict", duty_phone="0371-66001234"))
    for name, kind in (("王建国", "leader"), (DIRECTOR, "leader"), ("李副区长", "leader"),
                       ("新华街道", "unit"), ("城关镇", "unit")):  # fmt: skip
        dispatch_order(desk, order_id, officer, addressee=name, kind=kind, channel="phone")
    assert _count(desk, "order_dispatch") == before + 5
