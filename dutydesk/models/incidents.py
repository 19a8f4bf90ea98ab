"""Incident information (突发事件信息) and the report deadlines it sets off: the incident, its
report chain (首报 → 续报 → 终报), verification requests (核报) and leader instructions (领导批示)
with their replies, reports from subordinate units (迟报 marking), and each statutory deadline
with its closing and acknowledgements, and re-gradings of an incident's level with the
deadlines they supersede. All append-only: a reply, a step, a closing, an acknowledgement or a
re-grading is a new row linked to the first."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class IncidentType(StrEnum):
    natural = "natural"  # 自然灾害
    accident = "accident"  # 事故灾难
    health = "health"  # 公共卫生事件
    social = "social"  # 社会安全事件


class ReportKind(StrEnum):
    first = "first"  # 首报
    followup = "followup"  # 续报 (numbered)
    final = "final"  # 终报


class Incident(SQLModel, table=True):
    """One incident as the desk learned of it. Casualty counts are None while unknown."""

    __tablename__ = "incident"

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=20)
    level: str = Field(max_length=4)  # I..IV (Ⅰ 特别重大 … Ⅳ 一般)
    occurred_at: Timestamp = Field(sa_type=AwareDateTime, index=True)  # 事发时间
    received_at: Timestamp = Field(sa_type=AwareDateTime)  # 接报时间
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    place: str = Field(default="", max_length=200)
    summary: str = Field(default="", max_length=4000)  # 事件: what happened
    dead: int | None = None
    injured: int | None = None
    missing: int | None = None  # 失踪
    trapped: int | None = None  # 被困
    scope: str = Field(default="", max_length=2000)  # 影响范围和危害程度
    secondary_risk: str = Field(default="", max_length=1000)  # 次生灾害风险
    measures: str = Field(default="", max_length=4000)  # 已采取措施
    next_steps: str = Field(default="", max_length=2000)  # 下一步工作
    source_caller: str = Field(default="", max_length=100)
    source_unit: str = Field(default="", max_length=100)
    call_id: int | None = Field(default=None, foreign_key="call_record.id", index=True)
    reporter: str = Field(default="", max_length=50)  # 报告人 (Tianjin art. 21)
    reviewer: str = Field(default="", max_length=50)  # 审核人
    recorded_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id", index=True)


class ReportStep(SQLModel, table=True):
    """A report to the upper office: 首报, 续报 n or 终报. A later row for the same step adds a
    time not recorded yet (e.g. the written report sent after the phone call)."""

    __tablename__ = "report_step"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    kind: str = Field(max_length=10)
    number: int  # 1 for 首报 and 终报; 续报一, 续报二 … for follow-ups
    phoned_at: Timestamp | None = Field(default=None, sa_type=AwareDateTime)
    written_at: Timestamp | None = Field(default=None, sa_type=AwareDateTime)  # written sent
    to_whom: str = Field(max_length=100)
    by_whom: str = Field(max_length=50)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class UnitReport(SQLModel, table=True):
    """A subordinate unit reporting an incident to us, judged against the profile's limit at
    the time it is recorded (迟报 when later)."""

    __tablename__ = "unit_report"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    unit: str = Field(max_length=100, index=True)
    channel: str = Field(max_length=10)  # phone | written
    reported_at: Timestamp = Field(sa_type=AwareDateTime)
    due_at: Timestamp | None = Field(default=None, sa_type=AwareDateTime)  # None: no limit
    late: bool = False  # 迟报
    late_minutes: int = 0
    rule_code: str = Field(default="", max_length=40)
    cite: str = Field(default="", max_length=200)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class Verification(SQLModel, table=True):
    """A verification request (核报) from the upper office."""

    __tablename__ = "verification"

    id: int | None = Field(default=None, primary_key=True)
    received_at: Timestamp = Field(sa_type=AwareDateTime, index=True)
    subject: str = Field(max_length=2000)  # what is asked
    requested_by: str = Field(default="", max_length=100)  # e.g. 市政府总值班室
    written_requested: bool = False  # 明确要求报送书面信息
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")
    # The reply time the upper office asked for ("30分钟内电话反馈"): minutes and phone | written.
    # NULL when none was asked, and in rows written before the columns existed (migration 0014).
    reply_within: int | None = None
    reply_channel: str | None = Field(default=None, max_length=10)


class VerificationReply(SQLModel, table=True):
    __tablename__ = "verification_reply"

    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True)
    channel: str = Field(max_length=10)  # phone | written
    replied_at: Timestamp = Field(sa_type=AwareDateTime)
    content: str = Field(default="", max_length=4000)
    by_whom: str = Field(max_length=50)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class Instruction(SQLModel, table=True):
    """A leader's instruction (领导批示), to be passed on, followed up and fed back."""

    __tablename__ = "instruction"

    id: int | None = Field(default=None, primary_key=True)
    received_at: Timestamp = Field(sa_type=AwareDateTime, index=True)
    leader: str = Field(max_length=50)  # from whom
    text: str = Field(max_length=4000)
    passed_to: str = Field(default="", max_length=500)  # 传达给
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")


