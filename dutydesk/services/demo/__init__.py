"""The demo register."""

from dutydesk.services.demo.demo import demo_credentials, ensure_demo

__all__ = ["demo_credentials", "ensure_demo"]
