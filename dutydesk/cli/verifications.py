"""`dutydesk verifications ...`: what the upper office asks us to verify (核报), and our replies."""

from __future__ import annotations

import typer

from dutydesk.cli.choices import choice_option
from dutydesk.cli.incident_lines import closure_lines, deadline_line, desk_time, id_number
from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors, require
from dutydesk.i18n import t

app = group("incidents_cli.verifications_help")


@app.command("add", help="incidents_cli.verification_add_help")
@reports_errors
def verification_add(
    ctx: typer.Context,
    requested_at: str | None = typer.Option(
        None, "--requested-at", help="field.verification_received_at"
    ),
    subject: str | None = typer.Option(None, "--subject", help="field.verification_subject"),
    written: bool = typer.Option(False, "--written", help="incidents_cli.opt_written"),
    requested_by: str = typer.Option("", "--from", help="field.verification_requested_by"),
    incident: str | None = typer.Option(None, "--incident", help="field.incident_id"),
    within: str | None = typer.Option(None, "--within", help="entry_cli.opt_within"),
    within_channel: str = typer.Option(
        "phone", "--within-channel", help="entry_cli.opt_within_channel"
    ),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import add_verification, deadlines_for, verification_to_json
    from dutydesk.services.incidents.verifications import parse_channel

    desk = open_desk_for(ctx)
    row = add_verification(
        desk,
        recorder(desk, as_name),
        received_at=desk_time(desk, requested_at),
        subject=require(subject, "verification_subject", "--subject"),
        written_requested=written,
        requested_by=requested_by,
        incident_id=id_number(incident, "incident_id") if incident is not None else None,
        reply_within=id_number(within, "verification_reply_within") if within is not None else None,
        reply_channel=parse_channel(within_channel),
    )
    if as_json:
        print_json(verification_to_json(desk, row))
        return
    typer.echo(t("incidents_cli.verification_added", id=row.id))
    for view in deadlines_for(desk, "verification", row.id):  # type: ignore[arg-type]
        typer.echo("  " + deadline_line(desk, view))


@app.command("reply", help="incidents_cli.verification_reply_help")
@reports_errors
def verification_reply(
    ctx: typer.Context,
    verification_id: str = typer.Argument(..., help="field.verification_id"),
    channel: str | None = choice_option(
        None, "--channel", section="channel", help="incidents_cli.opt_channel"
    ),
    at: str | None = typer.Option(None, "--at", help="field.verification_replied_at"),
    content: str = typer.Option("", "--content", help="field.verification_content"),
    by_whom: str = typer.Option("", "--by", help="incidents_cli.opt_by"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import (
        get_verification,
        reply_verification,
        verification_to_json,
    )

    desk = open_desk_for(ctx)
    target = id_number(verification_id, "verification_id")
    result = reply_verification(
        desk,
        target,
        recorder(desk, as_name),
        channel=require(channel, "verification_channel", "--channel"),
        replied_at=desk_time(desk, at),
        content=content,
        by_whom=by_whom,
    )
    if as_json:
        print_json(verification_to_json(desk, get_verification(desk, target)))
        return
    typer.echo(t("incidents_cli.verification_replied", id=target))
    for line in closure_lines(desk, result.closures):
        typer.echo("  " + line)


@app.command("list", help="incidents_cli.verification_list_help")
@reports_errors
def verification_list(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="cli.opt_json")
) -> None:
    from dutydesk.services.incidents import list_verifications, verification_to_json

    desk = open_desk_for(ctx)
    rows = [verification_to_json(desk, row) for row in list_verifications(desk)]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        replies = len(row["replies"])
        typer.echo(f"#{row['id']}  {row['received_at']}  {row['subject']}  ({replies})")


# ------------------------------------------------------------ instructions (领导批示)
