"""`dutydesk roster ...`: the duty roster (排班): generate a month, show it, set a seat by hand,
swap or substitute after filing, file it with the upper office, export the 值班表, duty hours."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dutydesk.cli.roster_options import (
    HOW,
    KIND,
    ROLE,
    checked,
    checked_slot,
    how_option,
    kind_option,
    role_option,
    slot_option,
)
from dutydesk.cli.support import group, open_desk_for, print_json, read_secret, reports_errors
from dutydesk.errors import DutyError
from dutydesk.i18n import t

if TYPE_CHECKING:
    from datetime import date

    from dutydesk.services.core import Desk
    from dutydesk.services.roster import ChangeView, GridCell, MonthGrid, PersonCounts

app = group("cli.roster_help")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _month(text: str | None) -> tuple[int, int]:
    match = _MONTH.match(text or "")
    if match is None:
        raise DutyError("roster_cli.bad_month", value=text or "")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise DutyError("roster_cli.bad_month", value=text or "")
    return year, month


def _day(text: str | None, option: str) -> date:
    from dutydesk.services.core import parse_date

    if text is None:
        raise DutyError("error.missing_option", field=option, option=option)
    return parse_date(text)


def _by(desk: Desk, by: str | None) -> str:
    """Who enters the roster: --by, else the officer of the shift on duty."""
    from dutydesk.services.roster import current_shift, find_person
    from dutydesk.services.roster.people import list_people

    if by is not None:
        return find_person(desk, by).name
    shift = current_shift(desk)
    if shift is None:
        raise DutyError("roster_cli.by_needed")
    return next(p.name for p in list_people(desk) if p.id == shift.officer_id)


def _roster_id(desk: Desk, roster: int | None, month: str | None, by: str | None = None) -> int:
    """The roster named by --roster or --month; a month's is made only when `by` is given
    (roster set), never by a command that reads or sends it."""
    from dutydesk.services.roster import find_month_roster, month_roster_id

    if roster is not None:
        return roster
    if month is None:
        raise DutyError("roster_cli.which_roster")
    year, number = _month(month)
    if by is None:
        return find_month_roster(desk, year, number)
    return month_roster_id(desk, year, number, by)


def _cell_json(cell: GridCell) -> dict[str, object]:
    return {
        "roster_id": cell.roster_id, "kind": cell.roster_kind, "date": cell.day.isoformat(),
        "slot": cell.slot_code, "starts_at": cell.starts_at.isoformat(),
        "ends_at": cell.ends_at.isoformat(), "leader": cell.leader,
        "officers": list(cell.officers), "standby": cell.standby,
        "changes": [{"kind": c.kind, "role": c.role, "original": c.original,
                     "substitute": c.substitute, "reason": c.reason,
                     "approved_by": c.approved_by, "rest_override": c.rest_override}
                    for c in cell.changes],
        "conflicts": [{"key": c.key, "message": c.message(), "blocks": c.blocks}
                      for c in cell.conflicts],
    }  # fmt: skip


def _override(change: ChangeView) -> str:
    if not change.rest_override:
        return ""
    return "  " + t("roster_rest.shown", reason=change.rest_override)


def _counts_lines(counts: tuple[PersonCounts, ...] | list[PersonCounts]) -> list[str]:
    from dutydesk.services.roster.duty_hours import shown_nights

    return [
        t("roster_cli.count_line", name=c.name, role=t("role." + c.role), shifts=c.shifts,
          hours=c.hours, nights=shown_nights(c), days_off=c.days_off, holidays=c.holidays)
        for c in counts
    ]  # fmt: skip


def _grid_lines(grid: MonthGrid) -> list[str]:
    lines = []
    for day in grid.days:
        for cell in day.cells:
            officers = "、".join(name or "—" for name in cell.officers)
            line = t("roster_cli.cell_line", date=cell.day.isoformat(),
                     weekday=t(f"roster_file.weekday_{cell.day.isoweekday()}"),
                     slot=t("shift." + cell.slot_code), leader=cell.leader or "—",
                     officers=officers, standby=cell.standby or "—")  # fmt: skip
            lines.append(line)
            lines += ["    " + t("roster_file.changed", name=c.substitute, original=c.original)
                      + "  " + c.reason + _override(c) for c in cell.changes]  # fmt: skip
            lines += ["    ! " + c.message() for c in cell.conflicts]
    return lines


@app.command("generate", help="cli.roster_generate_help")
@reports_errors
def roster_generate(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="cli.opt_roster_month"),
    seed: int | None = typer.Option(None, "--seed", help="cli.opt_roster_seed"),
    by: str | None = typer.Option(None, "--by", help="cli.opt_roster_by"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.roster import generate_month, month_roster

    year, number = _month(month)
    desk = open_desk_for(ctx)
    chosen = seed if seed is not None else year * 100 + number
    generated = generate_month(desk, year, number, seed=chosen, by=_by(desk, by))
    grid = month_roster(desk, year, number)
    if as_json:
        print_json({"roster_id": generated.roster_id, "seed": chosen,
                    "empty_seats": len(generated.empty),
                    "counts": [c.to_json() for c in grid.counts]})  # fmt: skip
        return
    typer.echo(t("roster_cli.generated", year=year, month=number, seed=chosen,
                 filled=len(generated.plan), empty=len(generated.empty)))  # fmt: skip
    for line in _counts_lines(grid.counts) + _sole_leader(grid, generated.roster_id):
        typer.echo(line)


def _sole_leader(grid: MonthGrid, generated: int | None = None) -> list[str]:
    """The sole leader's warning; on `generated`, the rest conflicts it could not avoid too."""
    from dutydesk.services.roster.roster_checks import rest_warning, sole_leader_warning

    warnings = [sole_leader_warning(grid)]
    warnings += [rest_warning(grid, generated)] if generated is not None else []
    return ["! " + warning for warning in warnings if warning]


