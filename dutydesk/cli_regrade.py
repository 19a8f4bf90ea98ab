"""`dutydesk incidents regrade ID --level L --reason TEXT`: change an incident's level later
(registered by cli_incidents)."""

from __future__ import annotations

import typer

from dutydesk.cli_incidents import _deadline_line, _id, _local, _need, _recorder
from dutydesk.cli_support import open_desk_for, print_json, reports_errors
from dutydesk.i18n import t


def register_regrade(incidents: typer.Typer) -> None:
    @incidents.command("regrade", help=t("incidents_cli.regrade_help"))
    @reports_errors
    def incidents_regrade(
        ctx: typer.Context,
        incident_id: str = typer.Argument(..., help=t("field.incident_id")),
        level: str | None = typer.Option(None, "--level", help=t("incidents_cli.opt_level")),
        reason: str | None = typer.Option(None, "--reason", help=t("incidents_cli.opt_reason")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.deadlines import deadline_to_json
        from dutydesk.services.incidents.incident_regrade import regrade_incident, regrade_to_json
        from dutydesk.services.incidents.incidents import level_label

        desk = open_desk_for(ctx)
        number = _id(incident_id, "incident_id")
        done = regrade_incident(
            desk,
            number,
            _need(level, "incident_level", "--level"),
            _need(reason, "regrade_reason", "--reason"),
            _recorder(desk, as_name),
        )
        row = done.regrade
        if as_json:
            print_json({
                **regrade_to_json(desk, row),
                "superseded": [deadline_to_json(v, desk.timezone) for v in done.superseded],
                "deadlines": [deadline_to_json(v, desk.timezone) for v in done.created],
            })  # fmt: skip
            return
        typer.echo(
            t("incidents_cli.regraded", id=row.incident_id, old=level_label(row.old_level),
              new=level_label(row.new_level), reason=row.reason)
        )  # fmt: skip
        for view in done.superseded:
            due = _local(desk, view.due_at) if view.due_at else t("deadline_remaining.asap")
            typer.echo("  " + t("incidents_cli.regrade_superseded", what=view.what,
                                cite=view.cite, due=due))  # fmt: skip
        for view in done.created:
            typer.echo("  " + t("incidents_cli.regrade_new", line=_deadline_line(desk, view)))
        if not done.created:
            typer.echo("  " + t("incidents_cli.regrade_nothing_new"))
