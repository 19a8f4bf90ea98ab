"""Drawing the units of a spot-check round (抽查抽样): pure functions, no store, no clock.

A draw is fully described by its inputs (a snapshot of the candidate units) and a seed, both
stored with the round, so anyone can replay it and get the same sample (`replay`).

How a round is drawn (algorithm "weighted-tiers-v1"):
1. Size: at least ceil(rate x active units) (the profile's quota, e.g. District 工作制度 5: 60 %),
   or more if the officer asks; never more than there are active units.
2. Tiers: units not yet drawn today come first, then units not yet drawn in this shift, then
   the rest. A tier that fits in the round is taken whole, so when rounds x rate >= 1 no unit
   is left out across a day's rounds, and the rounds of one shift differ wherever the units
   allow it.
3. Within a tier the choice is random but weighted: the longer a unit has gone unchecked, the
   more likely it is drawn; and a unit checked more often than the median unit over the last
   RECENT_WINDOW_DAYS is less likely (weighted sampling without replacement, Efraimidis-Spirakis:
   each unit gets the key log(u) / weight, u uniform in (0, 1], and the largest keys win).

Fairness measured by simulation (tests/test_spotcheck_sampling.py states and checks the bound):
with the district quota (60 %, 2 rounds a shift), over four weeks of daily rounds or half a
year of weekly ones, no unit is drawn more than 4 times above or below the mean.
"""

from __future__ import annotations

import json
import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from fractions import Fraction

ALGORITHM = "weighted-tiers-v1"
# The weight of a unit grows with the hours since its last check, raised to this power: a unit
# unchecked for twice as long weighs 2**AGE_POWER times as much within its tier.
AGE_POWER = 2
# A unit never checked counts as unchecked this much longer than the longest-unchecked unit.
NEVER_CHECKED_EXTRA_HOURS = 24.0
# Checks counted for balance: those of the last four weeks (a weekly shift sees eight rounds).
RECENT_WINDOW_DAYS = 28
# Each check above the median in that window divides the weight by this, each one below
# multiplies it; at most RECENT_CHECK_CLAMP steps, so a newly added unit is favoured, not forced.
RECENT_CHECK_FACTOR = 4.0
RECENT_CHECK_CLAMP = 2
SEED_LIMIT = 2**63  # seeds are stored in an SQLite INTEGER


@dataclass(frozen=True)
class Candidate:
    """An active unit as the draw saw it."""

    unit_id: int
    last_checked: str | None  # ISO 8601 with offset; None: never checked
    checks_recent: int = 0  # checks in the RECENT_WINDOW_DAYS before the draw
    drawn_today: bool = False
    drawn_this_shift: bool = False


@dataclass(frozen=True)
class SampleInputs:
    """Everything a draw depends on, besides the seed."""

    now: str  # ISO 8601 with offset
    size: int
    candidates: tuple[Candidate, ...]
    rate: float | None = None  # the quota rate, for the record; None: the profile sets none
    window_days: int = RECENT_WINDOW_DAYS  # for the record: how checks_recent was counted
    algorithm: str = ALGORITHM


def required_size(rate: float | None, active: int) -> int:
    """The smallest round the quota allows: ceil(rate x active), computed on the rate as written
    (0.7 x 10 is 7, not 8 as in binary floating point). No quota: every active unit."""
    if active <= 0:
        return 0
    if rate is None:
        return active
    return min(active, math.ceil(Fraction(repr(rate)) * active))


def new_seed() -> int:
    import secrets

    return secrets.randbelow(SEED_LIMIT)


def _hours_since(now: datetime, when: str | None) -> float | None:
    if when is None:
        return None
    return max(0.0, (now - datetime.fromisoformat(when)).total_seconds() / 3600)


def weights(inputs: SampleInputs) -> dict[int, float]:
    """Each candidate's weight: (1 + hours since last checked) ** AGE_POWER, divided by
    RECENT_CHECK_FACTOR for each recent check above the median (clamped)."""
    if not inputs.candidates:
        return {}
    now = datetime.fromisoformat(inputs.now)
    ages = {c.unit_id: _hours_since(now, c.last_checked) for c in inputs.candidates}
    known = [age for age in ages.values() if age is not None]
    never = (max(known) if known else 0.0) + NEVER_CHECKED_EXTRA_HOURS
    median = statistics.median_low(c.checks_recent for c in inputs.candidates)
    result: dict[int, float] = {}
    for candidate in inputs.candidates:
        age = ages[candidate.unit_id]
        steps = max(-RECENT_CHECK_CLAMP, min(RECENT_CHECK_CLAMP, candidate.checks_recent - median))
        result[candidate.unit_id] = (
            1.0 + (never if age is None else age)
        ) ** AGE_POWER / RECENT_CHECK_FACTOR**steps
    return result


def _tier(candidate: Candidate) -> int:
    return (2 if candidate.drawn_today else 0) + (1 if candidate.drawn_this_shift else 0)


def draw(inputs: SampleInputs, seed: int) -> list[int]:
    """The unit ids of the round, in the order drawn. Same inputs and seed: same list."""
    if inputs.algorithm != ALGORITHM:
        raise ValueError(f"unknown sampling algorithm {inputs.algorithm!r}")
    ids = [c.unit_id for c in inputs.candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("a unit appears twice among the candidates")
    size = min(inputs.size, len(ids))
    rng = random.Random(seed)
    weight = weights(inputs)
    # One random number per candidate in a fixed order (by id), whatever the tiers.
    ordered = sorted(inputs.candidates, key=lambda c: c.unit_id)
    keys = {c.unit_id: math.log(1.0 - rng.random()) / weight[c.unit_id] for c in ordered}
    ranked = sorted(ordered, key=lambda c: (_tier(c), -keys[c.unit_id], c.unit_id))
    return [c.unit_id for c in ranked[:size]]


def inputs_to_json(inputs: SampleInputs) -> str:
    data = asdict(inputs)
    data["candidates"] = [asdict(c) for c in inputs.candidates]
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def inputs_from_json(text: str) -> SampleInputs:
    data = json.loads(text)
    candidates = tuple(Candidate(**c) for c in data.pop("candidates"))
    return SampleInputs(candidates=candidates, **data)


def replay(inputs_json: str, seed: int, drawn: Sequence[int]) -> bool:
    """Whether the stored inputs and seed give exactly the stored sample."""
    return draw(inputs_from_json(inputs_json), seed) == list(drawn)
