"""The clock watch along the chain: a step back by more than the tolerance is noted once, at the
link where it happens; exactly the tolerance is not a step; later times move the latest on."""

from __future__ import annotations

from datetime import UTC

from hypothesis import given
from hypothesis import strategies as st

from dutydesk.services.archive.verify_clock import ClockWatch


def test_steps_back_past_the_tolerance_only():
    watch = ClockWatch(300)
    times = [
        "2026-12-01T08:00:00.000000+08:00",
        "2026-12-01T08:10:00.000000+08:00",  # the latest
        "2026-12-01T08:05:00.000000+08:00",  # exactly 300 s back: not a step
        "2026-12-01T08:04:59.999999+08:00",  # 300.000001 s back: a step
        "2026-12-01T00:04:59.999999+00:00",  # the same instant written in UTC: a step too
        "not a time",  # unreadable: left to the row check
        "2026-12-01T08:20:00.000000+08:00",
    ]
    for seq, written_at in enumerate(times, start=1):
        watch.see(seq, written_at)
    assert [(s.args["seq"], s.args["before"]) for s in watch.steps] == [(4, 2), (5, 2)]
    assert watch.count == 2 and watch.latest_seq == 7


class _ParsingWatch:
    """The watch as it was before the texts were compared: every time parsed."""

    def __init__(self, tolerance_s: int) -> None:
        from datetime import timedelta

        self.tolerance, self.latest, self.latest_seq, self.steps = timedelta(seconds=tolerance_s), None, None, []  # fmt: skip

    def see(self, seq: int, written_at: str) -> None:
        from datetime import datetime

        try:
            at = datetime.fromisoformat(written_at)
        except ValueError:
            return
        if self.latest is None or at > self.latest:
            self.latest, self.latest_seq = at, seq
        elif self.latest - at > self.tolerance:
            self.steps.append((seq, self.latest_seq))


_FORMS = ("%Y-%m-%dT%H:%M:%S.%f{z}", "%Y-%m-%d %H:%M:%S.%f{z}", "%Y-%m-%dT%H:%M:%S,%f{z}")


@given(
    st.lists(
        st.tuples(
            st.integers(0, 4000),  # seconds after a start
            st.sampled_from(_FORMS),
            st.sampled_from(["+00:00", "+08:00", "-05:00"]),
        ),
        max_size=40,
    )
)
def test_comparing_texts_finds_what_parsing_every_time_finds(times):
    """Any mix of ways to write a time (separators, offsets): the same latest and steps."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 12, 1, tzinfo=UTC)
    fast, slow = ClockWatch(300), _ParsingWatch(300)
    for seq, (offset_s, form, zone) in enumerate(times, start=1):
        hours, minutes = int(zone[1:3]), int(zone[4:])
        shift = timedelta(hours=hours, minutes=minutes) * (1 if zone[0] == "+" else -1)
        at = (start + timedelta(seconds=offset_s, microseconds=seq)).astimezone(timezone(shift))
        written = at.strftime(form.format(z="")) + zone
        fast.see(seq, written)
        slow.see(seq, written)
    assert [(s.args["seq"], s.args["before"]) for s in fast.steps] == slow.steps
    assert (fast.latest, fast.latest_seq) == (slow.latest, slow.latest_seq)
