"""The hand-out order of the work units under `-n 2 --dist loadgroup` (tests/support_dist.py)."""

from __future__ import annotations

import pytest

from tests.support_dist import COSTLIEST_FIRST, costliest_groups_first


class _Item:
    def __init__(self, name: str, group: str | None, module: str = "tests/test_x.py") -> None:
        self.name = name
        self.group = group
        self.nodeid = f"{group or module}::{name}"

    def get_closest_marker(self, name: str):  # noqa: ANN201
        assert name == "xdist_group"
        return None if self.group is None else pytest.mark.xdist_group(self.group).mark


def test_the_costliest_group_first_then_bigger_groups_then_single_tests_in_order():
    bench = COSTLIEST_FIRST[0]
    items = [
        _Item("single-1", None),
        _Item("small-1", "tests/test_small.py"),
        _Item("big-1", "tests/test_big.py"),
        _Item("bench-1", bench),
        _Item("single-2", None),
        _Item("big-2", "tests/test_big.py"),
        _Item("bench-2", bench),
        _Item("big-3", "tests/test_big.py"),
    ]
    costliest_groups_first(items)  # type: ignore[arg-type]
    assert [item.name for item in items] == [
        "bench-1", "bench-2", "big-1", "big-2", "big-3", "small-1", "single-1", "single-2",
    ]  # fmt: skip


def test_xdist_hands_out_in_this_order_not_by_its_own_count():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    assert "--no-loadscope-reorder" in pyproject["tool"]["pytest"]["ini_options"]["addopts"]


def test_the_single_tests_of_a_costly_module_go_first_too():
    """mypy's tests (tests/test_types.py) share no fixture: as single tests in collection order
    they were handed out last, and one worker ran mypy alone at the end."""
    bench, types = COSTLIEST_FIRST[:2]
    assert types == "tests/test_types.py"
    items = [
        _Item("single-1", None),
        _Item("big-1", "tests/test_big.py"),
        _Item("mypy-1", None, module=types),
        _Item("bench-1", bench),
        _Item("mypy-2", None, module=types),
    ]
    costliest_groups_first(items)  # type: ignore[arg-type]
    assert [item.name for item in items] == ["bench-1", "mypy-1", "mypy-2", "big-1", "single-1"]
