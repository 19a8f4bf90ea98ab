"""Pending items (待办事项): one for each call saved with "follow up" (as save_call does), closed
a few hours or days later by whoever is on duty; the last days' items are still open."""

from __future__ import annotations

import random

from bench.gen.writer import Row, stamp

ITEM_COLUMNS = {"created_at", "text", "call_id", "created_by_id", "shift_id", "device"}
CLOSURE_COLUMNS = {"item_id", "closed_at", "closed_by_id", "note", "amendment_id"}
HOUR_US = 3600 * 1_000_000
KEEP_OPEN_HOURS = 48  # items younger than this at the end of the history stay open
NEVER_CLOSED_SHARE = 0.0005
NOTES = ["已办结", "属地已反馈，办结", "已电话确认处置完毕", "领导已阅，办结", ""]


def item_row(call: Row, recorder: Row, shift: Row | None) -> Row:
    """The pending item save_call writes with a follow-up call, in the same transaction."""
    refs = {"call_id": call, "created_by_id": recorder}
    if shift is not None:
        refs["shift_id"] = shift
    return Row(
        "pending_item",
        call.at,
        {
            "created_at": call.values["recorded_at"],
            "text": call.values["summary"],
            "shift_id": None,
            "device": None,
        },
        refs=refs,
    )


def close_delay(rng: random.Random, created: int, end: int) -> int | None:
    """When (µs after creation) the item is closed, or None if it is still open at `end`."""
    if created > end - KEEP_OPEN_HOURS * HOUR_US or rng.random() < NEVER_CLOSED_SHARE:
        return None
    return rng.randint(HOUR_US, 72 * HOUR_US)


def closure_row(rng: random.Random, at: int, item: Row, closer: Row) -> Row:
    return Row(
        "pending_closure",
        at,
        {"closed_at": stamp(at), "note": rng.choice(NOTES), "amendment_id": None},  # closed by hand
        refs={"item_id": item, "closed_by_id": closer},
    )
