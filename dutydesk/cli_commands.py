"""Subcommands for the registers: calls, people, shifts, pending items."""

from __future__ import annotations

from typing import Any

import typer

from dutydesk.cli_support import open_desk_for, print_json, reports_errors, require
from dutydesk.errors import DutyError
from dutydesk.i18n import t


def _recorder(desk: Any, name: str | None) -> Any:
    from dutydesk.services.roster.shifts import resolve_recorder

    return resolve_recorder(desk, name)


def _first_admin(desk: Any, name: str, pin_stdin: bool) -> None:
    from dutydesk.cli_handover import read_secret
    from dutydesk.services.roster.authority import create_first_admin

    pin = read_secret(t("handover_pin.prompt_new", name=name), pin_stdin)
    again = read_secret(t("handover_pin.prompt_again"), pin_stdin)
    person = create_first_admin(desk, name, pin, again)
    typer.echo(t("people.added", name=person.name, role=t("role." + person.role)))


def register(app: typer.Typer) -> None:
    calls = typer.Typer(help=t("cli.calls_help"), no_args_is_help=True)
    people = typer.Typer(help=t("cli.people_help"), no_args_is_help=True)
    shift = typer.Typer(help=t("cli.shift_help"), no_args_is_help=True)
    pending = typer.Typer(help=t("cli.pending_help"), no_args_is_help=True)
    app.add_typer(calls, name="calls")
    app.add_typer(people, name="people")
    app.add_typer(shift, name="shift")
    app.add_typer(pending, name="pending")

    @calls.command("add", help=t("cli.calls_add_help"))
    @reports_errors
    def calls_add(
        ctx: typer.Context,
        caller: str | None = typer.Option(None, "--caller", help=t("field.caller")),
        unit: str | None = typer.Option(None, "--unit", help=t("field.unit")),
        phone: str | None = typer.Option(None, "--phone", help=t("field.phone")),
        summary: str | None = typer.Option(None, "--summary", help=t("field.summary")),
        direction: str = typer.Option("in", "--direction", help="in | out"),
        category: str = typer.Option("other", "--category", help=t("field.category")),
        verified: bool = typer.Option(False, "--verified/--not-verified", help=t("field.verified")),
        handling: str = typer.Option("", "--handling", help=t("field.handling")),
        place: str = typer.Option("", "--place", help=t("field.place")),
        follow_up: bool = typer.Option(False, "--follow-up", help=t("field.follow_up")),
        received_at: str | None = typer.Option(None, "--received-at", help=t("cli.opt_time")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.errors import FieldProblem, ValidationFailed
        from dutydesk.services.calls.calls import (
            CallDraft,
            call_to_json,
            get_call,
            save_call,
            validate,
        )
        from dutydesk.services.core.timeparse import parse_time

        desk = open_desk_for(ctx)
        when = (
            parse_time(received_at, desk.timezone, now=desk.now())
            if received_at is not None
            else None
        )
        draft = CallDraft(
            caller=caller or "",
            unit=unit or "",
            phone=phone or "",
            summary=summary or "",
            direction=direction,
            category=category,
            verified=verified,
            handling=handling,
            follow_up=follow_up,
            received_at=when,
            place=place,
        )
        problems = validate(desk, draft)
        if problems:
            flags = {"caller": caller, "unit": unit, "phone": phone, "summary": summary}
            missing = [FieldProblem(f, "problem.required") for f, v in flags.items() if v is None]
            raise ValidationFailed(missing or problems)
        record = save_call(desk, draft, _recorder(desk, as_name))
        if as_json:
            print_json(call_to_json(get_call(desk, record.number)[0], desk.timezone))
        else:
            typer.echo(record.number)

    @calls.command("list", help=t("cli.calls_list_help"))
    @reports_errors
    def calls_list(
        ctx: typer.Context,
        search: str | None = typer.Option(None, "--search", help=t("cli.opt_search")),
        since: str | None = typer.Option(None, "--since", help=t("cli.opt_since")),
        limit: int = typer.Option(50, "--limit", min=1, max=1000, help=t("cli.opt_limit")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.calls.calls import call_to_json, list_calls
        from dutydesk.services.core.timeparse import parse_filter_time

        desk = open_desk_for(ctx)
        since_at = parse_filter_time(desk, since) if since else None
        views = list_calls(desk, search=search, since=since_at, limit=limit)
        if as_json:
            print_json([call_to_json(view, desk.timezone) for view in views])
            return
        for view in views:
            when = view.received_at.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")
            line = (
                f"{view.number}  {when}  {t('direction.' + view.direction)}  "
                f"{view.caller}  {view.unit}  {view.phone}  {view.summary}"
            )
            if view.amended_by:
                line += "  " + t("calls.amended_mark", number=view.amended_by)
            typer.echo(line)
        if not views:
            typer.echo(t("calls.none_found"), err=True)

    @calls.command("show", help=t("cli.calls_show_help"))
    @reports_errors
    def calls_show(
        ctx: typer.Context,
        number: str = typer.Argument(..., help=t("field.number")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.calls.calls import call_to_json, get_call

        desk = open_desk_for(ctx)
        view, history = get_call(desk, number)
        data = call_to_json(view, desk.timezone)
        data["history"] = [call_to_json(line, desk.timezone) for line in history]
        print_json(data)

    @calls.command("amend", help=t("cli.calls_amend_help"))
    @reports_errors
    def calls_amend(
        ctx: typer.Context,
        number: str = typer.Argument(..., help=t("field.number")),
        reason: str | None = typer.Option(None, "--reason", help=t("field.reason")),
        caller: str | None = typer.Option(None, "--caller", help=t("field.caller")),
        unit: str | None = typer.Option(None, "--unit", help=t("field.unit")),
        phone: str | None = typer.Option(None, "--phone", help=t("field.phone")),
        summary: str | None = typer.Option(None, "--summary", help=t("field.summary")),
        handling: str | None = typer.Option(None, "--handling", help=t("field.handling")),
        place: str | None = typer.Option(None, "--place", help=t("field.place")),
        category: str | None = typer.Option(None, "--category", help=t("field.category")),
        direction: str | None = typer.Option(None, "--direction", help="in | out"),
        verified: bool | None = typer.Option(
            None, "--verified/--not-verified", help=t("field.verified")
        ),
        received_at: str | None = typer.Option(None, "--received-at", help=t("cli.opt_time")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.calls.calls import amend_call, call_to_json, get_call
        from dutydesk.services.core.timeparse import parse_time

        desk = open_desk_for(ctx)
        reason_text = require(reason, "reason")
        changes: dict[str, Any] = {
            name: value
            for name, value in {
                "caller": caller,
                "unit": unit,
                "phone": phone,
                "summary": summary,
                "handling": handling,
                "place": place,
                "category": category,
                "direction": direction,
                "verified": verified,
            }.items()
            if value is not None
        }
        if received_at is not None:
            changes["received_at"] = parse_time(received_at, desk.timezone, now=desk.now())
        record = amend_call(desk, number, reason_text, changes, _recorder(desk, as_name))
        if as_json:
            print_json(call_to_json(get_call(desk, record.number)[0], desk.timezone))
        else:
            typer.echo(t("calls.amended", number=record.number, original=number))

    @people.command("add", help=t("cli.people_add_help"))
    @reports_errors
    def people_add(
        ctx: typer.Context,
        name: str | None = typer.Option(None, "--name", help=t("field.name")),
        role: str | None = typer.Option(None, "--role", help="leader | officer | standby"),
        staff: bool = typer.Option(True, "--staff/--non-staff", help=t("field.staff")),
        in_post_since: str | None = typer.Option(
            None, "--in-post-since", help=t("field.in_post_since")
        ),
        trained: bool = typer.Option(True, "--trained/--untrained", help=t("field.trained")),
        by: str | None = typer.Option(None, "--by", help=t("cli.opt_by")),
        pin_stdin: bool = typer.Option(False, "--pin-stdin", help=t("cli.opt_pin_stdin")),
    ) -> None:
        from dutydesk.cli_handover import read_admin_pin
        from dutydesk.services.core.timeparse import parse_date
        from dutydesk.services.roster.authority import authorise, first_admin_missing
        from dutydesk.services.roster.people import add_person

        desk = open_desk_for(ctx)
        since = parse_date(in_post_since) if in_post_since else None
        who, what = require(name, "name"), require(role, "role")
        if by is None:
            if what == "admin" and first_admin_missing(desk):  # a register from before 0009
                _first_admin(desk, who, pin_stdin)
                return
            raise DutyError("authority.needed")
        authority = authorise(desk, by, read_admin_pin(by, pin_stdin))
        person, reasons = add_person(
            desk, who, what, staff=staff, in_post_since=since, trained=trained, authority=authority
        )
        added = t("people.added", name=person.name, role=t("role." + person.role))
        typer.echo(added + t("authority.added_by", admin=authority.admin_name))
        for reason in reasons:
            typer.echo(
                t("people.warning", reason=t(reason.key, name=person.name, cite=reason.cite)),
                err=True,
            )

    @people.command("list", help=t("cli.people_list_help"))
    @reports_errors
    def people_list(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.roster.people import list_people, person_to_json

        desk = open_desk_for(ctx)
        rows = [person_to_json(person, desk) for person in list_people(desk)]
        if as_json:
            print_json(rows)
            return
        for row in rows:
            mark = "" if row["eligible"] else "  " + t("people.not_eligible")
            if not row["pin_set"]:
                mark += "  " + t("people.no_pin")
            typer.echo(f"{row['name']}  {t('role.' + str(row['role']))}{mark}")

    @shift.command("open", help=t("cli.shift_open_help"))
    @reports_errors
    def shift_open(
        ctx: typer.Context,
        officer: str | None = typer.Option(None, "--officer", help=t("role.officer")),
        leader: str | None = typer.Option(None, "--leader", help=t("role.leader")),
        standby: str | None = typer.Option(None, "--standby", help=t("role.standby")),
        second_officer: str | None = typer.Option(
            None, "--second-officer", help=t("role.second_officer")
        ),
    ) -> None:
        from dutydesk.services.roster.shifts import open_shift

        desk = open_desk_for(ctx)
        opened = open_shift(
            desk, require(officer, "officer"), leader, standby, second_officer=second_officer
        )
        typer.echo(
            t(
                "shift.opened",
                shift=t("shift." + opened.slot_code),
                start=opened.starts_at.in_timezone(desk.timezone).format("MM-DD HH:mm"),
                end=opened.ends_at.in_timezone(desk.timezone).format("MM-DD HH:mm"),
            )
        )

    @shift.command("status", help=t("cli.shift_status_help"))
    @reports_errors
    def shift_status(ctx: typer.Context) -> None:
        from dutydesk.services.roster.schedule import shift_heading
        from dutydesk.services.roster.shifts import on_duty, shift_window

        desk = open_desk_for(ctx)
        duty = on_duty(desk)
        # the shift the app's header names: the one on duty until its due handover
        heading = shift_heading(
            desk, shift_window(desk.profile, desk.now()), duty.shift if duty else None
        )
        typer.echo(
            t(
                "shift.window",
                shift=t("shift." + heading.code),
                start=heading.starts_at.format("MM-DD HH:mm"),
                end=heading.ends_at.format("MM-DD HH:mm"),
                cite=heading.cite,
            )
        )
        from dutydesk.cli_calendar import calendar_warning

        if warning := calendar_warning(desk):
            typer.echo(warning)
        if duty is None:
            typer.echo(t("shift.none_open"))
        else:
            typer.echo(t("header.on_duty", officer=duty.officer, leader=duty.leader or "—"))

    @pending.command("list", help=t("cli.pending_list_help"))
    @reports_errors
    def pending_list(
        ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json"))
    ) -> None:
        from dutydesk.services.handover.pending import open_items

        desk = open_desk_for(ctx)
        items = open_items(desk)
        if as_json:
            print_json(
                [
                    {
                        "id": item.id,
                        "created_at": item.created_at.in_timezone(desk.timezone).isoformat(),
                        "text": item.text,
                        "call": item.call_number,
                        "created_by": item.created_by,
                        "device": item.device,
                    }
                    for item in items
                ]
            )
            return
        from dutydesk.services.handover.pending import device_label

        for item in items:
            where = device_label(item.device) if item.device else item.call_number or "—"
            typer.echo(f"#{item.id}  {where}  {item.text}")

    @pending.command("close", help=t("cli.pending_close_help"))
    @reports_errors
    def pending_close(
        ctx: typer.Context,
        item_id: int = typer.Argument(...),
        note: str = typer.Option("", "--note", help=t("field.note")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
    ) -> None:
        from dutydesk.services.handover.pending import close_item

        desk = open_desk_for(ctx)
        close_item(desk, item_id, _recorder(desk, as_name), note)
        typer.echo(t("pending.closed", id=item_id))

    @pending.command("repaired", help=t("cli.pending_repaired_help"))
    @reports_errors
    def pending_repaired(
        ctx: typer.Context,
        item_id: int = typer.Argument(...),
        note: str = typer.Option("", "--note", help=t("field.note")),
        as_name: str | None = typer.Option(None, "--as", help=t("cli.opt_as")),
    ) -> None:
        from dutydesk.services.handover.pending import report_repaired

        desk = open_desk_for(ctx)
        report_repaired(desk, item_id, _recorder(desk, as_name), note)
        typer.echo(t("pending.repaired", id=item_id))
