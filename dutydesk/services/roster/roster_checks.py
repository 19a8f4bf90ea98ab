"""The checks on a roster, each citing its article: refusals when an assignment is made
(administrator, eligibility under Tianjin art. 6, level, one role per person per shift) and the
conflicts shown in place and refused at filing (the day's or the shift's leader, the minimum
officers, the standby, rest: no two nights in a row, hours off between shifts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.roster.people import ineligibilities
from dutydesk.services.roster.rosters import Seat, roster_rules
from dutydesk.services.roster.shifts import refuse_administrator

if TYPE_CHECKING:
    from dutydesk.models import Person
    from dutydesk.services.core import Desk
    from dutydesk.services.roster.roster_grid import MonthGrid
    from dutydesk.services.roster.rosters import Cell

CellKey = tuple[date, str]


@dataclass(frozen=True)
class Conflict:
    """A problem shown in a roster's cell; `blocks` ones refuse the filing."""

    key: str
    cite: str
    blocks: bool
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return t(self.key, cite=self.cite, **self.params)


def refuse_assignment(
    desk: Desk, cell: Cell, role: str, seat: int, person: Person, held: dict[Seat, int]
) -> None:
    """Refuse `person` in (`role`, `seat`) of `cell` with the article, before anything is
    written."""
    rules = roster_rules(desk.profile)
    refuse_administrator(person, role)
    reasons = ineligibilities(person, desk.profile.eligibility, cell.day)
    if reasons:
        raise DutyError(reasons[0].key, name=person.name, cite=reasons[0].cite)
    if person.role != role:
        raise DutyError("roster.wrong_level", name=person.name, level=t("role." + person.role),
                        role=t("role." + role), cite=rules.roles_cite)  # fmt: skip
    for (day, slot, other_role, other_seat), person_id in held.items():
        same_cell = day == cell.day and slot == cell.slot_code
        if same_cell and person_id == person.id and (other_role, other_seat) != (role, seat):
            raise DutyError("roster.two_roles", name=person.name, role=t("role." + other_role),
                            cite=rules.roles_cite)  # fmt: skip


def conflicts(
    desk: Desk, cells: list[Cell], held: dict[Seat, int], people: dict[int, Person]
) -> dict[CellKey, list[Conflict]]:
    """Every conflict of the roster's cells (in order), by cell."""
    found: dict[CellKey, list[Conflict]] = {(c.day, c.slot_code): [] for c in cells}
    _coverage(desk, cells, held, found)
    _eligibility(desk, held, people, found)
    _rest(desk, cells, held, people, found)
    _leader_rest(desk, held, people, found)
    return found


def _coverage(
    desk: Desk, cells: list[Cell], held: dict[Seat, int], found: dict[CellKey, list[Conflict]]
) -> None:
    rules = roster_rules(desk.profile)
    led_days = {day for (day, _slot, role, _seat) in held if role == "leader"}
    for cell in cells:
        key = (cell.day, cell.slot_code)
        has_leader = (cell.day, cell.slot_code, "leader", 0) in held
        if rules.leader_per == "shift" and not has_leader:
            found[key].append(Conflict("roster.no_leader_shift", rules.leader_cite, True))
        if rules.leader_per == "day" and cell.day not in led_days:
            found[key].append(Conflict("roster.no_leader_day", rules.leader_cite, True))
        officers = sum(
            (cell.day, cell.slot_code, "officer", n) in held for n in range(rules.min_officers)
        )
        if officers < rules.min_officers:
            found[key].append(Conflict("roster.officers_short", rules.officers_cite, True,
                                       {"have": officers, "need": rules.min_officers}))  # fmt: skip
        if rules.standby == "required" and (cell.day, cell.slot_code, "standby", 0) not in held:
            found[key].append(Conflict("roster.no_standby", rules.standby_cite, True))


def _eligibility(
    desk: Desk,
    held: dict[Seat, int],
    people: dict[int, Person],
    found: dict[CellKey, list[Conflict]],
) -> None:
    """Someone rostered who is no longer eligible on the day (their training lapsed, say)."""
    for (day, slot, _role, _seat), person_id in held.items():
        person = people.get(person_id)
        if person is None or (day, slot) not in found:
            continue
        for reason in ineligibilities(person, desk.profile.eligibility, day):
            found[(day, slot)].append(Conflict(reason.key, reason.cite, True,
                                               {"name": person.name}))  # fmt: skip


