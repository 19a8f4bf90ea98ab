"""Filing rosters with the upper office (报备, Henan 6(3), Tianjin art. 13): due a number of
working days (the official calendar) before the roster starts; `file_roster` records when, to
whom and how it was sent and writes the 值班表 (XLSX and DOCX); `filing_dues` gives the deadline
board each roster's filing and each change the upper office must be told of."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.models import Roster, RosterChange, RosterFiling, RosterKind
from dutydesk.services.core import audit
from dutydesk.services.roster.rosters import (
    filings_of,
    get_roster,
    listing,
    month_bounds,
    month_record,
    person_by_name,
    roster_rules,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel import Session

    from dutydesk.profiles import Profile
    from dutydesk.services.core import Desk

CHANNELS = ("fax", "system", "email", "hand", "phone")


@dataclass(frozen=True)
class FilingDue:
    """One filing the board shows: a roster (roster_id 0: next month's, not made yet) or a
    change to a filed one, due at `due_at`; `filed_at` when it was sent (None: not yet)."""

    roster_id: int
    label: str
    due_at: DateTime
    cite: str
    filed_at: DateTime | None


def filing_rule(profile: Profile) -> tuple[int, str]:
    """(working days ahead, article): the profile's roster deadline rule where it has one
    ([[deadlines]] applies_to = "roster"), else its [roster] filing rule."""
    for rule in profile.deadlines:
        if rule.applies_to == "roster" and rule.working_days is not None:
            return rule.working_days, rule.cite
    rules = roster_rules(profile)
    return rules.filing_working_days, rules.filing_cite


def filing_due_at(desk: Desk, starts_on: date) -> DateTime:
    """The end of the working day `n` working days before `starts_on` (提前N个工作日)."""
    from dutydesk.services.core.calendar import working_days_before

    days, _cite = filing_rule(desk.profile)
    due = working_days_before(starts_on, days) if days else starts_on
    return DateTime(due.year, due.month, due.day, 23, 59, 59, tzinfo=desk.now().tzinfo)


def roster_label(roster: Roster) -> str:
    if roster.kind == RosterKind.month.value:
        first = roster.starts_on
        return t("roster.label_month", year=first.year, month=first.month)
    return t("roster.label_" + roster.kind, label=roster.label)


def _told(session: Session, change_id: int | None) -> DateTime | None:
    row = session.exec(
        select(RosterFiling).where(RosterFiling.change_id == change_id).order_by(
            col(RosterFiling.id).desc())
    ).first()  # fmt: skip
    return row.sent_at if row is not None else None


def filing_dues(desk: Desk, at: DateTime) -> list[FilingDue]:
    """Every roster not over by `at` with its filing deadline (filed or not), next month's if
    it has no roster yet, and every change the upper office is to be told of, by due time.
    A roster whose deadline is past the calendar's data is left out (its due date unknown)."""
    _days, cite = filing_rule(desk.profile)
    today = at.in_timezone(desk.timezone).date()
    dues: list[FilingDue] = []
    with read_session(desk.engine) as session:
        rosters = session.exec(select(Roster).where(col(Roster.ends_on) >= today)).all()
        for roster in rosters:
            own = filings_of(session, roster.id or 0)
            filed = own[-1].sent_at.in_timezone(desk.timezone) if own else None
            label = _late_label(desk, roster, cite)
            _add(dues, desk, roster.id or 0, label, roster.starts_on, cite, filed)
        year, month = (today.year + today.month // 12, today.month % 12 + 1)
        first = month_bounds(year, month)[0]
        if month_record(session, year, month) is None and _due_since_the_register(desk, first):
            label = t("roster.label_month_missing", year=year, month=month)
            _add(dues, desk, 0, label, first, cite, None)
        changes = session.exec(
            select(RosterChange).where(col(RosterChange.tell_upper_by).is_not(None),
                                       col(RosterChange.pairs_with_id).is_(None))
        ).all()  # fmt: skip
        for change in changes:
            assert change.tell_upper_by is not None
            if change.tell_upper_by.date() < today and _told(session, change.id) is not None:
                continue  # long done
            label = t("roster.label_change", id=change.id, day=change.day.isoformat())
            dues.append(FilingDue(change.roster_id, label, change.tell_upper_by, change.cite,
                                  _told(session, change.id)))  # fmt: skip
    return sorted(dues, key=lambda due: (due.due_at, due.roster_id))


def _due_since_the_register(desk: Desk, starts_on: date) -> bool:
    """Whether a roster starting on `starts_on` fell due while this register existed. One due
    before it was made (a register set up on the 28th, next month's roster due on the 24th)
    was the office's business on paper: a fresh register does not open on an overdue item
    it could not have held (QA, session 10). A roster registered for that month is still
    shown with its deadline, late or not."""
    try:
        return filing_due_at(desk, starts_on) >= desk.office.created_at
    except DutyError:
        return True  # past the calendar's data: _add leaves it out and says nothing wrong


def _late_label(desk: Desk, roster: Roster, cite: str) -> str:
    """The roster's name; for one made when its filing deadline had already passed (the
    current month generated mid-month, say), that it is a late filing (补报) under the article,
    and whether its period had started. The item stays overdue: the lateness is not hidden."""
    label = roster_label(roster)
    made = roster.created_at.in_timezone(desk.timezone)
    try:
        due_at = filing_due_at(desk, roster.starts_on)
    except DutyError:
        return label
    if made.date() >= roster.starts_on:
        key = "roster.label_late_started"
    elif made > due_at:
        key = "roster.label_late_made"
    else:
        return label
    return t(key, label=label, made=made.format("YYYY-MM-DD"), cite=cite)


def _add(dues: list[FilingDue], desk: Desk, roster_id: int, label: str, starts_on: date,
         cite: str, filed: DateTime | None) -> None:  # fmt: skip
    try:
        due_at = filing_due_at(desk, starts_on)
    except DutyError:  # past the official calendar's data: the due date is not known
        return
    dues.append(FilingDue(roster_id, label, due_at, cite, filed))


@dataclass(frozen=True)
class Filed:
    filing: RosterFiling
    xlsx: Path | None
    docx: Path | None
    late: bool  # sent after its deadline
    standing: int = 0  # conflicts filed as they are (rest rules: flagged, not blocking)


def _check_sending(desk: Desk, sent_to: str, channel: str, sent_at: DateTime) -> None:
    if not sent_to.strip() or len(sent_to) > 100:
        raise DutyError("roster.bad_sent_to")
    if channel not in CHANNELS:
        raise DutyError("roster.bad_channel", channel=channel,
                        channels=listing("roster_cli", CHANNELS, prefix="how_"))  # fmt: skip
    if sent_at > desk.now():
        raise DutyError("roster.sent_in_future", at=sent_at.format("YYYY-MM-DD HH:mm"))


def file_roster(desk: Desk, roster_id: int, *, sent_to: str, channel: str, by: str,
                out_dir: Path, sent_at: DateTime | None = None) -> Filed:  # fmt: skip
    """Record the roster as sent and write its 值班表 (XLSX and DOCX) into `out_dir`, numbered by
    the filing (roster-<id>-<first day>-<n>.xlsx: a re-filing never overwrites an earlier
    one's files), with the desk's own copy for the archive (roster_attachments.py). Refused
    while a required seat is empty (each named: date, shift, role) or a conflict that blocks
    filing is in it (someone no longer eligible...)."""
    from dutydesk.services.roster.roster_files import docx_bytes, roster_sheet, xlsx_bytes
    from dutydesk.services.roster.roster_seats import cites, describe, empty_seats

    when = sent_at or desk.now()
    _check_sending(desk, sent_to, channel, when)
    sheet = roster_sheet(desk, roster_id)
    missing = empty_seats(desk, sheet.cells)
    if missing:
        raise DutyError("roster.empty_seats", count=len(missing), seats=describe(missing),
                        cite=cites(desk, missing))  # fmt: skip
    blocking = [c for cell in sheet.cells for c in cell.conflicts if c.blocks]
    if blocking:
        raise DutyError("roster.cannot_file", count=len(blocking), first=blocking[0].message())
    if not sheet.cells:
        raise DutyError("roster.empty")
    if not out_dir.is_dir():
        raise DutyError("roster.no_folder", path=str(out_dir))
    files = {"xlsx": xlsx_bytes(sheet), "docx": docx_bytes(sheet)}
    stem = f"roster-{roster_id}-{sheet.cells[0].day.isoformat()}"
    filing, paths = with_lock_retry(
        lambda: _save_filing(desk, roster_id, (sent_to, channel, when), by, files,
                             lambda n: [out_dir / f"{stem}-{n}.{s}" for s in files]),
        desk.path,
    )  # fmt: skip
    late = when > filing_due_at(desk, sheet.cells[0].day)
    standing = sum(len(cell.conflicts) for cell in sheet.cells)  # none blocks (refused above)
    return Filed(filing, paths[0], paths[1], late, standing)


def _save_filing(desk: Desk, roster_id: int, sending: tuple[str, str, DateTime], by: str,
                 files: dict[str, bytes],
                 named: Callable[[int], list[Path]]) -> tuple[RosterFiling, list[Path]]:  # fmt: skip
    """The filing row, the desk's copy of its files and the officer's numbered files (the
    filing's number among the roster's, counted under the write lock), in one transaction."""
    from dutydesk.services.roster.roster_attachments import keep_copies, write_new

    sent_to, channel, when = sending
    with write_session(desk.engine) as session:
        get_roster(session, roster_id)
        recorder = person_by_name(session, by)
        digests = {suffix: hashlib.sha256(data).hexdigest() for suffix, data in files.items()}
        row = RosterFiling(roster_id=roster_id, sent_at=when, sent_to=sent_to.strip(),
                           channel=channel, xlsx_sha256=digests["xlsx"],
                           docx_sha256=digests["docx"], recorded_at=desk.now(),
                           recorded_by_id=recorder.id)  # type: ignore[arg-type]  # stored rows have ids  # fmt: skip
        session.add(row)
        session.flush()
        assert row.id is not None
        audit.append(session, "roster_filing", row.id, desk.now())
        paths = named(len(filings_of(session, roster_id)))
        keep_copies(desk.path, row.id, files)
        write_new(list(zip(paths, files.values(), strict=True)))
        return row, paths


def report_change(desk: Desk, change_id: int, *, sent_to: str, channel: str, by: str,
                  sent_at: DateTime | None = None) -> Filed:  # fmt: skip
    """Record that the upper office was told of a change after filing."""
    when = sent_at or desk.now()
    _check_sending(desk, sent_to, channel, when)

    def _save() -> tuple[RosterFiling, bool]:
        with write_session(desk.engine) as session:
            change = session.get(RosterChange, change_id)
            if change is None:
                raise DutyError("roster.unknown_change", id=change_id)
            recorder = person_by_name(session, by)
            row = RosterFiling(roster_id=change.roster_id, change_id=change_id, sent_at=when,
                               sent_to=sent_to.strip(), channel=channel, recorded_at=desk.now(),
                               recorded_by_id=recorder.id)  # type: ignore[arg-type]  # stored rows have ids  # fmt: skip
            session.add(row)
            session.flush()
            assert row.id is not None
            audit.append(session, "roster_filing", row.id, desk.now())
            late = change.tell_upper_by is not None and when > change.tell_upper_by
            return row, late

    filing, late = with_lock_retry(_save, desk.path)
    return Filed(filing, None, None, late)
