"""A document or a phone-list entry found by the search across registers (F9), read-only: the
document with its routing, follow-ups and closing; the entry with its history of changes.
The record is read in a worker thread; every text is shown literally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.models import Contact
    from dutydesk.services.documents import DocumentView

CONTACT_FIELDS = ("name", "unit", "post", "phone", "mobile", "note")


def _at(value: DateTime | None, zone: str) -> str:
    return value.in_timezone(zone).format("YYYY-MM-DD HH:mm") if value else ""


def document_lines(view: DocumentView, zone: str) -> list[str]:
    """The document's fields, then each step in the order recorded."""
    doc = view.document
    body = t("document.body_withheld") if doc.classified else doc.body
    fields = [
        ("document_direction", t(f"document_direction.{doc.direction}")),
        ("document_number", doc.number), ("document_party", doc.party),
        ("document_title", doc.title), ("document_kind", t(f"document_kind.{doc.kind}")),
        ("document_urgency", t(f"document_urgency.{doc.urgency}")),
        ("document_moved_at", _at(doc.moved_at, zone)), ("document_body", body),
    ]  # fmt: skip
    lines = [t("lookup.document_line", label=t(f"field.{key}"), value=value)
             for key, value in fields if value]  # fmt: skip
    steps = [t("lookup.step_routing", at=_at(r.routed_at, zone), to=r.routed_to,
               channel=r.channel, note=r.note) for r in view.routings]  # fmt: skip
    steps += [t("lookup.step_followup", at=_at(f.followed_at, zone), text=f.text)
              for f in view.followups]  # fmt: skip
    if view.closure is not None:
        steps.append(t("lookup.step_closure", at=_at(view.closure.closed_at, zone),
                       note=view.closure.note))  # fmt: skip
    return [*lines, "", t("lookup.document_steps"), *steps] if steps else lines


def contact_lines(history: list[Contact], zone: str) -> list[str]:
    """The entry as it stands now, then each earlier version with when and why it changed."""
    lines: list[str] = []
    for row in reversed(history):
        if lines:
            lines.append("")
        lines.append(f"{_at(row.recorded_at, zone)}  {t(f'contact_kind.{row.kind}')}"
                     + (f"  {row.reason}" if row.reason else ""))  # fmt: skip
        lines += [t("lookup.document_line", label=t(f"field.contact_{name}"), value=value)
                  for name in CONTACT_FIELDS if (value := getattr(row, name))]  # fmt: skip
    return lines


class RecordDialog(DeskModal[None]):
    """Document `key` (register "documents") or phone-list entry `key` ("contacts")."""

    KEYS = [Key("escape", "close", "lookup.close")]
    BINDINGS = bindings(KEYS)
    DEFAULT_CSS = "RecordDialog { align: center middle; }"

    def __init__(self, register: str, key: str, title: str) -> None:
        super().__init__()
        self.register = register
        self.key = key
        self.heading = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-box") as box:
            box.border_title = literal(self.heading)
            yield Static(literal(t("lookup.searching")), id="record-text")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self._read, thread=True, exclusive=True, group="record",
                        exit_on_error=False)  # fmt: skip

    def _read(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.documents import contact_history, get_document

        try:
            with thread_desk(self.desk) as own:
                if self.register == "documents":
                    lines = document_lines(get_document(own, int(self.key)), own.timezone)
                else:
                    lines = contact_lines(contact_history(own, int(self.key)), own.timezone)
        except DutyError as error:
            lines = [error.message()]
        self.app.call_from_thread(self._show, "\n".join(lines))

    def _show(self, text: str) -> None:
        self.query_one("#record-text", Static).update(literal(text))

    def action_close(self) -> None:
        self.dismiss(None)
