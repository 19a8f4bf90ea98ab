"""A correction that changes 需跟进 (follow_up) keeps the pending items (待办事项) in step with it,
in the correction's own transaction: the call list's 待办 mark, the handover's pending list and
`dutydesk pending list` then never disagree.

- Unticked: each open pending item of the call is closed by a closure record of its own that
  names the correction (`pending_closure.amendment_id`), who recorded it and when; its note is
  the correction's reason. The item row is never changed.
- Ticked on a call with no open pending item: one is opened for the call (its original's
  register number), with the corrected content as its text."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from dutydesk.i18n import t
from dutydesk.models import CallRecord
from dutydesk.models.types import to_storage
from dutydesk.services.calls.call_store import insert_pending
from dutydesk.services.core import audit

_OPEN_ITEMS = (
    "SELECT id FROM pending_item i WHERE i.call_id = ? AND i.device IS NULL AND NOT EXISTS "
    "(SELECT 1 FROM pending_closure c WHERE c.item_id = i.id) ORDER BY id"
)
_CLOSE = (
    "INSERT INTO pending_closure (item_id, closed_at, closed_by_id, note, amendment_id) "
    "VALUES (?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class Correction:
    """A correction saved (`record`, its register line) and what it did to the call's pending
    items: the ids it closed (需跟进 unticked) and the one it opened (需跟进 ticked)."""

    record: CallRecord
    closed: tuple[int, ...] = ()
    opened: int | None = None

    def pending_said(self) -> str:
        """What it did to the pending items, in words ("" when nothing): the CLI and the app
        say it after the correction's number."""
        number = self.record.number
        said = [t("pending.closed_by_correction", id=item, number=number) for item in self.closed]
        if self.opened is not None:
            said.append(t("pending.opened_by_correction", id=self.opened, number=number))
        return " ".join(said)


def follow_through(
    cursor: sqlite3.Cursor,
    root_id: int,
    was_followed: bool,
    record: CallRecord,
    reason: str,
) -> Correction:
    """Inside the correction's write transaction, after its line `record` was written: the
    call's pending items brought in step with the corrected 需跟进, at the line's own time."""
    if was_followed == record.follow_up:
        return Correction(record)
    recorder_id, now = record.recorded_by_id, record.recorded_at
    open_ids = [int(row[0]) for row in cursor.execute(_OPEN_ITEMS, (root_id,))]
    if record.follow_up:
        if open_ids:  # still open (e.g. never closed since an earlier tick): nothing to add
            return Correction(record)
        return Correction(record, opened=insert_pending(cursor, record, recorder_id, now, root_id))
    stamp = to_storage(now)
    for item_id in open_ids:
        cursor.execute(_CLOSE, (item_id, stamp, recorder_id, reason, record.id))
        closure_id = cursor.lastrowid
        assert closure_id is not None
        audit.append_raw(cursor, "pending_closure", closure_id, stamp)
    return Correction(record, closed=tuple(open_ids))
