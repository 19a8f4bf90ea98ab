"""The `dutydesk` command tree, registered in one place. With no subcommand it opens the app."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from dutydesk import __version__
from dutydesk.cli import (
    archive,
    calendar,
    calls,
    central,
    contacts,
    deadlines,
    demo,
    documents,
    handover,
    incidents,
    instructions,
    office,
    orders,
    pending,
    people,
    reports,
    roster,
    search,
    setup,
    shift,
    spotcheck,
    units,
    verifications,
    workdays,
)
from dutydesk.cli.support import CatalogueGroup, Run, fail
from dutydesk.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language, t

if TYPE_CHECKING:
    from dutydesk.clock import Clock
    from dutydesk.settings import Settings

GROUPS = (
    ("calls", calls.app),
    ("people", people.app),
    ("shift", shift.app),
    ("pending", pending.app),
    ("incidents", incidents.app),
    ("verifications", verifications.app),
    ("instructions", instructions.app),
    ("deadlines", deadlines.app),
    ("reports", reports.app),
    ("workdays", workdays.app),
    ("units", units.app),
    ("spotcheck", spotcheck.app),
    ("handover", handover.app),
    ("archive", archive.app),
    ("office", office.app),
    ("calendar", calendar.app),
    ("roster", roster.app),
    ("central", central.app),
    ("documents", documents.app),
    ("orders", orders.app),
    ("contacts", contacts.app),
)


def build_app(clock: Clock | None = None, settings: Settings | None = None) -> typer.Typer:
    """The command tree. `clock` is for tests and drills run in code; the installed program
    passes none and reads the system clock. Without `settings` the environment is read when
    the command runs."""
    app = typer.Typer(
        cls=CatalogueGroup,
        help="cli.help",
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )

    @app.callback(invoke_without_command=True)
    def root(
        ctx: typer.Context,
        db: str | None = typer.Option(None, "--db", help="cli.opt_db"),
        lang: str | None = typer.Option(None, "--lang", help="cli.opt_lang"),
        version: bool = typer.Option(False, "--version", help="cli.opt_version"),
    ) -> None:
        run = Run(_settings(settings).overridden(db, lang), clock)
        start(ctx, run, version, db_empty=db is not None and not db.strip())

    app.command("init", help="cli.init_help")(setup.init)
    app.command("demo", help="cli.demo_help")(demo.demo)
    app.command("verify", help="reliability_cli.verify_help")(archive.verify)
    app.command("restore", help="reliability_cli.restore_help")(archive.restore)
    app.command("reindex", help="reindex.help")(archive.reindex)
    app.command("search", help="search_cli.help")(search.search)
    app.command("export", help="handover_cli.export_help")(archive.export)
    for name, group in GROUPS:
        app.add_typer(group, name=name)
    return app


def _settings(given: Settings | None) -> Settings:
    from dutydesk.settings import Settings

    return given if given is not None else Settings.from_environment()


def start(ctx: typer.Context, run: Run, version: bool, db_empty: bool = False) -> None:
    """What the global options do before any command: the language, the version, the app."""
    from dutydesk.paths import use_export_dir

    lang = run.settings.lang
    if lang not in LANGUAGES:
        fail(t("cli.bad_lang", value=lang, choices=", ".join(LANGUAGES)), code=2)
    set_language(lang)
    if db_empty:  # `--db=` or `--db ""`: not the current folder, not the default register
        fail(t("cli.db_empty"), code=2)
    if run.settings.db_blank:
        fail(t("cli.db_env_blank"), code=2)  # DUTYDESK_DB=" ": not a file named " "
    if version:
        typer.echo(f"dutydesk {__version__}")
        raise typer.Exit(0)
    use_export_dir(run.settings.export_dir)
    ctx.obj = run
    if ctx.invoked_subcommand is None:
        demo.run_tui(run.settings, run)


def main(
    argv: list[str] | None = None, clock: Clock | None = None, settings: Settings | None = None
) -> None:
    """The console script's command line (no arguments: sys.argv and the system clock); tests
    and the bench call it with their own arguments and a clock."""
    from dutydesk.launch import language_in

    args = sys.argv[1:] if argv is None else list(argv)
    settings = _settings(settings)
    lang = language_in(args) or settings.lang
    set_language(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)  # for the help texts
    try:
        build_app(clock, settings)(args=args, prog_name="dutydesk")
    except (OSError, RuntimeError, ValueError) as exc:
        if not unusable_path(exc):
            raise
        typer.echo(t("cli.path_unusable"), err=True)
        raise SystemExit(1) from None


def unusable_path(exc: BaseException) -> bool:
    """A path typed on the command line that no file can have (breaker, session 10): too long,
    holding a NUL, or under the home of a user this machine does not know. Said in one line,
    not as a traceback; any other error still surfaces."""
    import errno

    if isinstance(exc, OSError):
        return exc.errno == errno.ENAMETOOLONG
    text = str(exc)
    return "embedded null" in text or "home directory" in text
