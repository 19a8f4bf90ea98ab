"""Orders as read back: each order with its decision, dispatches and follow-ups and its state,
and the items the deadline board shows (orders awaiting confirmation, confirmed orders not yet
dispatched, dispatches awaiting the addressee's report), each with the profile's time limit or
"尽快" where the text sets none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import (
    DutyOrder,
    Incident,
    OrderDecision,
    OrderDecisionKind,
    OrderDispatch,
    OrderFollowUp,
    Person,
)
from dutydesk.services.incidents import DeadlineView
from dutydesk.services.incidents.deadline_views import countdown

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

MAX_LIST = 1000
SUBJECT = "order"


@dataclass(frozen=True)
class DispatchView:
    dispatch: OrderDispatch
    follow_ups: list[OrderFollowUp]

    @property
    def reported_at(self) -> DateTime | None:
        done = [f.at for f in self.follow_ups if f.reported_back]
        return done[0] if done else None


@dataclass(frozen=True)
class OrderView:
    order: DutyOrder
    drafted_by: str
    decision: OrderDecision | None
    decided_by: str
    dispatches: list[DispatchView] = field(default_factory=list)
    revised_by_id: int | None = None  # the redraft of an order sent back

    @property
    def id(self) -> int:
        assert self.order.id is not None
        return self.order.id

    @property
    def state(self) -> str:
        """drafted | returned | confirmed | dispatched | done (every addressee reported back)."""
        if self.decision is None:
            return "drafted"
        if self.decision.decision == OrderDecisionKind.returned.value:
            return "returned"
        if not self.dispatches:
            return "confirmed"
        if all(d.reported_at is not None for d in self.dispatches):
            return "done"
        return "dispatched"

    @property
    def label(self) -> str:
        return t("order.label", id=self.id, incident=self.order.incident_id,
                 level=t(f"incident_level.{self.order.level}"),
                 type=t(f"incident_type.{self.order.event_type}"))  # fmt: skip


def _view(session: Session, order: DutyOrder) -> OrderView:
    names: dict[int, str] = {}

    def name(person_id: int) -> str:
        if person_id not in names:
            person = session.get(Person, person_id)
            names[person_id] = person.name if person else "?"
        return names[person_id]

    decision = session.exec(select(OrderDecision).where(OrderDecision.order_id == order.id)).first()
    dispatches = session.exec(
        select(OrderDispatch).where(OrderDispatch.order_id == order.id).order_by(
            col(OrderDispatch.id))
    ).all()  # fmt: skip
    views = []
    for dispatch in dispatches:
        entries = session.exec(
            select(OrderFollowUp).where(OrderFollowUp.dispatch_id == dispatch.id).order_by(
                col(OrderFollowUp.id))
        ).all()  # fmt: skip
        views.append(DispatchView(dispatch, list(entries)))
    redraft = session.exec(select(DutyOrder.id).where(DutyOrder.revises_id == order.id)).first()
    return OrderView(
        order=order,
        drafted_by=name(order.drafted_by_id),
        decision=decision,
        decided_by=name(decision.decided_by_id) if decision else "",
        dispatches=views,
        revised_by_id=redraft,
    )


def get_order_view(desk: Desk, order_id: int) -> OrderView:
    with read_session(desk.engine) as session:
        order = session.get(DutyOrder, order_id)
        if order is None:
            raise DutyError("order.unknown", id=order_id)
        return _view(session, order)


def orders_for_incident(desk: Desk, incident_id: int) -> list[OrderView]:
    """An incident's orders, oldest first."""
    with read_session(desk.engine) as session:
        rows = session.exec(
            select(DutyOrder).where(DutyOrder.incident_id == incident_id).order_by(
                col(DutyOrder.id))
        ).all()  # fmt: skip
        return [_view(session, row) for row in rows]


def recent_orders(desk: Desk, limit: int = 50) -> list[OrderView]:
    """The newest orders, newest first."""
    limit = max(1, min(limit, MAX_LIST))
    with read_session(desk.engine) as session:
        rows = session.exec(select(DutyOrder).order_by(col(DutyOrder.id).desc()).limit(limit)).all()
        return [_view(session, row) for row in rows]


