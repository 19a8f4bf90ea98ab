"""A correction being typed in its dialog (call_detail.AmendScreen), kept on disk beside the
register until it is known to be in it: a correction saved with Ctrl+S and the program killed
~20 ms later was lost without a word, and the dialog kept no draft of a reason typed either
(breaker, session 17). The call form's way (call_pending.py), for one correction:

- each open dialog keeps its own file, `<register>.amend-<call number>-<token>.draft.json`,
  locked while the dialog is open (pending_files.PendingFile): the reason and the fields changed
  as typed, the call's lines (original, corrections) the dialog was opened on, and whether Ctrl+S
  was pressed. Written 0.3 s after a key, at Ctrl+S before the save starts, and at Ctrl+Q;
  removed once the save has returned, or when the dialog is closed and what was typed thrown
  away.
- a file whose lock can be taken was left by a program that ended with its dialog open. At the
  next start, and when that call's correction is next opened, it is looked up in the register:
  one whose Ctrl+S was pressed and whose correction is there (a line its dialog was not opened
  on, with its reason) is removed and the officer told; any other is handed back into the
  dialog, where the officer saves it or not. Nothing saves it by itself: never saved twice.

No Textual here: the dialog's worker calls look_up, the dialog the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dutydesk.i18n import t
from dutydesk.screens.pending_files import PendingFile, abandoned_files

if TYPE_CHECKING:
    from pathlib import Path

    from dutydesk.services.core import Desk

PREFIX = "amend"


@dataclass
class Kept:
    """A correction typed in a dialog that a program which ended left open."""

    file: PendingFile
    number: str  # the call's
    reason: str
    changes: dict[str, Any]  # the call form's fields changed, as typed (CallForm.values())
    seen: list[str]  # the call's lines when its dialog was opened
    saving: bool  # Ctrl+S pressed, the save not known to have returned

    def hand_over(self, kept_here: bool) -> None:
        """Taken into a dialog: the file goes once the dialog has it on disk (`kept_here`),
        else it stays for the next opening."""
        _let_go(self.file, remove=kept_here)


@dataclass
class Found:
    """The corrections programs that ended left, each looked up in the register."""

    saved: list[tuple[str, str]] = field(default_factory=list)  # (call, correction): removed
    handed_back: Kept | None = None  # for the dialog (its file still locked by this program)
    waiting: list[str] = field(default_factory=list)  # calls whose dialog will hand them back
    unreadable: list[str] = field(default_factory=list)  # files left on disk as they are

    def said(self) -> str:
        """What to tell the officer at start."""
        lines = []
        separator = t("entry_form.list_separator")
        if self.saved:
            numbers = separator.join(correction for _call, correction in self.saved)
            lines.append(t("amend.kept_saved", numbers=numbers))
        if self.waiting:
            lines.append(t("amend.kept_waiting", numbers=separator.join(self.waiting)))
        if self.unreadable:
            lines.append(t("amend.kept_unreadable", files=separator.join(self.unreadable)))
        return " ".join(lines)


def look_up(desk: Desk, number: str | None = None) -> Found:
    """The corrections left (of call `number`; at start, of any call), each looked up in the
    register. With `number`, the first not there is handed back; the others stay on disk."""
    from dutydesk.errors import DutyError
    from dutydesk.services.calls import correction_saved
    from dutydesk.services.core import draft_path, load_draft

    found = Found()
    for file in abandoned_files(desk.path, PREFIX if number is None else f"{PREFIX}-{number}"):
        values = load_draft(desk.path, file.form)
        kept = _kept(file, values) if values is not None else None
        if kept is None or kept is EMPTY:  # nothing typed: removed; unreadable: left, and said
            _let_go(file, remove=kept is EMPTY)
            if kept is None:  # a program's file can always be read back (breaker, session 18)
                found.unreadable.append(str(draft_path(desk.path, file.form)))
            continue
        saved = None
        if kept.saving:  # Ctrl+S pressed: the correction may be in the register
            try:
                saved = correction_saved(desk, kept.number, kept.seen, kept.reason, kept.changes)
            except DutyError:  # no such call in this register: handed back, never removed
                saved = None
        if saved is not None:
            _let_go(file, remove=True)
            found.saved.append((kept.number, saved))
        elif number is not None and found.handed_back is None:
            found.handed_back = kept
        else:
            _let_go(file, remove=False)
            found.waiting.append(kept.number)
    return found


def _let_go(file: PendingFile, *, remove: bool) -> None:
    """Its lock released (removed first, or left for another look)."""
    if remove:
        file.remove()
    file.release()


EMPTY: Any = object()  # a kept file with nothing typed in it


def _kept(file: PendingFile, values: dict[str, Any]) -> Kept | None:
    """The correction kept in `values`; EMPTY when nothing was typed; None when it is not of
    the shape a dialog writes (changed by hand, or by another program)."""
    number, reason = values.get("number"), values.get("reason")
    changes, seen = values.get("changes"), values.get("seen")
    if not (isinstance(number, str) and isinstance(reason, str)):
        return None
    if not (isinstance(changes, dict) and isinstance(seen, list)):
        return None
    if not reason.strip() and not changes:
        return EMPTY
    saving = values.get("saving") is True
    return Kept(file, number, reason, changes, [str(line) for line in seen], saving)


class OwnDraft:
    """The open dialog's own file: made at its first write, locked until the dialog closes."""

    def __init__(self, db_path: Path, number: str) -> None:
        self.db_path = db_path
        self.number = number
        self._own: PendingFile | None = None

    def keep(self, reason: str, changes: dict[str, Any], seen: list[str], saving: bool) -> bool:
        """Write what is typed; False if the disk refused it (the dialog still holds it)."""
        from dutydesk.services.core import save_draft

        if self._own is None:
            self._own = PendingFile.create(self.db_path, f"{PREFIX}-{self.number}")
        values = {"number": self.number, "reason": reason, "changes": changes, "seen": seen,
                  "saving": saving}  # fmt: skip
        return save_draft(self.db_path, self._own.form, values)

    def drop(self) -> None:
        """Nothing to keep (saved, thrown away, nothing typed): no file, no lock left."""
        if self._own is not None:
            self._own.remove()
            self._own.release()
            self._own = None
