"""The handover screen: the checklist with each item's article, ticked from the keyboard;
then the two-person sign-off on this terminal, and the archive it writes (in a worker thread, so
the screen stays live while the register is copied)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.handover_keys import note_after_keys
from dutydesk.screens.handover_live import ChecklistScreen
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.handed_over import HandedOverNote
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal, visible
from dutydesk.widgets.row_table import RowTable

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.screens.handover_sign import SignOutcome
    from dutydesk.services.handover import Checklist, Item

# An "ack" item is the incoming officer's to acknowledge (`a`), never ticked by the outgoing `d`.
PHONE_LIST_ITEM = "desk:phone_list"
# what d marks each kind of item (an "ack", "quota" or "info" item is not the outgoing's to tick)
DONE_FOR_KIND = {"check": "done", "device": "ok", "text": "done", "arrival": "done"}


class HandoverScreen(ChecklistScreen):
    STATUS_LINE = "#handover-status"

    KEYS = [
        Key("d", "done", "handover_screen.done"),
        Key("n", "note('not_done')", "handover_screen.not_done", priority=True),
        Key("f", "note('fault')", "handover_screen.fault", priority=True),
        Key("a", "ack", "handover_screen.ack"),
        Key("s", "note('summary')", "handover_screen.summary", priority=True),
        Key("t", "note('arrival')", "handover_screen.arrival", priority=True),
        Key("c", "note('close_pending')", "handover_screen.close_pending", priority=True),
        Key("u", "clear", "handover_screen.clear"),
        Key("ctrl+s", "sign", "handover_screen.sign", priority=True),
        Key("e", "retry_export", "handover_screen.retry"),
        Key("p", "phone_list", "handover_screen.phone_list"),
        Key("v", "handed_over", "handed_over.key", show=False),  # the note over the list says v
        Key("escape", "cancel", "handover_screen.sign_cancel", show=False),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.checklist: Checklist | None = None
        self._asking: tuple[str, str] | None = None  # (what, item key) while the note is open

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        with Vertical(id="handover-body"):
            yield Static("", id="handover-head")
            yield HandedOverNote("handed_over.hint_handover", id="handover-previous")
            table: DataTable[str] = RowTable(id="handover-table", cursor_type="row")
            table.border_title = literal(t("handover_screen.title"))
            yield table
            yield Static("", id="handover-full")  # the selected item in full, when cut above
            yield Static("", id="handover-ask")
            yield DeskInput(placeholder=t("handover_screen.note_placeholder"), id="handover-note")
            yield Static("", id="handover-status")
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#handover-table", DataTable)
        for key in ("state", "item", "note", "cite"):  # the note before the article: in sight
            table.add_column(literal(t("handover_screen.column_" + key)), key=key)
        self._show_ask(None)
        self.refresh_checklist()
        self.watch_register()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_checklist()

    # -- the checklist ------------------------------------------------------------------------

    def refresh_checklist(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.handover import build_checklist

        try:
            checklist = build_checklist(self.desk)
        except DutyError as error:
            self.show_refused(error.message())
            return
        self.show_checklist(checklist)

    def _mark(self, item: Item, state: str, note: str = "", at: DateTime | None = None) -> bool:
        from dutydesk.errors import DutyError
        from dutydesk.services.handover import mark

        try:
            mark(self.desk, item.key, state, note, at)
        except DutyError as error:
            self.set_status(error.message(), ok=False)
            return False
        shown = "open" if state == "clear" else state
        self.set_status(
            t(
                "handover_screen.marked",
                item=item.short_label(),
                state=t("handover_state." + shown),
            ),
            ok=True,
        )
        self.refresh_checklist()
        return True

    # -- keys ---------------------------------------------------------------------------------

    def action_done(self) -> None:
        """d marks the item done, the same on every item the outgoing officer completes: at
        once, or once its text or time is typed (the summary, the arrival). It never takes a
        tick back (u does): on an item already done it writes nothing and says so (QA: it
        re-recorded a ticked item, or reopened the summary, as if it toggled). Like every mark,
        it leaves the cursor on the item: Down goes to the next (new officer: the cursor moved
        on by itself, and the Down typed after a mark skipped an item)."""
        item = self.current_item()
        if item is None:
            return
        if item.kind == "ack":
            self.set_status(
                t("handover_screen.incoming_acknowledges", item=item.short_label()), ok=False
            )
        elif item.kind not in DONE_FOR_KIND:
            self.set_status(t("handover_screen.not_for_item", item=item.short_label()), ok=False)
        elif item.state == DONE_FOR_KIND[item.kind]:
            state = t("handover_state." + item.state)
            self.set_status(
                t("handover_done.already", item=item.short_label(), state=state), ok=True
            )
        elif item.kind == "text":
            self._ask("summary", item, item.note)
        elif item.kind == "arrival":
            self._ask("arrival", item)
        else:
            self._mark(item, DONE_FOR_KIND[item.kind])

    def action_ack(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.kind != "ack":
            self.set_status(t("handover_screen.not_for_item", item=item.short_label()), ok=False)
        else:
            self._mark(item, "acknowledged")

    def action_note(self, action: str) -> None:  # n, f, s, t, c: handover_keys.py
        note_after_keys(self, action, asking=self._asking is not None)

    def action_not_done(self) -> None:
        item = self.current_item()
        if item is not None:
            self._ask("not_done", item)

    def action_fault(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.kind != "device":
            self.set_status(t("handover_screen.not_for_item", item=item.short_label()), ok=False)
        else:
            self._ask("fault", item)

    def action_summary(self) -> None:
        if self.checklist and (item := self.checklist.item("summary")):
            self._select(item.key)
            self._ask("summary", item, item.note)

    def action_arrival(self) -> None:
        if self.checklist and (item := self.checklist.item("arrival")):
            self._select(item.key)
            self._ask("arrival", item)

    def action_close_pending(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.section != "pending" or item.kind != "ack":
            self.set_status(t("handover_screen.not_for_item", item=item.short_label()), ok=False)
        else:
            self._ask("close", item)

    def action_clear(self) -> None:
        item = self.current_item()
        if item is not None and item.state != "open":
            self._mark(item, "clear")

    def action_phone_list(self) -> None:  # the desk item 常用电话号码表 (Tianjin art. 9(5))
        from dutydesk.screens.contacts import ContactsScreen

        self.app.push_screen(ContactsScreen())

    @on(DataTable.RowSelected, "#handover-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        if str(event.row_key.value) == PHONE_LIST_ITEM:  # Enter on the item opens the list
            self.action_phone_list()

    def _select(self, key: str) -> None:
        table = self.query_one("#handover-table", DataTable)
        table.move_cursor(row=table.get_row_index(key))

    # -- the note line ------------------------------------------------------------------------

    ASK_KEYS = {
        "not_done": "handover_screen.ask_reason",
        "fault": "handover_screen.ask_fault",
        "summary": "handover_screen.ask_summary",
        "arrival": "handover_screen.ask_arrival",
        "close": "handover_screen.ask_close",
    }

    def _ask(self, what: str, item: Item, value: str = "") -> None:
        self._asking = (what, item.key)
        ask = literal(t(self.ASK_KEYS[what], item=item.short_label()))
        self.query_one("#handover-ask", Static).update(ask)
        self._show_ask(True)
        note = self.query_one("#handover-note", Input)
        note.value = visible(value)  # an old register's escapes are shown, not sent
        # now, not after a refresh (Widget.focus): the keys typed straight after n, s or t are
        # the note's, not the checklist's keys (new officer, session 17: d marked an item)
        self.app.set_focus(note)

    def _show_ask(self, visible: bool | None) -> None:
        self.query_one("#handover-ask", Static).display = bool(visible)
        self.query_one("#handover-note", Input).display = bool(visible)

    def _end_ask(self) -> None:
        self._asking = None
        self.query_one("#handover-note", Input).value = ""
        self._show_ask(False)
        self.query_one("#handover-table", DataTable).focus()

    def action_cancel(self) -> None:
        """Esc: the question asked put away; with none, the notes shown (the signing key's stays
        two minutes, over the keys row: new officer, session 15, had to go to F2 to close it)."""
        if self._asking is not None:
            self._end_ask()
            return
        self.app.clear_notifications()

    @on(Input.Submitted, "#handover-note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        if self._asking is None or self.checklist is None:
            return
        what, key = self._asking
        item = self.checklist.item(key)
        if item is None:
            self._end_ask()
            return
        text = event.value
        if what == "close":
            saved = self._close_pending(item, text)
        elif what == "arrival":
            saved = self._arrival(item, text)
        elif what == "summary":
            saved = self._mark(item, "done", text)
        else:
            saved = self._mark(item, what, text)
        if saved:
            self._end_ask()

    def _arrival(self, item: Item, text: str) -> bool:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import parse_time

        at = None
        if text.strip():
            try:
                at = parse_time(text, self.desk.timezone, self.desk.now())
            except DutyError as error:
                self.set_status(error.message(), ok=False)
                return False
        return self._mark(item, "done", "", at)

    def _close_pending(self, item: Item, note: str) -> bool:
        from dutydesk.errors import DutyError
        from dutydesk.services.handover import close_item

        assert self.checklist is not None
        try:
            close_item(self.desk, int(item.key.split(":")[1]),
                       self.recorder(self.checklist.officer), note)  # fmt: skip
        except DutyError as error:
            self.set_status(error.message(), ok=False)
            return False
        self.set_status(
            t("handover_screen.marked", item=item.short_label(), state=t("handover_state.closed")),
            ok=True,
        )
        self.refresh_checklist()
        return True

    # -- sign-off and export ------------------------------------------------------------------

    def action_sign(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.screens.handover_sign import SignOffScreen
        from dutydesk.services.handover import check_ready

        if self._asking is not None:
            self._end_ask()
        try:
            checklist = check_ready(self.desk)
        except DutyError as error:
            self.set_status(error.message(), ok=False)
            return
        self.app.push_screen(SignOffScreen(checklist.officer), callback=self._after_sign)

    def _after_sign(self, outcome: SignOutcome | None) -> None:
        if outcome is None:
            return
        message = t("handover_screen.signed", outgoing=outcome.outgoing, incoming=outcome.incoming)
        message = f"{message} {outcome.runs}".strip()
        self.app.refresh_shift()
        self.refresh_checklist()
        self._start_export(outcome.handover_id, message)
