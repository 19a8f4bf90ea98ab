"""How `pytest -n 2 --dist loadgroup` shares the tests between its two workers.

A module-scoped fixture (a register template, the bench's smoke run) is built once per worker
that runs a test using it: split across both workers, it is built twice. Each test that uses one
joins its module's xdist group, so the module's tests run on one worker and the fixture is built
once.

xdist would hand out the groups with the most tests first (--loadscope-reorder); pyproject's
addopts turn that off (--no-loadscope-reorder) and the workers' collection is ordered here
instead: the groups known to take longest first (COSTLIEST_FIRST: the bench's smoke run is one
subprocess of minutes with only seven tests, which by count would rank behind groups far
cheaper than it, and a late start leaves the other worker idle at the end), then the other groups, most tests first, then the single tests in
collection order, which fill in the end on whichever worker is free."""

from __future__ import annotations

import pytest

SHARED_SCOPES = ("module", "package", "class")
# tests/test_types.py: mypy over the package (a minute or more of CPU without its cache, as in
# CI); its tests share no fixture, and as single tests in collection order they started last.
COSTLIEST_FIRST = ("tests/test_bench_smoke.py", "tests/test_types.py")


def uses_a_shared_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definition.scope in SHARED_SCOPES
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


def group_modules_with_shared_fixtures(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group") is None and uses_a_shared_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def group_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    if marker is None:
        return None
    return str(marker.args[0] if marker.args else marker.kwargs.get("name", "default"))


def costliest_groups_first(items: list[pytest.Item]) -> None:
    """Order the items as the work units should be handed out (see the module's docstring)."""
    groups = [group_of(item) for item in items]
    sizes: dict[str, int] = {}
    for group in groups:
        if group is not None:
            sizes[group] = sizes.get(group, 0) + 1

    def order(index: int) -> tuple[int, int, int]:
        group = groups[index]
        module = items[index].nodeid.split("::")[0]
        costly = group if group in COSTLIEST_FIRST else module  # a module's single tests too
        if costly in COSTLIEST_FIRST:
            return (0, COSTLIEST_FIRST.index(costly), index)
        if group is None:
            return (2, 0, index)
        return (1, -sizes[group], index)

    items[:] = [items[index] for index in sorted(range(len(items)), key=order)]
