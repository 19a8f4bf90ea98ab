"""An incident's report chain to the upper office (首报 → 续报 n → 终报, Henan 7(1)) and the
reports subordinate units make to us, each judged against the profile's limit (迟报, Tianjin
art. 18, 29). Any report meets the incident's deadlines on its channels, whatever its kind: a
written 续报 or 终报 meets the written deadline as a written 首报 would; the first report
recorded on each channel counts (later ones find the deadline already closed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pendulum import DateTime
from sqlmodel import col, func, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.i18n import language, t
from dutydesk.models import DeadlineClosure, Incident, Person, ReportKind, ReportStep, UnitReport
from dutydesk.services.core import check_choice, check_name
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_common import add_row, check_time, raise_if

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import DeadlineRule
    from dutydesk.services.core import Desk

KINDS = tuple(kind.value for kind in ReportKind)
CHANNELS = ("phone", "written")
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (续报一, 续报十二); larger numbers in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class ChainStep:
    """One step of the chain with the times of all its rows merged (first recorded wins)."""

    kind: str
    number: int
    phoned_at: DateTime | None
    written_at: DateTime | None
    to_whom: str
    by_whom: str

    @property
    def label(self) -> str:
        # 续报一、续报二 in Chinese; "Follow-up report 2" in English.
        numeral = chinese_number(self.number) if language() == "zh" else str(self.number)
        return t(f"report_kind.{self.kind}", n=numeral)

    def summary(self, zone: str) -> str:
        times = []
        if self.phoned_at:
            times.append(
                t("report_step.phoned", at=self.phoned_at.in_timezone(zone).format("HH:mm"))
            )
        if self.written_at:
            times.append(
                t("report_step.written", at=self.written_at.in_timezone(zone).format("HH:mm"))
            )
        return f"{self.label} " + " ".join(times)


@dataclass(frozen=True)
class RecordedReport:
    step: ReportStep
    closures: list[DeadlineClosure]  # the deadlines this report met


def _steps(session: Session, incident_id: int) -> list[ReportStep]:
    return list(
        session.exec(
            select(ReportStep)
            .where(ReportStep.incident_id == incident_id)
            .order_by(col(ReportStep.id))
        )
    )


def _merge(rows: list[ReportStep]) -> list[ChainStep]:
    merged: dict[tuple[str, int], ChainStep] = {}
    for row in rows:
        key = (row.kind, row.number)
        old = merged.get(key)
        if old is None:
            merged[key] = ChainStep(
                row.kind,
                row.number,
                row.phoned_at,
                row.written_at,
                row.to_whom,
                row.by_whom,
            )
        else:
            merged[key] = ChainStep(
                row.kind,
                row.number,
                old.phoned_at or row.phoned_at,
                old.written_at or row.written_at,
                old.to_whom,
                old.by_whom,
            )
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(merged.values(), key=lambda s: (order[s.kind], s.number))


def close_by_reports_made(
    session: Session, desk: Desk, incident_id: int, closed_by_id: int
) -> None:
    """Let every report already recorded meet the incident's open deadlines on its channels
    (after a re-grading set new ones), in the order recorded: the first on a channel counts."""
    for row in _steps(session, incident_id):
        deadlines.close_matching(
            session,
            desk,
            subject="incident",
            subject_id=incident_id,
            times=deadlines.done_times(row.phoned_at, row.written_at),
            source=f"report_step:{row.id}",
            closed_by_id=closed_by_id,
        )


def report_chain(desk: Desk, incident_id: int) -> list[ChainStep]:
    """首报, 续报 1..n, 终报 as recorded so far."""
    with read_session(desk.engine) as session:
        return _merge(_steps(session, incident_id))


def _incident(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise DutyError("incident.unknown", id=incident_id)
    return incident


def _number_for(
    chain: list[ChainStep], kind: str, number: int | None, phoned: bool, written: bool
) -> int:
    """Which step a new row belongs to; refuses a step out of order or a time given twice."""
    kinds = {step.kind for step in chain}
    if kind != "first" and "first" not in kinds:
        raise DutyError("report.no_first")
    if kind == "followup":
        followups = [s.number for s in chain if s.kind == "followup"]
        if number is None:
            if "final" in kinds:
                raise DutyError("report.after_final")
            return max(followups, default=0) + 1
        if number not in followups:
            raise DutyError("report.unknown_followup", n=number)
    elif number not in (None, 1):
        raise DutyError("report.number_only_followup")
    target = number or 1
    for step in chain:
        same = (step.kind, step.number) == (kind, target)
        if same and ((phoned and step.phoned_at) or (written and step.written_at)):
            raise DutyError("report.time_recorded", step=step.label)
    return target


def record_report(
    desk: Desk,
    incident_id: int,
    kind: str,
    recorder: Person,
    *,
    to_whom: str,
    phoned_at: DateTime | None = None,
    written_at: DateTime | None = None,
    by_whom: str = "",
    number: int | None = None,
) -> RecordedReport:
    """Record a report (or a time of one already begun, e.g. the written 首报 after the phone
    call). Any kind (首报, 续报, 终报) meets the incident's open deadlines on its channels at
    the times given: a phone report the phone deadline, a written one the written deadline."""
    _check_report_fields(kind, to_whom, by_whom, phoned_at, written_at)

    def _save() -> RecordedReport:
        with write_session(desk.engine) as session:
            incident = _incident(session, incident_id)
            _check_report_times(desk, incident, phoned_at, written_at)
            chain = _merge(_steps(session, incident_id))
            target = _number_for(chain, kind, number, phoned_at is not None, written_at is not None)
            step = add_row(
                session,
                desk,
                ReportStep(
                    incident_id=incident_id,
                    kind=kind,
                    number=target,
                    phoned_at=phoned_at,
                    written_at=written_at,
                    to_whom=to_whom.strip(),
                    by_whom=by_whom.strip() or recorder.name,
                    recorded_at=desk.now(),
                    recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                ),
                "report_step",
            )
            closures = deadlines.close_matching(
                session,
                desk,
                subject="incident",
                subject_id=incident_id,
                times=deadlines.done_times(phoned_at, written_at),
                source=f"report_step:{step.id}",
                closed_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return RecordedReport(step, closures)

    return with_lock_retry(_save, desk.path)


def _check_report_fields(
    kind: str,
    to_whom: str,
    by_whom: str,
    phoned_at: DateTime | None,
    written_at: DateTime | None,
) -> None:
    """The report's kind, names and that it has a time at all (before touching the store)."""
    problems: list[FieldProblem] = []
    check_choice(problems, "report_kind", kind, KINDS)
    check_name(problems, "report_to", to_whom, required=True, max_length=100)
    check_name(problems, "report_by", by_whom, required=False, max_length=50)
    if phoned_at is None and written_at is None:
        problems.append(FieldProblem("report_phoned_at", "incident_problem.need_a_time"))
    raise_if(problems)


