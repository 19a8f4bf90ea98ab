"""What every screen and dialog of the app shares: the app, typed; the open register; who records
now; the screen's status line; and key labels in the app's language.

A screen derives from DeskScreen, a dialog from DeskModal; each declares its keys as
`BINDINGS = bindings([Key(...), ...])` (widgets/bindings.py) and, if it has one, the selector of
its status line as STATUS_LINE."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, getters
from textual._context import active_app
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from dutydesk.i18n import t
from dutydesk.widgets.bindings import in_language
from dutydesk.widgets.desk_app import DeskApp
from dutydesk.widgets.inline_keys import TextRefused
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from pendulum import DateTime
    from textual.binding import ActiveBinding

    from dutydesk.models import Person
    from dutydesk.services.core import Desk

ResultT = TypeVar("ResultT")


class DeskScreen(Screen[ResultT]):
    STATUS_LINE: ClassVar[str] = "#status"  # the Static that say() and set_status() write to

    app = getters.app(DeskApp)  # Textual's typed app: checked to be this app's kind on each use
    _styled_for: tuple[object, ...] | None = None  # what the styles hung on when last hidden
    _said_at: DateTime | None = None  # when the status line last spoke (the desk's clock)

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        # Styled with the app's current CSS when mounted: without this Textual re-parses every
        # stylesheet twice when a screen's mode is first shown (its count starts at -1).
        with contextlib.suppress(LookupError):
            self._css_update_count = active_app.get()._css_update_count

    def _style_inputs(self) -> tuple[object, ...]:
        app = self.app
        return (app._css_update_count, app.theme, app.app_focus, app.ansi_color, app.size)

    def _on_mount(self, event: events.Mount) -> None:
        # its widgets were styled as they were mounted: the first show needs no restyle either
        self._styled_for = self._style_inputs()
        self.app.shift_changed.subscribe(self, self._shift_changed)

    def _on_screen_suspend(self) -> None:
        self._styled_for = self._style_inputs()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual restyles every widget of a screen shown again (F-key switches), which also
        drops the tables' rendered lines: not needed when nothing the styles hang on changed
        while it was hidden (a class set meanwhile is styled at once). Textual's own handler
        runs after this one (handlers are called for each class of the MRO)."""
        if self._styled_for is not None and self._styled_for == self._style_inputs():
            event.refresh_styles = False

    def render_ahead(self) -> None:
        """Lay out and render this screen while it is hidden (built ahead by the app): its first
        show then paints from its widgets' caches, as a later show does. Textual lays out and
        renders only the shown screen; these are its own two steps (private: pinned, and checked
        by tests/test_textual_private.py)."""
        if self.is_current or not self.is_attached:
            return
        self._refresh_layout(self.app.size)
        self.call_after_refresh(self._render_hidden)

    def _render_hidden(self) -> None:
        if self.is_current or not self.is_attached:
            return
        self._refresh_layout(self.app.size)
        self._layout_required = False
        self._compositor.render_update(full=True)

    @property
    def desk(self) -> Desk:
        desk = self.app.desk
        assert desk is not None, "screens are shown only once the register is open"
        return desk

    def recorder(self, name: str | None = None) -> Person:
        """Who records: `name`, who must be on the shift open now, else that shift's officer.
        Raises DutyError when no shift is open."""
        from dutydesk.services.roster import resolve_recorder

        return resolve_recorder(self.desk, name)

    def shift_start(self) -> DateTime | None:
        """When this duty began, as the header last read it: the earlier of the slot that
        holds now and the shift on duty (roster.duty_began), None before the first read."""
        from dutydesk.services.roster import duty_start

        status = self.app.shift_status
        if status is None:
            return None
        return duty_start(status.window.starts_at, status.duty.shift if status.duty else None)

    def say(self, message: str) -> None:
        """Show `message` on the status line, as typed (never read as markup)."""
        self.query_one(self.STATUS_LINE, Static).update(literal(message))
        desk = self.app.desk
        self._said_at = None if desk is None else desk.now()

    def _shift_changed(self, began: DateTime) -> None:
        """Another shift on duty since `began`: what the status line said before then was the
        last shift's, and is cleared (new officer, session 17: the incoming officer read the
        outgoing one's last message). What was said since (the handover's own word) stays."""
        from textual.css.query import NoMatches

        if self._said_at is None or self._said_at >= began:
            return
        try:
            status = self.query_one(self.STATUS_LINE, Static)
        except NoMatches:  # a screen with no status line of its own
            return
        status.update("")
        status.remove_class("error", "ok")
        self._said_at = None

    def set_status(self, message: str, *, ok: bool) -> None:
        """Say `message`, marked as an error or, if there is one, as a success."""
        self.say(message)
        status = self.query_one(self.STATUS_LINE, Static)
        status.set_class(not ok, "error")
        status.set_class(ok and bool(message), "ok")

    def on_text_refused(self, message: TextRefused) -> None:
        """A field left out a character no text may hold: said on the status line (a toast
        where the screen has none)."""
        from textual.css.query import NoMatches

        message.stop()
        try:
            self.set_status(message.text, ok=False)
        except NoMatches:
            self.app.notify(message.text, severity="warning", markup=False)

    def action_after_typing(self, action: str) -> None:
        """`action` run after the keys already on their way to the focused field: a priority
        key (Ctrl+S) is acted on as it reaches the app, ahead of characters typed just before
        it and still queued at the field (breaker: a burst "20厘米" Ctrl+S saved the summary
        without "20厘米", which then filled the next form)."""
        (self.focused or self).call_later(self.run_action, action)

    async def action_leader_away(self) -> None:
        """The shift leader away or back (the calls screen's Ctrl+L): the app's dialog."""
        await self.app.run_action("leader_away")

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's bindings of this screen, its labels in the app's language (the footer)."""
        return in_language(super().active_bindings)


class DeskModal(ModalScreen[ResultT], DeskScreen[ResultT]):
    """A dialog: ModalScreen's looks and keys (it comes first, so its CSS is the one inherited),
    with DeskScreen's typed access."""


TYPED_FIELDS = "Input, TextArea, Checkbox, Select"


class TypingDialog(DeskModal[ResultT]):
    """A dialog the officer types into: Esc over typed text asks first, and throws it away on a
    second Esc over the same text (one Esc dropped a typed correction: breaker, session 14; a
    typed re-grade reason: new officer, session 17). Ctrl+Q asks too (DeskApp.action_quit reads
    holds_unsaved_text). Bind Esc to "cancel"."""

    _cancel_asked_for: object = None  # what the fields held when Esc asked

    def holds_unsaved_text(self) -> bool:
        """Whether closing would lose something typed: each dialog says."""
        raise NotImplementedError

    def typed(self) -> object:
        """The fields as they stand: compared with what they held when Esc asked (not reset by
        Changed events: those of keys typed just before Esc came after its question)."""
        return tuple((widget.id, getattr(widget, "value", None), getattr(widget, "text", None))
                     for widget in self.query(TYPED_FIELDS))  # fmt: skip

    def action_cancel(self) -> None:
        typed = self.typed()
        if self.holds_unsaved_text() and typed != self._cancel_asked_for:
            self._cancel_asked_for = typed  # thrown away only on a second Esc
            self.set_status(t("entry_form.cancel_confirm"), ok=False)
            return
        self.throw_away()

    def throw_away(self) -> None:
        """Closed, what was typed thrown away (a dialog that keeps a draft drops it too)."""
        self.dismiss(None)
