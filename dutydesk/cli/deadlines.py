"""`dutydesk deadlines [list|ack]`: the open items with a time limit, soonest first: the same
composition as the deadline board (services/board), so the report deadlines and every other
register's (documents, orders, roster filings and 调班替岗 reports); `ack` takes report
deadlines only, as the board does."""

from __future__ import annotations

import typer

from dutydesk.cli.incident_lines import deadline_line, id_number, moment
from dutydesk.cli.support import (
    group,
    open_desk_for,
    print_json,
    recorder,
    reports_errors,
    require,
)
from dutydesk.i18n import t

app = group("incidents_cli.deadlines_help", no_args_is_help=False)


def _list_deadlines(ctx: typer.Context, at: str | None, as_json: bool) -> None:
    """The board's open items soonest first (the "尽快" ones last), evaluated at `at` (default
    now); in JSON each with its board key (a roster item's id is not a deadline's)."""
    from dutydesk.services.board import board_items, board_key
    from dutydesk.services.incidents import deadline_to_json

    desk = open_desk_for(ctx)
    views = board_items(desk, moment(desk, at) or desk.now())
    if as_json:
        print_json([{**deadline_to_json(view, desk.timezone), "key": board_key(view)}
                    for view in views])  # fmt: skip
        return
    for view in views:
        typer.echo(deadline_line(desk, view))
    if not views:
        typer.echo(t("deadlines_cli.none"), err=True)


@app.callback(invoke_without_command=True)
@reports_errors
def deadlines_root(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", help="incidents_cli.opt_at"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    if ctx.invoked_subcommand is None:
        _list_deadlines(ctx, at, as_json)


@app.command("list", help="incidents_cli.deadlines_list_help")
@reports_errors
def deadlines_list(
    ctx: typer.Context,
    at: str | None = typer.Option(None, "--at", help="incidents_cli.opt_at"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    _list_deadlines(ctx, at, as_json)


@app.command("ack", help="incidents_cli.deadlines_ack_help")
@reports_errors
def deadlines_ack(
    ctx: typer.Context,
    deadline_id: str = typer.Argument(..., help="field.deadline_id"),
    reason: str | None = typer.Option(None, "--reason", help="reports_cli.opt_reason"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.incidents import acknowledge

    desk = open_desk_for(ctx)
    why = require(reason, "deadline_reason", "--reason")
    view = acknowledge(
        desk, id_number(deadline_id, "deadline_id"), recorder(desk, as_name), reason=why
    )
    typer.echo(t("deadlines_cli.acked", what=view.what))
