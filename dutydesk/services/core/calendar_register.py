"""The official calendar's years kept in the register: a State Council notice, once read
(calendar_notice.parse_notice) and confirmed, is stored as a CalendarYear row, chained, naming
who entered it. Importing a year again adds a row that supersedes the previous one; the newest
row of each year wins over the package's data (services/calendar.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.models import CalendarYear, Person
from dutydesk.services.core import audit
from dutydesk.services.core.calendar import (
    OfficeCalendar,
    RegisterYear,
    default_calendar,
    load_overrides,
    overrides_path,
    use_register_years,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core.calendar_notice import ParsedNotice
    from dutydesk.services.core.desk import Desk

TABLE = "calendar_year"


def days_json(days: dict[date, str]) -> str:
    return json.dumps({d.isoformat(): c for d, c in sorted(days.items())}, ensure_ascii=False)


def days_from_json(text: str) -> dict[date, str]:
    return {date.fromisoformat(d): c for d, c in json.loads(text).items()}


def register_year(row: CalendarYear) -> RegisterYear:
    return RegisterYear(
        row.year, row.notice_title, days_from_json(row.days_off), days_from_json(row.workdays)
    )


def notice_register_year(notice: ParsedNotice) -> RegisterYear:
    return RegisterYear(notice.year, notice.title, notice.days_off(), dict(notice.workdays))


def past_days_changed(desk: Desk, notice: ParsedNotice) -> list[date]:
    """The days before today the notice would turn from working day to day off or back, against
    the calendar in force (which holiday a day off counts for changes no deadline). A day of a year the calendar knows nothing of
    (neither the register nor the package) has no status yet: a first import of a year that
    has already begun may set its past days."""
    today = desk.now().in_timezone(desk.timezone).date()
    current = default_calendar()
    others = tuple(register_year(r) for r in years_in_force(desk) if r.year != notice.year)
    after = OfficeCalendar(
        load_overrides(overrides_path()), (*others, notice_register_year(notice))
    )
    covered = set(notice.days_off()) | {day for day, _ in notice.workdays}
    day = date(notice.year, 1, 1)
    while day.year == notice.year:
        covered.add(day)
        day += timedelta(days=1)
    changed = []
    for day in sorted(d for d in covered if d < today and current.knows_year(d.year)):
        if current.day(day).workday != after.day(day).workday:
            changed.append(day)
    return changed


def check_past_days(desk: Desk, notice: ParsedNotice) -> None:
    """Refuse a notice that changes days already past, naming them (at most ten)."""
    changed = past_days_changed(desk, notice)
    if changed:
        shown = "、".join(day.isoformat() for day in changed[:10])
        if len(changed) > 10:
            shown += f" … (+{len(changed) - 10})"
        today = desk.now().in_timezone(desk.timezone).date().isoformat()
        raise DutyError("calendar_notice.past_days", days=shown, today=today)


def import_notice(desk: Desk, notice: ParsedNotice, who: Person) -> CalendarYear:
    """Store the notice's year; it supersedes the year's record in force, if any. The process's
    calendar counts with it from now on. Refused if it changes days already past. What is kept
    of the notice's text is its own lines, as parse_notice checked them."""
    check_past_days(desk, notice)

    def _save() -> CalendarYear:
        with write_session(desk.engine) as session:
            previous = _newest(session, notice.year)
            row = CalendarYear(
                year=notice.year,
                notice_title=notice.title,
                days_off=days_json(notice.days_off()),
                workdays=days_json(dict(notice.workdays)),
                notice_text="\n".join(notice.lines),
                supersedes_id=previous.id if previous else None,
                entered_by_id=who.id,  # type: ignore[arg-type]  # a stored row has its id
                entered_at=desk.now(),
            )
            session.add(row)
            session.flush()
            audit.append(session, TABLE, row.id, desk.now())  # type: ignore[arg-type]  # a stored row has its id
            session.expunge(row)
            return row

    row = with_lock_retry(_save, desk.path)
    install_register_calendar(desk)
    return row


def _newest(session: Session, year: int) -> CalendarYear | None:
    return session.exec(
        select(CalendarYear)
        .where(CalendarYear.year == year)
        .order_by(col(CalendarYear.id).desc())
        .limit(1)
    ).first()


def years_in_force(desk: Desk) -> list[CalendarYear]:
    """The newest record of each year in the register, by year."""
    with read_session(desk.engine) as session:
        rows = session.exec(select(CalendarYear).order_by(col(CalendarYear.id))).all()
        newest = {row.year: row for row in rows}
        for row in newest.values():
            session.expunge(row)
    return [newest[year] for year in sorted(newest)]


@dataclass(frozen=True)
class YearRecord:
    row: CalendarYear
    entered_by: str
    superseded: bool


def year_records(desk: Desk, year: int) -> list[YearRecord]:
    """Every record of `year`, oldest first, with who entered it and whether a later one
    superseded it."""
    with read_session(desk.engine) as session:
        rows = session.exec(
            select(CalendarYear, Person)
            .join(Person, col(CalendarYear.entered_by_id) == Person.id)
            .where(CalendarYear.year == year)
            .order_by(col(CalendarYear.id))
        ).all()
        records = []
        for index, (row, person) in enumerate(rows):
            session.expunge(row)
            records.append(YearRecord(row, person.name, index < len(rows) - 1))
    return records


def install_register_calendar(desk: Desk) -> None:
    """Make the process's calendar count with the register's years (see calendar.py)."""
    use_register_years(tuple(register_year(row) for row in years_in_force(desk)))
