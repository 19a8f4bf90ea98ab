"""The documents screen (文电): the register of documents received and sent, newest first, with
each one's state (待交办, 已交办, 超时未交办, 已办结) and the time it is due to be passed on.
Everything from the keyboard: Ctrl+N registers one, Ctrl+T passes the selected one on (交办),
Ctrl+U records a follow-up (督办), Ctrl+E closes it (办结), Ctrl+F cycles the filter (all,
open, urgent, overdue). The register is read and written in worker threads."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.footer import DeskFooter
from dutydesk.widgets.header import DutyHeader
from dutydesk.widgets.literal import literal, one_line

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.screens.documents_dialogs import DocumentDialog
    from dutydesk.services.documents import DocumentView

COLUMNS = ("id", "state", "urgency", "due", "title", "party", "number", "moved_at")
TITLE_SHOWN = 30  # characters of a title in the table
FILTERS = ("all", "open", "urgent", "overdue")  # as services.documents.FILTERS, in this order
STATE_STYLES = {"overdue": "bold white on red", "waiting": "bold", "closed": "dim"}
LIST_LIMIT = 200  # rows read at a time (the screen shows about 30; bench)


def _shortened(text: str) -> str:
    return text if len(text) <= TITLE_SHOWN else text[: TITLE_SHOWN - 1] + "…"


class DocumentsScreen(DeskScreen[None]):
    DEFAULT_CSS = """
    #documents-table { height: 1fr; border: round $primary; }
    #documents-status { height: auto; padding: 0 1; }
    """
    KEYS = [
        Key("ctrl+n", "register", "documents_screen.register", priority=True),
        Key("ctrl+t", "route", "documents_screen.route", priority=True),
        Key("ctrl+u", "follow", "documents_screen.follow", priority=True),
        Key("ctrl+e", "close_document", "documents_screen.close", priority=True),
        Key("ctrl+f", "next_filter", "documents_screen.filter", priority=True),
        Key("ctrl+r", "reload", "documents_screen.reload", priority=True),
    ]
    BINDINGS = bindings(KEYS)
    STATUS_LINE = "#documents-status"

    def __init__(self) -> None:
        super().__init__()
        self.which = "open"
        self.views: list[DocumentView] = []
        self._seq: int | None = None  # the hash chain's last link when the list was read

    def compose(self) -> ComposeResult:
        yield DutyHeader()
        table: DataTable[str | Text] = DataTable(
            id="documents-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("", id="documents-status", markup=False)
        yield DeskFooter()

    def on_mount(self) -> None:
        table = self.query_one("#documents-table", DataTable)
        for key in COLUMNS:
            table.add_column(t(f"documents_screen.column_{key}"), key=key)
        table.focus()  # the arrow keys choose the document the keys act on
        self._title(None)
        self.reload()
        self.app.register_changed.subscribe(self, self._register_changed)

    def on_screen_resume(self) -> None:
        self.reload()

    def _register_changed(self, _: None) -> None:
        """Someone committed (another terminal, `dutydesk documents add`): the list shown is
        read again if a document's record was written since it was read (QA #12)."""
        if self.is_current and self._seq is not None:
            self.run_worker(partial(self._load, since=self._seq), thread=True, exclusive=True,
                            group="documents-load")  # fmt: skip

    def _title(self, count: int | None) -> None:
        table = self.query_one("#documents-table", DataTable)
        which = t(f"document_filter.{self.which}")
        title = t("documents_screen.title", which=which, count="…" if count is None else count)
        table.border_title = literal(title)

    def reload(self) -> None:
        self.run_worker(self._load, thread=True, exclusive=True, group="documents-load")

    def _load(self, since: int | None = None) -> None:
        """The list; with `since`, only if a document's record was written after that link."""
        from dutydesk.errors import DutyError
        from dutydesk.services.core import kinds_written_since, thread_desk
        from dutydesk.services.documents import list_documents

        try:
            with thread_desk(self.desk) as own:
                seq, kinds = kinds_written_since(own, since)
                if (
                    since is not None
                    and kinds is not None
                    and not any(kind.startswith("document") for kind in kinds)
                ):
                    return
                now = own.now()
                views = list_documents(own, now, self.which, LIST_LIMIT)
        except DutyError as error:
            self.app.call_from_thread(self.say, error.message())
            return
        self.app.call_from_thread(self._show, views, now, seq)

    def _show(self, views: list[DocumentView], now: DateTime, seq: int) -> None:
        from dutydesk.services.documents import document_state

        self._seq = seq
        table = self.query_one("#documents-table", DataTable)
        kept = self.selected()  # the cursor stays on the document acted on (QA)
        self.views = views
        zone = self.desk.timezone
        table.clear()
        for view in views:
            document = view.document
            state = document_state(view, now)
            title = document.title
            if document.classified:
                title = f"[{t('document.classified_mark')}] {title}"
            cells: list[str | Text] = [
                str(view.id),
                Text(t(f"document_state.{state}"), style=STATE_STYLES.get(state, "")),
                t(f"document_urgency.{document.urgency}"),
                view.due.at.in_timezone(zone).format("MM-DD HH:mm") if view.due else "—",
                _shortened(one_line(title)),
                one_line(document.party),
                one_line(document.number or "—"),
                document.moved_at.in_timezone(zone).format("MM-DD HH:mm"),
            ]
            table.add_row(*(literal(c) if isinstance(c, str) else c for c in cells),
                          key=str(view.id))  # fmt: skip
        rows = [view.id for view in views]
        if kept is not None and kept.id in rows:
            table.move_cursor(row=rows.index(kept.id))
        self._title(len(views))

    def selected(self) -> DocumentView | None:
        table = self.query_one("#documents-table", DataTable)
        if not self.views or not 0 <= table.cursor_row < len(self.views):
            return None
        return self.views[table.cursor_row]

    def _open(self, dialog: DocumentDialog) -> None:
        def _closed(message: str | None) -> None:
            if message:
                self.set_status(message, ok=True)
                self.reload()

        self.app.push_screen(dialog, _closed)

    def _on_selected(self, make: type[DocumentDialog]) -> None:
        view = self.selected()
        if view is None:
            self.say(t("documents_screen.nothing_selected"))
            return
        if not view.is_open:
            self.set_status(t("document.closed", id=view.id), ok=False)
            return
        self._open(make(view.id, view.label()))

    def action_register(self) -> None:
        from dutydesk.screens.documents_dialogs import RegisterDocumentDialog

        self._open(RegisterDocumentDialog())

    def action_route(self) -> None:
        from dutydesk.screens.documents_dialogs import RouteDocumentDialog

        self._on_selected(RouteDocumentDialog)

    def action_follow(self) -> None:
        from dutydesk.screens.documents_dialogs import FollowDocumentDialog

        self._on_selected(FollowDocumentDialog)

    def action_close_document(self) -> None:
        from dutydesk.screens.documents_dialogs import CloseDocumentDialog

        self._on_selected(CloseDocumentDialog)

    def action_next_filter(self) -> None:
        self.which = FILTERS[(FILTERS.index(self.which) + 1) % len(FILTERS)]
        self._title(None)
        self.reload()

    def action_reload(self) -> None:
        self.reload()
