"""The `dutydesk` command (typer). With no subcommand it opens the terminal app."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dutydesk import __version__
from dutydesk.cli_support import Settings, fail, reports_errors, settings
from dutydesk.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language, t
from dutydesk.paths import (
    DB_ENV,
    LANG_ENV,
    default_db_path,
    demo_db_path,
    env_db_path,
    env_language,
    resolve_db_path,
)

if TYPE_CHECKING:
    from dutydesk.clock import Clock


def _language_from(argv: list[str]) -> str:
    """The language must be known before the help texts are built, so read it first."""
    lang = env_language(DEFAULT_LANGUAGE)
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            lang = argv[index + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def build_app(clock: Clock | None = None) -> typer.Typer:
    """The command tree. `clock` is for tests and drills run in code; the installed program
    passes none and reads the system clock."""
    from dutydesk import cli_commands

    app = typer.Typer(
        help=t("cli.help"),
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )

    @app.callback(invoke_without_command=True)
    def root(
        ctx: typer.Context,
        db: Path | None = typer.Option(None, "--db", envvar=DB_ENV, help=t("cli.opt_db")),
        lang: str = typer.Option(
            DEFAULT_LANGUAGE, "--lang", envvar=LANG_ENV, help=t("cli.opt_lang")
        ),
        version: bool = typer.Option(False, "--version", help=t("cli.opt_version")),
    ) -> None:
        if lang not in LANGUAGES:
            fail(t("cli.bad_lang", value=lang, choices=", ".join(LANGUAGES)), code=2)
        set_language(lang)
        if version:
            typer.echo(f"dutydesk {__version__}")
            raise typer.Exit(0)
        ctx.obj = Settings(resolve_db_path(db), lang, clock)
        if ctx.invoked_subcommand is None:
            run_tui(ctx.obj)

    @app.command("init", help=t("cli.init_help"))
    @reports_errors
    def init(
        ctx: typer.Context,
        office: str | None = typer.Option(None, "--office", help=t("cli.opt_office")),
        profile: str | None = typer.Option(None, "--profile", help=t("cli.opt_profile")),
        admin: str | None = typer.Option(None, "--admin", help=t("cli.opt_admin")),
        pin_stdin: bool = typer.Option(False, "--pin-stdin", help=t("cli.opt_pin_stdin")),
    ) -> None:
        from dutydesk.cli_handover import read_secret
        from dutydesk.cli_support import require
        from dutydesk.errors import DutyError
        from dutydesk.services.roster.authority import init_with_admin

        path = settings(ctx).db_path
        office_name, profile_id = require(office, "office"), require(profile, "profile")
        _check_init_target(path, office_name, profile_id)  # before any PIN is asked for
        if not admin:
            raise DutyError("authority.init_admin_missing")
        pin = read_secret(t("handover_pin.prompt_new", name=admin), pin_stdin)
        again = read_secret(t("handover_pin.prompt_again"), pin_stdin)
        if path == default_db_path():
            path.parent.mkdir(parents=True, exist_ok=True)  # first run: make the data folder
        desk = init_with_admin(
            path, office_name, profile_id, admin, pin, again, settings(ctx).clock
        )
        typer.echo(t("init.done", path=str(path), office=desk.office.name, profile=desk.profile.id))
        typer.echo(t("people.added", name=admin, role=t("role.admin")))
        desk.close()

    @app.command("demo", help=t("cli.demo_help"))
    @reports_errors
    def demo(
        ctx: typer.Context,
        open_app: bool = typer.Option(True, "--open/--no-open", help=t("cli.opt_open")),
    ) -> None:
        from dutydesk.services.demo.demo import demo_credentials, ensure_demo

        explicit = ctx.find_root().params.get("db")
        path = Path(explicit) if explicit else env_db_path() or demo_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        created = ensure_demo(path)
        typer.echo(t("demo.created" if created else "demo.reused", path=str(path)))
        for name, role, pin in demo_credentials():
            typer.echo(t("demo_pins.line", name=name, role=t("role." + role), pin=pin))
        if open_app:
            run_tui(Settings(path, settings(ctx).lang, settings(ctx).clock))

    cli_commands.register(app)
    from dutydesk import cli_incidents

    cli_incidents.register(app)
    from dutydesk import cli_spotcheck

    cli_spotcheck.register(app)
    from dutydesk import cli_reliability

    cli_reliability.register(app)
    from dutydesk import cli_handover

    cli_handover.register(app)
    from dutydesk import cli_calendar

    cli_calendar.register(app)
    return app


def _check_init_target(path: Path, office: str, profile_id: str) -> None:
    """What init_database refuses, checked before the administrator's PIN is asked for."""
    from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
    from dutydesk.profiles import load_profile
    from dutydesk.services.core.desk import is_empty_file
    from dutydesk.services.core.validation import check_name

    problems: list[FieldProblem] = []
    check_name(problems, "office", office, required=True, max_length=100)
    if problems:
        raise ValidationFailed(problems)
    load_profile(profile_id)
    if path.exists() and not is_empty_file(path):
        raise DutyError("init.exists", path=str(path))
    if not path.parent.exists() and path != default_db_path():
        raise DutyError("db.missing_dir", path=str(path.parent))


def run_tui(config: Settings) -> None:
    from dutydesk.errors import DutyError
    from dutydesk.services.core.desk import check_openable

    try:
        check_openable(config.db_path)
    except DutyError as error:
        fail(error.message())
    from dutydesk.app import make_app, run_app

    code = run_app(make_app(config.db_path, config.clock, lang=config.lang))
    if code:
        raise typer.Exit(code)  # a crash is not a normal end: scripts must see it


def main(argv: list[str] | None = None, clock: Clock | None = None) -> None:
    """The console script (no arguments: the command line and the system clock); tests and the
    bench call it with their own arguments and a clock."""
    args = sys.argv[1:] if argv is None else list(argv)
    set_language(_language_from(args))
    build_app(clock)(args=args, prog_name="dutydesk")
