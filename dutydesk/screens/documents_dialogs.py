"""The documents screen's dialogs: register a document, pass it on (交办), follow it up (督办),
close it (办结). Ctrl+S saves in a worker thread; a refusal is shown in the dialog and nothing
was written; Escape closes it. Enter moves to the next field and saves from the last one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskCheckbox, DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

DIALOG_CSS = """
{name} { align: center middle; }
{name} > VerticalScroll { width: 84; max-width: 100%; height: auto; max-height: 100%;
                          border: round $primary; background: $surface; padding: 0 1; }
{name} .pick-label { text-style: bold; }
{name} .picks { height: auto; }
{name} .picks > Vertical { width: 1fr; height: auto; }
{name} .dialog-status { color: $error; height: auto; }
"""


def _field(widget_id: str, label: str, value: str = "") -> Input:
    widget = DeskInput(value=value, id=widget_id)
    widget.border_title = t(label)
    return widget


class DocumentDialog(DeskModal["str | None"]):
    """The dialogs' common part: collect the fields, save in a worker, say the result."""

    KEYS = [
        Key("ctrl+s", "after_typing('save')", "documents_screen.save", priority=True),
        Key("escape", "cancel", "documents_screen.cancel"),
    ]  # fmt: skip
    BINDINGS = bindings(KEYS)
    STATUS_LINE = ".dialog-status"
    TITLE_KEY = ""

    def __init__(self, document_id: int | None = None, what: str = "") -> None:
        super().__init__()
        self.document_id = document_id
        self.what = what
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:  # scrolls when the terminal is short
            box.border_title = literal(
                t(self.TITLE_KEY, what=self.what)
            )  # typed text: never markup
            yield Static("", classes="dialog-status")  # above the fields: seen unscrolled
            yield from self.fields()
        yield Footer()

    def fields(self) -> ComposeResult:
        raise NotImplementedError  # each dialog lists its own fields

    def collect(self) -> dict[str, Any]:
        raise NotImplementedError

    def work(self, desk: Desk, job: dict[str, Any]) -> str:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self.busy:
            return
        self.busy = True
        job = self.collect()
        # the app's worker: closing the dialog must not cancel the write it is finishing
        self.app.run_worker(lambda: self._run(job), thread=True, group="document-dialog")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        fields = list(self.query(Input).results(Input))
        if fields and event.input is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

    def _run(self, job: dict[str, Any]) -> None:
        from dutydesk.errors import DutyError, ValidationFailed
        from dutydesk.services.core import thread_desk

        try:
            with thread_desk(self.desk) as own:
                message = self.work(own, job)
        except ValidationFailed as error:
            self.app.call_from_thread(self._failed, error.problem_list())
            return
        except DutyError as error:
            self.app.call_from_thread(self._failed, error.message())
            return
        self.app.call_from_thread(self.dismiss, message)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.say(message)

    def recorded_time(self, desk: Desk, text: str) -> Any:
        """A typed time (HHMM, HH:MM or a full date, as on the calls form), or None for now."""
        from dutydesk.services.documents import typed_step_time

        return typed_step_time(desk, text)

    def recorder_for(self, desk: Desk) -> Any:
        from dutydesk.services.roster import resolve_recorder

        return resolve_recorder(desk, None)


def _select(widget_id: str, section: str, codes: tuple[str, ...], value: str) -> Select[str]:
    options = [(t(f"{section}.{code}"), code) for code in codes]
    return DeskSelect(options, value=value, allow_blank=False, id=widget_id)


