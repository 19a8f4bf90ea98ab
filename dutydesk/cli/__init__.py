"""The `dutydesk` command line: one module per command group, registered in cli/main.py."""

from dutydesk.cli.main import build_app, main

__all__ = ["build_app", "main"]
