"""People (值班人员): a starting crew, then a hire or two a year per role; each shift takes the
most recently hired eligible people in turn, as a real roster would."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.gen.vocab import person_name
from bench.gen.writer import Row, stamp

DAY_US = 86_400 * 1_000_000
PERSON_COLUMNS = {"name", "role", "staff", "in_post_since", "trained", "created_at"}
START_CREW = {"officer": 8, "leader": 4, "standby": 6}
ACTIVE = {"officer": 8, "leader": 4, "standby": 6}  # how many of each role share the roster
HIRE_EVERY_DAYS = {"officer": 240, "leader": 540, "standby": 330}


@dataclass
class Member:
    row: Row
    eligible_from: int  # µs since the epoch


@dataclass
class Roster:
    rng: random.Random
    min_in_post_days: int
    names: set[str] = field(default_factory=set)
    members: dict[str, list[Member]] = field(default_factory=dict)
    hires: list[tuple[int, str]] = field(default_factory=list)  # (when, role), sorted

    def _person(self, role: str, at: int, in_post_days_ago: int) -> Row:
        name = person_name(self.rng)
        while name in self.names:
            name = person_name(self.rng)
        self.names.add(name)
        in_post = at // DAY_US - in_post_days_ago
        row = Row(
            "person",
            at,
            {
                "name": name,
                "role": role,
                "staff": 1,
                "in_post_since": _date(in_post),
                "trained": 1,
                "created_at": stamp(at),
            },
        )
        eligible_from = max(at, at + (self.min_in_post_days - in_post_days_ago) * DAY_US)
        self.members.setdefault(role, []).append(Member(row, eligible_from))
        return row

    def start(self, at: int, end: int) -> list[Row]:
        """The crew registered before the first shift; schedules the hires to come."""
        rows = [
            self._person(role, at, self.rng.randint(400, 4000))
            for role, count in START_CREW.items()
            for _ in range(count)
        ]
        for role, every in HIRE_EVERY_DAYS.items():
            when = at + every * DAY_US
            while when < end:
                self.hires.append((when + self.rng.randint(0, 20) * DAY_US, role))
                when += every * DAY_US
        self.hires.sort()
        return rows

    def hired_before(self, until: int) -> list[Row]:
        rows = []
        while self.hires and self.hires[0][0] < until:
            when, role = self.hires.pop(0)
            rows.append(self._person(role, when, self.rng.randint(0, 30)))
        return rows

    def crew(self, at: int, index: int) -> tuple[Row, Row, Row]:
        """(officer, leader, standby) for the shift starting at `at`."""
        picks = []
        for role in ("officer", "leader", "standby"):
            eligible = [m for m in self.members[role] if m.eligible_from <= at][-ACTIVE[role] :]
            picks.append(eligible[index % len(eligible)].row)
        return picks[0], picks[1], picks[2]


def _date(days_since_epoch: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=days_since_epoch)).isoformat()
