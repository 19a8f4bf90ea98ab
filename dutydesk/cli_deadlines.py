"""Subcommands for what the upper office asks of us and the deadlines it sets (registered by
cli_incidents): `verifications ...`, `instructions ...`, `deadlines ...`, `reports done ...`,
`workdays ...`."""

from __future__ import annotations

from typing import Any

import typer

from dutydesk.cli_incidents import _SIGNED, _closures_line, _deadline_line, _id, _need, _recorder
from dutydesk.cli_incidents import _time as _parse_time
from dutydesk.cli_support import open_desk_for, print_json, reports_errors, settings
from dutydesk.errors import DutyError
from dutydesk.i18n import t


def _list_deadlines(ctx: typer.Context, at: str | None, as_json: bool) -> None:
    """Open deadlines soonest first (the "尽快" ones last), evaluated at `at` (default now)."""
    from dutydesk.services.incidents.deadlines import deadline_to_json, open_deadlines

    desk = open_desk_for(ctx)
    views = open_deadlines(desk, _parse_time(desk, at) or desk.now())
    if as_json:
        print_json([deadline_to_json(view, desk.timezone) for view in views])
        return
    for view in views:
        typer.echo(_deadline_line(desk, view))
    if not views:
        typer.echo(t("deadlines_cli.none"), err=True)


def _use_register_calendar(ctx: typer.Context) -> None:
    """Count with the register's calendar years: open the register (--db, DUTYDESK_DB or the
    default one) when it exists; opening installs its years. Without one, the package's data
    alone counts, as these commands need no register."""
    from dutydesk.services.core.calendar import use_register_years

    if settings(ctx).db_path.exists():
        open_desk_for(ctx)
    else:
        use_register_years(())


def _day(value: str) -> Any:
    from dutydesk.services.core.timeparse import parse_date

    return parse_date(value)


