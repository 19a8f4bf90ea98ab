"""What every command shares: the run's settings from the global options, the desk, the
recorder, secrets read from the user, error reporting in the user's language, output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from dutydesk.cli.choices import HELP_PREFIX, choices_help
from dutydesk.errors import DutyError
from dutydesk.i18n import has, t

if TYPE_CHECKING:
    from dutydesk.clock import Clock
    from dutydesk.models.people import Person
    from dutydesk.services.core import Desk
    from dutydesk.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Run:
    """One command's settings (the environment with the global options over it) and clock."""

    settings: Settings
    clock: Clock | None = None  # None: the system clock; tests pass one through cli.main

    @property
    def db_path(self) -> Path:
        return self.settings.db_path


def current_run(ctx: typer.Context) -> Run:
    obj = ctx.find_root().obj
    assert isinstance(obj, Run)
    return obj


class CatalogueGroup(TyperGroup):
    """The root command. Help texts are written as catalogue keys ("cli.calls_help") and put in
    the user's language here, when the command tree is built for a run: the command modules are
    imported once, but a process (the tests) runs them in both languages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _translate(self)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """click's main; standalone, with usage errors in the user's language (cli/usage.py)."""
        from dutydesk.cli.usage import run_translated

        def run() -> Any:
            return super(CatalogueGroup, self).main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )

        if not standalone_mode:
            return run()
        run_translated(run)


def _translate(command: TyperCommand | TyperGroup) -> None:
    from dutydesk.cli.usage import DeskContext, desk_argument

    command.context_class = DeskContext  # help headings and usage lines in the user's language
    if command.help and has(command.help):
        command.help = t(command.help)
    for param in command.params:
        desk_argument(param)  # named by the catalogue (cli_arg.<name>), not `{name}`
        help_key = getattr(param, "help", None)
        if help_key and help_key.startswith(HELP_PREFIX):  # cli/choices.py: with its values
            param.help = choices_help(help_key)  # type: ignore[attr-defined]
        elif help_key and has(help_key):
            param.help = t(help_key)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        _translate(sub)


def group(help_key: str, *, no_args_is_help: bool = True) -> typer.Typer:
    """A command group whose help is the catalogue text `help_key`."""
    return typer.Typer(help=help_key, no_args_is_help=no_args_is_help)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def reports_errors(command: F) -> F:
    """Turn every expected failure into one clear line on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DutyError as error:
            fail(error.message(), code=error.exit_code)
        except Exception as exc:  # a store failure not translated by the service
            from dutydesk.db import translate

            ctx = kwargs.get("ctx")  # name the register (and, if damaged, its latest archive)
            path = current_run(ctx).db_path if ctx is not None else None
            translated = translate(exc, path)
            if translated is None:
                raise
            fail(translated.message())

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_desk_for(ctx: typer.Context) -> Desk:
    from dutydesk.services.core import open_desk

    run = current_run(ctx)
    desk = open_desk(run.db_path, run.clock)
    ctx.call_on_close(desk.close)  # release the file when the command ends, even in-process
    return desk


def recorder(desk: Desk, name: str | None) -> Person:
    """Who records: the person named with --as, else the officer of the open shift."""
    from dutydesk.services.roster import resolve_recorder

    return resolve_recorder(desk, name)


def require(value: str | None, field: str, option: str | None = None) -> str:
    """A required option, checked by us so the message is in the user's language."""
    if value is None:
        raise DutyError(
            "error.missing_option", field=t(f"field.{field}"), option=option or f"--{field}"
        )
    return value


def read_secret(prompt: str, from_stdin: bool = False) -> str:
    """A PIN: asked hidden on a terminal, else (or with --pin-stdin) one line of standard input.
    Never echoed."""
    if not from_stdin and sys.stdin is not None and sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True, prompt_suffix=": "))
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise DutyError("handover_pin.no_input")
    return line.rstrip("\r\n")


def read_admin_pin(name: str, from_stdin: bool = False) -> str:
    return read_secret(t("authority.prompt_admin", name=name), from_stdin)
