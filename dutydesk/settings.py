"""The settings of one run of DutyDesk, read once at start from the environment (DUTYDESK_DB,
DUTYDESK_LANG, DUTYDESK_EXPORT_DIR, DUTYDESK_CENTRAL_URL); the command line's --db and --lang override them. Nothing
else in the package reads the environment: the start path passes these values down.

A frozen dataclass rather than pydantic-settings: these are three strings read before the first
frame, and importing pydantic-settings there cost 150-500 ms on this kind of machine (the app's
own first paint is about 200 ms); pydantic itself loads later, off the UI thread, with SQLModel."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from dutydesk.paths import default_db_path

ENV_PREFIX = "DUTYDESK_"


@dataclass(frozen=True)
class Settings:
    """`Settings.from_environment()` reads the environment; tests build one with the values
    they want (`Settings(db=..., lang="en")`)."""

    db: Path | None = None  # DUTYDESK_DB: the register; the user data folder's when unset
    lang: str = "zh"  # DUTYDESK_LANG: zh or en (checked where it is used, with a clear message)
    export_dir: Path | None = None  # DUTYDESK_EXPORT_DIR: archives; exports/ beside the register
    central_url: str | None = (
        None  # DUTYDESK_CENTRAL_URL: the city's archive, for `central` and verify
    )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The documented variables; an unset or empty one leaves the default."""
        source = os.environ if environ is None else environ
        found = {f.name: source.get(ENV_PREFIX + f.name.upper(), "") for f in fields(cls)}
        db, lang, export_dir = found["db"], found["lang"], found["export_dir"]
        return cls(
            db=Path(db).expanduser() if db else None,
            lang=lang or cls.lang,
            export_dir=Path(export_dir).expanduser() if export_dir else None,
            central_url=found["central_url"] or None,
        )

    @property
    def db_blank(self) -> bool:
        """DUTYDESK_DB (or --db) of spaces only: refused, not a file named " " here."""
        return self.db is not None and not str(self.db).strip()

    @property
    def db_path(self) -> Path:
        return self.db if self.db is not None else default_db_path()

    def overridden(self, db: str | Path | None = None, lang: str | None = None) -> Settings:
        """These settings with the command line's options in place of what the environment said."""
        changed = self
        if db:
            changed = replace(changed, db=Path(db).expanduser())
        if lang:
            changed = replace(changed, lang=lang)
        return changed


def documented_variables() -> set[str]:
    return {ENV_PREFIX + f.name.upper() for f in fields(Settings)}
