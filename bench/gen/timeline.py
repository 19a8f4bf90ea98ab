"""What happens later at the desk (a report recorded, a round drawn, a handover signed) as
events in time order, and the ledger of what is open at any moment (pending items, report
deadlines) that the handover reads, as build() walks the shifts."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.gen.writer import Row

# (at, the shift open at `at` or None before it is opened, the officer recording) -> rows
Action = Callable[[int, Row | None, Row], list[Row]]
OnDuty = Callable[[int], tuple[Row | None, Row]]
KEEP_CLOSED_US = 4 * 86_400 * 1_000_000  # closures older than this are of no handover's concern


@dataclass
class Events:
    """A heap of actions by time. Nothing happens at or after `end`: the history stops there."""

    end: int
    heap: list[tuple[int, int, Action]] = field(default_factory=list)
    counter: int = 0

    def add(self, at: int, action: Action) -> None:
        if at < self.end:
            self.counter += 1
            heapq.heappush(self.heap, (at, self.counter, action))

    def drain(self, until: int, on_duty: OnDuty) -> list[Row]:
        """Run every action due before `until`, in time order (an action may add later ones)."""
        rows: list[Row] = []
        while self.heap and self.heap[0][0] < until:
            at, _, action = heapq.heappop(self.heap)
            shift, recorder = on_duty(at)
            rows.extend(row for row in action(at, shift, recorder) if row.at < self.end)
        return rows


@dataclass
class RoundDone:
    """A spot-check round as the handover checklist counts it."""

    covered: int
    drawn: int
    required: int
    closed_at: int | None


@dataclass
class Ledger:
    """Open pending items and deadlines, recent pending closures, per-shift counts."""

    pending: dict[int, Row] = field(default_factory=dict)  # id(item) -> item, while open
    closed: list[tuple[Row, Row]] = field(default_factory=list)  # (closure, item), time order
    deadlines: dict[int, tuple[Row, Row]] = field(default_factory=dict)  # -> (deadline, incident)
    # Keyed by the shift's opening time (µs), which no other shift has.
    calls: Counter[int] = field(default_factory=Counter)  # calls saved in the shift
    rounds: dict[int, list[RoundDone]] = field(default_factory=dict)  # its spot-check rounds

    def pending_opened(self, item: Row) -> None:
        self.pending[id(item)] = item

    def pending_closed(self, closure: Row, item: Row) -> None:
        self.pending.pop(id(item), None)
        self.closed.append((closure, item))
        if len(self.closed) > 4096:
            horizon = closure.at - KEEP_CLOSED_US
            self.closed = [pair for pair in self.closed if pair[0].at >= horizon]

    def deadline_opened(self, deadline: Row, incident: Row) -> None:
        self.deadlines[id(deadline)] = (deadline, incident)

    def deadline_closed(self, deadline: Row) -> None:
        self.deadlines.pop(id(deadline), None)

    def open_pending(self, at: int) -> list[Row]:
        return [item for item in self.pending.values() if item.at < at]

    def open_deadlines(self, at: int) -> list[tuple[Row, Row]]:
        return [pair for pair in self.deadlines.values() if pair[0].at < at]

    def closed_since(self, since: int, until: int) -> list[tuple[Row, Row]]:
        return [pair for pair in self.closed if since <= pair[0].at < until]