def _check_report_times(
    desk: Desk, incident: Incident, phoned_at: DateTime | None, written_at: DateTime | None
) -> None:
    """Both times, if given, are real times not before the incident was received."""
    problems: list[FieldProblem] = []
    for field, value in (
        ("report_phoned_at", phoned_at),
        ("report_written_at", written_at),
    ):
        check_time(
            problems,
            desk,
            field,
            value,
            required=False,
            not_before=incident.received_at,
            not_before_field="incident_received_at",
        )
    raise_if(problems)


def chain_to_json(chain: list[ChainStep], zone: str) -> list[dict[str, Any]]:
    def iso(value: DateTime | None) -> str | None:
        return None if value is None else value.in_timezone(zone).isoformat()

    return [
        {
            "kind": s.kind,
            "number": s.number,
            "label": s.label,
            "phoned_at": iso(s.phoned_at),
            "written_at": iso(s.written_at),
            "to": s.to_whom,
            "by": s.by_whom,
        }
        for s in chain
    ]


# ---------------------------------------------------------------- reports from units


def record_unit_report(
    desk: Desk,
    incident_id: int,
    unit: str,
    channel: str,
    reported_at: DateTime,
    recorder: Person,
) -> UnitReport:
    """A unit reported the incident to us at `reported_at`: marked 迟报 when later than the
    profile's unit_report rule for the incident's level and the channel allows."""
    problems: list[FieldProblem] = []
    check_name(problems, "unit_report_unit", unit, required=True, max_length=100)
    check_choice(problems, "unit_report_channel", channel, CHANNELS)
    raise_if(problems)

    def _save() -> UnitReport:
        with write_session(desk.engine) as session:
            incident = _incident(session, incident_id)
            problems: list[FieldProblem] = []
            check_time(
                problems,
                desk,
                "unit_report_at",
                reported_at,
                not_before=incident.occurred_at,
                not_before_field="incident_occurred_at",
            )
            raise_if(problems)
            rule, due_at = _unit_rule_and_due(session, desk, incident, channel, reported_at)
            late = deadlines.late_minutes(due_at, reported_at)
            return add_row(
                session,
                desk,
                UnitReport(
                    incident_id=incident_id,
                    unit=unit.strip(),
                    channel=channel,
                    reported_at=reported_at,
                    due_at=due_at,
                    late=late > 0,
                    late_minutes=late,
                    rule_code=rule.code if rule else "",
                    cite=rule.cite if rule else "",
                    recorded_at=desk.now(),
                    recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                ),
                "unit_report",
            )

    return with_lock_retry(_save, desk.path)