def register_more(
    verifications: typer.Typer,
    instructions: typer.Typer,
    deadlines: typer.Typer,
    reports: typer.Typer,
    workdays: typer.Typer,
) -> None:
    # ------------------------------------------------------------ verifications (核报)

    @verifications.command("add", help=t("incidents_cli.verification_add_help"))
    @reports_errors
    def verification_add(
        ctx: typer.Context,
        requested_at: str | None = typer.Option(
            None, "--requested-at", help=t("field.verification_received_at")
        ),
        subject: str | None = typer.Option(None, "--subject", help=t("field.verification_subject")),
        written: bool = typer.Option(False, "--written", help=t("incidents_cli.opt_written")),
        requested_by: str = typer.Option("", "--from", help=t("field.verification_requested_by")),
        incident: str | None = typer.Option(None, "--incident", help=t("field.incident_id")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.deadlines import deadlines_for
        from dutydesk.services.incidents.verifications import add_verification, verification_to_json

        desk = open_desk_for(ctx)
        row = add_verification(
            desk,
            _recorder(desk, as_name),
            received_at=_parse_time(desk, requested_at),
            subject=_need(subject, "verification_subject", "--subject"),
            written_requested=written,
            requested_by=requested_by,
            incident_id=_id(incident, "incident_id") if incident is not None else None,
        )
        if as_json:
            print_json(verification_to_json(desk, row))
            return
        typer.echo(t("incidents_cli.verification_added", id=row.id))
        for view in deadlines_for(desk, "verification", row.id):  # type: ignore[arg-type]
            typer.echo("  " + _deadline_line(desk, view))

    @verifications.command("reply", help=t("incidents_cli.verification_reply_help"))
    @reports_errors
    def verification_reply(
        ctx: typer.Context,
        verification_id: str = typer.Argument(..., help=t("field.verification_id")),
        channel: str | None = typer.Option(None, "--channel", help=t("incidents_cli.opt_channel")),
        at: str | None = typer.Option(None, "--at", help=t("field.verification_replied_at")),
        content: str = typer.Option("", "--content", help=t("field.verification_content")),
        by_whom: str = typer.Option("", "--by", help=t("incidents_cli.opt_by")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.verifications import (
            get_verification,
            reply_verification,
            verification_to_json,
        )

        desk = open_desk_for(ctx)
        target = _id(verification_id, "verification_id")
        result = reply_verification(
            desk,
            target,
            _recorder(desk, as_name),
            channel=_need(channel, "verification_channel", "--channel"),
            replied_at=_parse_time(desk, at),
            content=content,
            by_whom=by_whom,
        )
        if as_json:
            print_json(verification_to_json(desk, get_verification(desk, target)))
            return
        typer.echo(t("incidents_cli.verification_replied", id=target))
        for line in _closures_line(desk, result.closures):
            typer.echo("  " + line)

    @verifications.command("list", help=t("incidents_cli.verification_list_help"))
    @reports_errors
    def verification_list(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json"))
    ) -> None:
        from dutydesk.services.incidents.verifications import (
            list_verifications,
            verification_to_json,
        )

        desk = open_desk_for(ctx)
        rows = [verification_to_json(desk, row) for row in list_verifications(desk)]
        if as_json:
            print_json(rows)
            return
        for row in rows:
            replies = len(row["replies"])
            typer.echo(f"#{row['id']}  {row['received_at']}  {row['subject']}  ({replies})")

    # ------------------------------------------------------------ instructions (领导批示)

    @instructions.command("add", help=t("incidents_cli.instruction_add_help"))
    @reports_errors
    def instruction_add(
        ctx: typer.Context,
        received_at: str | None = typer.Option(
            None, "--received-at", help=t("field.instruction_received_at")
        ),
        leader: str | None = typer.Option(None, "--leader", help=t("field.instruction_leader")),
        text: str | None = typer.Option(None, "--text", help=t("field.instruction_text")),
        passed_to: str = typer.Option("", "--passed-to", help=t("field.instruction_passed_to")),
        incident: str | None = typer.Option(None, "--incident", help=t("field.incident_id")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.deadlines import deadlines_for
        from dutydesk.services.incidents.instructions import add_instruction, instruction_to_json

        desk = open_desk_for(ctx)
        row = add_instruction(
            desk,
            _recorder(desk, as_name),
            received_at=_parse_time(desk, received_at),
            leader=_need(leader, "instruction_leader", "--leader"),
            text=_need(text, "instruction_text", "--text"),
            passed_to=passed_to,
            incident_id=_id(incident, "incident_id") if incident is not None else None,
        )
        if as_json:
            print_json(instruction_to_json(desk, row))
            return
        typer.echo(t("incidents_cli.instruction_added", id=row.id))
        for view in deadlines_for(desk, "instruction", row.id):  # type: ignore[arg-type]
            typer.echo("  " + _deadline_line(desk, view))

    @instructions.command("feedback", help=t("incidents_cli.instruction_feedback_help"))
    @reports_errors
    def instruction_feedback(
        ctx: typer.Context,
        instruction_id: str = typer.Argument(..., help=t("field.instruction_id")),
        text: str | None = typer.Option(None, "--text", help=t("field.instruction_feedback")),
        at: str | None = typer.Option(None, "--at", help=t("field.instruction_fed_back_at")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.instructions import (
            feed_back,
            get_instruction,
            instruction_to_json,
        )

        desk = open_desk_for(ctx)
        target = _id(instruction_id, "instruction_id")
        result = feed_back(
            desk,
            target,
            _recorder(desk, as_name),
            text=_need(text, "instruction_feedback", "--text"),
            fed_back_at=_parse_time(desk, at),
        )
        if as_json:
            print_json(instruction_to_json(desk, get_instruction(desk, target)))
            return
        typer.echo(t("incidents_cli.instruction_fed_back", id=target))
        for line in _closures_line(desk, result.closures):
            typer.echo("  " + line)

    @instructions.command("list", help=t("incidents_cli.instruction_list_help"))
    @reports_errors
    def instruction_list(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json"))
    ) -> None:
        from dutydesk.services.incidents.instructions import instruction_to_json, list_instructions

        desk = open_desk_for(ctx)
        rows = [instruction_to_json(desk, row) for row in list_instructions(desk)]
        if as_json:
            print_json(rows)
            return
        for row in rows:
            typer.echo(f"#{row['id']}  {row['received_at']}  {row['leader']}  {row['text']}")

    # ------------------------------------------------------------ deadlines

    @deadlines.callback(invoke_without_command=True)
    @reports_errors
    def deadlines_root(
        ctx: typer.Context,
        at: str | None = typer.Option(None, "--at", help=t("incidents_cli.opt_at")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        if ctx.invoked_subcommand is None:
            _list_deadlines(ctx, at, as_json)

    @deadlines.command("list", help=t("incidents_cli.deadlines_list_help"))
    @reports_errors
    def deadlines_list(
        ctx: typer.Context,
        at: str | None = typer.Option(None, "--at", help=t("incidents_cli.opt_at")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        _list_deadlines(ctx, at, as_json)

    @deadlines.command("ack", help=t("incidents_cli.deadlines_ack_help"))
    @reports_errors
    def deadlines_ack(
        ctx: typer.Context,
        deadline_id: str = typer.Argument(..., help=t("field.deadline_id")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
    ) -> None:
        from dutydesk.services.incidents.deadlines import acknowledge

        desk = open_desk_for(ctx)
        view = acknowledge(desk, _id(deadline_id, "deadline_id"), _recorder(desk, as_name))
        typer.echo(t("deadlines_cli.acked", what=view.what))

    @reports.command("done", help=t("incidents_cli.reports_done_help"))
    @reports_errors
    def reports_done(
        ctx: typer.Context,
        deadline_id: str = typer.Argument(..., help=t("field.deadline_id")),
        at: str | None = typer.Option(None, "--at", help=t("field.deadline_done_at")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.incidents.deadlines import close_deadline, deadline_to_json

        desk = open_desk_for(ctx)
        view = close_deadline(
            desk, _id(deadline_id, "deadline_id"), _recorder(desk, as_name), _parse_time(desk, at)
        )
        if as_json:
            print_json(deadline_to_json(view, desk.timezone))
        elif view.late_minutes:
            typer.echo(t("deadlines_cli.done_late", what=view.what, minutes=view.late_minutes))
        else:
            typer.echo(t("deadlines_cli.done_on_time", what=view.what))

    # ------------------------------------------------------------ working days

    @workdays.command(
        "add",
        help=t("incidents_cli.workdays_add_help"),
        context_settings={"ignore_unknown_options": True},  # so that "-3" is a number
    )
    @reports_errors
    def workdays_add(
        ctx: typer.Context,
        date: str = typer.Argument(..., help=t("incidents_cli.opt_date")),
        n: str = typer.Argument(..., help=t("incidents_cli.opt_n")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.core.calendar import add_working_days

        if not _SIGNED.match(n.strip()):
            raise DutyError("calendar.bad_n", value=n)
        start = _day(date)
        _use_register_calendar(ctx)
        result = add_working_days(start, int(n))
        if as_json:
            print_json({"date": start.isoformat(), "n": int(n), "result": result.isoformat()})
        else:
            typer.echo(result.isoformat())

    @workdays.command("check", help=t("incidents_cli.workdays_check_help"))
    @reports_errors
    def workdays_check(
        ctx: typer.Context,
        date: str = typer.Argument(..., help=t("incidents_cli.opt_date")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.core.calendar import day_info

        day = _day(date)
        _use_register_calendar(ctx)
        info = day_info(day)
        if as_json:
            print_json(
                {
                    "date": info.day.isoformat(),
                    "workday": info.workday,
                    "reason": info.reason,
                    "holiday": info.holiday,
                    "source": info.source,
                }
            )
            return
        holiday = t(f"calendar_holiday.{info.holiday}") if info.holiday else ""
        typer.echo(
            t(
                f"calendar_day.{info.reason}",
                date=info.day.isoformat(),
                weekday=t(f"calendar_weekday.{info.day.isoweekday()}"),
                holiday=holiday,
                source=info.source,
            )
        )
