"""The incident texts: the 首报 draft from an incident's elements, and the incident register of
a shift (突发事件信息登记表) for the handover archive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session
from dutydesk.i18n import t
from dutydesk.models import Deadline, DeadlineClosure, ReportStep
from dutydesk.services.incidents.incidents import (
    CASUALTIES,
    MAX_LIST,
    level_label,
    list_incidents,
    missing_elements,
)

if TYPE_CHECKING:
    from dutydesk.models import Incident, Shift
    from dutydesk.services.core import Desk


def casualties_text(incident: Incident) -> str:
    counts = {name: getattr(incident, name) for name in CASUALTIES}
    if all(count == 0 for count in counts.values()):
        return t("incident_text.no_casualties")
    parts = [
        t(f"incident_text.{name}", n=count) if count else t(f"incident_text.no_{name}")
        for name, count in counts.items()
        if count is not None
    ]
    unknown = [t(f"incident_element.casualties_{name}") for name, c in counts.items() if c is None]
    if unknown:
        parts.append(t("incident_text.unknown", what=t("error.separator").join(unknown)))
    return t("error.separator").join(parts)


def _local(value: DateTime | None, zone: str, fmt: str = "YYYY-MM-DD HH:mm") -> str:
    return "" if value is None else value.in_timezone(zone).format(fmt)


# What an element as typed may end with that the draft's own stop replaces (人民路燃气泄漏。 gave
# 泄漏。。). A question or exclamation mark stays: it says something.
STOPS = "。．.；;，,、：: \t\n"


def _bare(value: str) -> str:
    """An element as typed without the stop at its end, which the draft's sentence adds."""
    return value.strip().rstrip(STOPS)


def _part(value: str, element: str) -> str:
    return _bare(value) or t("incident_text.to_verify", what=t(f"incident_element.{element}"))


def _happened(place: str, summary: str) -> str:
    """Where and what happened, each said once: the content alone when the place is already in
    it (a caller's 人民路发生燃气泄漏), 发生 not repeated when the content has it (发生燃气泄漏;
    一辆货车发生侧翻, the place then set apart)."""
    place, summary = _bare(place), _bare(summary)
    if place and summary and place in summary:
        return summary
    verb = t("incident_text.happened_verb")
    key = "happened"
    if summary.startswith(verb):
        key = "happened_said"
    elif verb in summary:
        key = "happened_apart"
    return t(f"incident_text.{key}", place=_part(place, "place"),
             summary=_part(summary, "summary"))  # fmt: skip


def draft_first_report(desk: Desk, incident: Incident) -> str:
    """The 首报 text from the incident's elements in the usual order (time, place, what
    happened, casualties, measures, next steps); a missing element is marked 待核实."""
    text = t(
        "incident_text.first_report",
        occurred=_local(incident.occurred_at, desk.timezone, t("incident_text.when_format")),
        happened=_happened(incident.place, incident.summary),
        casualties=casualties_text(incident),
        measures=_part(incident.measures, "measures"),
        next_steps=_part(incident.next_steps, "next_steps"),
    )
    extras = []
    if _bare(incident.scope):
        extras.append(t("incident_text.scope", scope=_bare(incident.scope)))
    if _bare(incident.secondary_risk):
        extras.append(t("incident_text.secondary", risk=_bare(incident.secondary_risk)))
    source = "".join(x for x in (incident.source_unit, incident.source_caller) if x.strip())
    received = _local(incident.received_at, desk.timezone, t("incident_text.received_format"))
    came = (
        t("incident_text.source", received=received, source=source)
        if source
        else t("incident_text.source_unknown", received=received)
    )
    lines = [text, *extras, came]
    lines.append(
        t(
            "incident_text.signature",
            reporter=incident.reporter or "—",
            reviewer=incident.reviewer or "—",
        )
    )
    return "\n".join(lines)


def _step_text(step: ReportStep, late: int, zone: str) -> str:
    """One report made: kind, channel and time, to whom, and 迟报 N 分钟 when it met a deadline
    late ("首报 电话10:20 报市应急管理局，迟报11分钟")."""
    from dutydesk.services.incidents.incident_reports import ChainStep

    chain_step = ChainStep(
        step.kind, step.number, step.phoned_at, step.written_at, step.to_whom, step.by_whom
    )
    text = t("report_made.step", step=chain_step.summary(zone), to=step.to_whom)
    return text + (t("report_made.late", minutes=late) if late else "")


def reports_made(desk: Desk, incident_id: int) -> str:
    """The 报告情况 of an incident: every report made, in the order recorded, with how late it
    was; and every deadline closed by hand without a report, with the officer's reason."""
    zone = desk.timezone
    with read_session(desk.engine) as session:
        steps = session.exec(
            select(ReportStep)
            .where(ReportStep.incident_id == incident_id)
            .order_by(col(ReportStep.id))
        ).all()
        closures = session.exec(
            select(DeadlineClosure, Deadline)
            .where(col(DeadlineClosure.deadline_id) == col(Deadline.id))
            .where(Deadline.incident_id == incident_id)
            .order_by(col(DeadlineClosure.id))
        ).all()
    late_by_source: dict[str, int] = {}
    for closure, _deadline in closures:
        late_by_source[closure.source] = max(
            late_by_source.get(closure.source, 0), closure.late_minutes
        )
    parts = [_step_text(s, late_by_source.get(f"report_step:{s.id}", 0), zone) for s in steps]
    for closure, deadline in closures:
        if closure.source == "manual":
            parts.append(_manual_text(closure, deadline, zone))
    return t("error.separator").join(parts)


def _manual_text(closure: DeadlineClosure, deadline: Deadline, zone: str) -> str:
    text = t(
        "report_made.manual",
        rule=t(f"deadline_what.incident_{deadline.channel}"),
        at=_local(closure.done_at, zone, "HH:mm"),
        reason=closure.reason or t("report_made.no_reason"),
    )
    late = closure.late_minutes
    return text + (t("report_made.late", minutes=late) if late else "")


def register_table(desk: Desk, shift: Shift) -> tuple[list[str], list[list[str]]]:
    """突发事件信息登记表 of a shift: the incidents recorded in it, as rows of text."""
    zone = desk.timezone
    header = [
        t(f"incident_register.{col}")
        for col in (
            "id",
            "received_at",
            "occurred_at",
            "type",
            "level",
            "place",
            "summary",
            "casualties",
            "source",
            "reports",
            "missing",
        )
    ]
    rows = []
    for incident in reversed(list_incidents(desk, MAX_LIST, shift_id=shift.id)):
        reports = reports_made(desk, incident.id)  # type: ignore[arg-type]  # a stored row has its id
        missing = t("error.separator").join(
            m.label for m in missing_elements(desk.profile, incident)
        )
        rows.append(
            [
                str(incident.id),
                _local(incident.received_at, zone),
                _local(incident.occurred_at, zone),
                t(f"incident_type.{incident.type}"),
                level_label(incident.level),
                incident.place,
                incident.summary,
                casualties_text(incident),
                " ".join(x for x in (incident.source_unit, incident.source_caller) if x),
                reports,
                missing,
            ]
        )
    return header, rows
