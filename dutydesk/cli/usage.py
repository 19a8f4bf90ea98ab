"""typer's own words in the user's language: usage errors (an unknown option, a missing value,
a bad number, an unknown command) and the headings of --help.

typer 0.29 carries its own copy of click, whose messages are English f-strings with no
translation hook. So the root command runs click in non-standalone mode and shows each usage
error itself, built from the exception's fields (the option's name and the help hint kept),
with click's exit code (2); and every command's context formats help with DeskHelpFormatter,
which puts the headings, the help option's text and the [default: …] notes in the catalogue's
words. Each positional argument is named by the catalogue too (`cli_arg.<name>`, DeskArgument):
in the usage line, its help row and the errors that name it."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import typer
from typer._click import HelpFormatter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument

from dutydesk.i18n import t

_HEADINGS = {
    "Options": "usage.options",
    "Commands": "usage.commands",
    "Arguments": "usage.arguments",
}
_TYPE_NAMES = {
    "str": "usage.type_text",
    "int": "usage.type_int",
    "path": "usage.type_path",
    "list[str]": "usage.type_texts",
}
_NOTE = re.compile(r"\[([^\[\]]*)\]\s*$")
_METAVAR = re.compile(r"<(str|int|path|list\[str\])( range)?>")
_NO_COMMAND = re.compile(r"No such command '(?P<name>.*)'\.(?: Did you mean (?P<hint>.*)\?)?$")
_EXTRA_ARGS = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$")
_NEEDS_VALUE = re.compile(r"Option '(?P<name>.*)' requires (?:an argument|\d+ arguments)\.$")
_NO_VALUE = re.compile(r"Option '(?P<name>.*)' does not take a value\.$")
ARGUMENT_NAMES = "cli_arg."  # the catalogue's section of positional arguments' names


class DeskHelpFormatter(HelpFormatter):
    """click's help layout with its English words from the catalogue."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", t("usage.options_slot"))
        args = args.replace("COMMAND [ARGS]", t("usage.command_slot"))
        super().write_usage(prog, args, t("usage.usage") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        key = _HEADINGS.get(heading)
        self.write(f"{'':>{self.current_indent}}{t(key) if key else heading + ':'}\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """click's definition list, its first column padded by display width (a Chinese
        character takes two cells, which click counts as one)."""
        from rich.cells import cell_len
        from typer._click.formatting import wrap_text

        rows = [(_metavars(first), _help_text(second)) for first, second in rows]
        first_col = min(max((cell_len(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(indent + first)
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - 2, 10)
            lines = wrap_text(second, width, preserve_paragraphs=True).splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


def _metavars(text: str) -> str:
    return _METAVAR.sub(lambda m: "<" + t(_TYPE_NAMES[m.group(1)]) + ">", text)


def _help_text(text: str) -> str:
    if text == "Show this message and exit.":
        return t("usage.help_option")
    note = _NOTE.search(text)
    if note is None:
        return text
    parts = [_note_part(part.strip()) for part in note.group(1).split(";")]
    return text[: note.start()] + "[" + t("usage.note_separator").join(parts) + "]"


def _note_part(part: str) -> str:
    if part == "required":
        return t("usage.required")
    if part.startswith("default: "):
        return t("usage.default", value=part.removeprefix("default: "))
    return part


class DeskArgument(TyperArgument):
    """A positional argument named in the user's language (`cli_arg.<name>`: 登记号, NUMBER),
    where typer shows its Python name in braces (`{number}`) in the usage line, its help row
    and the errors that name it. Optional ones in brackets, repeatable ones with `...`."""

    @property
    def display_name_raw(self) -> str:
        return t(ARGUMENT_NAMES + (self.name or ""))

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def get_error_hint(self) -> str:
        return t("usage.quoted", name=self.display_name_raw)


def desk_argument(param: Any) -> None:
    """Make typer's argument `param` a DeskArgument (typer makes them itself, with no hook for
    the class: every command's arguments are changed here at once, support._translate)."""
    if type(param) is TyperArgument:
        param.__class__ = DeskArgument


class DeskContext(typer.Context):
    formatter_class = DeskHelpFormatter


def run_translated(main: Callable[[], Any]) -> NoReturn:
    """Run `main` (click in non-standalone mode) and exit as click would, with every usage error
    and failure message in the user's language."""
    try:
        result = main()
    except NoArgsIsHelpError as error:  # a group with no command: its help, as click does
        typer.echo(error.format_message(), err=True)
        sys.exit(error.exit_code)
    except UsageError as error:
        typer.echo(usage_error_text(error), err=True)
        sys.exit(error.exit_code)
    except ClickException as error:
        typer.echo(t("usage.error", message=error.format_message()), err=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        typer.echo(t("usage.aborted"), err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)  # typer.Exit(n) returns n here


def usage_error_text(error: UsageError) -> str:
    """What click would print for `error` (usage line, help hint, the error), in our words."""
    lines = []
    ctx = error.ctx
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            hint = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines.append(t("usage.try_help", command=hint) + "\n")
    lines.append(t("usage.error", message=usage_message(error)))
    return "\n".join(lines)


def usage_message(error: UsageError) -> str:
    if isinstance(error, NoSuchOption):
        text = t("usage.no_such_option", name=error.option_name)
        if error.possibilities:
            text += t("usage.possible_options", options=", ".join(sorted(error.possibilities)))
        return text
    if isinstance(error, MissingParameter):
        return t("usage.missing_" + _kind(error), hint=_hint(error))
    if isinstance(error, BadParameter):
        return t("usage.bad_value", hint=_hint(error), reason=_bad_value_reason(error))
    if isinstance(error, BadOptionUsage):
        needs_value = _NEEDS_VALUE.match(error.message)
        if needs_value:
            return t("usage.needs_value", name=needs_value["name"])
        no_value = _NO_VALUE.match(error.message)
        if no_value:
            return t("usage.takes_no_value", name=no_value["name"])
    return _plain_usage_message(error.message)


def _plain_usage_message(message: str) -> str:
    no_command = _NO_COMMAND.match(message)
    if no_command:
        text = t("usage.no_such_command", name=no_command["name"])
        if no_command["hint"]:
            text += t("usage.did_you_mean", hint=no_command["hint"])
        return text
    extra = _EXTRA_ARGS.match(message)
    if extra:
        return t("usage.extra_arguments", args=extra["args"])
    if message == "Missing command.":
        return t("usage.missing_command")
    return message


def _kind(error: MissingParameter) -> str:
    kind = error.param_type or (error.param.param_type_name if error.param else None)
    return kind if kind in ("option", "argument") else "parameter"


def _hint(error: BadParameter) -> str:
    """The option's names or the argument's, each quoted as the language quotes."""
    hint: Iterable[str] | str | None = error.param_hint
    param = error.param
    if hint is None and isinstance(param, DeskArgument):
        return param.get_error_hint()
    if hint is None and param is not None:
        hint = param.opts if param.param_type_name == "option" and param.opts else None
        hint = hint or param.get_error_hint()
    if hint is None:
        return ""
    if isinstance(hint, str):
        return hint
    return " / ".join(t("usage.quoted", name=part) for part in hint)


def _bad_value_reason(error: BadParameter) -> str:
    """typer checks numbers with pydantic: its error's type names what was wrong."""
    from pydantic import ValidationError

    cause = error.__cause__
    if not isinstance(cause, ValidationError) or not cause.errors():
        return error.message
    first = cause.errors()[0]
    key = "usage.value_" + first["type"]
    limits = {name: str(value) for name, value in first.get("ctx", {}).items()}
    return t(key, value=first.get("input", ""), **limits) if _known(key) else error.message


def _known(key: str) -> bool:
    from dutydesk.i18n import has

    return has(key)
