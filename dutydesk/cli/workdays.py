"""`dutydesk workdays ...`: working days by the State Council's holiday arrangements."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import typer

from dutydesk.cli.support import current_run, group, open_desk_for, print_json, reports_errors
from dutydesk.errors import DutyError
from dutydesk.i18n import t

if TYPE_CHECKING:
    import pendulum

app = group("incidents_cli.workdays_help")

SIGNED = re.compile(r"^[+-]?\d+$")


def _use_register_calendar(ctx: typer.Context) -> None:
    """Count with the register's calendar years: open the register (--db, DUTYDESK_DB or the
    default one) when it exists; opening installs its years. Without one, the package's data
    alone counts, as these commands need no register."""
    from dutydesk.services.core import use_register_years

    if current_run(ctx).db_path.exists():
        open_desk_for(ctx)
    else:
        use_register_years(())


def _day(value: str) -> pendulum.Date:
    from dutydesk.services.core import parse_date

    return parse_date(value)


@app.command(
    "add",
    help="incidents_cli.workdays_add_help",
    context_settings={"ignore_unknown_options": True},  # so that "-3" is a number
)
@reports_errors
def workdays_add(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="incidents_cli.opt_date"),
    n: str = typer.Argument(..., help="incidents_cli.opt_n"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.core import add_working_days

    if not SIGNED.match(n.strip()):
        raise DutyError("calendar.bad_n", value=n)
    start = _day(date)
    _use_register_calendar(ctx)
    result = add_working_days(start, int(n))
    if as_json:
        print_json({"date": start.isoformat(), "n": int(n), "result": result.isoformat()})
    else:
        typer.echo(result.isoformat())


@app.command("check", help="incidents_cli.workdays_check_help")
@reports_errors
def workdays_check(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="incidents_cli.opt_date"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.core import day_info

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
