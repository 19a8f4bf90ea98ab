"""Re-grading an incident (重新定级): its level changed after it was recorded, e.g. a 较大 incident
re-graded 重大 when the casualties rise. Append-only: an IncidentRegrade row (when, by whom, old
and new level, why); the incident row keeps the level first recorded, the newest re-grading is
its level now.

On re-grading, the incident's open deadlines whose rules the new level does not have are closed
as superseded (a DeadlineSupersession row: neither met nor late), and the new level's deadlines
that are not already standing are set from the profile, counting from the re-grade (the level
was only known then; profile `incidents.regrade_counts_from`); the board shows the time the
event clock would give beside it. Re-grading never turns an on-time report late: deadlines
already done stay as they are, and a report made before the re-grade meets the new level's
deadlines, judged against the new clock.

A level's clock counts from the re-grade only when its rule is new to the incident. A re-grade
back to a rule that applied already (Ⅲ -> Ⅳ -> Ⅲ) sets that rule's deadline again with the
earliest clock it had (Henan 7(3): "发生较大突发事件后，必须在1小时内"; the office knew the
level from then): a report late against it stays late, and the superseded row is left as it
was. `Regraded.resumed` names the earlier deadline each such one keeps the clock of."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.models import (
    Deadline,
    DeadlineSupersession,
    Incident,
    IncidentRegrade,
    Person,
)
from dutydesk.services.core import check_text
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_common import add_row, person_name, raise_if, shift_at

if TYPE_CHECKING:
    from pendulum import DateTime
    from sqlmodel import Session

    from dutydesk.services.core import Desk
    from dutydesk.services.incidents.deadline_views import DeadlineView

REASON_MAX = 1000


def current_levels(session: Session, incident_ids: Iterable[int]) -> dict[int, str]:
    """incident id -> its level from the newest re-grading (absent: never re-graded)."""
    ids = set(incident_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(IncidentRegrade)
        .where(col(IncidentRegrade.incident_id).in_(ids))
        .order_by(col(IncidentRegrade.id))
    )
    return {row.incident_id: row.new_level for row in rows}


def level_history(
    session: Session, incident_ids: Iterable[int]
) -> dict[int, list[IncidentRegrade]]:
    """incident id -> its re-gradings, oldest first (absent: never re-graded)."""
    ids = set(incident_ids)
    history: dict[int, list[IncidentRegrade]] = {}
    if ids:
        rows = session.exec(
            select(IncidentRegrade)
            .where(col(IncidentRegrade.incident_id).in_(ids))
            .order_by(col(IncidentRegrade.id))
        )
        for row in rows:
            history.setdefault(row.incident_id, []).append(row)
    return history


def level_at(recorded_level: str, regrades: list[IncidentRegrade], when: DateTime) -> str:
    """The level an incident had at `when`: as recorded, then each re-grading made by then."""
    level = recorded_level
    for row in regrades:
        if row.regraded_at <= when:
            level = row.new_level
    return level


def as_current(session: Session, incidents: list[Incident]) -> list[Incident]:
    """The incidents as they stand now: copies (never stored) carrying their current level."""
    levels = current_levels(session, (i.id for i in incidents if i.id is not None))
    return [
        Incident.model_validate(i.model_dump() | {"level": levels[i.id]}) if i.id in levels else i
        for i in incidents
    ]


@dataclass(frozen=True)
class Regraded:
    regrade: IncidentRegrade
    superseded: list[DeadlineView]  # the open deadlines the new level's rules replaced
    created: list[DeadlineView]  # the new level's deadlines (some may be overdue already)
    # the profile sets no incident deadline at the new level (as Henan for Ⅳ): said so plainly,
    # not left as an empty list
    level_sets_none: bool = False
    # created deadline id -> the superseded one whose clock it keeps (a rule that applied before)
    resumed: dict[int, int] = field(default_factory=dict)


def regrade_incident(
    desk: Desk, incident_id: int, level: str, reason: str, recorder: Person
) -> Regraded:
    """Change an incident's level (I..IV, or the Chinese term), with the reason. Refuses an
    unknown level, an empty reason or the level it has now; then nothing is written."""
    from dutydesk.services.incidents.incidents import level_label, parse_level

    new_level = parse_level(level)
    problems: list[FieldProblem] = []
    check_text(problems, "regrade_reason", reason, required=True, max_length=REASON_MAX,
               multiline=True)  # fmt: skip
    raise_if(problems)

    def _save() -> tuple[IncidentRegrade, list[int], list[int], dict[int, int]]:
        with write_session(desk.engine) as session:
            incident = session.get(Incident, incident_id)
            if incident is None:
                raise DutyError("incident.unknown", id=incident_id)
            old_level = current_levels(session, [incident_id]).get(incident_id, incident.level)
            if new_level == old_level:
                raise DutyError("regrade.same_level", id=incident_id, level=level_label(old_level))
            now = desk.now()
            shift = shift_at(session, now)
            regrade = add_row(session, desk, IncidentRegrade(
                incident_id=incident_id, old_level=old_level, new_level=new_level,
                reason=reason.strip(), regraded_at=now,
                recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                shift_id=shift.id if shift else None,
            ), "incident_regrade")  # fmt: skip
            superseded = _supersede(session, desk, incident_id, new_level, regrade.id)  # type: ignore[arg-type]  # a stored row has its id
            standing = _standing_codes(session, incident_id)
            earlier = _earliest_superseded(session, incident_id)
            created = deadlines.create_deadlines(
                session,
                desk,
                subject="incident",
                subject_id=incident_id,
                clocks={"occurred_at": incident.occurred_at, "received_at": incident.received_at},
                shift_id=shift.id if shift else None,
                level=new_level,
                skip_codes=standing,
                regraded_at=now,
                earlier=earlier,
            )
            resumed = _resumed(created, earlier)
            from dutydesk.services.incidents.incident_reports import close_by_reports_made

            close_by_reports_made(session, desk, incident_id, recorder.id)  # type: ignore[arg-type]  # a stored row has its id
            return regrade, superseded, [row.id for row in created if row.id], resumed

    regrade, superseded_ids, created_ids, resumed = with_lock_retry(_save, desk.path)
    return Regraded(
        regrade,
        [deadlines.get_deadline(desk, i) for i in superseded_ids],
        [deadlines.get_deadline(desk, i) for i in created_ids],
        level_sets_none=not deadlines.rules_for(desk.profile, "incident", new_level),
        resumed=resumed,
    )


def _supersede(
    session: Session, desk: Desk, incident_id: int, new_level: str, regrade_id: int
) -> list[int]:
    """Close as superseded the incident's open deadlines whose rule the new level lacks."""
    keep = {rule.code for rule in deadlines.rules_for(desk.profile, "incident", new_level)}
    rows = session.exec(
        select(Deadline).where(Deadline.incident_id == incident_id, *deadlines.still_open())
    ).all()
    ids = []
    for row in rows:
        if row.rule_code in keep:
            continue
        add_row(session, desk, DeadlineSupersession(
            deadline_id=row.id, regrade_id=regrade_id,  # type: ignore[arg-type]  # a stored row has its id
            superseded_at=desk.now(),
        ), "deadline_supersession")  # fmt: skip
        ids.append(row.id)
    return ids  # type: ignore[return-value]  # stored rows have their ids


