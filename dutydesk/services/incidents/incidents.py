"""Incident information (突发事件信息): recording an incident, the completeness check (要素齐全)
against the profile's elements, listing and showing incidents, the 首报 draft, and the incident
register of a shift (突发事件信息登记表). The report chain and unit reports are in
incident_reports.py; the deadlines an incident sets off are in deadlines.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.i18n import t
from dutydesk.models import CallRecord, Incident, IncidentType, Person
from dutydesk.profiles import INCIDENT_ELEMENTS, LEVELS
from dutydesk.services.core import check_choice, check_name, check_text
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_common import add_row, check_time, raise_if, shift_at

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.models import Shift
    from dutydesk.profiles import Profile
    from dutydesk.services.core import Desk

TYPES = tuple(kind.value for kind in IncidentType)
CASUALTIES = ("dead", "injured", "missing", "trapped")
MAX_COUNT = 1_000_000
MAX_LIST = 1000
_LEVEL_WORDS = {
    "I": "I",
    "1": "I",
    "Ⅰ": "I",
    "特别重大": "I",
    "一": "I",
    "II": "II",
    "2": "II",
    "Ⅱ": "II",
    "重大": "II",
    "二": "II",
    "III": "III",
    "3": "III",
    "Ⅲ": "III",
    "较大": "III",
    "三": "III",
    "IV": "IV",
    "4": "IV",
    "Ⅳ": "IV",
    "一般": "IV",
    "四": "IV",
}
_TYPE_WORDS = {
    "自然灾害": "natural",
    "事故灾难": "accident",
    "公共卫生事件": "health",
    "公共卫生": "health",
    "社会安全事件": "social",
    "社会安全": "social",
}
_TEXT_LIMITS = {
    "place": 200,
    "summary": 4000,
    "scope": 2000,
    "secondary_risk": 1000,
    "measures": 4000,
    "next_steps": 2000,
    "source_caller": 100,
    "source_unit": 100,
    "reporter": 50,
    "reviewer": 50,
}
_NAMES = ("source_caller", "source_unit", "reporter", "reviewer")  # checked as names


def parse_level(text: str) -> str:
    """I..IV from `I`..`IV`, `Ⅰ`..`Ⅳ`, 1..4, 特别重大/重大/较大/一般 (a trailing 级 allowed)."""
    value = text.strip().upper().removesuffix("级").removeprefix("级").strip()
    level = _LEVEL_WORDS.get(value)
    if level is None:
        raise DutyError("incident.bad_level", value=text)
    return level


def parse_type(text: str) -> str:
    value = text.strip()
    if value.lower() in TYPES:
        return value.lower()
    kind = _TYPE_WORDS.get(value)
    if kind is None:
        raise DutyError("incident.bad_type", value=text)
    return kind


@dataclass(frozen=True)
class IncidentDraft:
    """What the officer typed. `received_at` None means "now"; a casualty count None means
    "not known yet"."""

    type: str = ""
    level: str = ""
    occurred_at: DateTime | None = None
    received_at: DateTime | None = None
    place: str = ""
    summary: str = ""
    dead: int | None = None
    injured: int | None = None
    missing: int | None = None
    trapped: int | None = None
    scope: str = ""
    secondary_risk: str = ""
    measures: str = ""
    next_steps: str = ""
    source_caller: str = ""
    source_unit: str = ""
    call_number: str | None = None  # the call register line it came by
    reporter: str = ""
    reviewer: str = ""


@dataclass(frozen=True)
class MissingElement:
    code: str  # an element of the profile, or casualties_dead … casualties_trapped
    cite: str

    @property
    def label(self) -> str:
        return t(f"incident_element.{self.code}")


def validate(desk: Desk, draft: IncidentDraft) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    check_choice(problems, "incident_type", draft.type, TYPES)
    check_choice(problems, "incident_level", draft.level, LEVELS)
    check_time(problems, desk, "incident_occurred_at", draft.occurred_at, since_register=False)
    if draft.received_at is not None:
        check_time(
            problems,
            desk,
            "incident_received_at",
            draft.received_at,
            not_before=draft.occurred_at,
            not_before_field="incident_occurred_at",
        )
    for name, limit in _TEXT_LIMITS.items():
        value = getattr(draft, name)
        if name in _NAMES:
            check_name(problems, f"incident_{name}", value, required=False, max_length=limit)
            continue
        check_text(problems, f"incident_{name}", value, required=name == "summary",
                   max_length=limit, multiline=limit > 200)  # fmt: skip
    for name in CASUALTIES:
        count = getattr(draft, name)
        if count is not None and not 0 <= count <= MAX_COUNT:
            problems.append(FieldProblem(f"casualties_{name}", "incident_problem.bad_count"))
    return problems


def missing_elements(profile: Profile, incident: Incident | IncidentDraft) -> list[MissingElement]:
    """Every element the profile asks for that the record lacks (要素齐全), in the usual order.
    An incomplete incident can be saved; this is what the board and the draft show."""
    missing = []
    for code in INCIDENT_ELEMENTS:
        cite = profile.incidents.elements.get(code)
        if cite is None:
            continue
        if code == "casualties":
            missing += [
                MissingElement(f"casualties_{name}", cite)
                for name in CASUALTIES
                if getattr(incident, name) is None
            ]
        elif code == "source":
            if not (incident.source_caller.strip() and incident.source_unit.strip()):
                missing.append(MissingElement(code, cite))
        elif not getattr(incident, code).strip():
            missing.append(MissingElement(code, cite))
    return missing


def incident_of_call(desk: Desk, call_id: int) -> int | None:
    """The incident recorded from call `call_id`, if any (one call, one incident)."""
    with read_session(desk.engine) as session:
        return session.exec(select(Incident.id).where(Incident.call_id == call_id)).first()


def _refuse_second_incident(session: Session, call_id: int | None, number: str) -> None:
    """One call, one incident: a second form opened from the same call is refused, naming the
    incident it already is (its reports go on the board, not into a new incident)."""
    existing = session.exec(select(Incident.id).where(Incident.call_id == call_id)).first()
    if existing is not None:
        raise DutyError("incident.call_has_incident", number=number, id=existing)


def record_incident(desk: Desk, draft: IncidentDraft, recorder: Person) -> Incident:
    """Validate and save one incident with the deadlines its profile sets; returns after the
    commit. Raises ValidationFailed or DutyError, and then nothing was written."""
    raise_if(validate(desk, draft))
    occurred_at, recorder_id = draft.occurred_at, recorder.id
    assert occurred_at is not None and recorder_id is not None

    def _save() -> Incident:
        with write_session(desk.engine) as session:
            now = desk.now()
            call_id, received_at = None, draft.received_at
            caller, unit = draft.source_caller, draft.source_unit
            if draft.call_number:
                call = session.exec(
                    select(CallRecord).where(CallRecord.number == draft.call_number.strip())
                ).first()
                if call is None:
                    raise DutyError("calls.unknown", number=draft.call_number)
                call_id = call.amends_id or call.id
                _refuse_second_incident(session, call_id, draft.call_number.strip())
                caller, unit = caller or call.caller, unit or call.unit
                # the report deadlines count from when the call came, not when it was typed (QA)
                received_at = received_at or call.received_at
            shift = shift_at(session, now)
            fields = {name: getattr(draft, name).strip() for name in _TEXT_LIMITS}
            fields.update(source_caller=caller.strip(), source_unit=unit.strip())
            incident = Incident(
                type=draft.type,
                level=draft.level,
                occurred_at=occurred_at,
                received_at=received_at or now,
                recorded_at=now,
                dead=draft.dead,
                injured=draft.injured,
                missing=draft.missing,
                trapped=draft.trapped,
                call_id=call_id,
                recorded_by_id=recorder_id,
                shift_id=shift.id if shift else None,
                **fields,
            )
            add_row(session, desk, incident, "incident")
            assert incident.id is not None
            deadlines.create_deadlines(
                session,
                desk,
                subject="incident",
                subject_id=incident.id,
                clocks={"occurred_at": incident.occurred_at, "received_at": incident.received_at},
                shift_id=incident.shift_id,
                level=incident.level,
            )
            return incident

    return with_lock_retry(_save, desk.path)


def get_incident(desk: Desk, incident_id: int) -> Incident:
    """The incident as it stands now (its level from the newest re-grading, if any)."""
    from dutydesk.services.incidents.incident_common import storable_id
    from dutydesk.services.incidents.incident_regrade import as_current

    if not storable_id(incident_id):
        raise DutyError("db.no_such_record")  # as the command line says it (db.translate)
    with read_session(desk.engine) as session:
        incident = session.get(Incident, incident_id)
        if incident is None:
            raise DutyError("incident.unknown", id=incident_id)
        return as_current(session, [incident])[0]


def list_incidents(desk: Desk, limit: int = 50, shift_id: int | None = None) -> list[Incident]:
    """Incidents newest first (by time received), each at its current level."""
    from dutydesk.services.incidents.incident_regrade import as_current

    limit = max(1, min(limit, MAX_LIST))
    statement = select(Incident)
    if shift_id is not None:
        statement = statement.where(Incident.shift_id == shift_id)
    statement = statement.order_by(col(Incident.received_at).desc(), col(Incident.id).desc()).limit(
        limit
    )
    with read_session(desk.engine) as session:
        return as_current(session, list(session.exec(statement)))


# ---------------------------------------------------------------- as shown


def level_label(level: str) -> str:
    return t(f"incident_level.{level}")


def incident_label(incident: Incident, level: str | None = None) -> str:
    """One line naming an incident, e.g. "事件#3 Ⅲ级（较大） 事故灾难 人民路" (at `level` when
    given: its current level after a re-grading)."""
    return t(
        "incident.label",
        id=incident.id,
        level=level_label(level or incident.level),
        type=t(f"incident_type.{incident.type}"),
        place=incident.place or "—",
    )


def incident_to_json(desk: Desk, incident: Incident) -> dict[str, Any]:
    from dutydesk.services.incidents.incident_regrade import regrade_to_json, regrades_for
    from dutydesk.services.incidents.incident_reports import (
        chain_to_json,
        report_chain,
        unit_reports_for,
    )

    zone = desk.timezone
    assert incident.id is not None
    regrades = regrades_for(desk, incident.id)
    return {
        "id": incident.id,
        "label": incident_label(incident),
        "type": incident.type,
        "level": regrades[-1].new_level if regrades else incident.level,  # the current level
        "recorded_level": regrades[0].old_level if regrades else incident.level,
        "regrades": [regrade_to_json(desk, row) for row in regrades],
        "occurred_at": incident.occurred_at.in_timezone(zone).isoformat(),
        "received_at": incident.received_at.in_timezone(zone).isoformat(),
        "recorded_at": incident.recorded_at.in_timezone(zone).isoformat(),
        **{name: getattr(incident, name) for name in _TEXT_LIMITS},
        "casualties": {name: getattr(incident, name) for name in CASUALTIES},
        "call_id": incident.call_id,
        "missing": [m.code for m in missing_elements(desk.profile, incident)],
        "deadlines": [
            deadlines.deadline_to_json(v, zone)
            for v in deadlines.deadlines_for(desk, "incident", incident.id)
        ],
        "reports": chain_to_json(report_chain(desk, incident.id), zone),
        "unit_reports": [
            {
                "unit": r.unit,
                "channel": r.channel,
                "reported_at": _iso(r.reported_at, zone),
                "due_at": _iso(r.due_at, zone),
                "late": r.late,
                "late_minutes": r.late_minutes,
                "rule": r.cite or None,
            }
            for r in unit_reports_for(desk, incident.id)
        ],
    }


def _iso(value: Any, zone: str) -> str | None:
    return None if value is None else value.in_timezone(zone).isoformat()


def register_table(desk: Desk, shift: Shift) -> tuple[list[str], list[list[str]]]:
    """突发事件信息登记表 of a shift (read by the handover archive)."""
    from dutydesk.services.incidents import incident_register

    return incident_register.register_table(desk, shift)


def draft_first_report(desk: Desk, incident: Incident) -> str:
    """The 首报 text from the incident's elements (see incident_register)."""
    from dutydesk.services.incidents import incident_register

    return incident_register.draft_first_report(desk, incident)
