"""Subcommands for incident information and report deadlines: `incidents ...`, `verifications
...`, `instructions ...`, `deadlines ...`, `reports done ...`, `workdays ...`."""

from __future__ import annotations

import re
from typing import Any

import typer

from dutydesk.cli_support import open_desk_for, print_json, reports_errors
from dutydesk.errors import DutyError
from dutydesk.i18n import t

_SIGNED = re.compile(r"^[+-]?\d+$")


def _need(value: str | None, field: str, option: str) -> str:
    if value is None:
        raise DutyError("error.missing_option", field=t(f"field.{field}"), option=option)
    return value


def _id(value: str, field: str) -> int:
    from dutydesk.services.incidents.incident_common import whole_number

    number = whole_number(value, field)
    assert number is not None
    return number


def _time(desk: Any, value: str | None) -> Any:
    from dutydesk.services.core.timeparse import parse_desk_time

    return None if value is None else parse_desk_time(desk, value)


def _recorder(desk: Any, name: str | None) -> Any:
    from dutydesk.services.roster.shifts import resolve_recorder

    return resolve_recorder(desk, name)


def _local(desk: Any, value: Any, fmt: str = "MM-DD HH:mm") -> str:
    return "—" if value is None else value.in_timezone(desk.timezone).format(fmt)


def _deadline_line(desk: Any, view: Any) -> str:
    from dutydesk.services.incidents.deadline_views import due_label
    from dutydesk.services.incidents.deadlines import remaining_label

    due = due_label(view, desk.timezone) if view.due_at else t("deadline_remaining.asap")
    counts_from = t(f"deadline_counts_from.{view.counts_from}")
    received = _local(desk, view.received_at)
    clock = (
        t("deadlines_cli.clock_received", counts_from=counts_from, received=received)
        if view.occurred_at is None
        else t(
            "deadlines_cli.clock",
            counts_from=counts_from,
            occurred=_local(desk, view.occurred_at),
            received=received,
        )
    )
    return (
        f"#{view.id}  {t('deadline_status.' + view.status)}  {remaining_label(view)}  "
        f"{view.what}  {t('deadlines_cli.due', due=due)}  {view.cite}  {clock}"
    )


def _closures_line(desk: Any, closures: list[Any]) -> list[str]:
    from dutydesk.services.incidents.deadlines import get_deadline

    lines = []
    for closure in closures:
        view = get_deadline(desk, closure.deadline_id)
        if closure.late_minutes:
            lines.append(t("deadlines_cli.done_late", what=view.what, minutes=closure.late_minutes))
        else:
            lines.append(t("deadlines_cli.done_on_time", what=view.what))
    return lines