def _standing_codes(session: Session, incident_id: int) -> set[str]:
    """The rules the incident has a deadline for that is open or done (not superseded)."""
    superseded = select(DeadlineSupersession.deadline_id)
    rows = session.exec(
        select(Deadline.rule_code).where(
            Deadline.incident_id == incident_id,
            col(Deadline.id).not_in(superseded),
        )
    )
    return set(rows)


def _earliest_superseded(session: Session, incident_id: int) -> dict[str, Deadline]:
    """rule code -> the incident's superseded deadline for it with the earliest due time (the
    earliest clock for a rule without minutes): the clock a re-grade back to that rule keeps."""
    superseded = select(DeadlineSupersession.deadline_id)
    rows = session.exec(
        select(Deadline).where(
            Deadline.incident_id == incident_id, col(Deadline.id).in_(superseded)
        )
    )
    earliest: dict[str, Deadline] = {}
    for row in rows:
        best = earliest.get(row.rule_code)
        if best is None or (row.due_at or row.clock_at) < (best.due_at or best.clock_at):
            earliest[row.rule_code] = row
    return earliest


def _resumed(created: list[Deadline], earlier: dict[str, Deadline]) -> dict[int, int]:
    """created deadline id -> the id of the superseded deadline whose clock it keeps."""
    pairs = ((row.id, earlier[row.rule_code].id) for row in created if row.rule_code in earlier)
    return {new: old for new, old in pairs if new is not None and old is not None}


def regrades_for(desk: Desk, incident_id: int) -> list[IncidentRegrade]:
    """An incident's re-gradings, oldest first."""
    with read_session(desk.engine) as session:
        return list(
            session.exec(
                select(IncidentRegrade)
                .where(IncidentRegrade.incident_id == incident_id)
                .order_by(col(IncidentRegrade.id))
            )
        )


def regrade_to_json(desk: Desk, row: IncidentRegrade) -> dict[str, Any]:
    with read_session(desk.engine) as session:
        by = person_name(session, row.recorded_by_id)
    return {
        "id": row.id,
        "incident_id": row.incident_id,
        "old_level": row.old_level,
        "new_level": row.new_level,
        "reason": row.reason,
        "regraded_at": row.regraded_at.in_timezone(desk.timezone).isoformat(),
        "by": by,
    }