@app.command("show", help="cli.roster_show_help")
@reports_errors
def roster_show(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="cli.opt_roster_month"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.roster import month_roster

    year, number = _month(month)
    desk = open_desk_for(ctx)
    grid = month_roster(desk, year, number)
    if as_json:
        print_json({
            "year": year, "month": number, "month_roster_id": grid.month_roster_id,
            "rosters": [{"id": r.id, "kind": r.kind, "label": r.label,
                         "starts_on": r.starts_on.isoformat(), "ends_on": r.ends_on.isoformat(),
                         "filed_at": r.filed_at.isoformat() if r.filed_at else None}
                        for r in grid.rosters],
            "cells": [_cell_json(c) for d in grid.days for c in d.cells],
            "counts": [c.to_json() for c in grid.counts],
        })  # fmt: skip
        return
    if not any(day.cells for day in grid.days):
        typer.echo(t("roster_cli.empty_month", year=year, month=number))
        return
    for line in _grid_lines(grid) + [""] + _counts_lines(grid.counts) + _sole_leader(grid):
        typer.echo(line)


@app.command("set", help="cli.roster_set_help")
@reports_errors
def roster_set(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="cli.opt_roster_month"),
    roster: int | None = typer.Option(None, "--roster", help="cli.opt_roster_id"),
    day: str | None = typer.Option(None, "--date", help="cli.opt_roster_date"),
    slot: str | None = slot_option("--slot", "cli.opt_roster_slot"),
    role: str = role_option(),
    seat: int = typer.Option(1, "--seat", help="cli.opt_roster_seat"),
    name: str | None = typer.Option(None, "--name", help="cli.opt_roster_name"),
    by: str | None = typer.Option(None, "--by", help="cli.opt_roster_by"),
) -> None:
    from dutydesk.services.roster import assign

    desk = open_desk_for(ctx)
    when = _day(day, "--date")
    slot = checked_slot(desk, slot, "--slot")
    role = checked(ROLE, role, "--role")
    who = _by(desk, by)
    roster_id = _roster_id(desk, roster, month, who)
    assign(desk, roster_id, when, slot, role, name, by=who, seat=seat - 1)
    typer.echo(t("roster_cli.set", date=when.isoformat(), slot=t("shift." + slot),
                 role=t("role." + role), name=name or "—"))  # fmt: skip