def register(app: typer.Typer) -> None:
    incidents = typer.Typer(help=t("incidents_cli.help"), no_args_is_help=True)
    verifications = typer.Typer(help=t("incidents_cli.verifications_help"), no_args_is_help=True)
    instructions = typer.Typer(help=t("incidents_cli.instructions_help"), no_args_is_help=True)
    deadlines = typer.Typer(help=t("incidents_cli.deadlines_help"))
    reports = typer.Typer(help=t("incidents_cli.reports_help"), no_args_is_help=True)
    workdays = typer.Typer(help=t("incidents_cli.workdays_help"), no_args_is_help=True)
    app.add_typer(incidents, name="incidents")
    app.add_typer(verifications, name="verifications")
    app.add_typer(instructions, name="instructions")
    app.add_typer(deadlines, name="deadlines")
    app.add_typer(reports, name="reports")
    app.add_typer(workdays, name="workdays")

    # ------------------------------------------------------------ incidents

    @incidents.command("add", help=t("incidents_cli.add_help"))
    @reports_errors
    def incidents_add(
        ctx: typer.Context,
        kind: str | None = typer.Option(None, "--type", help=t("incidents_cli.opt_type")),
        level: str | None = typer.Option(None, "--level", help=t("incidents_cli.opt_level")),
        occurred_at: str | None = typer.Option(None, "--occurred-at", help=t("cli.opt_time")),
        received_at: str | None = typer.Option(
            None, "--received-at", help=t("incidents_cli.opt_received_at")
        ),
        place: str = typer.Option("", "--place", help=t("field.incident_place")),
        summary: str | None = typer.Option(None, "--summary", help=t("field.incident_summary")),
        dead: str | None = typer.Option(None, "--casualties-dead", help=t("field.casualties_dead")),
        injured: str | None = typer.Option(
            None, "--casualties-injured", help=t("field.casualties_injured")
        ),
        missing: str | None = typer.Option(
            None, "--casualties-missing", help=t("field.casualties_missing")
        ),
        trapped: str | None = typer.Option(
            None, "--casualties-trapped", help=t("field.casualties_trapped")
        ),
        no_casualties: bool = typer.Option(
            False, "--no-casualties", help=t("incidents_cli.opt_no_casualties")
        ),
        scope: str = typer.Option("", "--scope", help=t("field.incident_scope")),
        secondary: str = typer.Option(
            "", "--secondary-risk", help=t("field.incident_secondary_risk")
        ),
        measures: str = typer.Option("", "--measures", help=t("field.incident_measures")),
        next_steps: str = typer.Option("", "--next-steps", help=t("field.incident_next_steps")),
        caller: str = typer.Option("", "--caller", help=t("field.incident_source_caller")),
        unit: str = typer.Option("", "--unit", help=t("field.incident_source_unit")),
        call: str | None = typer.Option(None, "--call", help=t("incidents_cli.opt_call")),
        reporter: str = typer.Option("", "--reporter", help=t("field.incident_reporter")),
        reviewer: str = typer.Option("", "--reviewer", help=t("field.incident_reviewer")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.deadlines import deadlines_for
        from dutydesk.services.incidents.incident_common import whole_number
        from dutydesk.services.incidents.incidents import (
            IncidentDraft,
            incident_label,
            incident_to_json,
            missing_elements,
            parse_level,
            parse_type,
            record_incident,
        )

        desk = open_desk_for(ctx)
        counts = {
            name: whole_number(value, f"casualties_{name}")
            for name, value in (
                ("dead", dead),
                ("injured", injured),
                ("missing", missing),
                ("trapped", trapped),
            )
        }
        if no_casualties:
            if any(value is not None for value in counts.values()):
                raise DutyError("incident.casualties_conflict")
            counts = dict.fromkeys(counts, 0)
        draft = IncidentDraft(
            type=parse_type(_need(kind, "incident_type", "--type")),
            level=parse_level(_need(level, "incident_level", "--level")),
            occurred_at=_time(desk, _need(occurred_at, "incident_occurred_at", "--occurred-at")),
            received_at=_time(desk, received_at),
            place=place,
            summary=_need(summary, "incident_summary", "--summary"),
            scope=scope,
            secondary_risk=secondary,
            measures=measures,
            next_steps=next_steps,
            source_caller=caller,
            source_unit=unit,
            call_number=call,
            reporter=reporter,
            reviewer=reviewer,
            **counts,
        )
        recorder = _recorder(desk, as_name)
        incident = record_incident(desk, draft, recorder)
        if as_json:
            print_json(incident_to_json(desk, incident))
            return
        typer.echo(t("incidents_cli.added", label=incident_label(incident)))
        for view in deadlines_for(desk, "incident", incident.id):  # type: ignore[arg-type]
            typer.echo("  " + _deadline_line(desk, view))
        gaps = missing_elements(desk.profile, incident)
        if gaps:
            typer.echo(
                t(
                    "incidents_cli.missing",
                    elements=t("error.separator").join(m.label for m in gaps),
                )
            )

    @incidents.command("list", help=t("incidents_cli.list_help"))
    @reports_errors
    def incidents_list(
        ctx: typer.Context,
        limit: int = typer.Option(50, "--limit", min=1, max=1000, help=t("cli.opt_limit")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.incidents import (
            incident_label,
            incident_to_json,
            list_incidents,
            missing_elements,
        )

        desk = open_desk_for(ctx)
        rows = list_incidents(desk, limit)
        if as_json:
            print_json([incident_to_json(desk, row) for row in rows])
            return
        for row in rows:
            gaps = len(missing_elements(desk.profile, row))
            mark = "  " + t("incidents_cli.gaps", n=gaps) if gaps else ""
            summary = " ".join(row.summary.split())
            typer.echo(f"{_local(desk, row.received_at)}  {incident_label(row)}  {summary}{mark}")
        if not rows:
            typer.echo(t("incidents_cli.none"), err=True)

    @incidents.command("show", help=t("incidents_cli.show_help"))
    @reports_errors
    def incidents_show(
        ctx: typer.Context,
        incident_id: str = typer.Argument(..., help=t("field.incident_id")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        import pendulum

        from dutydesk.services.incidents.deadlines import deadlines_for
        from dutydesk.services.incidents.incident_reports import report_chain
        from dutydesk.services.incidents.incidents import (
            get_incident,
            incident_to_json,
            level_label,
        )

        desk = open_desk_for(ctx)
        incident = get_incident(desk, _id(incident_id, "incident_id"))
        data = incident_to_json(desk, incident)
        if as_json:
            print_json(data)
            return
        typer.echo(data["label"])
        occurred = _local(desk, incident.occurred_at, "YYYY-MM-DD HH:mm")
        received = _local(desk, incident.received_at, "YYYY-MM-DD HH:mm")
        typer.echo(t("incidents_cli.times", occurred=occurred, received=received))
        typer.echo(data["summary"])
        for row in data["regrades"]:
            typer.echo("  " + t("incidents_cli.regrade_line", old=level_label(row["old_level"]),
                                new=level_label(row["new_level"]), by=row["by"], reason=row["reason"],
                                at=_local(desk, pendulum.parse(row["regraded_at"]))))  # fmt: skip
        for step in report_chain(desk, data["id"]):
            typer.echo(
                "  "
                + t(
                    "incidents_cli.step",
                    label=step.label,
                    phoned=_local(desk, step.phoned_at),
                    written=_local(desk, step.written_at),
                    to=step.to_whom,
                    by=step.by_whom,
                )
            )

        for view in deadlines_for(desk, "incident", data["id"]):
            typer.echo("  " + _deadline_line(desk, view))
        if data["missing"]:
            labels = [t(f"incident_element.{code}") for code in data["missing"]]
            typer.echo(t("incidents_cli.missing", elements=t("error.separator").join(labels)))

    @incidents.command("draft", help=t("incidents_cli.draft_help"))
    @reports_errors
    def incidents_draft(
        ctx: typer.Context,
        incident_id: str = typer.Argument(..., help=t("field.incident_id")),
    ) -> None:
        from dutydesk.services.incidents.incidents import draft_first_report, get_incident

        desk = open_desk_for(ctx)
        typer.echo(draft_first_report(desk, get_incident(desk, _id(incident_id, "incident_id"))))

    @incidents.command("report", help=t("incidents_cli.report_help"))
    @reports_errors
    def incidents_report(
        ctx: typer.Context,
        incident_id: str = typer.Argument(..., help=t("field.incident_id")),
        kind: str | None = typer.Option(None, "--kind", help=t("incidents_cli.opt_kind")),
        number: str | None = typer.Option(None, "--number", help=t("incidents_cli.opt_number")),
        phoned_at: str | None = typer.Option(None, "--phoned-at", help=t("field.report_phoned_at")),
        written_at: str | None = typer.Option(
            None, "--written-at", help=t("field.report_written_at")
        ),
        to_whom: str | None = typer.Option(None, "--to", help=t("field.report_to")),
        by_whom: str = typer.Option("", "--by", help=t("incidents_cli.opt_by")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.incident_common import whole_number
        from dutydesk.services.incidents.incident_reports import (
            chain_to_json,
            record_report,
            report_chain,
        )

        desk = open_desk_for(ctx)
        target = _id(incident_id, "incident_id")
        result = record_report(
            desk,
            target,
            _need(kind, "report_kind", "--kind"),
            _recorder(desk, as_name),
            to_whom=_need(to_whom, "report_to", "--to"),
            phoned_at=_time(desk, phoned_at),
            written_at=_time(desk, written_at),
            by_whom=by_whom,
            number=whole_number(number, "report_number"),
        )
        chain = report_chain(desk, target)
        step = next(
            s for s in chain if (s.kind, s.number) == (result.step.kind, result.step.number)
        )
        if as_json:
            data = chain_to_json([step], desk.timezone)[0]
            data["deadlines_met"] = [
                {"id": c.deadline_id, "late_minutes": c.late_minutes} for c in result.closures
            ]
            print_json(data)
            return
        typer.echo(t("incidents_cli.reported", step=step.summary(desk.timezone)))
        for line in _closures_line(desk, result.closures):
            typer.echo("  " + line)

    @incidents.command("unit-report", help=t("incidents_cli.unit_report_help"))
    @reports_errors
    def incidents_unit_report(
        ctx: typer.Context,
        incident_id: str = typer.Argument(..., help=t("field.incident_id")),
        unit: str | None = typer.Option(None, "--unit", help=t("field.unit_report_unit")),
        channel: str | None = typer.Option(None, "--channel", help=t("incidents_cli.opt_channel")),
        at: str | None = typer.Option(None, "--at", help=t("field.unit_report_at")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.incident_reports import record_unit_report

        desk = open_desk_for(ctx)
        row = record_unit_report(
            desk,
            _id(incident_id, "incident_id"),
            _need(unit, "unit_report_unit", "--unit"),
            _need(channel, "unit_report_channel", "--channel"),
            _time(desk, at) or desk.now(),
            _recorder(desk, as_name),
        )
        if as_json:
            print_json(
                {
                    "id": row.id,
                    "unit": row.unit,
                    "channel": row.channel,
                    "reported_at": row.reported_at.in_timezone(desk.timezone).isoformat(),  # type: ignore[attr-defined]
                    "due_at": (
                        row.due_at.in_timezone(desk.timezone).isoformat() if row.due_at else None  # type: ignore[attr-defined]
                    ),
                    "late": row.late,
                    "late_minutes": row.late_minutes,
                    "rule": row.cite or None,
                }
            )
            return
        if row.due_at is None:
            typer.echo(t("incidents_cli.unit_no_limit", unit=row.unit))
        elif row.late:
            typer.echo(
                t("incidents_cli.unit_late", unit=row.unit, minutes=row.late_minutes, cite=row.cite)
            )
        else:
            typer.echo(t("incidents_cli.unit_on_time", unit=row.unit, cite=row.cite))

    from dutydesk.cli_deadlines import register_more
    from dutydesk.cli_regrade import register_regrade

    register_regrade(incidents)
    register_more(verifications, instructions, deadlines, reports, workdays)
