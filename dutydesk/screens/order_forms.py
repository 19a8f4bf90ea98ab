"""The four steps of an order as forms (the incident view opens them): the standby's draft (type,
level, instruction), the confirming officer's decision (name, PIN, confirm or send back with a
note), a dispatch (addressee, kind, channel, time) and a follow-up entry (text, reported back or
not). Each saves in the EntryForm's worker and says what it recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from dutydesk.i18n import t
from dutydesk.screens.entry_form import (
    EntryForm,
    picked,
    picker,
    read_field,
    text_area,
    text_input,
)
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk
    from dutydesk.services.documents import OrderView


def step_time(desk: Desk, field: str, text: str) -> DateTime | None:
    """A typed time read as the calls form reads it (`2150` is 21:50); in the worker thread."""
    from dutydesk.services.documents import typed_step_time

    return read_field(field, lambda: typed_step_time(desk, text))


class _OrderForm(EntryForm):
    """An order form with a line naming what it concerns above its fields."""

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading = heading

    FIRST_FIELD = ""  # the field the cursor starts in; "": the first input

    def first_field(self) -> Widget:
        """The draft and the follow-up start in their text (the draft has no input)."""
        if self.FIRST_FIELD:
            return self.query_one(f"#e-{self.FIRST_FIELD}")
        return super().first_field()

    def heading_line(self) -> Static:
        return Static(literal(self.heading), classes="order-heading")


class OrderDraftForm(_OrderForm):
    TITLE_KEY = "incident_view.draft"
    FIRST_FIELD = "order_instruction"

    def __init__(self, incident_id: int, heading: str, *, event_type: str, level: str,
                 revises: int | None = None) -> None:  # fmt: skip
        super().__init__(t("order_form.draft_title", incident=incident_id) + "  " + heading)
        self.incident_id = incident_id
        self.event_type = event_type
        self.level = level
        self.revises = revises

    def fields(self) -> ComposeResult:
        yield self.heading_line()
        types = [(t(f"incident_type.{code}"), code) for code in ("natural", "accident", "health", "social")]  # fmt: skip
        levels = [(t(f"incident_level.{code}"), code) for code in ("I", "II", "III", "IV")]
        with Horizontal(classes="entry-row"):
            yield picker("order_type", types, self.event_type)
            yield picker("order_level", levels, self.level)
        yield text_area("order_instruction")

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.documents import OrderDraft, draft_order

        draft = OrderDraft(self.incident_id, values["order_type"], values["order_level"],
                           values["order_instruction"], revises_id=self.revises)  # fmt: skip
        order = draft_order(self.desk, self.recorder(), draft)
        role = t(f"role.{self.desk.profile.orders.confirm_role}")
        return t("order.drafted", id=order.id, role=role)


class OrderDecisionForm(_OrderForm):
    """Confirm (Ctrl+S) or send back (Ctrl+B, the note required): the confirming officer types
    their own name and PIN (never shown)."""

    TITLE_KEY = "incident_view.confirm"
    BINDINGS = bindings([Key("ctrl+b", "send_back", "order_form.return", priority=True)])

    def __init__(self, view: OrderView) -> None:
        super().__init__(t("order_form.confirm_title", id=view.id) + "  " + view.order.instruction)
        self.view = view
        self.send_back = False

    def fields(self) -> ComposeResult:
        yield self.heading_line()
        with Horizontal(classes="entry-row"):
            yield text_input("order_confirmer")
            pin = text_input("order_pin")
            pin.password = True
            yield pin
        yield text_input("order_note")

    def action_send_back(self) -> None:
        if not self._saving:
            self.send_back = True
            super().action_save()

    def action_save(self) -> None:
        if not self._saving:
            self.send_back = False
            super().action_save()

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.documents import decide_order

        back = self.send_back  # set on the UI thread before this worker started
        decide_order(self.desk, self.view.id, self.recorder(),
                     confirmer=values["order_confirmer"], pin=values["order_pin"],
                     confirm=not back, note=values["order_note"])  # fmt: skip
        if back:
            return t("order.returned", id=self.view.id, note=values["order_note"].strip())
        return t("order.confirmed", id=self.view.id)


class OrderDispatchForm(_OrderForm):
    TITLE_KEY = "incident_view.dispatch"

    def __init__(self, view: OrderView) -> None:
        super().__init__(t("order_form.dispatch_title", id=view.id) + "  " + view.order.instruction)
        self.view = view
        self.names: dict[str, list[str]] = {}  # the known addressees per kind, once read

    def fields(self) -> ComposeResult:
        yield self.heading_line()
        yield text_input("order_addressee")
        kinds = [(t(f"addressee_kind.{code}"), code) for code in ("unit", "leader")]
        channels = [
            (t(f"order_channel.{code}"), code) for code in self.desk.profile.orders.channels
        ]
        with Horizontal(classes="entry-row"):
            yield picker("order_addressee_kind", kinds, "unit")
            yield picker("order_channel", channels, channels[0][1])
        yield text_input("order_dispatched_at", placeholder=t("entry_form.time_placeholder"))

    def on_mount(self) -> None:
        super().on_mount()
        self.run_worker(self._read_names, thread=True, group="order-addressees", exclusive=True)

    def _read_names(self) -> None:
        """The names an order may go to, per kind: the addressee completes from them."""
        from dutydesk.services.core import thread_desk
        from dutydesk.services.documents import addressee_names

        with thread_desk(self.desk) as own:
            names = {kind: addressee_names(own, kind) for kind in ("unit", "leader")}
        self.app.call_from_thread(self._names_read, names)

    def _names_read(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self._suggest()

    @on(Select.Changed, "#e-order_addressee_kind")
    def _suggest(self) -> None:
        kind = picked(self.query_one("#e-order_addressee_kind", Select))
        self.query_one("#e-order_addressee", Input).suggester = SuggestFromList(
            self.names.get(kind, []), case_sensitive=False
        )

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.documents import dispatch_order

        at = step_time(self.desk, "order_dispatched_at", values["order_dispatched_at"])
        row = dispatch_order(self.desk, self.view.id, self.recorder(),
                             addressee=values["order_addressee"],
                             kind=values["order_addressee_kind"],
                             channel=values["order_channel"], at=at)  # fmt: skip
        return t("order.dispatched", id=self.view.id, addressee=row.addressee)


class OrderFollowUpForm(_OrderForm):
    TITLE_KEY = "incident_view.follow"
    FIRST_FIELD = "order_follow_up"

    def __init__(self, dispatch_id: int, addressee: str) -> None:
        super().__init__(t("order_form.follow_title", id=dispatch_id, addressee=addressee))
        self.dispatch_id = dispatch_id
        self.addressee = addressee

    def fields(self) -> ComposeResult:
        yield self.heading_line()
        yield text_area("order_follow_up")
        answers = [(t("order_form.no"), "no"), (t("order_form.yes"), "yes")]
        with Horizontal(classes="entry-row"):
            yield picker("order_reported_back", answers, "no")
            yield text_input("order_followed_at", placeholder=t("entry_form.time_placeholder"))

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.documents import follow_up_order

        reported = values["order_reported_back"] == "yes"
        at = step_time(self.desk, "order_followed_at", values["order_followed_at"])
        follow_up_order(self.desk, self.dispatch_id, self.recorder(),
                        text=values["order_follow_up"], reported_back=reported, at=at)  # fmt: skip
        key = "order.reported" if reported else "order.followed"
        return t(key, id=self.dispatch_id, addressee=self.addressee)
