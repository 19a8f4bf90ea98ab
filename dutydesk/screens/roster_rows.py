"""The roster screen's rows, from a month as the roster service reads it (MonthGrid): one row
per date and slot (dates down), the seats across (leader, officers, standby), then what the
cell has to say: conflicts in place (the roster's checks, each with its article) and changes
after filing with the original. Pure presentation: no register access, no Textual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from dutydesk.i18n import t
from dutydesk.widgets.literal import cut

if TYPE_CHECKING:
    from dutydesk.profiles import Profile
    from dutydesk.services.roster.duty_hours import PersonCounts
    from dutydesk.services.roster.roster_grid import GridCell, MonthGrid

NAME_WIDTH = 10  # cells of a name in the grid (five Chinese characters)
NOTE_WIDTH = 60  # cells of the notes column


@dataclass(frozen=True)
class Seat:
    role: str  # leader | officer | standby
    index: int  # officers 0, 1, ...

    @property
    def key(self) -> str:
        return f"{self.role}{self.index}"

    def label(self, officers: int) -> str:
        if self.role == "officer" and officers > 1:
            return t("roster_screen.officer_n", n=self.index + 1)
        return t("role." + self.role)


@dataclass(frozen=True)
class Row:
    """One cell of the month (date × slot): its key, what it shows, and whose seats it has."""

    key: str  # "2026-12-01|day"
    day: date
    slot_code: str
    roster_id: int | None  # None: no roster covers the day yet (the month's is made on entry)
    names: dict[str, str | None]  # Seat.key -> name
    cells: list[Text]
    blocking: bool
    conflicts: tuple[str, ...]  # each in full, with its article (the notes column is cut)
    changes: tuple[str, ...] = ()  # each change after filing in full, with the original


def seats(profile: Profile) -> list[Seat]:
    """The seats of a shift in the profile's roster rules, in the grid's order."""
    from dutydesk.services.roster.rosters import roster_rules, seats_of

    order = {"leader": 0, "officer": 1, "standby": 2}
    found = sorted(seats_of(roster_rules(profile)), key=lambda seat: (order[seat[0]], seat[1]))
    return [Seat(role, index) for role, index in found]


def columns(profile: Profile) -> list[tuple[str, str]]:
    """(key, label) of every column."""
    officers = sum(seat.role == "officer" for seat in seats(profile))
    fixed = [("date", t("roster_screen.col_date")), ("weekday", t("roster_screen.col_weekday")),
             ("slot", t("roster_screen.col_slot"))]  # fmt: skip
    seated = [(seat.key, seat.label(officers)) for seat in seats(profile)]
    return [*fixed, *seated, ("notes", t("roster_screen.col_notes"))]


def _names(cell: GridCell | None, all_seats: list[Seat]) -> dict[str, str | None]:
    names: dict[str, str | None] = {}
    for seat in all_seats:
        if cell is None:
            names[seat.key] = None
        elif seat.role == "officer":
            names[seat.key] = cell.officers[seat.index] if seat.index < len(cell.officers) else None
        else:
            names[seat.key] = cell.leader if seat.role == "leader" else cell.standby
    return names


def _notes(cell: GridCell | None, holiday: str | None) -> Text:
    """Conflicts first, each kind once in a short form with how many (red, the filing is
    refused while one blocks; in full on the status line), then the changes: at 120 columns
    the column shows every kind a row has (QA #7: one conflict, cut, was all it showed)."""
    from dutydesk.i18n import has

    note = Text()
    if holiday:
        note.append(t("roster_screen.holiday", name=t("calendar_holiday." + holiday)) + " ", "bold")
    if cell is None:
        return note
    kinds: dict[str, list[bool]] = {}  # short form -> whether each of its conflicts blocks
    for conflict in cell.conflicts:
        short = "roster_short." + conflict.key.replace(".", "_")
        kinds.setdefault(t(short) if has(short) else t("roster_short.other"), []).append(
            conflict.blocks
        )
    for short, blocks in kinds.items():
        many = t("roster_short.times", n=len(blocks)) if len(blocks) > 1 else ""
        note.append("⚠" + short + many + " ", "bold red" if any(blocks) else "yellow")
    for said in _changes(cell):
        note.append(said + " ")
    note.rstrip()
    note.truncate(NOTE_WIDTH, overflow="ellipsis")
    return note


def _flagged(cell: GridCell | None) -> dict[str, str]:
    """The names a conflict of `cell` is about, with the style their seat is shown in."""
    flagged: dict[str, str] = {}
    for conflict in cell.conflicts if cell else ():
        name = conflict.params.get("name")
        if isinstance(name, str) and flagged.get(name) != "bold red":
            flagged[name] = "bold red" if conflict.blocks else "yellow"
    return flagged


def _changes(cell: GridCell | None) -> tuple[str, ...]:
    if cell is None:
        return ()
    return tuple(t("roster_screen.change", kind=t("roster_screen.kind_" + change.kind),
                   substitute=change.substitute, original=change.original)
                 + (" " + t("roster_rest.shown", reason=change.rest_override)
                    if change.rest_override else "")
                 for change in cell.changes)  # fmt: skip


def _changed(cell: GridCell | None) -> set[str]:
    """The Seat.keys of `cell` someone else sits since filing (shown underlined)."""
    return {f"{change.role}{change.seat}" for change in cell.changes} if cell else set()


def rows(grid: MonthGrid, profile: Profile) -> list[Row]:
    """Every cell of the month; a day no roster covers yet gets the month roster's slots,
    empty."""
    from dutydesk.services.roster.rosters import cells_of

    all_seats = seats(profile)
    made: list[Row] = []
    for day in grid.days:
        covered = list(day.cells)
        slots: list[tuple[str, GridCell | None]] = [(c.slot_code, c) for c in covered]
        if not covered:
            slots = [(c.slot_code, None) for c in cells_of(profile, "month", day.day, day.day)]
        weekday = t(f"roster_screen.weekday_{day.weekday}")
        off = day.workday is False
        for slot_code, cell in slots:
            names = _names(cell, all_seats)
            shown = [Text(day.day.strftime("%m-%d"), "bold" if off else ""),
                     Text(weekday, "bold" if off else ""), Text(t("shift." + slot_code))]  # fmt: skip
            changed, flagged = _changed(cell), _flagged(cell)
            shown += [Text(cut(names[seat.key] or "·", NAME_WIDTH),
                           " ".join(filter(None, (flagged.get(names[seat.key] or ""),
                                                  "underline" if seat.key in changed else ""))))
                      for seat in all_seats]  # fmt: skip
            shown.append(_notes(cell, day.holiday))
            said = tuple(c.message() for c in cell.conflicts) if cell else ()
            made.append(Row(f"{day.day.isoformat()}|{slot_code}", day.day, slot_code,
                            cell.roster_id if cell else None, names, shown,
                            bool(cell and cell.blocking), said, _changes(cell)))  # fmt: skip
    return made


def count_rows(counts: tuple[PersonCounts, ...]) -> list[tuple[str, ...]]:
    """Each rostered person's counts (the fairness the generator keeps: nights, days off)."""
    from dutydesk.services.roster.duty_hours import shown_nights

    return [
        (cut(c.name, NAME_WIDTH), t("role." + c.role), str(c.shifts), shown_nights(c),
         str(c.days_off), str(c.holidays))
        for c in counts
    ]  # fmt: skip


def count_columns() -> list[str]:
    return [t(f"roster_screen.count_{name}") for name in
            ("name", "role", "shifts", "nights", "days_off", "holidays")]  # fmt: skip


def title(grid: MonthGrid, timezone: str) -> str:
    """The month and each roster's filing state (its time in the office's zone)."""
    parts = [t("roster_screen.month", year=grid.year, month=grid.month)]
    for info in grid.rosters:
        state = (t("roster_screen.filed",
                   at=info.filed_at.in_timezone(timezone).format("MM-DD HH:mm"))
                 if info.filed_at else t("roster_screen.not_filed"))  # fmt: skip
        parts.append(f"{info.label} {state}")
    if not grid.rosters:
        parts.append(t("roster_screen.none_yet"))
    return " · ".join(parts)
