"""`dutydesk instructions ...`: leaders' instructions (领导批示), passed on and fed back."""

from __future__ import annotations

import typer

from dutydesk.cli.incident_lines import closure_lines, deadline_line, desk_time, id_number
from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors, require
from dutydesk.i18n import t

app = group("incidents_cli.instructions_help")


@app.command("add", help="incidents_cli.instruction_add_help")
@reports_errors
def instruction_add(
    ctx: typer.Context,
    received_at: str | None = typer.Option(
        None, "--received-at", help="field.instruction_received_at"
    ),
    leader: str | None = typer.Option(None, "--leader", help="field.instruction_leader"),
    text: str | None = typer.Option(None, "--text", help="field.instruction_text"),
    passed_to: str = typer.Option("", "--passed-to", help="field.instruction_passed_to"),
    incident: str | None = typer.Option(None, "--incident", help="field.incident_id"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import add_instruction, deadlines_for, instruction_to_json

    desk = open_desk_for(ctx)
    row = add_instruction(
        desk,
        recorder(desk, as_name),
        received_at=desk_time(desk, received_at),
        leader=require(leader, "instruction_leader", "--leader"),
        text=require(text, "instruction_text", "--text"),
        passed_to=passed_to,
        incident_id=id_number(incident, "incident_id") if incident is not None else None,
    )
    if as_json:
        print_json(instruction_to_json(desk, row))
        return
    typer.echo(t("incidents_cli.instruction_added", id=row.id))
    for view in deadlines_for(desk, "instruction", row.id):  # type: ignore[arg-type]
        typer.echo("  " + deadline_line(desk, view))


@app.command("feedback", help="incidents_cli.instruction_feedback_help")
@reports_errors
def instruction_feedback(
    ctx: typer.Context,
    instruction_id: str = typer.Argument(..., help="field.instruction_id"),
    text: str | None = typer.Option(None, "--text", help="field.instruction_feedback"),
    at: str | None = typer.Option(None, "--at", help="field.instruction_fed_back_at"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import feed_back, get_instruction, instruction_to_json

    desk = open_desk_for(ctx)
    target = id_number(instruction_id, "instruction_id")
    result = feed_back(
        desk,
        target,
        recorder(desk, as_name),
        text=require(text, "instruction_feedback", "--text"),
        fed_back_at=desk_time(desk, at),
    )
    if as_json:
        print_json(instruction_to_json(desk, get_instruction(desk, target)))
        return
    typer.echo(t("incidents_cli.instruction_fed_back", id=target))
    for line in closure_lines(desk, result.closures):
        typer.echo("  " + line)


@app.command("list", help="incidents_cli.instruction_list_help")
@reports_errors
def instruction_list(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="cli.opt_json")
) -> None:
    from dutydesk.services.incidents import instruction_to_json, list_instructions

    desk = open_desk_for(ctx)
    rows = [instruction_to_json(desk, row) for row in list_instructions(desk)]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"#{row['id']}  {row['received_at']}  {row['leader']}  {row['text']}")


# ------------------------------------------------------------ deadlines
