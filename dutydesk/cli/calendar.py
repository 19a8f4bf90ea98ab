"""`dutydesk calendar import NOTICE.txt [--as NAME] [--yes]` and `dutydesk calendar show YEAR`:
the official calendar from the State Council's notice, stored in the register."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import typer

from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors
from dutydesk.errors import DutyError
from dutydesk.i18n import t

ENCODINGS = ("utf-8-sig", "gb18030")  # notices are copied from gov.cn pages or Word files
MAX_NOTICE_BYTES = 1_000_000  # a notice is a few kilobytes; anything this big is not one

app = group("calendar_cli.help")


def read_notice_file(path: Path) -> str:
    """The notice's text; a directory, pipe or device is refused before it is opened (a pipe
    would hang, a device never end), and so is a file over MAX_NOTICE_BYTES."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise DutyError("calendar_notice.not_a_file", file=str(path))
        if info.st_size > MAX_NOTICE_BYTES:
            raise _too_large(path, info.st_size)
        with open(path, "rb") as handle:
            raw = handle.read(MAX_NOTICE_BYTES + 1)  # it may have grown since
    except OSError as exc:
        raise DutyError(
            "calendar_notice.unreadable", file=str(path), reason=exc.strerror or str(exc)
        ) from exc
    if len(raw) > MAX_NOTICE_BYTES:
        raise _too_large(path, len(raw))
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DutyError("calendar_notice.not_text", file=str(path))


def _too_large(path: Path, size: int) -> DutyError:
    return DutyError("calendar_notice.too_large", file=str(path), size=size, limit=MAX_NOTICE_BYTES)


def _other_years(notice) -> list[str]:  # noqa: ANN001
    """One line per adjacent year whose days the notice sets (a New Year run across 1 January)."""
    days = {**notice.days_off(), **dict(notice.workdays)}
    lines = []
    for year in sorted({day.year for day in days} - {notice.year}):
        named = [day.isoformat() for day in sorted(days) if day.year == year]
        lines.append(t("calendar_cli.other_year", year=year, n=len(named), days="、".join(named)))
    return lines


def calendar_warning(desk) -> str | None:  # noqa: ANN001
    """What `shift status` says when the calendar's data ends within DATA_WARNING_DAYS (the
    header says the same)."""
    from dutydesk.services.core import data_ends_soon

    ends = data_ends_soon(desk.now().date())
    if ends is None:
        return None
    if ends[1] < 0:
        return t("header.calendar_beyond")
    return t("calendar_view.beyond_soon", last=ends[0].isoformat(), days=ends[1])


def _year(value: str) -> int:
    if not (value.isdigit() and len(value) == 4):
        raise DutyError("calendar_cli.bad_year", value=value)
    return int(value)


def _confirmed(question: str) -> bool:
    try:
        return bool(typer.confirm(question))
    except typer.Abort:  # no answer (end of input): nothing is stored
        typer.echo("")
        return False


@app.command("import", help="calendar_cli.import_help")
@reports_errors
def calendar_import(
    ctx: typer.Context,
    notice_file: Path = typer.Argument(..., help="calendar_cli.opt_notice"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    yes: bool = typer.Option(False, "--yes", help="calendar_cli.opt_yes"),
) -> None:
    from dutydesk.services.core import (
        check_past_days,
        differences,
        import_notice,
        notice_table,
        package_calendar,
        parse_notice,
        when,
        year_records,
    )

    text = read_notice_file(notice_file)
    notice = parse_notice(text)
    desk = open_desk_for(ctx)
    who = recorder(desk, as_name)
    check_past_days(desk, notice)
    typer.echo(t("calendar_cli.understood", title=notice.title))
    for line in [*notice_table(notice), *_other_years(notice)]:
        typer.echo(line)
    package = package_calendar()
    differing = differences(notice, package)
    source = package.library_source
    if differing is None:
        typer.echo(t("calendar_cli.package_none", year=notice.year))
    elif differing:
        typer.echo(t("calendar_cli.package_differs", source=source, n=len(differing),
                     first=differing[0].isoformat()))  # fmt: skip
    else:
        typer.echo(t("calendar_cli.package_same", source=source))
    records = year_records(desk, notice.year)
    if records:
        last = records[-1]
        typer.echo(t("calendar_cli.supersedes", year=notice.year, id=last.row.id,
                     who=last.entered_by, when=when(desk, last.row.entered_at)))  # fmt: skip
    if not yes and not _confirmed(t("calendar_cli.confirm", year=notice.year)):
        typer.echo(t("calendar_cli.not_stored"))
        raise typer.Exit(1)
    row = import_notice(desk, notice, who)
    typer.echo(t("calendar_cli.stored", year=row.year, id=row.id, who=who.name))


@app.command("show", help="calendar_cli.show_help")
@reports_errors
def calendar_show(
    ctx: typer.Context,
    year: str = typer.Argument(..., help="calendar_cli.opt_year"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.core import default_calendar, year_records, year_view

    number = _year(year)
    desk = open_desk_for(ctx)
    lines = year_view(desk, number)
    if as_json:
        print_json(_year_json(default_calendar(), number, year_records(desk, number), desk))
        return
    for line in lines:
        typer.echo(line)


def _year_json(office_calendar, year: int, records, desk) -> dict:  # noqa: ANN001
    from datetime import date, timedelta

    days = []
    day = date(year, 1, 1)
    while day.year == year:
        info = office_calendar.day(day)
        days.append({"date": day.isoformat(), "workday": info.workday, "reason": info.reason,
                     "holiday": info.holiday})  # fmt: skip
        day += timedelta(days=1)
    return {
        "year": year,
        "source": office_calendar.day(date(year, 1, 2)).source,
        "records": [
            {
                "id": r.row.id,
                "entered_by": r.entered_by,
                "entered_at": r.row.entered_at.in_timezone(desk.timezone).isoformat(),
                "notice": r.row.notice_title,
                "superseded": r.superseded,
            }
            for r in records
        ],  # fmt: skip
        "days": days,
    }
