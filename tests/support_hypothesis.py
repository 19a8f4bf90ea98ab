"""How many examples a property test draws: a quick share in the everyday suite, every one in
the deep run.

Each property test names its deep count, `@settings(max_examples=examples(2500), ...)`. The
README's test command (`pytest`) draws a fifth of it (never fewer than `FLOOR`, never more than
the deep count), so the suite stays a few minutes on two cores; the draws are random each run
(not derandomized), so repeated runs keep covering new ground. `pytest --hypothesis-profile=deep` draws every deep count (well over 10,000
cases in tests/test_reliability_properties.py alone): run it before a release and after touching
a validator, a time parser or the sampling.

The profile is chosen by hypothesis's pytest plugin in `pytest_configure`, before the test
modules are imported, so `examples()` sees it when the decorators run.
"""

from __future__ import annotations

from hypothesis import settings

DEEP = "deep"
QUICK_SHARE = 5
FLOOR = 10

settings.register_profile(DEEP)  # the default settings: only `examples()` reads its name


def deep_run() -> bool:
    return settings.get_current_profile_name() == DEEP


def examples(deep_count: int) -> int:
    """`deep_count` in the deep profile; otherwise a fifth of it, at least FLOOR."""
    if deep_run():
        return deep_count
    return min(deep_count, max(FLOOR, deep_count // QUICK_SHARE))
