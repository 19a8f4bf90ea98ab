"""The clock watch along the chain (a part of `dutydesk verify`, register_checks.py): where
written_at steps back by more than the office's tolerance. In a module of its own so that
verify's range processes (verify_range.py) start without importing the models."""

from __future__ import annotations

from datetime import datetime, timedelta

from dutydesk.services.archive.anchors import AnchorProblem

MAX_CLOCK_STEPS = 20  # clock steps kept in full
SHOWN_CHARS = 60  # of a time that cannot be read


class ClockWatch:
    """Fed each link's written_at in chain order; notes where it steps back by more than the
    tolerance (a warning: see the README's "Data safety")."""

    def __init__(self, tolerance_s: int) -> None:
        self.tolerance_s = tolerance_s
        self._tolerance = timedelta(seconds=tolerance_s)
        self.latest: datetime | None = None
        self.latest_seq: int | None = None
        self.steps: list[AnchorProblem] = []
        self.count = 0

    def see(self, seq: int, written_at: str) -> None:
        """Called for every link (verify of ten years: 3 million): the usual case, a time
        after the latest, is one comparison."""
        try:
            at = datetime.fromisoformat(written_at)
        except (TypeError, ValueError):
            at = None
        if at is None or at.utcoffset() is None:  # no zone: not comparable with the others
            self._unreadable(seq, written_at)
            return
        latest = self.latest
        if latest is None or at > latest:
            self.latest, self.latest_seq = at, seq
        elif latest - at > self._tolerance:
            self.count += 1
            if len(self.steps) < MAX_CLOCK_STEPS:
                where = {"seq": seq, "at": written_at, "before": self.latest_seq,
                         "latest": latest.isoformat(), "tolerance": self.tolerance_s}  # fmt: skip
                self.steps.append(AnchorProblem("clock_back", where))

    def _unreadable(self, seq: int, written_at: object) -> None:
        """A time that is not one, or has no zone (verify compared it and stopped with a
        TypeError: breaker, session 19): said, and left out of the watch. Shown as Python
        writes it (quoted, control characters escaped): it may be anything."""
        if len(self.steps) < MAX_CLOCK_STEPS:
            where = {"seq": seq, "at": repr(written_at)[:SHOWN_CHARS]}
            self.steps.append(AnchorProblem("clock_unreadable", where))
