"""Where DutyDesk keeps its files, and the one place that reads the environment: the
documented settings DUTYDESK_DB, DUTYDESK_LANG and DUTYDESK_EXPORT_DIR, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "dutydesk"
DB_ENV = "DUTYDESK_DB"
LANG_ENV = "DUTYDESK_LANG"
EXPORT_DIR_ENV = "DUTYDESK_EXPORT_DIR"


def env_db_path() -> Path | None:
    env = os.environ.get(DB_ENV)
    return Path(env).expanduser() if env else None


def env_language(default: str) -> str:
    return os.environ.get(LANG_ENV) or default


def env_export_dir() -> Path | None:
    env = os.environ.get(EXPORT_DIR_ENV)
    return Path(env).expanduser() if env else None


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return user_data_dir() / "dutydesk.sqlite3"


def demo_db_path() -> Path:
    return user_data_dir() / "demo.sqlite3"


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    return env_db_path() or default_db_path()


def data_dir() -> Path:
    """The jurisdiction data: packaged inside the wheel, or the repository's `data/`."""
    packaged = Path(__file__).parent / "_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def profiles_dir() -> Path:
    return data_dir() / "profiles"
