"""`dutydesk incidents ...`: incident information (突发事件信息): record, list, show, draft the
first report, record reports up the chain and the units' reports, regrade."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from pendulum import DateTime

from dutydesk.cli.choices import choice_option
from dutydesk.cli.incident_lines import (
    closure_lines,
    deadline_line,
    desk_time,
    id_number,
    local_time,
)
from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors, require
from dutydesk.errors import DutyError
from dutydesk.i18n import language, t

if TYPE_CHECKING:
    from dutydesk.models import Incident
    from dutydesk.services.core import Desk

app = group("incidents_cli.help")


@app.command("add", help="incidents_cli.add_help")
@reports_errors
def incidents_add(
    ctx: typer.Context,
    kind: str | None = choice_option(
        None, "--type", section="incident_type", help="incidents_cli.opt_type"
    ),
    level: str | None = choice_option(
        None, "--level", section="incident_level", help="incidents_cli.opt_level"
    ),
    occurred_at: str | None = typer.Option(None, "--occurred-at", help="cli.opt_time"),
    received_at: str | None = typer.Option(
        None, "--received-at", help="incidents_cli.opt_received_at"
    ),
    place: str = typer.Option("", "--place", help="field.incident_place"),
    summary: str | None = typer.Option(None, "--summary", help="field.incident_summary"),
    dead: str | None = typer.Option(None, "--casualties-dead", help="field.casualties_dead"),
    injured: str | None = typer.Option(
        None, "--casualties-injured", help="field.casualties_injured"
    ),
    missing: str | None = typer.Option(
        None, "--casualties-missing", help="field.casualties_missing"
    ),
    trapped: str | None = typer.Option(
        None, "--casualties-trapped", help="field.casualties_trapped"
    ),
    no_casualties: bool = typer.Option(
        False, "--no-casualties", help="incidents_cli.opt_no_casualties"
    ),
    scope: str = typer.Option("", "--scope", help="field.incident_scope"),
    secondary: str = typer.Option("", "--secondary-risk", help="field.incident_secondary_risk"),
    measures: str = typer.Option("", "--measures", help="field.incident_measures"),
    next_steps: str = typer.Option("", "--next-steps", help="field.incident_next_steps"),
    caller: str = typer.Option("", "--caller", help="field.incident_source_caller"),
    unit: str = typer.Option("", "--unit", help="field.incident_source_unit"),
    call: str | None = typer.Option(None, "--call", help="incidents_cli.opt_call"),
    reporter: str = typer.Option("", "--reporter", help="field.incident_reporter"),
    reviewer: str = typer.Option("", "--reviewer", help="field.incident_reviewer"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import (
        IncidentDraft,
        incident_to_json,
        parse_level,
        parse_type,
        record_incident,
    )

    desk = open_desk_for(ctx)
    counts = _casualties(dead, injured, missing, trapped, no_casualties)
    draft = IncidentDraft(
        type=parse_type(require(kind, "incident_type", "--type")),
        level=parse_level(require(level, "incident_level", "--level")),
        occurred_at=desk_time(desk, require(occurred_at, "incident_occurred_at", "--occurred-at")),
        received_at=desk_time(desk, received_at),
        place=place,
        summary=require(summary, "incident_summary", "--summary"),
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
    incident = record_incident(desk, draft, recorder(desk, as_name))
    if as_json:
        print_json(incident_to_json(desk, incident))
        return
    _echo_added(desk, incident)


def _casualties(
    dead: str | None,
    injured: str | None,
    missing: str | None,
    trapped: str | None,
    no_casualties: bool,
) -> dict[str, int | None]:
    """The casualty counts typed; --no-casualties sets them all to 0 and allows none typed."""
    from dutydesk.services.incidents import whole_number

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
    return counts


def _echo_added(desk: Desk, incident: Incident) -> None:
    """The incident just recorded, the deadlines it started and the elements it still lacks."""
    from dutydesk.services.incidents import deadlines_for, incident_label, missing_elements

    typer.echo(t("incidents_cli.added", label=incident_label(incident)))
    for view in deadlines_for(desk, "incident", incident.id):  # type: ignore[arg-type]
        typer.echo("  " + deadline_line(desk, view))
    gaps = missing_elements(desk.profile, incident)
    if gaps:
        typer.echo(
            t(
                "incidents_cli.missing",
                elements=t("error.separator").join(m.label for m in gaps),
            )
        )


@app.command("list", help="incidents_cli.list_help")
@reports_errors
def incidents_list(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="cli.opt_limit"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import (
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
        typer.echo(f"{local_time(desk, row.received_at)}  {incident_label(row)}  {summary}{mark}")
    if not rows:
        typer.echo(t("incidents_cli.none"), err=True)


@app.command("show", help="incidents_cli.show_help")
@reports_errors
def incidents_show(
    ctx: typer.Context,
    incident_id: str = typer.Argument(..., help="field.incident_id"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:

    from dutydesk.services.incidents import (
        deadlines_for,
        get_incident,
        incident_to_json,
        level_label,
        report_chain,
    )

    desk = open_desk_for(ctx)
    incident = get_incident(desk, id_number(incident_id, "incident_id"))
    data = incident_to_json(desk, incident)
    if as_json:
        print_json(data)
        return
    typer.echo(data["label"])
    occurred = local_time(desk, incident.occurred_at, "YYYY-MM-DD HH:mm")
    received = local_time(desk, incident.received_at, "YYYY-MM-DD HH:mm")
    typer.echo(t("incidents_cli.times", occurred=occurred, received=received))
    typer.echo(data["summary"])
    for row in data["regrades"]:
        typer.echo("  " + t("incidents_cli.regrade_line", old=level_label(row["old_level"]),
                            new=level_label(row["new_level"]), by=row["by"], reason=row["reason"],
                            at=local_time(desk, _instant(row["regraded_at"]))))  # fmt: skip
    for step in report_chain(desk, data["id"]):
        typer.echo(
            "  "
            + t(
                "incidents_cli.step",
                label=step.label,
                phoned=local_time(desk, step.phoned_at),
                written=local_time(desk, step.written_at),
                to=step.to_whom,
                by=step.by_whom,
            )
        )

    for view in deadlines_for(desk, "incident", data["id"]):
        typer.echo("  " + deadline_line(desk, view))
    if data["missing"]:
        labels = [t(f"incident_element.{code}") for code in data["missing"]]
        typer.echo(t("incidents_cli.missing", elements=t("error.separator").join(labels)))


@app.command("draft", help="incidents_cli.draft_help")
@reports_errors
def incidents_draft(
    ctx: typer.Context,
    incident_id: str = typer.Argument(..., help="field.incident_id"),
) -> None:
    from dutydesk.services.incidents import draft_first_report, get_incident

    desk = open_desk_for(ctx)
    typer.echo(draft_first_report(desk, get_incident(desk, id_number(incident_id, "incident_id"))))


@app.command("report", help="incidents_cli.report_help")
@reports_errors
def incidents_report(
    ctx: typer.Context,
    incident_id: str = typer.Argument(..., help="field.incident_id"),
    kind: str | None = choice_option(
        None, "--kind", section="report_kind", help="incidents_cli.opt_kind"
    ),
    number: str | None = typer.Option(None, "--number", help="incidents_cli.opt_number"),
    phoned_at: str | None = typer.Option(None, "--phoned-at", help="field.report_phoned_at"),
    written_at: str | None = typer.Option(None, "--written-at", help="field.report_written_at"),
    to_whom: str | None = typer.Option(None, "--to", help="field.report_to"),
    by_whom: str = typer.Option("", "--by", help="incidents_cli.opt_by"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import chain_to_json, record_report, report_chain, whole_number

    desk = open_desk_for(ctx)
    target = id_number(incident_id, "incident_id")
    result = record_report(
        desk,
        target,
        require(kind, "report_kind", "--kind"),
        recorder(desk, as_name),
        to_whom=require(to_whom, "report_to", "--to"),
        phoned_at=desk_time(desk, phoned_at),
        written_at=desk_time(desk, written_at),
        by_whom=by_whom,
        number=whole_number(number, "report_number"),
    )
    chain = report_chain(desk, target)
    step = next(s for s in chain if (s.kind, s.number) == (result.step.kind, result.step.number))
    if as_json:
        data = chain_to_json([step], desk.timezone)[0]
        data["deadlines_met"] = [
            {"id": c.deadline_id, "late_minutes": c.late_minutes} for c in result.closures
        ]
        print_json(data)
        return
    typer.echo(t("incidents_cli.reported", step=step.summary(desk.timezone)))
    for line in closure_lines(desk, result.closures):
        typer.echo("  " + line)


@app.command("unit-report", help="incidents_cli.unit_report_help")
@reports_errors
def incidents_unit_report(
    ctx: typer.Context,
    incident_id: str = typer.Argument(..., help="field.incident_id"),
    unit: str | None = typer.Option(None, "--unit", help="field.unit_report_unit"),
    channel: str | None = choice_option(
        None, "--channel", section="channel", help="incidents_cli.opt_channel"
    ),
    at: str | None = typer.Option(None, "--at", help="field.unit_report_at"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import record_unit_report

    desk = open_desk_for(ctx)
    row = record_unit_report(
        desk,
        id_number(incident_id, "incident_id"),
        require(unit, "unit_report_unit", "--unit"),
        require(channel, "unit_report_channel", "--channel"),
        desk_time(desk, at) or desk.now(),
        recorder(desk, as_name),
    )
    if as_json:
        print_json(
            {
                "id": row.id,
                "unit": row.unit,
                "channel": row.channel,
                "reported_at": row.reported_at.in_timezone(desk.timezone).isoformat(),
                "due_at": (
                    row.due_at.in_timezone(desk.timezone).isoformat() if row.due_at else None
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


@app.command("regrade", help="incidents_cli.regrade_help")
@reports_errors
def incidents_regrade(
    ctx: typer.Context,
    incident_id: str = typer.Argument(..., help="field.incident_id"),
    level: str | None = choice_option(
        None, "--level", section="incident_level", help="incidents_cli.opt_level"
    ),
    reason: str | None = typer.Option(None, "--reason", help="incidents_cli.opt_reason"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.incidents import (
        deadline_to_json,
        level_label,
        regrade_incident,
        regrade_to_json,
    )

    desk = open_desk_for(ctx)
    number = id_number(incident_id, "incident_id")
    done = regrade_incident(
        desk,
        number,
        require(level, "incident_level", "--level"),
        require(reason, "regrade_reason", "--reason"),
        recorder(desk, as_name),
    )
    row = done.regrade
    if as_json:
        print_json({
            **regrade_to_json(desk, row),
            "superseded": [deadline_to_json(v, desk.timezone) for v in done.superseded],
            "deadlines": [deadline_to_json(v, desk.timezone) for v in done.created],
            "level_sets_none": done.level_sets_none,  # the profile sets no deadline at this level
            "resumed": {str(new): old for new, old in done.resumed.items()},  # new id -> kept
        })  # fmt: skip
        return
    typer.echo(
        t("incidents_cli.regraded", id=row.incident_id, old=level_label(row.old_level),
          new=level_label(row.new_level), reason=row.reason)
    )  # fmt: skip
    for view in done.superseded:
        due = local_time(desk, view.due_at) if view.due_at else t("deadline_remaining.asap")
        typer.echo("  " + t("incidents_cli.regrade_superseded", what=view.what,
                            cite=view.cite, due=due))  # fmt: skip
    for view in done.created:
        typer.echo("  " + t("incidents_cli.regrade_new", line=deadline_line(desk, view)))
        if view.id in done.resumed:  # a rule the incident had before keeps its first clock
            typer.echo("    " + t("incidents_cli.regrade_resumed", id=done.resumed[view.id]))
    if done.level_sets_none:  # said plainly, with the profile that sets none
        typer.echo("  " + t("incidents_cli.regrade_level_sets_none", profile=desk.profile.name(
            language()), level=level_label(row.new_level)))  # fmt: skip
    elif not done.created:
        typer.echo("  " + t("incidents_cli.regrade_nothing_new"))


def _instant(text: str) -> DateTime:
    """A time the service wrote as ISO 8601 text, read back."""
    import pendulum

    parsed = pendulum.parse(text)
    assert isinstance(parsed, DateTime)
    return parsed
