"""Calls (电话记录): a million lines of varied Chinese over the years, busier in office hours and
in later years, and a few corrections (amendments) as dutydesk.services.calls.calls.amend_call
writes them."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.gen import vocab
from bench.gen.writer import Row, stamp, to_us

CALL_COLUMNS = {
    "year", "seq", "number", "received_at", "recorded_at", "direction", "caller", "unit",
    "phone", "verified", "category", "summary", "handling", "follow_up", "recorded_by_id",
    "shift_id", "amends_id", "amend_reason", "place",
}  # fmt: skip
SECOND_US = 1_000_000
HOUR_US = 3600 * SECOND_US
AMEND_SHARE = 0.003
FOLLOW_UP_SHARE = {"instruction": 0.5, "verification": 0.5, "incident": 0.1}
REGISTER = "call"  # dutydesk.services.calls.calls.REGISTER


def call_times(rng: random.Random, count: int, start: int, end: int, tz: ZoneInfo) -> list[int]:
    """`count` sorted moments (µs) in [start, end): by hour of day, busier in later years."""
    first = datetime.fromtimestamp(start / 1e6, tz).replace(hour=0, minute=0, second=0)
    days = (end - start) // (24 * HOUR_US) + 2
    day_starts = [to_us((first + timedelta(days=d)).replace(tzinfo=tz)) for d in range(days)]
    day_weights = [0.7 + 0.6 * d / days for d in range(days)]
    cum_days = _cumulative(day_weights)
    cum_hours = _cumulative(vocab.HOUR_WEIGHTS)
    moments: list[int] = []
    while len(moments) < count:
        need = count - len(moments)
        picked_days = rng.choices(range(days), cum_weights=cum_days, k=need)
        picked_hours = rng.choices(range(24), cum_weights=cum_hours, k=need)
        for day, hour in zip(picked_days, picked_hours, strict=True):
            moment = day_starts[day] + hour * HOUR_US + rng.randrange(HOUR_US)
            if start <= moment < end:
                moments.append(moment)
    moments.sort()
    return moments


def _cumulative(weights: list[float] | list[int]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@dataclass
class Register:
    """Numbers per year (登记号), handed out in the order rows are written."""

    tz: ZoneInfo
    last: dict[int, int] = field(default_factory=dict)

    def number(self, row: Row) -> None:
        year = datetime.fromtimestamp(row.at / 1e6, self.tz).year
        seq = self.last.get(year, 0) + 1
        self.last[year] = seq
        row.values.update(year=year, seq=seq, number=f"{year}-{seq:06d}")


def call_content(rng: random.Random, at: int, tz: ZoneInfo) -> dict[str, object]:
    category = rng.choices(CATEGORIES, weights=WEIGHTS)[0]
    local = datetime.fromtimestamp(at / 1e6, tz)
    words = {
        "unit": rng.choice(vocab.UNITS),
        "unit2": rng.choice(vocab.UNITS),
        "post": rng.choice(vocab.POSTS),
        "caller": vocab.person_name(rng),
        "leader": vocab.person_name(rng),
        "hour": local.hour,
        "minute": rng.randint(0, 59),
        "place": vocab.place(rng),
        "n": rng.randint(10, 500),
        "n2": rng.randint(2, 12),
        "n3": rng.randint(20, 2000),
    }
    public = "群众" in (opener := rng.choice(vocab.OPENERS[category]))
    details = vocab.DETAILS[category]
    parts = [opener.format(**words), rng.choice(vocab.EVENTS[category]).format(**words), "。"]
    for detail in rng.sample(details, k=rng.choice((1, 2, 3, 3))):
        parts.append(detail.format(**words))
    caller = words["caller"] if public else f"{words['caller']}（{words['post']}）"
    return {
        "caller": caller,
        "unit": words["unit"],
        "phone": vocab.phone(rng),
        "summary": "".join(parts),
        "direction": "in" if rng.random() < 0.8 else "out",
        "category": category,
        "verified": 1 if rng.random() < 0.7 else 0,
        "handling": rng.choice(vocab.HANDLING).format(**words),
        "follow_up": 1 if rng.random() < FOLLOW_UP_SHARE.get(category, 0.0) else 0,
    }


CATEGORIES = list(vocab.CATEGORY_WEIGHTS)
WEIGHTS = list(vocab.CATEGORY_WEIGHTS.values())


def call_row(rng: random.Random, at: int, tz: ZoneInfo, recorder: Row, shift: Row | None) -> Row:
    values = call_content(rng, at, tz)
    received = at - rng.randint(20 * SECOND_US, 10 * 60 * SECOND_US)
    values.update(
        received_at=stamp(received),
        recorded_at=stamp(at),
        shift_id=None,
        amends_id=None,
        amend_reason=None,
        place=None,
    )
    refs = {"recorded_by_id": recorder}
    if shift is not None:
        refs["shift_id"] = shift
    return Row("call_record", at, values, refs=refs)


def amendment_row(
    rng: random.Random, at: int, original: Row, recorder: Row, shift: Row | None
) -> Row:
    """A correction: the original's text with one field changed, a new number, linked back."""
    values = {k: v for k, v in original.values.items() if k not in ("id", "shift_id")}
    reason = rng.choice(vocab.AMEND_REASONS)
    words = {"unit2": rng.choice(vocab.UNITS), "n": rng.randint(10, 500)}
    words.update(n2=rng.randint(2, 12), n3=rng.randint(20, 2000))
    words.update(leader=vocab.person_name(rng), caller=vocab.person_name(rng))
    if reason == "单位记错":
        values["unit"] = rng.choice(vocab.UNITS)
    elif reason == "电话号码记错":
        values["phone"] = vocab.phone(rng)
    elif reason == "来电人姓名有误":
        values["caller"] = vocab.person_name(rng)
    elif reason == "补充处理情况":
        values["handling"] = f"{values['handling']}；" + rng.choice(vocab.HANDLING).format(**words)
    else:
        values["summary"] = str(values["summary"]) + rng.choice(
            vocab.DETAILS[str(values["category"])]
        ).format(**words)
    values.update(recorded_at=stamp(at), amend_reason=reason, shift_id=None)
    refs = {"recorded_by_id": recorder, "amends_id": original}
    if shift is not None:
        refs["shift_id"] = shift
    return Row("call_record", at, values, refs=refs)


def amend_delay(rng: random.Random) -> int | None:
    """When (µs after recording) a call gets corrected, or None (most calls never are)."""
    if rng.random() >= AMEND_SHARE:
        return None
    return rng.randint(5 * 60 * SECOND_US, 20 * HOUR_US)


def calls_between(moments: list[int], start: int, end: int) -> list[int]:
    return moments[bisect.bisect_left(moments, start) : bisect.bisect_left(moments, end)]


def calls_before(moments: list[int], end: int) -> int:
    """How many of the calls fall before `end` (the build's progress: calls generated)."""
    return bisect.bisect_left(moments, end)
