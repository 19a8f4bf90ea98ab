"""The clock watch along the chain (a part of `dutydesk verify`, register_checks.py): where
written_at steps back by more than the office's tolerance. In a module of its own so that
verify's range processes (verify_range.py) start without importing the models."""

from __future__ import annotations

from datetime import datetime, timedelta

from dutydesk.services.archive.anchors import AnchorProblem

MAX_CLOCK_STEPS = 20  # clock steps kept in full
ISO_WIDTH = len("2026-11-23T02:00:00.000000+00:00")  # a time as the program writes it


class ClockWatch:
    """Fed each link's written_at in chain order; notes where it steps back by more than the
    tolerance (a warning: see the README's "Data safety")."""

    def __init__(self, tolerance_s: int) -> None:
        self.tolerance_s = tolerance_s
        self._tolerance = timedelta(seconds=tolerance_s)
        self._latest: datetime | None = None
        self._latest_text: str | None = None  # the latest as written, if it was read from text
        self.latest_seq: int | None = None
        self.steps: list[AnchorProblem] = []
        self.count = 0

    @property
    def latest(self) -> datetime | None:
        if self._latest is None and self._latest_text is not None:
            self._latest = datetime.fromisoformat(self._latest_text)
        return self._latest

    @latest.setter
    def latest(self, value: datetime | None) -> None:
        self._latest, self._latest_text = value, None

    def see(self, seq: int, written_at: str) -> None:
        """Called for every link (verify of ten years: 3 million). The usual case, a time after
        the latest written the same way (as the program writes every time: one width, one UTC
        offset), is a comparison of the texts: the digits stand in the same places, so their
        order is the times' order. Parsing each time was a fifth of a range's CPU (session 14:
        0.107 of 0.586 s per 100,000 links)."""
        text = self._latest_text
        if (
            text is not None
            and type(written_at) is str
            and written_at > text
            and len(written_at) == len(text) == ISO_WIDTH
            and written_at[-6:] == text[-6:]  # the same UTC offset
            and written_at[10] == text[10]  # the same separators (any one is read)
            and written_at[19] == text[19]
        ):
            self._latest, self._latest_text, self.latest_seq = None, written_at, seq
            return
        try:
            at = datetime.fromisoformat(written_at)
        except (TypeError, ValueError):
            return  # an unreadable time: the row check reports the link if it was changed
        latest = self.latest
        if latest is None or at > latest:
            self._latest, self._latest_text, self.latest_seq = at, written_at, seq
        elif latest - at > self._tolerance:
            self.count += 1
            if len(self.steps) < MAX_CLOCK_STEPS:
                where = {"seq": seq, "at": written_at, "before": self.latest_seq,
                         "latest": latest.isoformat(), "tolerance": self.tolerance_s}  # fmt: skip
                self.steps.append(AnchorProblem("clock_back", where))
