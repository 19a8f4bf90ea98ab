"""What the handover screen says when an archive export finishes: the status line, and the
signing key's notes (a key made: where it is, to back it up, to have the city enrol it; a key
file others may read), which the CLI prints too and which must not scroll by unseen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.archive import ExportResult

FULL_STOPS = chr(0x3002) + ". "  # the Chinese and the Latin full stop
NOTE_SECONDS = 120  # long enough to read, copy the path and tell the administrator


def export_outcome(
    results: list[ExportResult], error: str | None, prefix: str
) -> tuple[str, bool, list[str]]:
    """The status text, whether it is good news, and the key notes to show loudly."""
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
        text, ok = t("fix9_fixarch.export_failed", reason=reason.rstrip(FULL_STOPS)), False
    return f"{prefix} {text}".strip(), ok, notes