# ---------------------------------------------------------------- the board


def _plus(start: DateTime, minutes: int | None) -> DateTime | None:
    return None if minutes is None else start.add(minutes=minutes)


def _item(desk: Desk, at: DateTime, *, key: int, channel: str, order: DutyOrder,
          clock_at: DateTime, minutes: int | None, label: str) -> DeadlineView:  # fmt: skip
    due = _plus(clock_at, minutes)
    status, left = countdown(due, None, at, desk.profile.incidents.warning_minutes)
    assert order.id is not None
    return DeadlineView(
        id=key,
        subject=SUBJECT,
        subject_id=order.id,
        label=label,
        rule_code=f"order_{channel}",
        channel=channel,
        cite=desk.profile.orders.confirm_cite
        if channel == "confirm"
        else desk.profile.orders.limits_cite,
        counts_from="received_at",
        clock_at=clock_at,
        occurred_at=None,
        received_at=clock_at,
        minutes=minutes,
        due_at=due,
        done_at=None,
        late_minutes=None,
        acked_at=None,
        acked_status=None,
        status=status,
        seconds_left=left,
    )


def order_deadlines(desk: Desk, at: DateTime) -> list[DeadlineView]:
    """The board's order items at `at`, subject "order", told apart by channel: "confirm"
    (an order awaiting its decision; id = the order's), "dispatch" (confirmed, not yet passed
    on; id = the order's) and "feedback" (a dispatch awaiting its report; id = the dispatch's).
    A view's id is unique only with its channel: the board keys them by (subject, channel, id)."""
    rules = desk.profile.orders
    items: list[DeadlineView] = []
    with read_session(desk.engine) as session:
        decided = select(OrderDecision.order_id)
        for order in session.exec(select(DutyOrder).where(col(DutyOrder.id).not_in(decided))):
            items.append(_item(desk, at, key=order.id, channel="confirm", order=order,  # type: ignore[arg-type]
                               clock_at=order.drafted_at, minutes=rules.confirm_minutes,
                               label=_label(order)))  # fmt: skip
        dispatched = select(OrderDispatch.order_id)
        waiting = (
            select(DutyOrder, OrderDecision)
            .join(OrderDecision, col(OrderDecision.order_id) == col(DutyOrder.id))
            .where(OrderDecision.decision == OrderDecisionKind.confirmed.value)
            .where(col(DutyOrder.id).not_in(dispatched))
        )
        for order, decision in session.exec(waiting):
            items.append(_item(desk, at, key=order.id, channel="dispatch", order=order,  # type: ignore[arg-type]
                               clock_at=decision.decided_at, minutes=rules.dispatch_minutes,
                               label=_label(order)))  # fmt: skip
        reported = select(OrderFollowUp.dispatch_id).where(col(OrderFollowUp.reported_back))
        open_dispatches = (
            select(OrderDispatch, DutyOrder)
            .join(DutyOrder, col(DutyOrder.id) == col(OrderDispatch.order_id))
            .where(col(OrderDispatch.id).not_in(reported))
        )
        for dispatch, order in session.exec(open_dispatches):
            label = f"{_label(order)} → {dispatch.addressee}"
            items.append(_item(desk, at, key=dispatch.id, channel="feedback", order=order,  # type: ignore[arg-type]
                               clock_at=dispatch.dispatched_at, minutes=rules.feedback_minutes,
                               label=label))  # fmt: skip
    return items


def _label(order: DutyOrder) -> str:
    return t("order.label", id=order.id, incident=order.incident_id,
             level=t(f"incident_level.{order.level}"),
             type=t(f"incident_type.{order.event_type}"))  # fmt: skip


# ---------------------------------------------------------------- JSON