@app.command("swap", help="cli.roster_swap_help")
@reports_errors
def roster_swap(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="cli.opt_roster_month"),
    roster: int | None = typer.Option(None, "--roster", help="cli.opt_roster_id"),
    day: str | None = typer.Option(None, "--date", help="cli.opt_roster_date"),
    slot: str | None = slot_option("--slot", "cli.opt_roster_slot"),
    role: str = role_option(),
    seat: int = typer.Option(1, "--seat", help="cli.opt_roster_seat"),
    to: str | None = typer.Option(None, "--to", help="cli.opt_roster_substitute"),
    with_date: str | None = typer.Option(None, "--with-date", help="cli.opt_roster_with_date"),
    with_slot: str | None = slot_option("--with-slot", "cli.opt_roster_with_slot"),
    reason: str = typer.Option("", "--reason", help="cli.opt_roster_reason"),
    approver: str | None = typer.Option(None, "--approver", help="cli.opt_roster_approver"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="cli.opt_pin_stdin"),
    rest_override: str = typer.Option("", "--rest-override", help="roster_rest.opt"),
) -> None:
    """A substitution (--to NAME) or a swap with another shift (--with-date, --with-slot)."""
    from dutydesk.services.roster import Spot, substitute, swap

    desk = open_desk_for(ctx)
    role = checked(ROLE, role, "--role")
    spot = Spot(_day(day, "--date"), checked_slot(desk, slot, "--slot"), role, seat - 1)
    if approver is None:
        raise DutyError("error.missing_option", field="--approver", option="--approver")
    if (to is None) == (with_date is None):
        raise DutyError("roster_cli.swap_or_substitute")
    if not reason.strip():
        raise DutyError("roster.bad_reason")
    roster_id = _roster_id(desk, roster, month)
    pin = read_secret(t("roster_cli.prompt_pin", name=approver), pin_stdin)
    if to is not None:
        change = substitute(desk, roster_id, spot, to, reason=reason, approver=approver, pin=pin,
                            rest_override=rest_override)  # fmt: skip
        changes = [change]
    else:
        other_slot = checked_slot(desk, with_slot, "--with-slot") if with_slot else spot.slot_code
        other = Spot(_day(with_date, "--with-date"), other_slot, role, seat - 1)
        changes = list(swap(desk, roster_id, spot, other, reason=reason, approver=approver,
                            pin=pin, rest_override=rest_override))  # fmt: skip
    for change in changes:
        typer.echo(t("roster_cli.changed", id=change.id, date=change.day.isoformat(),
                     slot=t("shift." + change.slot_code)))  # fmt: skip
    if changes[0].rest_override:
        typer.echo(t("roster_rest.shown", reason=changes[0].rest_override))
    if changes[0].tell_upper_by is not None:
        due = changes[0].tell_upper_by.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")
        typer.echo(t("roster_cli.tell_upper", due=due, id=changes[0].id,
                     cite=changes[0].cite))  # fmt: skip


@app.command("file", help="cli.roster_file_help")
@reports_errors
def roster_file(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="cli.opt_roster_month"),
    roster: int | None = typer.Option(None, "--roster", help="cli.opt_roster_id"),
    change: int | None = typer.Option(None, "--change", help="cli.opt_roster_change"),
    sent_to: str | None = typer.Option(None, "--to", help="cli.opt_roster_sent_to"),
    how: str | None = how_option(),
    at: str | None = typer.Option(None, "--at", help="cli.opt_roster_at"),
    out: Path = typer.Option(Path("."), "--out", help="cli.opt_roster_out"),
    by: str | None = typer.Option(None, "--by", help="cli.opt_roster_by"),
) -> None:
    from dutydesk.services.core.timeparse import parse_desk_time
    from dutydesk.services.roster import file_roster, report_change

    desk = open_desk_for(ctx)
    if sent_to is None or how is None:
        raise DutyError("error.missing_option", field="--to/--how", option="--to, --how")
    how = checked(HOW, how, "--how")  # before the roster is looked up: the typing error first
    who = _by(desk, by)
    when = parse_desk_time(desk, at) if at else None
    if change is not None:
        filed = report_change(desk, change, sent_to=sent_to, channel=how, by=who, sent_at=when)
    else:
        roster_id = _roster_id(desk, roster, month)
        filed = file_roster(desk, roster_id, sent_to=sent_to, channel=how, by=who,
                            out_dir=out, sent_at=when)  # fmt: skip
    sent = filed.filing.sent_at.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")
    typer.echo(t("roster_cli.filed", to=filed.filing.sent_to, at=sent,
                 how=t("roster_cli.how_" + filed.filing.channel)))  # fmt: skip
    for path in (filed.xlsx, filed.docx):
        if path is not None:
            typer.echo(t("roster_cli.written", path=str(path)))
    if filed.standing:  # filed with its flagged conflicts (a report of a change has none)
        typer.echo(t("roster_standing.line", count=filed.standing))
    if filed.late:
        typer.echo(t("roster_cli.late"), err=True)


