"""`dutydesk people ...`: the duty roster (add, list, set-pin)."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

import typer

from dutydesk.cli.choices import choice_option
from dutydesk.cli.support import (
    group,
    open_desk_for,
    print_json,
    read_admin_pin,
    read_secret,
    reports_errors,
    require,
)
from dutydesk.errors import DutyError
from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

app = group("cli.people_help")
ROLE_CODES = ("leader", "officer", "standby", "admin", "director")


@app.command("add", help="cli.people_add_help")
@reports_errors
def people_add(
    ctx: typer.Context,
    name: str | None = typer.Option(None, "--name", help="field.name"),
    role: str | None = choice_option(
        None, "--role", section="role", codes=ROLE_CODES, help="choices.role_help"
    ),
    staff: bool = typer.Option(True, "--staff/--non-staff", help="field.staff"),
    in_post_since: str | None = typer.Option(None, "--in-post-since", help="field.in_post_since"),
    trained: bool = typer.Option(True, "--trained/--untrained", help="field.trained"),
    by: str | None = typer.Option(None, "--by", help="cli.opt_by"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="cli.opt_pin_stdin"),
) -> None:
    from dutydesk.services.core import parse_date
    from dutydesk.services.roster import add_person, authorise, first_admin_missing

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
    typer.echo(t("people.no_pin_yet", name=person.name, command=shlex.join(
        ["dutydesk", "--db", str(desk.path), "people", "set-pin", "--by",
         authority.admin_name or by, "--", person.name])))  # fmt: skip
    for reason in reasons:
        typer.echo(
            t("people.warning", reason=t(reason.key, name=person.name, cite=reason.cite)),
            err=True,
        )


@app.command("list", help="cli.people_list_help")
@reports_errors
def people_list(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.roster import list_people, person_to_json

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


@app.command("set-pin", help="handover_cli.set_pin_help")
@reports_errors
def people_set_pin(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="field.name"),
    by: str | None = typer.Option(None, "--by", help="cli.opt_by"),
    restored: bool = typer.Option(False, "--restored", help="cli.opt_restored"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="cli.opt_pin_stdin"),
) -> None:
    from dutydesk.services.roster import authorise, find_person, has_pin, restore_admin_pin, set_pin

    desk = open_desk_for(ctx)
    name = find_person(desk, name).name  # as stored: the typed name trimmed and NFC
    authority, current = None, None
    if by is not None:
        authority = authorise(desk, by, read_admin_pin(by, pin_stdin))
    elif not restored:
        if not has_pin(desk, name):
            raise DutyError("authority.first_pin", name=name)
        current = read_secret(t("handover_pin.prompt_current", name=name), pin_stdin)
    new_pin = read_secret(t("handover_pin.prompt_new", name=name), pin_stdin)
    again = read_secret(t("handover_pin.prompt_again"), pin_stdin)
    if restored and by is None:
        restore_admin_pin(desk, name, new_pin, again)
    else:
        set_pin(desk, name, new_pin, again, current, authority=authority)
    done = t("handover_pin.set", name=name)
    typer.echo(done + (t("authority.added_by", admin=authority.admin_name) if authority else ""))


def _first_admin(desk: Desk, name: str, pin_stdin: bool) -> None:
    from dutydesk.services.roster import create_first_admin

    pin = read_secret(t("handover_pin.prompt_new", name=name), pin_stdin)
    again = read_secret(t("handover_pin.prompt_again"), pin_stdin)
    person = create_first_admin(desk, name, pin, again)
    typer.echo(t("people.added", name=person.name, role=t("role." + person.role)))
