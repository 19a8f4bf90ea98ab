"""Spot checks (值班抽查): the 40 units registered at the start, two rounds a shift, each drawn
with dutydesk.services.spotcheck.sampling from the candidates as services/spotcheck.candidates sees them
(so `verify_round` replays every stored draw), the outcome of each check and the closing.

Tianjin sets no quota (art. 17, 19): a round stores rate None and required 1, as start_round
does, and the officer asks for as many units as the district profile's quota would draw
(District 工作制度 5), twice a shift as the district's rounds_per_shift says."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from bench.gen import vocab
from bench.gen.timeline import Events, Ledger, RoundDone
from bench.gen.writer import EPOCH, Row, stamp, to_us
from dutydesk.models.types import from_storage
from dutydesk.profiles import Profile, load_profile
from dutydesk.services.spotcheck import sampling

UNIT_COLUMNS = {"name", "kind", "duty_phone", "active", "created_at"}
ROUND_COLUMNS = {
    "shift_id", "drawn_at", "drawn_by_id", "seed", "rate", "required", "active_units", "inputs",
    "drawn",
}  # fmt: skip
OUTCOME_COLUMNS = {
    "round_id", "unit_id", "method", "checked_at", "answered", "answered_by", "on_roster",
    "faults", "note", "recorded_at", "recorded_by_id",
}  # fmt: skip
CLOSURE_COLUMNS = {"round_id", "closed_at", "closed_by_id", "unreached"}
TABLES = {
    "spotcheck_unit": UNIT_COLUMNS,
    "spotcheck_round": ROUND_COLUMNS,
    "spotcheck_outcome": OUTCOME_COLUMNS,
    "spotcheck_closure": CLOSURE_COLUMNS,
}
QUOTA_PROFILE = "district"  # the profile whose quota sets the round's size when ours has none
SECOND_US = 1_000_000
DAY_US = 86_400 * SECOND_US
KINDS = (("街道", "subdistrict"), ("镇", "township"), ("乡", "township"), ("园区", "park"),
         ("管委会", "key_area"))  # fmt: skip
METHODS = {"phone": 85, "video": 10, "radio": 4, "onsite": 1}
NOT_ANSWERED = 0.04
RETRY_ANSWERED = 0.8
UNREACHED = 0.003
FAULT_SHARE = 0.04
FAULT_NOTES = {
    "absent": "值班人员不在岗，已提醒", "uninformed": "值班人员对辖区情况不熟悉",
    "late_report": "近期有迟报情况，已提醒", "false_report": "报送信息与实际不符",
    "concealed": "存在瞒报情况，已报带班领导", "missed_report": "有漏报情况，已提醒",
    "comms_down": "值班电话故障，改用手机联系",
}  # fmt: skip
UNREACHED_REASON = "值班电话无法接通，其他渠道联系未果，已报带班领导"


def unit_kind(name: str) -> str:
    for suffix, kind in KINDS:
        if name.endswith(suffix):
            return kind
    return "department"


def unit_rows(rng: random.Random, at: int) -> list[Row]:
    """The units registered before the first shift (units.add_unit or a CSV import)."""
    return [
        Row(
            "spotcheck_unit",
            at + i * SECOND_US,
            {
                "name": name,
                "kind": unit_kind(name),
                "duty_phone": vocab.phone(rng),
                "active": 1,
                "created_at": stamp(at + i * SECOND_US),
            },
        )
        for i, name in enumerate(vocab.UNITS)
    ]


def _iso_utc(us: int) -> str:
    """A stored time read back (UTC pendulum), as candidates() writes last_checked."""
    return from_storage(stamp(us)).isoformat()


@dataclass
class _Draw:
    shift: int  # the shift's opening (µs): a key no other shift has
    drawn_at: int
    units: list[int]


@dataclass
class SpotChecks:
    rng: random.Random
    profile: Profile
    tz: ZoneInfo
    events: Events
    ledger: Ledger
    units: list[Row]
    last_checked: dict[int, int] = field(default_factory=dict)  # unit id -> µs
    checks: dict[int, list[int]] = field(default_factory=dict)  # unit id -> rounds' first check
    draws: list[_Draw] = field(default_factory=list)

    def __post_init__(self) -> None:
        quota = self.profile.spotcheck
        self.rate = quota.rate
        self.size_rate = quota.rate or load_profile(QUOTA_PROFILE).spotcheck.rate
        rounds = quota.rounds_per_shift or load_profile(QUOTA_PROFILE).spotcheck.rounds_per_shift
        self.rounds = rounds or 2
        self.methods = [m for m in quota.methods if m in METHODS] or list(quota.methods)
        self.method_weights = [METHODS.get(m, 1) for m in self.methods]
        self.faults = [f for f in quota.faults if f in FAULT_NOTES]

    def plan(self, shift: Row, end: int) -> None:
        """The shift's rounds: spread over it, each finished well before the next."""
        length = end - shift.at
        for index in range(self.rounds):
            low = (0.1 + 0.8 * index / self.rounds) * length
            at = shift.at + int(self.rng.uniform(low, low + 0.2 * length / self.rounds))
            self.events.add(at, self._round_at)

    def _round_at(self, at: int, shift: Row | None, recorder: Row) -> list[Row]:
        return [] if shift is None else self.round(at, shift, recorder)

    def candidates(self, at: int, shift: Row) -> tuple[sampling.Candidate, ...]:
        local = (EPOCH + timedelta(microseconds=at)).astimezone(self.tz)
        day_start = to_us(local.replace(hour=0, minute=0, second=0, microsecond=0))
        self.draws = [d for d in self.draws if d.drawn_at >= at - 2 * DAY_US]
        today = {u for d in self.draws if day_start <= d.drawn_at < day_start + DAY_US
                 for u in d.units}  # fmt: skip
        this_shift = {u for d in self.draws if d.shift == shift.at for u in d.units}
        since = at - sampling.RECENT_WINDOW_DAYS * DAY_US
        result = []
        for unit in self.units:
            uid = unit.id
            assert uid is not None
            last = self.last_checked.get(uid)
            recent = self.checks.setdefault(uid, [])
            while recent and recent[0] < since:
                recent.pop(0)
            result.append(
                sampling.Candidate(
                    uid,
                    None if last is None else _iso_utc(last),
                    len(recent),
                    uid in today,
                    uid in this_shift,
                )  # fmt: skip
            )
        return tuple(result)

    def round(self, at: int, shift: Row, recorder: Row) -> list[Row]:
        """start_round, the checks of each drawn unit (a retry when not answered), close_round."""
        rng = self.rng
        self.by_id = {unit.id: unit for unit in self.units}
        pool = self.candidates(at, shift)
        active = len(pool)
        minimum = sampling.required_size(self.rate, active) if self.rate else 1
        size = sampling.required_size(self.size_rate, active)
        now = from_storage(stamp(at)).in_timezone(self.profile.profile.timezone).isoformat()
        inputs = sampling.SampleInputs(now, size, pool, self.rate)
        seed = rng.randrange(sampling.SEED_LIMIT)
        drawn = sampling.draw(inputs, seed)
        head = Row(
            "spotcheck_round",
            at,
            {
                "drawn_at": stamp(at),
                "seed": seed,
                "rate": self.rate,
                "required": minimum,
                "active_units": active,
                "inputs": sampling.inputs_to_json(inputs),
                "drawn": json.dumps(drawn),
            },
            refs={"shift_id": shift, "drawn_by_id": recorder},
        )
        self.draws.append(_Draw(shift.at, at, drawn))
        rows = [head]
        retries: list[Row] = []
        unreached: dict[str, str] = {}
        clock = at
        for uid in drawn:
            if rng.random() < UNREACHED:
                unreached[str(uid)] = UNREACHED_REASON
                continue
            clock += rng.randint(40, 150) * SECOND_US + rng.randrange(SECOND_US)
            answered = rng.random() >= NOT_ANSWERED
            rows.append(self._outcome(head, uid, clock, answered, recorder))
            self._checked(uid, clock, first=True)
            if not answered:
                later = clock + rng.randint(5 * 60, 15 * 60) * SECOND_US
                retries.append(self._outcome(head, uid, later, rng.random() < RETRY_ANSWERED,
                                             recorder))  # fmt: skip
        for retry in sorted(retries, key=lambda r: r.at):
            rows.append(retry)
            self._checked(retry.refs["unit_id"].id or 0, retry.at, first=False)  # type: ignore[union-attr]
        closed = max(r.at for r in rows) + rng.randint(60, 300) * SECOND_US
        rows.append(
            Row(
                "spotcheck_closure",
                closed,
                {
                    "closed_at": stamp(closed),
                    "unreached": json.dumps(unreached, ensure_ascii=False, sort_keys=True),
                },
                refs={"round_id": head, "closed_by_id": recorder},
            )
        )
        covered = len(drawn) - len(unreached)
        self.ledger.rounds.setdefault(shift.at, []).append(
            RoundDone(covered, len(drawn), minimum, closed)
        )
        return rows

    def _checked(self, uid: int, at: int, first: bool) -> None:
        self.last_checked[uid] = max(at, self.last_checked.get(uid, 0))
        if first:
            self.checks.setdefault(uid, []).append(at)

    def _outcome(self, head: Row, uid: int, at: int, answered: bool, recorder: Row) -> Row:
        rng = self.rng
        faults: list[str] = []
        note = ""
        on_roster: int | None = None
        by = ""
        if answered:
            by = vocab.person_name(rng)
            on_roster = rng.choices([1, 0, None], weights=[90, 3, 7])[0]
            if self.faults and rng.random() < FAULT_SHARE:
                faults = [rng.choice(self.faults)]
                note = FAULT_NOTES[faults[0]]
        else:
            note = "无人接听"
        unit = self.by_id[uid]
        return Row(
            "spotcheck_outcome",
            at,
            {
                "method": rng.choices(self.methods, weights=self.method_weights)[0],
                "checked_at": stamp(at),
                "answered": 1 if answered else 0,
                "answered_by": by,
                "on_roster": on_roster,
                "faults": json.dumps(faults),
                "note": note,
                "recorded_at": stamp(at),
            },
            refs={"round_id": head, "unit_id": unit, "recorded_by_id": recorder},
        )
