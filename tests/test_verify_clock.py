"""The clock watch along the chain: a step back by more than the tolerance is noted once, at the
link where it happens; exactly the tolerance is not a step; later times move the latest on."""

from __future__ import annotations

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
