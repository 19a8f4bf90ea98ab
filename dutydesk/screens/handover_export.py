"""The handover screen's archive export: written in a worker thread after the sign-off (the
screen stays live while the register is copied), retried with E into a folder chosen in a
dialog (screens/export_retry.py); and what is said when it finishes: the status line, and the
signing key's notes (a key made: where it is, to back it up, to have the city enrol it; a key
file others may read), which the CLI prints too and which must not scroll by unseen."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen

if TYPE_CHECKING:
    from dutydesk.services.archive import ExportResult
    from dutydesk.services.core import Desk

FULL_STOPS = chr(0x3002) + ". "  # the Chinese and the Latin full stop
NOTE_SECONDS = 120  # long enough to read, copy the path and tell the administrator


def export_outcome(
    results: list[ExportResult], error: str | None, prefix: str, db: Path | None = None
) -> tuple[str, bool, list[str]]:
    """The status text, whether it is good news, and the key notes to show loudly. A failure
    names the command that retries from a terminal, with the register (`db`) it is for."""
    notes = [note for result in results for note in result.notes]
    if error is None and not results:
        return t("handover_screen.retry_none"), True, notes
    failed = [result for result in results if not result.ok]
    if error is None and not failed:
        text, ok = t("handover_screen.exported", path=str(results[-1].path)), True
        if notes:
            text = f"{text} {t('handover_screen.key_note')}"
    else:
        reason = (error if error is not None else failed[0].error) or ""
        # the reason is a sentence of its own (its own full stop): not doubled by the message's
        shown_db = shlex.quote(str(db)) if db is not None else t("export_retry.db_placeholder")
        text = t("export_retry.failed", reason=reason.rstrip(FULL_STOPS), db=shown_db)
        ok = False
    return f"{prefix} {text}".strip(), ok, notes


class ExportProgress(Message):
    """How far the archive's copy of the register has gone (posted from the export's worker)."""

    def __init__(self, prefix: str, percent: int) -> None:
        super().__init__()
        self.prefix, self.percent = prefix, percent


class ExportingScreen(DeskScreen[None]):
    """The handover screen's export half: the archive after a sign-off, and E's retry."""

    _exporting = False  # an archive is being written in the worker

    def action_retry_export(self) -> None:
        """Every handover whose archive failed, into the folder the dialog checks (E)."""
        from dutydesk.screens.export_retry import ExportRetryDialog
        from dutydesk.services.archive import retry_plan

        if self._exporting:
            self.set_status(t("handover_screen.exporting"), ok=True)
            return
        plan = retry_plan(self.desk)
        if plan is None:
            self.set_status(t("handover_screen.retry_none"), ok=True)
            return

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self._start_export(None, target=folder)

        self.app.push_screen(ExportRetryDialog(plan), callback=chosen)

    def _start_export(
        self, handover_id: int | None, prefix: str = "", target: Path | None = None
    ) -> None:
        """The archive of `handover_id` (None: every handover whose export failed, to
        `target` if given), written off the UI thread; "exporting…" until it is done."""
        if self._exporting:
            self.set_status(t("handover_screen.exporting"), ok=True)
            return
        self._exporting = True
        self.set_status(f"{prefix} {t('handover_screen.exporting')}".strip(), ok=True)
        self._export(self.desk, handover_id, prefix, target)

    @work(thread=True, group="handover-export", exit_on_error=False)
    def _export(
        self, desk: Desk, handover_id: int | None, prefix: str, target: Path | None
    ) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.archive import export_handover, retry_exports
        from dutydesk.services.core import thread_desk

        results: list[ExportResult] = []
        error: str | None = None
        shown = [-1]

        def progress(done: int, total: int) -> None:  # a full snapshot's pages: seconds a GB
            percent = done * 100 // total if total else 100
            if percent != shown[0]:  # at most a hundred messages
                shown[0] = percent
                self.post_message(ExportProgress(prefix, percent))

        try:
            with thread_desk(desk) as own:  # SQLite connections of this thread only
                if handover_id is None:
                    results = retry_exports(own, target, progress)
                else:
                    results = [export_handover(own, handover_id, progress=progress)]
        except DutyError as failure:
            error = failure.message()
        except Exception as failure:  # said on the screen; the sign-off stands, E retries
            error = f"{type(failure).__name__}: {failure}"
            raise
        finally:
            self.app.call_from_thread(self._export_done, results, error, prefix)

    def on_export_progress(self, message: ExportProgress) -> None:
        if self._exporting:  # a message still queued when the export ended says nothing
            part = t("handover_screen.exporting_part", percent=message.percent)
            self.set_status(f"{message.prefix} {part}".strip(), ok=True)

    def _export_done(self, results: list[ExportResult], error: str | None, prefix: str) -> None:
        self._exporting = False
        text, ok, notes = export_outcome(results, error, prefix, self.desk.path)
        self.set_status(text, ok=ok)
        for note in notes:  # the signing key: said loudly, as the CLI does
            shown = note + " " + t("handover_export.note_close_hint")
            self.app.notify(shown, severity="warning", timeout=NOTE_SECONDS, markup=False)
