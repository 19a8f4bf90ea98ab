"""The demo register."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.demo.demo import demo_credentials, ensure_demo

_HOMES = {"demo_credentials": "demo", "ensure_demo": "demo"}
__all__ = ["demo_credentials", "ensure_demo"]
__getattr__ = lazy_names(__name__, _HOMES)