def order_to_json(desk: Desk, view: OrderView) -> dict[str, Any]:
    zone = desk.timezone

    def iso(value: DateTime | None) -> str | None:
        return None if value is None else value.in_timezone(zone).isoformat()

    order, decision = view.order, view.decision
    return {
        "id": view.id,
        "incident_id": order.incident_id,
        "type": order.event_type,
        "level": order.level,
        "instruction": order.instruction,
        "state": view.state,
        "drafted_at": iso(order.drafted_at),
        "drafted_by": view.drafted_by,
        "revises": order.revises_id,
        "revised_by": view.revised_by_id,
        "decision": None
        if decision is None
        else {
            "kind": decision.decision,
            "by": view.decided_by,
            "at": iso(decision.decided_at),
            "note": decision.note,
        },  # fmt: skip
        "dispatches": [
            {
                "id": d.dispatch.id,
                "addressee": d.dispatch.addressee,
                "kind": d.dispatch.addressee_kind,
                "channel": d.dispatch.channel,
                "at": iso(d.dispatch.dispatched_at),
                "reported_at": iso(d.reported_at),
                "follow_ups": [
                    {"at": iso(f.at), "text": f.text, "reported_back": f.reported_back}
                    for f in d.follow_ups
                ],
            }
            for d in view.dispatches
        ],
    }


def dispatch_row(desk: Desk, dispatch_id: int) -> OrderDispatch:
    with read_session(desk.engine) as session:
        row = session.get(OrderDispatch, dispatch_id)
    if row is None:
        raise DutyError("order.unknown_dispatch", id=dispatch_id)
    return row


def order_lines(desk: Desk, views: list[OrderView]) -> list[tuple[str, str]]:
    """Each order, each of its dispatches and each follow-up as one line, with a key ("o-3",
    "d-7", "d-7.12" for a follow-up of dispatch 7): what the incident view lists and `orders
    list` prints."""
    zone = desk.timezone

    def at(value: DateTime) -> str:
        return value.in_timezone(zone).format("MM-DD HH:mm")

    lines: list[tuple[str, str]] = []
    for view in views:
        state = t(f"order_state.{view.state}")
        lines.append((f"o-{view.id}", t("incident_view.order_line", label=view.label, state=state,
                                        by=view.drafted_by, at=at(view.order.drafted_at))))  # fmt: skip
        if view.decision is not None:
            lines.append((f"c-{view.id}", t("incident_view.decision_line",
                          decision=t(f"order_decision.{view.decision.decision}"),
                          by=view.decided_by, at=at(view.decision.decided_at),
                          note=view.decision.note)))  # fmt: skip
        for item in view.dispatches:
            dispatch = item.dispatch
            done = item.reported_at
            shown = (t("incident_view.dispatch_open") if done is None
                     else t("incident_view.dispatch_done", at=at(done)))  # fmt: skip
            lines.append((f"d-{dispatch.id}", f"  #{dispatch.id} " + t(
                "incident_view.dispatch_line", addressee=dispatch.addressee,
                kind=t(f"addressee_kind.{dispatch.addressee_kind}"),
                channel=t(f"order_channel.{dispatch.channel}"), at=at(dispatch.dispatched_at),
                state=shown).strip()))  # fmt: skip
            for follow_up in item.follow_ups:  # the feedback text, as typed (shown literally)
                key = (
                    "incident_view.feedback_line"
                    if follow_up.reported_back
                    else "incident_view.follow_line"
                )
                text = " ".join(follow_up.text.split())
                lines.append((f"d-{dispatch.id}.{follow_up.id}",
                              "      " + t(key, at=at(follow_up.at), text=text)))  # fmt: skip
    return lines


def incident_with_level(desk: Desk, incident_id: int) -> tuple[Incident, str]:
    """The incident and its level now (after any re-grading): what an order is drafted from."""
    from dutydesk.services.incidents import current_levels
    from dutydesk.services.incidents.incident_common import storable_id

    if not storable_id(incident_id):  # no row's: looked up, SQLite's INTEGER overflowed
        raise DutyError("db.no_such_record")  # as the command line says it (db.translate)
    with read_session(desk.engine) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise DutyError("incident.unknown", id=incident_id)
        level = current_levels(session, [incident_id]).get(incident_id, incident.level)
    return incident, level
