"""DutyDesk (值班台): a terminal app for government duty offices."""

__version__ = "0.1.0"
