"""The incident view (事件详情): one incident with its report deadlines, its reports and its
orders (应急指令), where an order is drafted (d), confirmed or sent back (c, the confirming
officer's PIN), dispatched (s) and followed up (f) from the keyboard. Reached from the deadline
board (a key on an incident's row) and from the command palette (IncidentAsk). Everything is
read in a worker thread; the forms save in theirs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal, DeskScreen
from dutydesk.screens.keys_after import act_after_keys
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal, one_line

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.models import Incident
    from dutydesk.services.core import Desk
    from dutydesk.services.documents import OrderView
    from dutydesk.services.incidents import DeadlineView
    from dutydesk.widgets.desk_app import DeskApp


@dataclass(frozen=True)
class Shown:
    """What the view shows, read in the worker."""

    incident: Incident
    level: str
    deadlines: list[DeadlineView]
    reports: list[str]
    orders: list[OrderView]


def read_incident(desk: Desk, incident_id: int) -> Shown:
    from dutydesk.services.documents import incident_with_level, orders_for_incident
    from dutydesk.services.incidents import deadlines_for, report_chain

    incident, level = incident_with_level(desk, incident_id)
    zone = desk.timezone

    def at(value: DateTime | None) -> str:
        return "—" if value is None else value.in_timezone(zone).format("MM-DD HH:mm")

    reports = [
        f"{step.label}  {at(step.phoned_at)} / {at(step.written_at)}  {step.to_whom}"
        for step in report_chain(desk, incident_id)
    ]
    return Shown(incident, level, deadlines_for(desk, "incident", incident_id), reports,
                 orders_for_incident(desk, incident_id))  # fmt: skip


class IncidentViewScreen(DeskScreen[None]):
    STATUS_LINE = "#iv-status"
    KEYS: ClassVar[list[Key]] = [
        # acted on as they reach the app, the keys typed after them held for the form they open
        # (screens/keys_after.py): `d` and an order's text in one burst
        Key("d", "step('draft')", "incident_view.draft", priority=True),
        Key("c", "step('confirm')", "incident_view.confirm", priority=True),
        Key("s", "step('dispatch')", "incident_view.dispatch", priority=True),
        Key("f", "step('follow')", "incident_view.follow", priority=True),
        Key("ctrl+r", "reload", "board.reload", priority=True),
        Key("escape", "back", "incident_view.back"),
    ]
    BINDINGS = bindings(KEYS)
    DEFAULT_CSS = """
    #iv-top { height: auto; max-height: 45%; border: round $primary; padding: 0 1; }
    #iv-orders { height: 1fr; border: round $accent; }
    #iv-status { height: 1; }
    #iv-status.error { color: $error; text-style: bold; }
    #iv-status.ok { color: $success; }
    .iv-heading { text-style: bold; }
    """

    def __init__(self, incident_id: int, *, keys_held: bool = False) -> None:
        super().__init__()
        self.incident_id = incident_id
        self.shown: Shown | None = None
        # a hold on the app's keys (DeskApp.hold_keys) taken for this view, given up once its
        # first read is shown: a key typed right after Ctrl+E (d, 拟办) has something to act on
        self.keys_held = keys_held

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        with VerticalScroll(id="iv-top") as top:
            top.border_title = literal(t("incident_view.title"))
            yield Static(literal(t("incident_view.loading")), id="iv-incident")
            yield Static("", id="iv-deadlines")
            yield Static("", id="iv-reports")
        orders = OptionList(id="iv-orders")
        orders.border_title = literal(t("incident_view.orders"))
        yield orders
        yield Static("", id="iv-status")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#iv-orders", OptionList).focus()

    def reload(self) -> None:
        self.run_worker(self._read, thread=True, exclusive=True, group="incident-view",
                        exit_on_error=False)  # fmt: skip

    def _read(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk

        try:
            with thread_desk(self.desk) as own:
                shown = read_incident(own, self.incident_id)
        except DutyError as error:
            self.app.call_from_thread(self.set_status, error.message(), ok=False)
            return
        else:
            self.app.call_from_thread(self.show, shown)
        finally:  # shown or not, the keys typed meanwhile go on (never held for good)
            self.app.call_from_thread(self._let_keys_go)

    def _let_keys_go(self) -> None:
        if self.keys_held:
            self.keys_held = False
            self.app.call_later(self.app.release_keys)

    def show(self, shown: Shown) -> None:
        from dutydesk.services.incidents import due_label, incident_label, remaining_label

        self.shown = shown
        incident, zone = shown.incident, self.desk.timezone
        head = incident_label(incident, shown.level)
        summary = one_line(incident.summary) or "—"
        occurred = incident.occurred_at.in_timezone(zone).format("YYYY-MM-DD HH:mm")
        self.query_one("#iv-incident", Static).update(literal(f"{head}\n{occurred}  {summary}"))
        lines = [t("incident_view.deadlines")]
        lines += [f"  {v.kind_label}  {due_label(v, zone)}  {remaining_label(v)}"
                  for v in shown.deadlines] or ["  " + t("incident_view.no_deadlines")]  # fmt: skip
        self.query_one("#iv-deadlines", Static).update(literal("\n".join(lines)))
        reports = [t("incident_view.reports")]
        reports += [f"  {line}" for line in shown.reports] or ["  " + t("incident_view.no_reports")]
        self.query_one("#iv-reports", Static).update(literal("\n".join(reports)))
        self._fill_orders(shown.orders)

    def _fill_orders(self, orders: list[OrderView]) -> None:
        from dutydesk.services.documents import order_lines

        table = self.query_one("#iv-orders", OptionList)
        highlighted = table.highlighted_option.id if table.highlighted_option else None
        table.clear_options()
        options = [Option(literal(line), id=key) for key, line in order_lines(self.desk, orders)]
        if not options:
            options = [Option(literal(t("incident_view.no_orders")), id="none", disabled=True)]
        table.add_options(options)
        ids = [option.id for option in options]
        if highlighted in ids:
            table.highlighted = ids.index(highlighted)
        elif not options[0].disabled:
            table.highlighted = len(options) - 1

    # -- the selection --------------------------------------------------------------------------

    def _selected_key(self) -> str | None:
        option = self.query_one("#iv-orders", OptionList).highlighted_option
        return None if option is None or option.id in (None, "none") else option.id

    def _selected_order(self) -> OrderView | None:
        key = self._selected_key()
        if key is None or self.shown is None:
            return None
        kind, _, number = key.partition("-")
        for view in self.shown.orders:
            if kind in ("o", "c") and view.id == int(number):
                return view
            if kind == "d" and any(d.dispatch.id == _dispatch_id(number) for d in view.dispatches):
                return view
        return None

    # -- the steps ------------------------------------------------------------------------------

    def action_step(self, action: str) -> None:  # d, c, s, f
        act_after_keys(self, action)

    async def _open(self, form: DeskModal[str | None]) -> None:
        """Open a step's form, up once this returns (the keys typed after the step's key wait
        until then: act_after_keys)."""

        def _closed(message: str | None) -> None:
            if message:
                self.set_status(message, ok=True)
                self.reload()

        await self.app.push_screen(form, _closed)

    async def action_draft(self) -> None:
        from dutydesk.screens.order_forms import OrderDraftForm

        if self.shown is None:
            return
        incident, returned = self.shown.incident, self._selected_order()
        revises = returned.id if returned and returned.state == "returned" else None
        revises = None if returned and returned.revised_by_id else revises
        await self._open(OrderDraftForm(self.incident_id, one_line(incident.summary),
                                  event_type=incident.type, level=self.shown.level,
                                  revises=revises))  # fmt: skip

    async def action_confirm(self) -> None:
        from dutydesk.screens.order_forms import OrderDecisionForm

        view = self._selected_order()
        if view is None:
            self.set_status(t("incident_view.pick_order"), ok=False)
            return
        await self._open(OrderDecisionForm(view))

    async def action_dispatch(self) -> None:
        from dutydesk.screens.order_forms import OrderDispatchForm

        view = self._selected_order()
        if view is None:
            self.set_status(t("incident_view.pick_order"), ok=False)
            return
        await self._open(OrderDispatchForm(view))

    async def action_follow(self) -> None:
        from dutydesk.screens.order_forms import OrderFollowUpForm

        key, view = self._selected_key(), self._selected_order()
        if key is None or view is None or not key.startswith("d-"):
            self.set_status(t("incident_view.pick_dispatch"), ok=False)
            return
        dispatch_id = _dispatch_id(key.removeprefix("d-"))
        [item] = [d for d in view.dispatches if d.dispatch.id == dispatch_id]
        await self._open(OrderFollowUpForm(dispatch_id, item.dispatch.addressee))

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()


def _dispatch_id(number: str) -> int:
    """The dispatch of a line's key: "7" for the dispatch, "7.12" for one of its follow-ups."""
    return int(number.partition(".")[0])