class RegisterDocumentDialog(DocumentDialog):
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "RegisterDocumentDialog")
    TITLE_KEY = "documents_screen.register_title"

    def fields(self) -> ComposeResult:
        from dutydesk.models.documents import DIRECTIONS, KINDS, URGENCIES

        yield _field("doc-title", "field.document_title")
        yield _field("doc-party", "field.document_party")
        yield _field("doc-number", "field.document_number")
        yield _field("doc-at", "documents_screen.at_hint")
        yield _field("doc-body", "field.document_body")
        with Horizontal(classes="picks"):
            for widget_id, section, codes, value in (
                ("doc-direction", "document_direction", DIRECTIONS, "in"),
                ("doc-urgency", "document_urgency", URGENCIES, "putong"),
                ("doc-kind", "document_kind", KINDS, "file"),
            ):
                with Vertical():
                    yield Label(t(f"field.{section}"), classes="pick-label")
                    yield _select(widget_id, section, codes, value)
        yield DeskCheckbox(t("field.document_classified"), value=False, id="doc-classified")

    def collect(self) -> dict[str, Any]:
        def chosen(widget_id: str) -> str:
            return str(self.query_one(f"#{widget_id}", Select).value)

        return {
            "title": self.value("doc-title"),
            "party": self.value("doc-party"),
            "number": self.value("doc-number"),
            "at": self.value("doc-at"),
            "body": self.value("doc-body"),
            "direction": chosen("doc-direction"),
            "urgency": chosen("doc-urgency"),
            "kind": chosen("doc-kind"),
            "classified": self.query_one("#doc-classified", Checkbox).value,
        }

    def work(self, desk: Desk, job: dict[str, Any]) -> str:
        from dutydesk.services.documents import add_document

        row = add_document(
            desk, self.recorder_for(desk), direction=job["direction"], party=job["party"],
            title=job["title"], kind=job["kind"], urgency=job["urgency"],
            moved_at=self.recorded_time(desk, job["at"]), number=job["number"],
            classified=job["classified"], body=job["body"],
        )  # fmt: skip
        return t("document.saved", id=row.id)


class RouteDocumentDialog(DocumentDialog):
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "RouteDocumentDialog")
    TITLE_KEY = "documents_screen.route_title"

    def fields(self) -> ComposeResult:
        yield _field("route-to", "field.document_routed_to")
        yield _field("route-how", "field.document_channel", t("documents_screen.default_how"))
        yield _field("route-at", "documents_screen.at_hint")
        yield _field("route-note", "field.document_note")

    def collect(self) -> dict[str, Any]:
        return {key: self.value(f"route-{key}") for key in ("to", "how", "at", "note")}

    def work(self, desk: Desk, job: dict[str, Any]) -> str:
        from dutydesk.services.documents import route_document

        assert self.document_id is not None  # opened on a document
        route_document(desk, self.recorder_for(desk), self.document_id, routed_to=job["to"],
                       channel=job["how"], routed_at=self.recorded_time(desk, job["at"]),
                       note=job["note"])  # fmt: skip
        return t("document.routed", id=self.document_id)


class FollowDocumentDialog(DocumentDialog):
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "FollowDocumentDialog")
    TITLE_KEY = "documents_screen.follow_title"

    def fields(self) -> ComposeResult:
        yield _field("follow-text", "field.document_followup")
        yield _field("follow-at", "documents_screen.at_hint")

    def collect(self) -> dict[str, Any]:
        return {"text": self.value("follow-text"), "at": self.value("follow-at")}

    def work(self, desk: Desk, job: dict[str, Any]) -> str:
        from dutydesk.services.documents import follow_document

        assert self.document_id is not None  # opened on a document
        follow_document(desk, self.recorder_for(desk), self.document_id, text=job["text"],
                        followed_at=self.recorded_time(desk, job["at"]))  # fmt: skip
        return t("document.followed", id=self.document_id)


class CloseDocumentDialog(DocumentDialog):
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "CloseDocumentDialog")
    TITLE_KEY = "documents_screen.close_title"

    def fields(self) -> ComposeResult:
        yield _field("close-note", "field.document_note")
        yield _field("close-at", "documents_screen.at_hint")

    def collect(self) -> dict[str, Any]:
        return {"note": self.value("close-note"), "at": self.value("close-at")}

    def work(self, desk: Desk, job: dict[str, Any]) -> str:
        from dutydesk.services.documents import close_document

        assert self.document_id is not None  # opened on a document
        close_document(desk, self.recorder_for(desk), self.document_id, note=job["note"],
                       closed_at=self.recorded_time(desk, job["at"]))  # fmt: skip
        return t("document.closed_ok", id=self.document_id)
