"""The benchmark's navigation-key count (issue 15): its scripted run logs the call it says it
logs, each field where it belongs, and counts only the keys that are not text."""

from __future__ import annotations

from bench.measure import nav_keys
from tests.conftest import T0


def test_the_scripted_call_is_saved_as_typed_and_its_keys_counted(desk):
    desk.close()  # the bench opens the register itself, as the app does
    figure = nav_keys.measure(desk.path, T0)
    assert figure["saved_as_typed"] is True
    assert figure["keys"] == ["tab", "tab", "tab", "tab", "4", "tab", "ctrl+s"]
    assert figure["navigation_keys"] == len(figure["keys"]) <= nav_keys.TARGET