class InstructionFeedback(SQLModel, table=True):
    __tablename__ = "instruction_feedback"

    id: int | None = Field(default=None, primary_key=True)
    instruction_id: int = Field(foreign_key="instruction.id", index=True)
    fed_back_at: Timestamp = Field(sa_type=AwareDateTime)
    text: str = Field(max_length=4000)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class Deadline(SQLModel, table=True):
    """One statutory deadline, set from the profile's rule when its record was saved.
    `due_at` None: the text sets no limit ("尽快"). Exactly one subject link is set."""

    __tablename__ = "deadline"

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=20)  # incident | verification | instruction
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    verification_id: int | None = Field(default=None, foreign_key="verification.id", index=True)
    instruction_id: int | None = Field(default=None, foreign_key="instruction.id", index=True)
    rule_code: str = Field(max_length=40)
    channel: str = Field(max_length=10)  # phone | written | report | feedback
    cite: str = Field(max_length=200)
    counts_from: str = Field(max_length=20)  # occurred_at | received_at
    clock_at: Timestamp = Field(sa_type=AwareDateTime)  # the time it counts from
    minutes: int | None = None
    due_at: Timestamp | None = Field(default=None, sa_type=AwareDateTime, index=True)
    created_at: Timestamp = Field(sa_type=AwareDateTime)
    shift_id: int | None = Field(default=None, foreign_key="shift.id")


class DeadlineClosure(SQLModel, table=True):
    """A deadline met: when the report was made, and how late (0: on time). `source` names the
    record that met it ("report_step:4", "verification_reply:2", …) or "manual"."""

    __tablename__ = "deadline_closure"

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", unique=True)
    done_at: Timestamp = Field(sa_type=AwareDateTime)
    late_minutes: int = 0
    source: str = Field(max_length=40)
    closed_at: Timestamp = Field(sa_type=AwareDateTime)
    closed_by_id: int = Field(foreign_key="person.id")
    reason: str | None = Field(default=None, max_length=1000)  # why closed by hand (0014)


class DeadlineAck(SQLModel, table=True):
    """An alert acknowledged on the board: stops re-alerting; does not close the deadline."""

    __tablename__ = "deadline_ack"

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", index=True)
    status: str = Field(max_length=10)  # the state acknowledged: warning | overdue
    acked_at: Timestamp = Field(sa_type=AwareDateTime)
    acked_by_id: int = Field(foreign_key="person.id")
    reason: str | None = Field(default=None, max_length=1000)  # typed by the officer (0014)


class IncidentRegrade(SQLModel, table=True):
    """A change of an incident's level (重新定级), e.g. 较大 re-graded 重大 after casualties rise.
    The incident row keeps the level first recorded; the newest re-grading is its level now."""

    __tablename__ = "incident_regrade"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    old_level: str = Field(max_length=4)
    new_level: str = Field(max_length=4)
    reason: str = Field(max_length=1000)
    regraded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")


class DeadlineSupersession(SQLModel, table=True):
    """A deadline the re-grading replaced by the new level's rules: closed as superseded, neither
    met nor late. The deadline row stays."""

    __tablename__ = "deadline_supersession"

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadline.id", unique=True)
    regrade_id: int = Field(foreign_key="incident_regrade.id", index=True)
    superseded_at: Timestamp = Field(sa_type=AwareDateTime)


class ReportNumber(SQLModel, table=True):
    """The document number (文号, 〔2026〕15号) of an incident's written 首报: numbered per year in
    this office, allocated once per incident and never reused."""

    __tablename__ = "report_number"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", unique=True)
    year: int
    number: int
    allocated_at: Timestamp = Field(sa_type=AwareDateTime)
    allocated_by_id: int = Field(foreign_key="person.id")
