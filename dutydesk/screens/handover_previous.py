"""The handover screen's 上一班交接: what the previous shift handed over to the shift this screen
hands over (the outgoing officer's 重要情况, who handed over to whom and when, the carried pending
items still open), read in a worker thread whenever the checklist is read, shown over the
checklist, and in full with v."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.worker import get_current_worker

from dutydesk.i18n import t
from dutydesk.screens.handover_export import ExportingScreen
from dutydesk.widgets.handed_over import HandedOverNote, handed_over_full

if TYPE_CHECKING:
    from dutydesk.services.handover import HandedOver


class HandedOverRead(Message):
    """The handover that opened shift `shift_id` (None: it began without one)."""

    def __init__(self, shift_id: int, view: HandedOver | None) -> None:
        super().__init__()
        self.shift_id, self.view = shift_id, view


class HandedOverScreen(ExportingScreen):
    """The handover screen's reading of the previous handover; its note is a HandedOverNote."""

    _shown_shift: int | None = None  # the shift whose previous handover is asked for or shown

    def show_handed_over(self, shift_id: int | None) -> None:
        """The previous handover of `shift_id` read again (a pending item may have been closed
        since), or the note hidden when there is no shift to hand over."""
        self._shown_shift = shift_id
        if shift_id is None:
            self.query_one(HandedOverNote).show(None, self.desk.timezone)
            return
        self._read_handed_over(shift_id)

    @work(thread=True, exclusive=True, group="handover-previous")
    def _read_handed_over(self, shift_id: int) -> None:
        from dutydesk.services.handover import handed_over

        view = handed_over(self.desk, shift_id)
        if not get_current_worker().is_cancelled:
            self.post_message(HandedOverRead(shift_id, view))

    @on(HandedOverRead)
    def _handed_over_read(self, message: HandedOverRead) -> None:
        if message.shift_id == self._shown_shift:  # not a shift handed over since
            self.query_one(HandedOverNote).show(message.view, self.desk.timezone)

    def action_handed_over(self) -> None:
        """v: everything handed over to this shift, in full, in a dialog to read (Esc closes)."""
        from dutydesk.screens.text_dialog import TextDialog

        view = self.query_one(HandedOverNote).view
        if view is None:
            self.set_status(t("handed_over.none"), ok=False)
            return
        text = handed_over_full(view, self.desk.timezone)
        self.app.push_screen(TextDialog(t("handed_over.title"), text))
