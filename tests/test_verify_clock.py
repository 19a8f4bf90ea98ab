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
        "not a time",  # unreadable: said, and left out of the watch
        "2026-12-01T08:20:00.000000+08:00",
    ]
    for seq, written_at in enumerate(times, start=1):
        watch.see(seq, written_at)
    back = [(s.args["seq"], s.args["before"]) for s in watch.steps if s.code == "clock_back"]
    assert back == [(4, 2), (5, 2)]
    assert [(s.code, s.args["seq"]) for s in watch.steps][2:] == [("clock_unreadable", 6)]
    assert watch.count == 2 and watch.latest_seq == 7


def test_a_time_without_its_zone_or_not_a_time_is_said_and_the_watch_goes_on():
    """A naive time among zoned ones stopped verify with a TypeError (breaker, session 19)."""
    watch = ClockWatch(300)
    times = [
        "2026-12-01T08:00:00.000000+08:00",
        "2026-12-01T08:01:00",  # no zone
        None,
        12345,
        "2026-12-01\x1b[2J",
        "2026-12-01T07:00:00.000000+08:00",  # an hour back: still found
    ]
    for seq, written_at in enumerate(times, start=1):
        watch.see(seq, written_at)  # type: ignore[arg-type]
    codes = [(s.code, s.args["seq"]) for s in watch.steps]
    assert codes == [("clock_unreadable", 2), ("clock_unreadable", 3), ("clock_unreadable", 4),
                     ("clock_unreadable", 5), ("clock_back", 6)]  # fmt: skip
    assert "\x1b" not in "".join(str(s.args.get("at")) for s in watch.steps)
    assert watch.latest_seq == 1


def test_the_first_link_without_its_zone_leaves_the_watch_to_the_next():
    watch = ClockWatch(300)
    for seq, written_at in enumerate(["2026-12-01T08:00:00", "2026-12-01T08:00:00+08:00",
                                      "2026-12-01T07:00:00+08:00"], start=1):  # fmt: skip
        watch.see(seq, written_at)
    assert [(s.code, s.args["seq"]) for s in watch.steps] == [("clock_unreadable", 1),
                                                               ("clock_back", 3)]  # fmt: skip


def test_verify_says_a_link_time_without_its_zone_and_does_not_stop(cli, desk, officer):
    from tests.support_reliability import fill, scalar, tamper

    fill(desk, officer)
    desk.close()
    trigger = str(scalar(desk.path, "SELECT sql FROM sqlite_master WHERE name = ?",
                         "audit_link_no_update"))  # fmt: skip
    tamper(desk.path, "DROP TRIGGER audit_link_no_update",
           "UPDATE audit_link SET written_at = '2026-11-23T06:06:00' WHERE seq = 3",
           trigger)  # put back: only the time is found  # fmt: skip
    result = cli("verify", db=desk.path, lang="en")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output  # a note, as a clock step back is
    assert "#3" in result.output and "cannot be read" in result.output
