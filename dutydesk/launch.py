"""The `dutydesk` entry point. Opening the app is the common case, so `dutydesk [--db PATH]
[--lang L]` goes straight to it without importing the command line (typer and every
subcommand's help): the first frame paints sooner. Anything else goes to `dutydesk.cli`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.clock import Clock


def only_global_options(argv: list[str]) -> dict[str, str] | None:
    """`dutydesk [--db PATH] [--lang L]` with nothing else: the options, else None."""
    options: dict[str, str] = {}
    index = 0
    while index < len(argv):
        arg = argv[index]
        name, _, value = arg.partition("=")
        if name not in ("--db", "--lang"):
            return None
        if not value:
            if index + 1 >= len(argv):
                return None
            value = argv[index + 1]
            index += 1
        options[name] = value
        index += 1
    return options


def main(args: list[str] | None = None, clock: Clock | None = None) -> None:
    """The console script passes nothing: the command line and the system clock."""
    from dutydesk.i18n import LANGUAGES, set_language

    argv = sys.argv[1:] if args is None else list(args)
    options = only_global_options(argv)
    lang = (options or {}).get("--lang") or _env_language()
    if options is None or lang not in LANGUAGES:
        from dutydesk.cli import main as cli_main

        cli_main(argv, clock)
        return
    set_language(lang)
    from dutydesk.errors import DutyError
    from dutydesk.paths import resolve_db_path
    from dutydesk.services.core.desk import check_openable

    path = resolve_db_path(options.get("--db"))
    try:
        check_openable(path)
    except DutyError as error:
        sys.stderr.write(error.message() + "\n")
        sys.exit(1)
    from dutydesk.app import make_app, run_app

    code = run_app(make_app(path, clock, lang=lang))
    if code:
        sys.exit(code)  # a crash is not a normal end: scripts and service managers must see it


def _env_language() -> str:
    from dutydesk.i18n import DEFAULT_LANGUAGE
    from dutydesk.paths import env_language

    return env_language(DEFAULT_LANGUAGE)
