"""The rotation's search for seats that keep the rest rules (breaker #9).

Seat by seat the fairest person goes first, as before; where that leaves a later seat with
nobody rested, the search goes back and tries the next fairest, so a roster that can keep every
rest rule does. Where none can (too few people), it looks for the fewest rest conflicts: first
the greedy rotation, then a search for one with fewer, until none has fewer or NODE_BUDGET seats
have been tried (the best found is kept). A seat's choices depend only on each person's last
shift, so a position that failed with some conflicts to spare is remembered and not searched
again (the search is exact within the budget).

Shifts already rostered by other rosters (the month before, a holiday roster inside the month)
come in as fixed crews: their rest counts too."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from dutydesk.models import Person
    from dutydesk.profiles import RosterRules
    from dutydesk.services.roster.rosters import Cell

NODE_BUDGET = 10_000
# A position in the search and who (person, their last cell) can still clash from there.
StateKey = tuple[int, tuple[tuple[int, int], ...]]
UNBOUNDED = sys.maxsize


def rest_breaks(rules: RosterRules, before: Cell, after: Cell) -> int:
    """The rest conflicts of one person working `before` then `after` (as the roster's check
    counts them: two nights in a row, too few hours off)."""
    found = 0
    if (
        rules.no_consecutive_nights
        and before.nights == 1
        and after.nights == 1
        and after.day == before.day + timedelta(days=1)
    ):
        found += 1
    return found + (after.start_ts - before.end_ts < rules.min_rest_hours * 3600)


class Ranker(Protocol):
    """The rotation's fairness: who may take a seat, fairest first, and their counts."""

    def candidates(self, role: str, index: int, taken: set[int]) -> list[Person]: ...

    def take(self, person: Person, index: int) -> None: ...

    def give_back(self, person: Person, index: int) -> None: ...


@dataclass
class Position:
    index: int  # the cell's place in the timeline
    seat: int | None  # a seat to fill; None: a fixed crew
    crew: tuple[int, ...] = ()
    optional: bool = False


@dataclass
class _Run:
    budget: int
    nodes: int = 0
    last: dict[int, int] = field(default_factory=dict)  # person -> their last cell's index
    chosen: dict[int, int] = field(default_factory=dict)  # position -> person
    cost: int = 0  # the rest conflicts of the seats chosen so far


class _OutOfNodes(Exception):
    pass


class RoleSearch:
    """One role's seats over the timeline of cells."""

    def __init__(self, rules: RosterRules, timeline: list[Cell], positions: list[Position],
                 role: str) -> None:  # fmt: skip
        self.rules = rules
        self.timeline = timeline
        self.positions = positions
        self.role = role
        self.failed: dict[StateKey, int] = {}
        self.reach = [self._reach(i) for i in range(len(timeline))]

    def _reach(self, index: int) -> int:
        """The last cell a person working cell `index` could clash with."""
        cell, last = self.timeline[index], index
        horizon = (self.rules.min_rest_hours + 48) * 3600
        for later in range(index + 1, len(self.timeline)):
            other = self.timeline[later]
            if other.start_ts - cell.end_ts > horizon:
                break
            if rest_breaks(self.rules, cell, other):
                last = later
        return last

    def solve(self, make_ranker: Callable[[], Ranker], nodes: int = NODE_BUDGET) -> dict[int, int]:
        """Position -> person: the greedy rotation, then fewer rest conflicts while any."""
        run = self._run(make_ranker(), UNBOUNDED, UNBOUNDED)
        assert run is not None  # nothing bounds the first run
        best, spent = run, run.nodes
        while best.cost > 0 and spent < nodes:
            try:
                run = self._run(make_ranker(), best.cost - 1, nodes - spent)
            except _OutOfNodes:
                break
            if run is None:
                break
            best, spent = run, spent + run.nodes
        return best.chosen

    def _run(self, ranker: Ranker, budget: int, nodes: int) -> _Run | None:
        run = _Run(budget)
        return run if self._step(ranker, run, 0, budget, nodes) else None

    def _key(self, run: _Run, pos: int) -> StateKey:
        here = self.positions[pos].index
        recent = tuple(sorted((pid, at) for pid, at in run.last.items() if self.reach[at] >= here))
        return (pos, recent)

    def _step(self, ranker: Ranker, run: _Run, pos: int, left: int, limit: int) -> bool:
        if pos == len(self.positions):
            return True
        key = self._key(run, pos)
        if self.failed.get(key, -1) >= left:
            return False
        run.nodes += 1
        if run.nodes > limit:
            raise _OutOfNodes
        for person, cost in self._options(ranker, run, pos):
            if cost > left:
                continue
            undo = self._apply(ranker, run, pos, person)
            run.cost += cost
            if self._step(ranker, run, pos + 1, left - cost, limit):
                return True
            run.cost -= cost
            undo()
        self.failed[key] = max(self.failed.get(key, -1), left)
        return False

    def _breaks(self, run: _Run, person_id: int, index: int) -> int:
        at = run.last.get(person_id)
        if at is None:
            return 0
        return rest_breaks(self.rules, self.timeline[at], self.timeline[index])

    def _rest(self, run: _Run, person_id: int, index: int) -> float:
        """Seconds off between the person's last shift and cell `index`."""
        at = run.last.get(person_id)
        if at is None:
            return float(UNBOUNDED)
        return self.timeline[index].start_ts - self.timeline[at].end_ts

    def _options(self, ranker: Ranker, run: _Run, pos: int) -> list[tuple[Person | None, int]]:
        """The seat's choices, best first: the rested by fairness, then (unless the seat is
        optional) the others by their conflicts; None when nobody can sit or an optional seat
        may stay empty."""
        position = self.positions[pos]
        if position.seat is None:
            return [(None, sum(self._breaks(run, pid, position.index) for pid in position.crew))]
        taken = {pid for pid, at in run.last.items() if at == position.index}
        ranked = [(p, self._breaks(run, p.id or 0, position.index))
                  for p in ranker.candidates(self.role, position.index, taken)]  # fmt: skip
        rested = [(p, 0) for p, cost in ranked if cost == 0]
        if position.optional:
            return [*rested, (None, 0)]
        # fewest conflicts first, then the most rest before the seat: where a conflict cannot
        # be avoided, two nights with a day between beat a day shift and its night back to
        # back (QA: two officers); fairness orders the rest (the sort is stable)
        tired = sorted(((p, cost) for p, cost in ranked if cost),
                       key=lambda pair: (pair[1], -self._rest(run, pair[0].id or 0, position.index)))  # fmt: skip
        options: list[tuple[Person | None, int]] = [*rested, *tired]
        return options or [(None, 0)]

    def _apply(
        self, ranker: Ranker, run: _Run, pos: int, person: Person | None
    ) -> Callable[[], None]:
        position = self.positions[pos]
        crew = position.crew if position.seat is None else ((person.id or 0,) if person else ())
        before = {pid: run.last.get(pid) for pid in crew}
        for pid in crew:
            run.last[pid] = position.index
        if position.seat is not None and person is not None:
            run.chosen[pos] = person.id or 0
            ranker.take(person, position.index)

        def undo() -> None:
            for pid, at in before.items():
                if at is None:
                    run.last.pop(pid, None)
                else:
                    run.last[pid] = at
            if position.seat is not None and person is not None:
                run.chosen.pop(pos, None)
                ranker.give_back(person, position.index)

        return undo