def _rest(
    desk: Desk,
    cells: list[Cell],
    held: dict[Seat, int],
    people: dict[int, Person],
    found: dict[CellKey, list[Conflict]],
) -> None:
    """Per person, in order: no two nights in a row, and the hours off between two shifts
    (a leader rostered for the day is on call through it, so is left out)."""
    rules = roster_rules(desk.profile)
    by_key = {(c.day, c.slot_code): c for c in cells}
    mine: dict[int, list[Cell]] = {}
    for (day, slot, role, _seat), person_id in held.items():
        if role == "leader" and rules.leader_per == "day":
            continue
        cell = by_key.get((day, slot))
        if cell is not None:
            mine.setdefault(person_id, []).append(cell)
    for person_id, worked in mine.items():
        worked.sort(key=lambda c: c.start_ts)
        name = people[person_id].name if person_id in people else str(person_id)
        for before, after in zip(worked, worked[1:], strict=False):
            key = (after.day, after.slot_code)
            if (
                rules.no_consecutive_nights
                and before.nights == 1
                and after.nights == 1
                and after.day == before.day + timedelta(days=1)
            ):
                found[key].append(Conflict("roster.consecutive_nights", rules.rest_cite, False,
                                           {"name": name}))  # fmt: skip
            gap = (after.start_ts - before.end_ts) / 3600
            if gap < rules.min_rest_hours:
                found[key].append(Conflict("roster.short_rest", rules.rest_cite, False,
                                           {"name": name, "hours": rules.min_rest_hours}))  # fmt: skip


def _leader_rest(
    desk: Desk,
    held: dict[Seat, int],
    people: dict[int, Person],
    found: dict[CellKey, list[Conflict]],
) -> None:
    """A day leader (on call through the day, so left out of the hour rule) has the profile's
    days off between two duty days ([leader_rest]): the later day's cell shows it."""
    rest = desk.profile.leader_rest
    if rest is None or roster_rules(desk.profile).leader_per != "day":
        return
    days: dict[int, dict[date, str]] = {}
    for (day, slot, role, _seat), person_id in held.items():
        if role == "leader" and (day, slot) in found:
            days.setdefault(person_id, {}).setdefault(day, slot)
    for person_id, led in days.items():
        name = people[person_id].name if person_id in people else str(person_id)
        ordered = sorted(led)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if (after - before).days <= rest.days_off:
                params = {"name": name, "before": before.strftime("%m-%d"),
                          "after": after.strftime("%m-%d"), "rest": rest.days_off}  # fmt: skip
                found[(after, led[after])].append(
                    Conflict("roster_leader.rest_breaks", rest.cite, False, params)
                )


def sole_leader_warning(grid: MonthGrid, key: str = "roster_leader.sole") -> str | None:
    """Said beside the counts when one leader holds every led day of the month (a desk with
    one leader): no rest rule can be kept then, and nothing else would say so. `key`: the
    message (roster_leader.sole_short fits the counts panel's border)."""
    led: dict[date, str] = {}
    for day in grid.days:
        for cell in day.cells:
            if cell.leader:
                led.setdefault(cell.day, cell.leader)
    leaders = set(led.values())
    if len(led) < 2 or len(leaders) != 1:
        return None
    return t(key, name=leaders.pop(), days=len(led))


# The rest rules rotation_search keeps wherever any assignment can (a day leader's days off are
# weighed against fairness instead, rotation._day_leaders, and shown in the grid)
REST_KEYS = frozenset({"roster.consecutive_nights", "roster.short_rest"})


def rest_warning(grid: MonthGrid, roster_id: int | None = None) -> str | None:
    """Said as a roster is generated, before anyone files it: the rest conflicts the rotation
    could not avoid with the people there are (it avoids every one it can, rotation_search),
    how many and the first. `roster_id`: that roster's cells only."""
    found = [
        (cell, conflict)
        for day in grid.days
        for cell in day.cells
        if roster_id is None or cell.roster_id == roster_id
        for conflict in cell.conflicts
        if conflict.key in REST_KEYS
    ]
    if not found:
        return None
    cell, first = found[0]
    return t("roster_rest.unavoidable", count=len(found), day=cell.day.isoformat(),
             slot=t("shift." + cell.slot_code), first=first.message())  # fmt: skip
