"""The demo register."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.services.demo.demo import demo_credentials, ensure_demo

_HOMES = {"demo_credentials": "demo", "ensure_demo": "demo"}
__all__ = ["demo_credentials", "ensure_demo"]


def __getattr__(name: str) -> object:
    """Each name is imported from its module when first used, not with the package: the start
    path uses a little of the domain and must not pay for all of it (nor load the ORM before
    the first frame)."""
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
