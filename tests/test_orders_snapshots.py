"""The incident view with its orders, the decision form and the phone list at 120x36 and 80x24
in Chinese and 120x36 in English (issue 18 item 5), drawn from one small register: an incident,
an order confirmed by the shift leader (Tianjin) and dispatched twice, one addressee reported
back; four phone list entries. Update with `pytest tests/test_orders_snapshots.py
--snapshot-update` and look at the SVGs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from tests.conftest import T0
from tests.support_people import authority_for
from tests.support_template import copy_register, make_template

SIZES = [("zh", (120, 36)), ("zh", (80, 24)), ("en", (120, 36))]
LEADER_PIN = "731592"


def _fill(desk, clock) -> None:
    from dutydesk.services.documents import (
        ContactInput,
        OrderDraft,
        add_contact,
        decide_order,
        dispatch_order,
        draft_order,
        follow_up_order,
    )
    from dutydesk.services.incidents import IncidentDraft, record_incident
    from dutydesk.services.roster import find_person, set_pin

    officer, standby = find_person(desk, "张伟"), find_person(desk, "赵磊")
    set_pin(desk, "王建国", LEADER_PIN, LEADER_PIN, authority=authority_for(desk))
    incident = record_incident(desk, IncidentDraft(type="accident", level="III",
                               occurred_at=clock.now(), place="人民路", summary="燃气管道破裂"),
                               officer)  # fmt: skip
    clock.advance(minutes=5)
    order = draft_order(desk, standby, OrderDraft(incident.id, "事故灾难", "较大",
                                                  "立即疏散周边群众，燃气公司抢修"))  # fmt: skip
    for entry in (ContactInput("unit", "城关镇政府值班室", phone="0371-66880001"),
                  ContactInput("principal", "李明", unit="城关镇政府", post="镇长",
                               phone="0371-66880002", mobile="13800000001"),
                  ContactInput("principal", "李副区长", unit="区政府", post="副区长",
                               mobile="13800000002"),
                  ContactInput("upper", "市政府总值班室", phone="0371-69690000")):  # fmt: skip
        add_contact(desk, officer, entry)  # the addressees are on the list before the dispatch
    decide_order(desk, order.id, officer, confirmer="王建国", pin=LEADER_PIN, confirm=True)
    clock.advance(minutes=3)
    town = dispatch_order(desk, order.id, officer, addressee="城关镇政府值班室", kind="unit",
                          channel="phone")  # fmt: skip
    dispatch_order(desk, order.id, officer, addressee="李副区长", kind="leader", channel="sms")
    clock.advance(minutes=10)
    follow_up_order(desk, town.id, officer, text="已疏散完毕", reported_back=True)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dutydesk.services.core import open_desk

    path = make_template(tmp_path_factory.mktemp("orders-snapshots"))
    clock = FrozenClock(T0)
    desk = open_desk(path, clock)
    _fill(desk, clock)
    desk.close()
    return path


async def _incident_view(app, pilot) -> None:
    from dutydesk.screens.incident_view import open_incident_view

    open_incident_view(app, 1)


async def _decision(app, pilot) -> None:
    from dutydesk.screens.order_forms import OrderDecisionForm
    from dutydesk.services.documents import get_order_view

    await _incident_view(app, pilot)
    await pilot.pause()
    app.push_screen(OrderDecisionForm(get_order_view(app.desk, 1)))


async def _contacts(app, pilot) -> None:
    app.show_contacts()


SCREENS: dict[str, Callable[..., Awaitable[None]]] = {
    "incident_view": _incident_view,
    "order_decision": _decision,
    "contacts": _contacts,
}


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=["zh-120x36", "zh-80x24", "en-120x36"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_orders_screen_snapshot(screen, lang, size, register, db_path, snap_compare):
    copy_register(register, db_path)
    clock = FrozenClock(T0)
    clock.advance(minutes=30)
    app = make_app(db_path, clock=clock, lang=lang)

    async def ready(pilot) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await SCREENS[screen](app, pilot)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for field in app.screen.query("Input, TextArea"):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)
