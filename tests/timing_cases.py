"""Report-timing cases for issue 14 items 3 and 4, as data: each is an incident, the reports and
re-gradings made on it in time order, and every deadline it ends with (rule, due time, the
event-clock due time when a re-grading set it, status, minutes late). `run_case` plays one on a
fresh register and reads the result back; tests/test_report_timing.py compares them, and the
same function prints the table the closing note gives (python -m tests.timing_cases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pendulum

from dutydesk.clock import FrozenClock
from dutydesk.services.core.desk import init_database
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_regrade import regrade_incident
from dutydesk.services.incidents.incident_reports import record_report
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.people import add_person, find_person
from tests.support_people import authority_for

ZONE = "Asia/Shanghai"
DAY = "2026-11-23"

# (rule_code, due HH:mm, event-clock due HH:mm or None, status, late minutes or None)
Outcome = tuple[str, str | None, str | None, str, int | None]


def at(hhmm: str) -> pendulum.DateTime:
    return pendulum.parse(f"{DAY}T{hhmm}", tz=ZONE)  # type: ignore[return-value]


@dataclass(frozen=True)
class Step:
    """At `clock` (desk time), record a report (kind, phoned, written) or re-grade to `level`."""

    clock: str
    kind: str = ""
    phoned: str | None = None
    written: str | None = None
    level: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    profile: str
    level: str
    occurred: str
    steps: list[Step]
    expected: list[Outcome]
    end: str = "12:30"  # the time the deadlines are read at
    received: str | None = None
    notes: str = field(default="", compare=False)


def _hhmm(value: pendulum.DateTime | None) -> str | None:
    return None if value is None else value.in_timezone(ZONE).format("HH:mm")


def run_case(case: Case, folder: Path) -> list[Outcome]:
    clock = FrozenClock(at(case.occurred))
    desk = init_database(folder / f"{case.name}.sqlite3", "测试值班室", case.profile, clock)
    try:
        add_person(desk, "张伟", "officer", in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
        person = find_person(desk, "张伟")
        received = at(case.received) if case.received else None
        if received is not None:
            clock.set(received)
        draft = IncidentDraft(type="accident", level=case.level, occurred_at=at(case.occurred),
                              received_at=received, place="人民路", summary="燃气管道爆炸")  # fmt: skip
        incident = record_incident(desk, draft, person)
        for step in case.steps:
            clock.set(at(step.clock))
            if step.level:
                regrade_incident(desk, incident.id, step.level, "伤亡扩大", person)
                continue
            record_report(desk, incident.id, step.kind, person, to_whom="上级值班室",
                          phoned_at=at(step.phoned) if step.phoned else None,
                          written_at=at(step.written) if step.written else None)  # fmt: skip
        clock.set(at(case.end))
        views = deadlines.deadlines_for(desk, "incident", incident.id)
        return [
            (v.rule_code, _hhmm(v.due_at), _hhmm(v.event_due_at), v.status, v.late_minutes)
            for v in views
        ]
    finally:
        desk.close()


CASES = [
    Case(
        "tianjin_written_final_late",
        "tianjin",
        "III",
        "10:00",
        [Step("10:20", "first", phoned="10:20"), Step("11:30", "final", written="11:30")],
        [
            ("incident_phone", "10:30", None, "met", 0),
            ("incident_written", "11:00", None, "late", 30),
        ],
        notes="Tianjin art. 20: phone 30 min, written 1 h from the event",
    ),
    Case(
        "tianjin_written_final_on_time",
        "tianjin",
        "IV",
        "10:15",
        [Step("10:20", "first", phoned="10:20"), Step("11:10", "final", written="11:10")],
        [
            ("incident_phone", "10:45", None, "met", 0),
            ("incident_written", "11:15", None, "met", 0),
        ],
    ),
    Case(
        "tianjin_first_written_on_a_channel_counts",
        "tianjin",
        "III",
        "10:00",
        [
            Step("10:20", "first", phoned="10:20"),
            Step("10:50", "followup", written="10:50"),
            Step("11:30", "final", written="11:30"),
        ],
        [
            ("incident_phone", "10:30", None, "met", 0),
            ("incident_written", "11:00", None, "met", 0),
        ],
    ),
    Case(
        "tianjin_phone_followup_meets_no_written",
        "tianjin",
        "III",
        "10:00",
        [Step("10:20", "first", phoned="10:20"), Step("10:40", "followup", phoned="10:40")],
        [
            ("incident_phone", "10:30", None, "met", 0),
            ("incident_written", "11:00", None, "overdue", None),
        ],
    ),
    Case(
        "henan_written_followup_on_time",
        "henan",
        "II",
        "10:00",
        [Step("10:15", "first", phoned="10:15"), Step("10:35", "followup", written="10:35")],
        [
            ("incident_phone", "10:20", None, "met", 0),
            ("incident_written", "10:40", None, "met", 0),
        ],
        notes="Henan 7(3): 重大 phone 20 min, written 40 min from the event",
    ),
    Case(
        "henan_written_followup_late",
        "henan",
        "II",
        "10:00",
        [Step("10:15", "first", phoned="10:15"), Step("10:50", "followup", written="10:50")],
        [
            ("incident_phone", "10:20", None, "met", 0),
            ("incident_written", "10:40", None, "late", 10),
        ],
    ),
    Case(
        "henan_upgrade_after_on_time_report",
        "henan",
        "III",
        "10:00",
        [Step("10:40", "first", phoned="10:40"), Step("11:05", level="II")],
        [
            ("incident_report", "11:00", None, "met", 0),
            ("incident_phone", "11:25", "10:20", "met", 0),
            ("incident_written", "11:45", "10:40", "ok", None),
        ],
        end="11:10",
        notes="issue's example: 较大 re-graded 重大 at 11:05; the 10:40 report stays on time",
    ),
    Case(
        "henan_upgrade_written_after_regrade_on_time",
        "henan",
        "III",
        "10:00",
        [
            Step("10:40", "first", phoned="10:40"),
            Step("11:05", level="II"),
            Step("11:40", "followup", written="11:40"),
        ],
        [
            ("incident_report", "11:00", None, "met", 0),
            ("incident_phone", "11:25", "10:20", "met", 0),
            ("incident_written", "11:45", "10:40", "met", 0),
        ],
    ),
    Case(
        "henan_upgrade_written_after_regrade_late",
        "henan",
        "III",
        "10:00",
        [
            Step("10:40", "first", phoned="10:40"),
            Step("11:05", level="II"),
            Step("11:50", "final", written="11:50"),
        ],
        [
            ("incident_report", "11:00", None, "met", 0),
            ("incident_phone", "11:25", "10:20", "met", 0),
            ("incident_written", "11:45", "10:40", "late", 5),
        ],
    ),
    Case(
        "henan_upgrade_no_report_yet",
        "henan",
        "III",
        "10:00",
        [Step("11:05", level="II"), Step("11:30", "first", phoned="11:30")],
        [
            ("incident_report", "11:00", None, "superseded", None),
            ("incident_phone", "11:25", "10:20", "late", 5),
            ("incident_written", "11:45", "10:40", "overdue", None),
        ],
        end="12:00",
    ),
    Case(
        "henan_pre_regrade_report_recorded_after",
        "henan",
        "III",
        "10:00",
        [Step("11:05", level="II"), Step("11:10", "first", phoned="10:40")],
        [
            ("incident_report", "11:00", None, "superseded", None),
            ("incident_phone", "11:25", "10:20", "met", 0),
            ("incident_written", "11:45", "10:40", "ok", None),
        ],
        end="11:10",
    ),
    Case(
        "tianjin_regrade_keeps_the_same_deadlines",
        "tianjin",
        "III",
        "10:00",
        [Step("10:25", "first", phoned="10:25"), Step("11:05", level="II")],
        [
            ("incident_phone", "10:30", None, "met", 0),
            ("incident_written", "11:00", None, "overdue", None),
        ],
        end="11:10",
    ),
]


if __name__ == "__main__":  # the table for the closing note
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for case in CASES:
            actual = run_case(case, Path(folder))
            print(
                f"| {case.name} | {case.expected} | {actual} | {'ok' if actual == case.expected else 'DIFF'} |"
            )
