"""Leader instructions (领导批示): registered, passed on, followed up and fed back (Henan 6(8);
Tianjin art. 24: feedback in principle within 24 h). The feedback deadline comes from the
profile ("尽快" where the text sets no limit). Feedback is a new row; the first one meets it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pendulum import DateTime

from dutydesk.db import with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.models import DeadlineClosure, Incident, Instruction, InstructionFeedback, Person
from dutydesk.services.core import check_name, check_text
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.incident_common import (
    add_row,
    check_time,
    children,
    get_row,
    newest_rows,
    raise_if,
    shift_at,
)

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

MAX_LIST = 1000


@dataclass(frozen=True)
class FedBack:
    feedback: InstructionFeedback
    closures: list[DeadlineClosure]


def add_instruction(
    desk: Desk,
    recorder: Person,
    *,
    received_at: DateTime | None,
    leader: str,
    text: str,
    passed_to: str = "",
    incident_id: int | None = None,
) -> Instruction:
    """Record a leader's instruction and the feedback deadline the profile sets for it."""
    when = received_at or desk.now()
    problems: list[FieldProblem] = []
    check_time(problems, desk, "instruction_received_at", when)
    check_name(problems, "instruction_leader", leader, required=True, max_length=50)
    check_text(problems, "instruction_text", text, required=True, max_length=4000, multiline=True)
    check_text(problems, "instruction_passed_to", passed_to, required=False, max_length=500)
    raise_if(problems)

    def _save() -> Instruction:
        with write_session(desk.engine) as session:
            if incident_id is not None and session.get(Incident, incident_id) is None:
                raise DutyError("incident.unknown", id=incident_id)
            now = desk.now()
            shift = shift_at(session, now)
            row = add_row(
                session,
                desk,
                Instruction(
                    received_at=when,
                    leader=leader.strip(),
                    text=text.strip(),
                    passed_to=passed_to.strip(),
                    incident_id=incident_id,
                    recorded_at=now,
                    recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                    shift_id=shift.id if shift else None,
                ),
                "instruction",
            )
            deadlines.create_deadlines(
                session,
                desk,
                subject="instruction",
                subject_id=row.id,  # type: ignore[arg-type]  # a stored row has its id
                clocks={"received_at": when},
                shift_id=row.shift_id,
            )
            return row

    return with_lock_retry(_save, desk.path)


def feed_back(
    desk: Desk,
    instruction_id: int,
    recorder: Person,
    *,
    text: str,
    fed_back_at: DateTime | None = None,
) -> FedBack:
    """Record feedback on an instruction (落实情况反馈)."""
    when = fed_back_at or desk.now()
    problems: list[FieldProblem] = []
    check_text(
        problems, "instruction_feedback", text, required=True, max_length=4000, multiline=True
    )
    raise_if(problems)

    def _save() -> FedBack:
        with write_session(desk.engine) as session:
            row = session.get(Instruction, instruction_id)
            if row is None:
                raise DutyError("instruction.unknown", id=instruction_id)
            problems: list[FieldProblem] = []
            check_time(
                problems,
                desk,
                "instruction_fed_back_at",
                when,
                not_before=row.received_at,
                not_before_field="instruction_received_at",
            )
            raise_if(problems)
            feedback = add_row(
                session,
                desk,
                InstructionFeedback(
                    instruction_id=instruction_id,
                    fed_back_at=when,
                    text=text.strip(),
                    recorded_at=desk.now(),
                    recorded_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
                ),
                "instruction_feedback",
            )
            closures = deadlines.close_matching(
                session,
                desk,
                subject="instruction",
                subject_id=instruction_id,
                times={"feedback": when},
                source=f"instruction_feedback:{feedback.id}",
                closed_by_id=recorder.id,  # type: ignore[arg-type]  # a stored row has its id
            )
            return FedBack(feedback, closures)

    return with_lock_retry(_save, desk.path)


def get_instruction(desk: Desk, row_id: int) -> Instruction:
    return get_row(desk, Instruction, row_id, "instruction.unknown")


def list_instructions(desk: Desk, limit: int = 50) -> list[Instruction]:
    return newest_rows(desk, Instruction, limit, MAX_LIST)


def feedback_for(desk: Desk, instruction_id: int) -> list[InstructionFeedback]:
    return children(desk, InstructionFeedback, InstructionFeedback.instruction_id, instruction_id)


def instruction_to_json(desk: Desk, row: Instruction) -> dict[str, Any]:
    zone = desk.timezone
    assert row.id is not None
    return {
        "id": row.id,
        "received_at": row.received_at.in_timezone(zone).isoformat(),
        "leader": row.leader,
        "text": row.text,
        "passed_to": row.passed_to,
        "incident_id": row.incident_id,
        "feedback": [
            {"at": f.fed_back_at.in_timezone(zone).isoformat(), "text": f.text}
            for f in feedback_for(desk, row.id)
        ],
        "deadlines": [
            deadlines.deadline_to_json(v, zone)
            for v in deadlines.deadlines_for(desk, "instruction", row.id)
        ],
    }
