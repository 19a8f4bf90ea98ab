"""What every command shares: settings from the global options, error reporting in the user's
language, output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from dutydesk.errors import DutyError
from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.clock import Clock

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    db_path: Path
    lang: str
    clock: Clock | None = None  # None: the system clock; tests pass one through cli.main


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


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
            fail(error.message())
        except Exception as exc:  # a store failure not translated by the service
            from dutydesk.db import translate

            ctx = kwargs.get("ctx")  # name the register (and, if damaged, its latest archive)
            path = settings(ctx).db_path if hasattr(ctx, "find_root") else None
            error = translate(exc, path)
            if error is None:
                raise
            fail(error.message())

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_desk_for(ctx: typer.Context):  # -> Desk
    from dutydesk.services.core.desk import open_desk

    config = settings(ctx)
    desk = open_desk(config.db_path, config.clock)
    ctx.call_on_close(desk.close)  # release the file when the command ends, even in-process
    return desk


def require(value: str | None, field: str) -> str:
    """A required option, checked by us so the message is in the user's language."""
    if value is None:
        raise DutyError("error.missing_option", field=t(f"field.{field}"), option=f"--{field}")
    return value