@app.command("export", help="cli.roster_export_help")
@reports_errors
def roster_export(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="cli.opt_roster_month"),
    roster: int | None = typer.Option(None, "--roster", help="cli.opt_roster_id"),
    out: Path = typer.Option(Path("."), "--out", help="cli.opt_roster_out"),
) -> None:
    """The 值班表 as XLSX and DOCX, without filing it."""
    from dutydesk.services.core.private_files import write_private
    from dutydesk.services.roster.roster_files import docx_bytes, roster_sheet, xlsx_bytes

    desk = open_desk_for(ctx)
    if not out.is_dir():
        raise DutyError("roster.no_folder", path=str(out))
    roster_id = _roster_id(desk, roster, month)
    sheet = roster_sheet(desk, roster_id)
    for suffix, data in (("xlsx", xlsx_bytes(sheet)), ("docx", docx_bytes(sheet))):
        path = out / f"roster-{roster_id}.{suffix}"
        write_private(path, data)  # 0600, as the register
        typer.echo(t("roster_cli.written", path=str(path)))


@app.command("hours", help="cli.roster_hours_help")
@reports_errors
def roster_hours(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="cli.opt_roster_month"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="cli.opt_roster_xlsx"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.roster import month_hours, write_hours_xlsx

    year, number = _month(month)
    desk = open_desk_for(ctx)
    if xlsx is not None:
        if not xlsx.parent.is_dir():
            raise DutyError("roster.no_folder", path=str(xlsx.parent))
        counts = write_hours_xlsx(desk, year, number, xlsx)
    else:
        counts = month_hours(desk, year, number)
    if as_json:
        print_json([c.to_json() for c in counts])
        return
    for line in _counts_lines(counts):
        typer.echo(line)
    if xlsx is not None:
        typer.echo(t("roster_cli.written", path=str(xlsx)))


@app.command("new", help="cli.roster_new_help")
@reports_errors
def roster_new(
    ctx: typer.Context,
    kind: str = kind_option(),
    start: str | None = typer.Option(None, "--from", help="cli.opt_roster_from"),
    end: str | None = typer.Option(None, "--until", help="cli.opt_roster_until"),
    label: str = typer.Option("", "--label", help="cli.opt_roster_label"),
    by: str | None = typer.Option(None, "--by", help="cli.opt_roster_by"),
) -> None:
    """A holiday or sensitive-period roster (a month's is made by generate or set)."""
    from dutydesk.services.roster import create_roster

    kind = checked(KIND, kind, "--kind")
    desk = open_desk_for(ctx)
    first, last = _day(start, "--from"), _day(end, "--until")
    made = create_roster(desk, kind, first, last, label, _by(desk, by))
    typer.echo(t("roster_cli.made", id=made.id, label=made.label, start=first.isoformat(),
                 end=last.isoformat()))  # fmt: skip


@app.command("phone", help="cli.roster_phone_help")
@reports_errors
def roster_phone(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="field.name"),
    phone: str = typer.Argument(..., help="cli.opt_roster_phone"),
) -> None:
    from dutydesk.services.roster import set_phone

    desk = open_desk_for(ctx)
    set_phone(desk, name, phone)
    typer.echo(t("roster_cli.phone_set", name=name, phone=phone))
