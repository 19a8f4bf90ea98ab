"""The `dutydesk` entry point and the one way into the terminal app. Opening the app is the
common case, so `dutydesk [--db PATH] [--lang L]` goes straight to it without importing the
command line (typer and every subcommand's help): the first frame paints sooner. Anything else
goes to `dutydesk.cli`, whose bare `dutydesk ...` and `demo` come back here through open_app."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.clock import Clock
    from dutydesk.settings import Settings

GLOBAL_OPTIONS = ("--db", "--lang")


def _option_at(argv: list[str], index: int) -> tuple[str, str | None, int]:
    """The option at argv[index]: its name, its value (None when missing) and the next index."""
    name, equals, value = argv[index].partition("=")
    if equals:
        return name, value, index + 1
    if index + 1 < len(argv):
        return name, argv[index + 1], index + 2
    return name, None, index + 1


def only_global_options(argv: list[str]) -> dict[str, str] | None:
    """`dutydesk [--db PATH] [--lang L]` with nothing else: the options, else None."""
    options: dict[str, str] = {}
    index = 0
    while index < len(argv):
        name, value, index = _option_at(argv, index)
        if name not in GLOBAL_OPTIONS or not value:
            return None
        options[name] = value
    return options


def language_in(argv: list[str]) -> str | None:
    """The --lang given anywhere on a command line (the help texts need it before parsing)."""
    lang, index = None, 0
    while index < len(argv):
        if argv[index] == "--lang" or argv[index].startswith("--lang="):
            _, lang, index = _option_at(argv, index)
        else:
            index += 1
    return lang


@contextlib.contextmanager
def ctrl_s_reaches_the_app(stream: IO[str]) -> Iterator[None]:
    """Ctrl+S is a key, not the terminal's flow control (XOFF), from the launch on: typed in
    the second or so before Textual puts the terminal in raw mode, the terminal swallowed it
    and the save never reached the app (session 9 QA). The terminal's own setting is put
    back at the end."""
    try:
        import termios
    except ImportError:  # no terminal settings here (Windows): nothing to do
        yield
        return
    try:
        fd = stream.fileno()
        before = termios.tcgetattr(fd)
    except (OSError, ValueError, AttributeError, termios.error):  # not a terminal, or closed
        # (sys.stdin is None when the program is started with its input closed: <&-)
        yield
        return
    if _in_background(fd):
        yield
        return
    keys = list(before)
    keys[0] &= ~termios.IXON
    termios.tcsetattr(fd, termios.TCSANOW, keys)
    try:
        yield
    finally:
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(fd, termios.TCSADRAIN, before)


def _in_background(fd: int) -> bool:
    """Run in the background of its terminal (`dutydesk verify &`): setting the terminal there
    would stop the process (SIGTTOU) until brought to the foreground (review, session 11)."""
    try:
        return os.tcgetpgrp(fd) != os.getpgrp()
    except OSError:  # not this process's controlling terminal: no SIGTTOU from it
        return False


def open_app(settings: Settings, clock: Clock | None = None) -> int:
    """Open the register of `settings` in the terminal app: its exit status, or 1 after one
    line on stderr when the register cannot be opened."""
    from dutydesk.errors import DutyError
    from dutydesk.i18n import set_language
    from dutydesk.paths import use_export_dir
    from dutydesk.services.core import check_openable

    set_language(settings.lang)
    use_export_dir(settings.export_dir)
    try:
        check_openable(settings.db_path)
    except DutyError as error:
        sys.stderr.write(error.message() + "\n")
        return 1
    from dutydesk.runtime import end_without_collecting
    from dutydesk.startup_look import begin_first_look

    end_without_collecting()  # the quit is over once the app has closed what it holds
    collecting = gc.isenabled()
    gc.disable()  # until the register is open and its heap settled (runtime.settle_heap)
    try:
        begin_first_look(settings.db_path, clock)  # read while Textual is imported
        from dutydesk.app import make_app, run_app

        return run_app(make_app(settings.db_path, clock, lang=settings.lang))
    finally:
        if collecting:
            gc.enable()


def main(args: list[str] | None = None, clock: Clock | None = None) -> None:
    """The console script passes nothing: the command line and the system clock."""
    try:
        with ctrl_s_reaches_the_app(sys.stdin):  # first: a Ctrl+S may come with the first keys
            _main(args, clock)
    except KeyboardInterrupt:
        # Ctrl+C before the app has the terminal (in the app it is a key) or during a command:
        # every save is its own transaction, so nothing half-written stays; no traceback.
        sys.stderr.write("\n")
        sys.exit(130)  # the shell's convention for an end by SIGINT


def _main(args: list[str] | None, clock: Clock | None) -> None:
    from dutydesk.i18n import LANGUAGES
    from dutydesk.settings import Settings

    argv = sys.argv[1:] if args is None else list(args)
    settings = Settings.from_environment()  # the environment, read once
    options = only_global_options(argv)
    if (
        options is None
        or options.get("--lang", settings.lang) not in LANGUAGES
        or settings.overridden(options.get("--db")).db_blank  # the CLI says why
    ):
        from dutydesk.cli import main as cli_main

        cli_main(argv, clock, settings)
        return
    code = open_app(settings.overridden(options.get("--db"), options.get("--lang")), clock)
    if code:
        sys.exit(code)  # a crash is not a normal end: scripts and service managers must see it
