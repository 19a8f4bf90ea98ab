"""Incidents (突发事件) with their report chains and deadlines: 20,000 over ten years (about
5-6 a day), as dutydesk.services.incidents.incidents.record_incident, incident_reports.record_report and
record_unit_report write them. The deadlines come from the profile's rules
(dutydesk.services.incidents.deadlines.rules_for), never from numbers here; the 首报 closes them as
close_matching does, most on time, a few late."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from bench.gen import calls, vocab
from bench.gen.timeline import Events, Ledger
from bench.gen.writer import Row, stamp
from dutydesk.profiles import DeadlineRule, Profile
from dutydesk.services.incidents import deadlines

TARGET = 20_000  # over the full run's 1,000,000 calls; a smaller run gets its share
INCIDENT_COLUMNS = {
    "type", "level", "occurred_at", "received_at", "recorded_at", "place", "summary", "dead",
    "injured", "missing", "trapped", "scope", "secondary_risk", "measures", "next_steps",
    "source_caller", "source_unit", "call_id", "reporter", "reviewer", "recorded_by_id",
    "shift_id",
}  # fmt: skip
STEP_COLUMNS = {
    "incident_id", "kind", "number", "phoned_at", "written_at", "to_whom", "by_whom",
    "recorded_at", "recorded_by_id",
}  # fmt: skip
UNIT_REPORT_COLUMNS = {
    "incident_id", "unit", "channel", "reported_at", "due_at", "late", "late_minutes",
    "rule_code", "cite", "recorded_at", "recorded_by_id",
}  # fmt: skip
DEADLINE_COLUMNS = {
    "subject", "incident_id", "verification_id", "instruction_id", "rule_code", "channel",
    "cite", "counts_from", "clock_at", "minutes", "due_at", "created_at", "shift_id",
}  # fmt: skip
DEADLINE_CLOSURE_COLUMNS = {
    "deadline_id", "done_at", "late_minutes", "source", "closed_at", "closed_by_id", "reason"
}  # fmt: skip
TABLES = {
    "incident": INCIDENT_COLUMNS,
    "deadline": DEADLINE_COLUMNS,
    "report_step": STEP_COLUMNS,
    "deadline_closure": DEADLINE_CLOSURE_COLUMNS,
    "unit_report": UNIT_REPORT_COLUMNS,
}
MINUTE_US = 60 * 1_000_000
HOUR_US = 60 * MINUTE_US
LEVELS = {"IV": 80, "III": 15, "II": 4, "I": 1}  # 一般 … 特别重大
FOLLOWUPS = {"IV": (0, 1), "III": (1, 2), "II": (2, 3), "I": (3, 5)}  # 续报 per incident
NO_FINAL_SHARE = 0.08  # incidents whose 终报 was never recorded
TOGETHER_SHARE = 0.3  # 首报 phoned and written recorded in one go
UNIT_REPORT_SHARE = 0.4
LATE_UNIT_SHARE = 0.08
UPPER = ["市政府总值班室"] * 8 + ["市应急管理局", "市委总值班室"]
EVENTS = {
    "natural": [0, 4, 11],  # indexes into vocab.EVENTS["incident"]
    "accident": [1, 2, 3, 6, 8, 9, 10, 5],
    "social": [7],
    "health": [],
}
EXTRA = {
    "social": [
        "{place}发生群众聚集，约{n}人，属地正在劝导疏散",
        "{place}发生一起纠纷引发的伤人事件，{n2}人受伤，公安已到场",
    ],
    "health": [
        "{place}出现疑似食物中毒病例{n2}例，已送医救治，卫健部门正在流调",
        "{place}发现发热病例聚集，共{n2}人，疾控人员已到场",
    ],
}
TYPES = {"accident": 45, "natural": 25, "social": 20, "health": 10}
SCOPES = ["影响范围限于事发点周边", "周边约{n}户居民受影响", "涉及道路交通，已实行交通管制",
          "影响范围正在核实"]  # fmt: skip
RISKS = {
    "accident": ["存在复燃风险，已安排专人看守", "存在二次坍塌风险，已设警戒", "暂无次生灾害风险"],
    "natural": [
        "降雨持续，存在内涝加重风险",
        "存在次生地质灾害风险，已组织排查",
        "暂无次生灾害风险",
    ],
    "social": ["存在事态扩大风险，已加强现场管控", "暂无次生风险"],
    "health": ["存在扩散风险，已开展流调和消杀", "暂无扩散迹象"],
}
MEASURES = ["属地已启动应急预案，相关部门赶赴现场处置", "已疏散周边群众，设置警戒区",
            "消防、公安、卫健等部门联动处置", "已组织抢修，伤员已送医"]  # fmt: skip
NEXT = ["持续跟踪处置进展，及时续报", "配合做好善后工作", "组织开展隐患排查"]


def count_for(total_calls: int) -> int:
    return max(1, round(TARGET * total_calls / 1_000_000))


def occurrences(rng: random.Random, count: int, start: int, end: int, tz: ZoneInfo) -> list[int]:
    """When the incidents happen: like calls, busier by day and in later years."""
    return calls.call_times(rng, count, start, end, tz)


def _us(minutes: float) -> int:
    return int(minutes * MINUTE_US)


def _late(due: int | None, done: int) -> int:
    """deadline_views.late_minutes on µs: whole minutes late, rounded up."""
    return 0 if due is None or done <= due else math.ceil((done - due) / MINUTE_US)


class Incidents:
    def __init__(self, rng: random.Random, profile: Profile, events: Events, ledger: Ledger):
        self.rng, self.profile, self.events, self.ledger = rng, profile, events, ledger
        self.dues: dict[int, int | None] = {}  # id(deadline row) -> due (µs), while open
        self.on_recorded: Callable[[Row, int], None] | None = None  # e.g. plan a re-grading

    def schedule(self, moments: list[int]) -> None:
        """Each incident is recorded a few minutes after the desk hears of it."""
        for occurred in moments:
            rng = self.rng
            delay = rng.uniform(2, 18) if rng.random() < 0.9 else rng.uniform(18, 60)
            received = occurred + _us(delay)
            recorded = received + _us(rng.uniform(1, 5))
            self.events.add(recorded, self._recorder(occurred, received))

    def _recorder(self, occurred: int, received: int):  # -> Action
        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            return self.record(at, occurred, received, shift, recorder)

        return record

    def _content(self, kind: str, level: str) -> dict[str, object]:
        rng = self.rng
        words = {"place": vocab.place(rng), "n": rng.randint(10, 120), "n2": rng.randint(2, 12)}
        templates = [vocab.EVENTS["incident"][i] for i in EVENTS[kind]] + EXTRA.get(kind, [])
        details = rng.sample(vocab.DETAILS["incident"], k=rng.choice((1, 2, 2, 3)))
        summary = rng.choice(templates).format(**words) + "。" + "".join(details)
        summary = summary.format(n=words["n"], n2=words["n2"], n3=rng.randint(20, 2000))
        severe = {"IV": 0, "III": 1, "II": 2, "I": 3}[level]
        unknown = rng.random() < 0.1  # casualties not known yet when recorded

        def casualties(high: int) -> int | None:
            return None if unknown else rng.randint(0, high)

        return {
            "place": str(words["place"]),
            "summary": summary,
            "dead": None if unknown else (rng.randint(3 * severe, 10 * severe) if severe else 0),
            "injured": casualties(2 + 10 * severe),
            "missing": casualties(severe),
            "trapped": casualties(2 * severe),
            "scope": rng.choice(SCOPES).format(n=words["n"]),
            "secondary_risk": rng.choice(RISKS[kind]) if rng.random() < 0.9 else "",
            "measures": rng.choice(MEASURES),
            "next_steps": rng.choice(NEXT),
            "source_caller": f"{vocab.person_name(rng)}（{rng.choice(vocab.POSTS)}）",
            "source_unit": rng.choice(vocab.UNITS),
        }

    def record(
        self, at: int, occurred: int, received: int, shift: Row | None, recorder: Row
    ) -> list[Row]:
        """record_incident: the incident and its deadlines in one transaction."""
        rng = self.rng
        kind = rng.choices(list(TYPES), weights=list(TYPES.values()))[0]
        level = rng.choices(list(LEVELS), weights=list(LEVELS.values()))[0]
        leader = shift.refs["leader_id"] if shift is not None else None
        values = {
            "type": kind,
            "level": level,
            "occurred_at": stamp(occurred),
            "received_at": stamp(received),
            "recorded_at": stamp(at),
            **self._content(kind, level),
            "call_id": None,
            "reporter": recorder.values["name"],
            "reviewer": leader.values["name"] if leader and rng.random() < 0.95 else "",
            "shift_id": None,
        }
        refs = {"recorded_by_id": recorder} | ({"shift_id": shift} if shift is not None else {})
        incident = Row("incident", at, values, refs=refs)
        rows = [incident]
        clocks = {"occurred_at": occurred, "received_at": received}
        opened = []
        for rule in deadlines.rules_for(self.profile, "incident", level):
            clock = clocks[rule.counts_from]
            due = clock + rule.minutes * MINUTE_US if rule.minutes else None
            deadline = Row(
                "deadline",
                at,
                {
                    "subject": "incident",
                    "verification_id": None,
                    "instruction_id": None,
                    "rule_code": rule.code,
                    "channel": rule.channel,
                    "cite": rule.cite,
                    "counts_from": rule.counts_from,
                    "clock_at": stamp(clock),
                    "minutes": rule.minutes,
                    "due_at": None if due is None else stamp(due),
                    "created_at": stamp(at),
                    "shift_id": None,
                },
                refs={"incident_id": incident} | ({"shift_id": shift} if shift else {}),
            )
            self.dues[id(deadline)] = due
            self.ledger.deadline_opened(deadline, incident)
            opened.append(deadline)
            rows.append(deadline)
        self._plan_chain(incident, at, opened)
        if self.on_recorded is not None:
            self.on_recorded(incident, at)
        self._plan_unit_reports(incident, clocks, at, level)
        return rows

    def _plan_chain(self, incident: Row, recorded: int, opened: list[Row]) -> None:
        """首报 (phone, then written), 续报, 终报: each an event when the officer records it."""
        rng = self.rng
        phoned = recorded + _us(rng.uniform(2, 10))
        written = phoned + _us(rng.uniform(10, 35))
        if rng.random() < TOGETHER_SHARE:
            self._step_at(written + _us(rng.uniform(0, 3)), incident, "first", 1, phoned, written,
                          opened)  # fmt: skip
        else:
            self._step_at(phoned + _us(rng.uniform(0, 3)), incident, "first", 1, phoned, None,
                          opened)  # fmt: skip
            self._step_at(written + _us(rng.uniform(0, 3)), incident, "first", 1, None, written,
                          opened)  # fmt: skip
        last = written
        low, high = FOLLOWUPS[incident.values["level"]]
        count = rng.randint(low, high) if low or rng.random() < 0.4 else 0
        for number in range(1, count + 1):
            last += _us(rng.uniform(60, 360))
            self._step_at(last + _us(rng.uniform(0, 3)), incident, "followup", number, last, last,
                          [])  # fmt: skip
        if rng.random() >= NO_FINAL_SHARE:
            hours = rng.uniform(4, 48) if incident.values["level"] == "IV" else rng.uniform(24, 120)
            last += _us(hours * 60)
            self._step_at(last + _us(rng.uniform(0, 5)), incident, "final", 1, last, last, [])

    def _step_at(
        self, at: int, incident: Row, kind: str, number: int, phoned: int | None,
        written: int | None, opened: list[Row],
    ) -> None:  # fmt: skip
        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            return self.step(at, recorder, incident, kind, number, phoned, written, opened)

        self.events.add(at, record)

    def step(
        self, at: int, recorder: Row, incident: Row, kind: str, number: int,
        phoned: int | None, written: int | None, opened: list[Row],
    ) -> list[Row]:  # fmt: skip
        """record_report: the step, and for the 首报 the closing of the deadlines it meets."""
        row = Row(
            "report_step",
            at,
            {
                "kind": kind,
                "number": number,
                "phoned_at": None if phoned is None else stamp(phoned),
                "written_at": None if written is None else stamp(written),
                "to_whom": self.rng.choice(UPPER),
                "by_whom": recorder.values["name"],
                "recorded_at": stamp(at),
            },
            refs={"incident_id": incident, "recorded_by_id": recorder},
        )
        rows = [row]
        if kind != "first":
            return rows
        times = deadlines.done_times(phoned, written)  # type: ignore[arg-type]  # µs work too
        for deadline in opened:
            done = times.get(deadline.values["channel"])
            if done is None or id(deadline) not in self.ledger.deadlines:
                continue
            self.ledger.deadline_closed(deadline)
            due = self.dues.pop(id(deadline))
            rows.append(
                Row(
                    "deadline_closure",
                    at,
                    {
                        "done_at": stamp(done),
                        "late_minutes": _late(due, done),
                        "closed_at": stamp(at),
                        "reason": None,  # met by a report: no reason typed (0014)
                    },
                    refs={"deadline_id": deadline, "closed_by_id": recorder},
                    finish=_source(row),
                )
            )
        return rows

    def _plan_unit_reports(
        self, incident: Row, clocks: dict[str, int], recorded: int, level: str
    ) -> None:
        """Units reporting the incident to us (迟报 when later than the profile allows)."""
        rng = self.rng
        if rng.random() >= UNIT_REPORT_SHARE:
            return
        unit = rng.choice(vocab.UNITS)
        channels = (
            ["phone", "written"] if rng.random() < 0.3 else [rng.choice(["phone", "written"])]
        )
        for channel in channels:
            rules = [
                r for r in deadlines.rules_for(self.profile, "unit_report", level)
                if r.channel in (channel, "report")
            ]  # fmt: skip
            rule = rules[0] if rules else None
            limit = rule.minutes if rule and rule.minutes else 60
            late = rng.random() < LATE_UNIT_SHARE
            reported = clocks["occurred_at"] + _us(
                rng.uniform(limit + 1, limit * 3)
                if late
                else rng.uniform(limit * 0.2, limit * 0.95)
            )
            at = max(reported + _us(rng.uniform(0, 5)), recorded + _us(0.5))

            def record(at: int, shift: Row | None, recorder: Row, channel=channel, rule=rule,
                       reported=reported) -> list[Row]:  # fmt: skip
                return [
                    self.unit_report(at, recorder, incident, unit, channel, rule, reported, clocks)
                ]

            self.events.add(at, record)

    def unit_report(
        self, at: int, recorder: Row, incident: Row, unit: str, channel: str, rule: DeadlineRule | None,
        reported: int, clocks: dict[str, int],
    ) -> Row:  # fmt: skip
        due = None
        if rule is not None and rule.minutes:
            due = clocks[rule.counts_from] + rule.minutes * MINUTE_US
        late = _late(due, reported)
        return Row(
            "unit_report",
            at,
            {
                "unit": unit,
                "channel": channel,
                "reported_at": stamp(reported),
                "due_at": None if due is None else stamp(due),
                "late": 1 if late > 0 else 0,
                "late_minutes": late,
                "rule_code": rule.code if rule else "",
                "cite": rule.cite if rule else "",
                "recorded_at": stamp(at),
            },
            refs={"incident_id": incident, "recorded_by_id": recorder},
        )


def _source(step: Row):  # -> Callable[[Row], None]
    def fill(row: Row) -> None:
        row.values["source"] = f"report_step:{step.id}"

    return fill
