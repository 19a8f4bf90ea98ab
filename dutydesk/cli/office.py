"""`dutydesk office show|set`: the office's name, time zone, profile and clock tolerance. A change
needs an administrator's PIN (`--by NAME`) and is recorded, chained, with who made it."""

from __future__ import annotations

import typer

from dutydesk.cli.support import group, open_desk_for, print_json, read_admin_pin, reports_errors
from dutydesk.errors import DutyError
from dutydesk.i18n import t

app = group("office_cli.help")


@app.command("show", help="office_cli.show_help")
@reports_errors
def office_show(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="cli.opt_json")
) -> None:
    from dutydesk.services.core import tolerance_of

    desk = open_desk_for(ctx)
    office = desk.office
    shown = {"name": office.name, "timezone": office.timezone, "profile_id": office.profile_id,
             "clock_tolerance_s": tolerance_of(desk)}  # fmt: skip
    if as_json:
        print_json(shown)
        return
    for key, value in shown.items():
        typer.echo(t("office_cli.line", field=t(f"office_cli.field_{key}"), value=value))


@app.command("set", help="office_cli.set_help")
@reports_errors
def office_set(
    ctx: typer.Context,
    name: str | None = typer.Option(None, "--name", help="office_cli.opt_name"),
    timezone: str | None = typer.Option(None, "--timezone", help="office_cli.opt_timezone"),
    profile: str | None = typer.Option(None, "--profile", help="office_cli.opt_profile"),
    tolerance: int | None = typer.Option(
        None, "--clock-tolerance", help="office_cli.opt_tolerance"
    ),
    by: str | None = typer.Option(None, "--by", help="cli.opt_by"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="cli.opt_pin_stdin"),
    yes: bool = typer.Option(False, "--yes", help="office_cli.opt_yes"),
) -> None:
    from dutydesk.services.roster import authorise, set_office
    from dutydesk.services.roster.office_notices import ConfirmationNeeded, change_notices

    desk = open_desk_for(ctx)
    if name is None and timezone is None and profile is None and tolerance is None:
        raise DutyError("office_settings.nothing_given")
    if by is None:
        raise DutyError("authority.needed")
    before = desk.office
    notices = change_notices(desk, timezone=timezone, profile_id=profile)  # before the PIN
    if notices and not yes:
        raise ConfirmationNeeded(notices)
    authority = authorise(desk, by, read_admin_pin(by, pin_stdin))
    office = set_office(desk, authority, name=name, timezone=timezone, profile_id=profile,
                        clock_tolerance_s=tolerance, confirmed=yes)  # fmt: skip
    for notice in notices:
        typer.echo(notice.message())
    typer.echo(t("office_cli.changed", name=office.name, timezone=office.timezone,
                 profile=office.profile_id, admin=authority.admin_name))  # fmt: skip
    if before.timezone != office.timezone:
        typer.echo(t("office_cli.zone_note", before=before.timezone, after=office.timezone))
