"""Where DutyDesk keeps its files. The export folder is a setting (DUTYDESK_EXPORT_DIR, read in
dutydesk/settings.py): the start path installs it here once, for the archive code to find."""

from __future__ import annotations

from pathlib import Path

APP_NAME = "dutydesk"

_export_dir: Path | None = None


def use_export_dir(folder: Path | None) -> None:
    """Set once at start from the settings: where archives go when no folder is named."""
    global _export_dir
    _export_dir = folder


def configured_export_dir() -> Path | None:
    return _export_dir


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return user_data_dir() / "dutydesk.sqlite3"


def demo_db_path() -> Path:
    return user_data_dir() / "demo.sqlite3"


def data_dir() -> Path:
    """The jurisdiction data: packaged inside the wheel, or the repository's `data/`."""
    packaged = Path(__file__).parent / "_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def profiles_dir() -> Path:
    return data_dir() / "profiles"