def _unit_rule_and_due(
    session: Session, desk: Desk, incident: Incident, channel: str, reported_at: DateTime
) -> tuple[DeadlineRule | None, DateTime | None]:
    """The unit_report rule and due time for a report made at `reported_at`: judged by the
    level in force then (a later re-grading never makes it late); a rule first set by a
    re-grading counts from that re-grade, when it became known, but a rule the incident had
    before (Ⅲ -> Ⅳ -> Ⅲ) keeps its first clock, as the incident's own deadlines do."""
    from dutydesk.services.incidents.incident_regrade import level_history

    assert incident.id is not None  # a stored row has its id
    regrades = [
        row
        for row in level_history(session, [incident.id]).get(incident.id, [])
        if row.regraded_at <= reported_at
    ]
    level = regrades[-1].new_level if regrades else incident.level
    rules = [
        r
        for r in deadlines.rules_for(desk.profile, "unit_report", level)
        if r.channel in (channel, "report")
    ]
    if not rules:
        return None, None
    rule = rules[0]
    assert rule.minutes is not None  # the profile refuses a unit_report rule without minutes
    levels = [(incident.level, getattr(incident, rule.counts_from))]
    levels += [(row.new_level, row.regraded_at) for row in regrades]
    clock = next(
        when
        for level, when in levels
        if rule.code in {r.code for r in deadlines.rules_for(desk.profile, "unit_report", level)}
    )
    return rule, clock.add(minutes=rule.minutes)


def unit_reports_for(desk: Desk, incident_id: int) -> list[UnitReport]:
    with read_session(desk.engine) as session:
        return list(
            session.exec(
                select(UnitReport)
                .where(UnitReport.incident_id == incident_id)
                .order_by(col(UnitReport.id))
            )
        )


def late_reports_by_unit(desk: Desk, since: DateTime | None = None) -> dict[str, int]:
    """迟报 per unit (for the spot-check view): unit name -> number of late reports."""
    statement = select(UnitReport.unit, func.count()).where(UnitReport.late == True)  # noqa: E712
    if since is not None:
        statement = statement.where(UnitReport.reported_at >= since)
    statement = statement.group_by(col(UnitReport.unit))
    with read_session(desk.engine) as session:
        return {unit: count for unit, count in session.exec(statement)}
