"""How each service subpackage exposes its API: the names listed in its `__init__` are
imported from their modules when first used, not with the package (PEP 562). The start path
uses a little of the domain and must not pay for all of it, nor load the ORM before the first
frame (tests/test_store.py, tests/test_launch.py)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_names(package: str, homes: dict[str, str]) -> Callable[[str], object]:
    """The package's module `__getattr__`: `homes` maps each name to the module defining it."""

    def __getattr__(name: str) -> object:
        module = homes.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)  # found once, then a plain attribute
        return value

    return __getattr__
