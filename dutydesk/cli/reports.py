"""`dutydesk reports done ID --reason …`: a deadline closed by hand, with the reason (a report
made outside the desk); `dutydesk reports first INCIDENT`: the 首报 saved as text and as a DOCX
突发事件信息报告 with its 文号."""

from __future__ import annotations

from pathlib import Path

import typer

from dutydesk.cli.incident_lines import desk_time, id_number
from dutydesk.cli.support import (
    group,
    open_desk_for,
    print_json,
    recorder,
    reports_errors,
    require,
)
from dutydesk.i18n import t

app = group("incidents_cli.reports_help")


@app.command("done", help="incidents_cli.reports_done_help")
@reports_errors
def reports_done(
    ctx: typer.Context,
    deadline_id: str = typer.Argument(..., help="field.deadline_id"),
    at: str | None = typer.Option(None, "--at", help="field.deadline_done_at"),
    reason: str | None = typer.Option(None, "--reason", help="reports_cli.opt_reason"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import close_deadline, deadline_to_json

    desk = open_desk_for(ctx)
    why = require(reason, "deadline_reason", "--reason")
    view = close_deadline(
        desk,
        id_number(deadline_id, "deadline_id"),
        recorder(desk, as_name),
        desk_time(desk, at),
        reason=why,
    )
    if as_json:
        print_json(deadline_to_json(view, desk.timezone))
    elif view.late_minutes:
        typer.echo(t("deadlines_cli.done_late", what=view.what, minutes=view.late_minutes))
    else:
        typer.echo(t("deadlines_cli.done_on_time", what=view.what))


@app.command("first", help="reports_cli.first_help")
@reports_errors
def reports_first(
    ctx: typer.Context,
    incident_id: str = typer.Argument(..., help="field.incident_id"),
    signer: str | None = typer.Option(None, "--signer", help="reports_cli.opt_signer"),
    contact: str | None = typer.Option(None, "--contact", help="reports_cli.opt_contact"),
    phone: str = typer.Option("", "--phone", help="reports_cli.opt_phone"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import save_first_report

    desk = open_desk_for(ctx)
    saved = save_first_report(
        desk,
        id_number(incident_id, "incident_id"),
        recorder(desk, as_name),
        signer=signer,
        contact=contact,
        phone=phone,
    )
    paths: tuple[Path, ...] = (saved.text_path, saved.docx_path)
    if as_json:
        print_json({"number": saved.number, "text": str(paths[0]), "docx": str(paths[1])})
        return
    for path in paths:
        typer.echo(t("reports_cli.saved", number=saved.number, path=path))
