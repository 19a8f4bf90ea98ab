"""`dutydesk reports done ID`: a report made, closing its deadline."""

from __future__ import annotations

import typer

from dutydesk.cli.incident_lines import desk_time, id_number
from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors
from dutydesk.i18n import t

app = group("incidents_cli.reports_help")


@app.command("done", help="incidents_cli.reports_done_help")
@reports_errors
def reports_done(
    ctx: typer.Context,
    deadline_id: str = typer.Argument(..., help="field.deadline_id"),
    at: str | None = typer.Option(None, "--at", help="field.deadline_done_at"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import close_deadline, deadline_to_json

    desk = open_desk_for(ctx)
    view = close_deadline(
        desk, id_number(deadline_id, "deadline_id"), recorder(desk, as_name), desk_time(desk, at)
    )
    if as_json:
        print_json(deadline_to_json(view, desk.timezone))
    elif view.late_minutes:
        typer.echo(t("deadlines_cli.done_late", what=view.what, minutes=view.late_minutes))
    else:
        typer.echo(t("deadlines_cli.done_on_time", what=view.what))


# ------------------------------------------------------------ working days
