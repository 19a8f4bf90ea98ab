"""How `pytest -n 2 --dist loadgroup` shares the tests between its two workers.

A module-scoped fixture (a register template, the bench's smoke run) is built once per worker
that runs a test using it: split across both workers, it is built twice. Each test that uses one
joins its module's xdist group, so the module's tests run on one worker and the fixture is built
once. xdist hands out the biggest groups first (--loadscope-reorder, on by default), so these
costly modules start early and the single tests fill in the end."""

from __future__ import annotations

import pytest

SHARED_SCOPES = ("module", "package", "class")


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