class IncidentAsk(DeskModal[int | None]):
    """An incident's number, Enter gives it back: the palette's way into the incident view,
    and the board's re-grade of an incident that has no row of its own (`title` says which)."""

    DEFAULT_CSS = """
    IncidentAsk { align: center middle; }
    #ask-box { width: 50; height: auto; border: round $primary; background: $surface; }
    """
    BINDINGS = bindings([Key("escape", "cancel", "order_form.cancel")])

    def __init__(self, title: str | None = None) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ask-box") as box:
            box.border_title = literal(self.title_text or t("incident_view.palette"))
            field = DeskInput(id="ask-incident", placeholder=t("incident_view.ask_incident"))
            yield field
            yield Static("", id="ask-status")

    def on_mount(self) -> None:
        self.query_one("#ask-incident", DeskInput).focus()  # not the box around it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip().lstrip("#")
        if text.isdecimal():
            self.dismiss(int(text))
        else:
            self.query_one("#ask-status", Static).update(
                literal(
                    t(
                        "incident_problem.not_a_number",
                        field=t("field.order_incident"),
                        value=event.value,
                    )
                )  # fmt: skip
            )

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_incident_view(app: DeskApp, incident_id: int) -> None:
    """Push the view of `incident_id` on `app` (the board and the palette); the keys typed
    until it has read its incident wait for it (as the board's Ctrl+G and Ctrl+T do)."""
    app.hold_keys()
    app.push_screen(IncidentViewScreen(incident_id, keys_held=True))
