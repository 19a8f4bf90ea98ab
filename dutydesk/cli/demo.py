"""`dutydesk demo`: the demonstration register (made on first use), opened in the app."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from dutydesk.cli.support import Run, current_run, reports_errors
from dutydesk.i18n import t
from dutydesk.paths import demo_db_path

if TYPE_CHECKING:
    from dutydesk.settings import Settings


@reports_errors
def demo(
    ctx: typer.Context,
    open_app: bool = typer.Option(True, "--open/--no-open", help="cli.opt_open"),
) -> None:
    from dutydesk.services.demo import demo_credentials, ensure_demo

    run = current_run(ctx)
    path = run.settings.db or demo_db_path()  # --db or DUTYDESK_DB, else the demo's own file
    path.parent.mkdir(parents=True, exist_ok=True)
    created = ensure_demo(path)
    typer.echo(t("demo.created" if created else "demo.reused", path=str(path)))
    for name, role, pin in demo_credentials():
        typer.echo(t("demo_pins.line", name=name, role=t("role." + role), pin=pin))
    if open_app and not (sys.stdin.isatty() and sys.stdout.isatty()):
        # piped or in a script: the app would run unseen, reading no key (breaker, session 17:
        # `dutydesk demo | tail` ran on for minutes at ~70 % of a core)
        typer.echo(t("demo.no_terminal", path=str(path)))
    elif open_app:
        run_tui(run.settings.overridden(db=path), run)


def run_tui(settings: Settings, run: Run) -> None:
    """The terminal app through the start path's one way in; a crash exits non-zero."""
    from dutydesk.launch import open_app

    code = open_app(settings, run.clock)
    if code:
        raise typer.Exit(code)  # a crash is not a normal end: scripts must see it
