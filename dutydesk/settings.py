"""The settings of one run of DutyDesk, read once at start from the environment (DUTYDESK_DB,
DUTYDESK_LANG, DUTYDESK_EXPORT_DIR); the command line's --db and --lang override them. Nothing
else in the package reads the environment: the start path passes these values down."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dutydesk.paths import default_db_path


class Settings(BaseSettings):
    """`Settings()` reads the environment; tests build one with the values they want."""

    model_config = SettingsConfigDict(env_prefix="DUTYDESK_", env_ignore_empty=True, frozen=True)

    db: Path | None = None  # DUTYDESK_DB: the register; the user data folder's when unset
    lang: str = "zh"  # DUTYDESK_LANG: zh or en (checked where it is used, with a clear message)
    export_dir: Path | None = None  # DUTYDESK_EXPORT_DIR: archives; exports/ beside the register

    @field_validator("db", "export_dir")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @property
    def db_path(self) -> Path:
        return self.db if self.db is not None else default_db_path()

    def overridden(self, db: str | Path | None = None, lang: str | None = None) -> Settings:
        """These settings with the command line's options in place of what the environment said."""
        changes: dict[str, object] = {}
        if db:
            changes["db"] = Path(db).expanduser()
        if lang:
            changes["lang"] = lang
        return self.model_copy(update=changes)
