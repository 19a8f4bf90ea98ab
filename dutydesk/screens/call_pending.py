"""Calls the officer has saved with Ctrl+S that are not yet known to be in the register, and
calls to come back into the form: kept on disk beside the register, so that a kill, a crash or a
failed save loses none of them (review, session 11: a queued call's only copy was in memory).

The calls screen clears its form at Ctrl+S so the next call can be typed while this one is
written; the saves run one at a time in Ctrl+S order. What is kept (a draft of its own, beside
the form's draft):
- the call being written and those queued behind it, each as it stood at its Ctrl+S;
- calls handed back: a save that failed while the next call was being typed, or calls found
  here at start (written or not when the program ended: the officer checks them against the
  list). They come back into the form one at a time, whenever the form is empty.

No Textual here: the screen calls these methods on its own thread."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dutydesk.screens.pending_files import PendingFile, abandoned_files
from dutydesk.services.calls.saved_check import INSTANT as STAMPED  # to the microsecond

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.calls import CallDraft

PENDING_DRAFT = "call-pending"  # each running app keeps its own: call-pending-<token>
TEXT_FIELDS = ("caller", "unit", "phone", "summary", "place", "handling")
TIME_SHOWN = "YYYY-MM-DD HH:mm:ss"  # a stamped time, as the form reads it back


@dataclass
class Pending:
    draft: CallDraft
    values: dict[str, Any]  # the form's fields as they stood at Ctrl+S


class PendingCalls:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.in_flight: Pending | None = None
        self.queued: list[Pending] = []
        self.handed_back: list[dict[str, Any]] = []
        self.on_disk = True  # False: the last write of the pending file failed (disk full)
        self._own: PendingFile | None = None  # this app's file, locked while it runs

    @property
    def saving(self) -> bool:
        return self.in_flight is not None

    @property
    def busy(self) -> bool:
        """A call is being written or waits to be."""
        return self.in_flight is not None or bool(self.queued)

    def add(self, draft: CallDraft, values: dict[str, Any], now: DateTime, timezone: str) -> bool:
        """Queue a call Ctrl+S'd; its time stamped `now` if left blank (the call came in at its
        Ctrl+S, not when a queued save reaches the disk). False: the disk refused to keep it."""
        if draft.received_at is None:
            draft = replace(draft, received_at=now)
            values = {**values, "received_at": now.in_timezone(timezone).format(TIME_SHOWN)}
        if draft.received_at is not None:  # the exact instant: saved_check tells two calls apart
            values = {**values, STAMPED: draft.received_at.isoformat()}
        self.queued.append(Pending(draft, values))
        return self.keep()

    def next_to_save(self) -> Pending | None:
        """The next queued call to write, if none is being written."""
        if self.in_flight is None and self.queued:
            self.in_flight = self.queued.pop(0)
            return self.in_flight
        return None

    def saved(self) -> bool:
        self.in_flight = None
        return self.keep()

    def failed(self) -> dict[str, Any] | None:
        """The call whose save failed: its values, now handed back (kept until it is in the
        form or saved)."""
        if self.in_flight is None:
            return None
        values = self.in_flight.values
        self.in_flight = None
        self.handed_back.append(values)
        self.keep()
        return values

    def take_handed_back(self) -> dict[str, Any] | None:
        """The oldest call handed back, for the empty form; it is then the form's (its draft)."""
        if not self.handed_back:
            return None
        values = self.handed_back.pop(0)
        self.keep()
        return values

    def drop_handed_back(self, values: dict[str, Any]) -> None:
        if values in self.handed_back:
            self.handed_back.remove(values)
            self.keep()

    def restore(self, orphaned_form: bool = False) -> tuple[int, int]:
        """Calls kept by apps that ended with them pending (killed, crashed: their files no
        longer locked), and the form drafts of second apps that ended (and the first app's,
        `orphaned_form`, when its lock cannot be had), handed back here; another app running
        on the register keeps its own. Returns how many of each: calls saved with Ctrl+S
        (written or not), calls typed and never saved. A file that cannot be read is left
        where it is (breaker, session 21: it was removed, its text with it), and all are
        written into this app's file at once (2,000 files took 15-19 s one at a time)."""
        from dutydesk.screens.pending_files import FORM_DRAFT, WINDOW_PREFIX, PendingFile
        from dutydesk.services.core import draft_path, load_draft

        counts = {True: 0, False: 0}  # typed (a form's draft), saved (a pending file)
        windows = abandoned_files(self.db_path, WINDOW_PREFIX, with_locks=True)
        if orphaned_form:
            windows.append(PendingFile(self.db_path, FORM_DRAFT))
        taken: list[PendingFile] = []
        for other in abandoned_files(self.db_path) + windows:
            kept = load_draft(self.db_path, other.form)
            if kept is None and os.path.lexists(draft_path(self.db_path, other.form)):
                other.release()  # unreadable: kept as it is, for whoever can read it
                continue
            kept = kept or {}
            typed = other in windows  # a form's draft is one call's values
            calls = [kept] if typed else kept.get("calls")
            usable = [c for c in calls if _has_text(c)] if isinstance(calls, list) else []
            self.handed_back.extend(usable)
            counts[typed] += len(usable)
            taken.append(other)
        if self.keep():  # on disk in this app's file before the others go
            for other in taken:
                other.remove()
        for other in taken:
            other.release()
        return counts[False], counts[True]

    def keep(self) -> bool:
        """Write what is pending to this app's file (or remove it when nothing is)."""
        from dutydesk.services.core import discard_draft, save_draft

        calls = [p.values for p in ([self.in_flight] if self.in_flight else []) + self.queued]
        calls += self.handed_back
        if self._own is None:
            if not calls:
                return True
            self._own = PendingFile.create(self.db_path)
        if not calls:  # nothing pending: no file, no lock left beside the register
            discard_draft(self.db_path, self._own.form)
            self._own.remove()
            self._own.release()
            self._own = None
            self.on_disk = True
            return True
        self.on_disk = save_draft(self.db_path, self._own.form, {"calls": calls})
        return self.on_disk


def _has_text(values: Any) -> bool:
    return isinstance(values, dict) and any(
        isinstance(values.get(name), str) and values[name].strip() for name in TEXT_FIELDS
    )
