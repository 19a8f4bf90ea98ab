"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from dutydesk.models.audit import AuditLink
from dutydesk.models.calendar import CalendarYear
from dutydesk.models.calls import CallRecord, Direction, PendingClosure, PendingItem
from dutydesk.models.handover import (
    CarryOver,
    ExportRecord,
    Handover,
    HandoverMark,
    HandoverSignature,
    PersonPin,
    PinAttempt,
    ShiftClosure,
)
from dutydesk.models.incidents import (
    Deadline,
    DeadlineAck,
    DeadlineClosure,
    DeadlineSupersession,
    Incident,
    IncidentRegrade,
    IncidentType,
    Instruction,
    InstructionFeedback,
    ReportKind,
    ReportStep,
    UnitReport,
    Verification,
    VerificationReply,
)
from dutydesk.models.office import Office, RegisterSequence
from dutydesk.models.people import Person, Role, Shift
from dutydesk.models.spotcheck import (
    SpotcheckClosure,
    SpotcheckOutcome,
    SpotcheckRound,
    SpotcheckUnit,
    SpotcheckUnitStatus,
    UnitKind,
)

__all__ = [
    "AuditLink",
    "CalendarYear",
    "CallRecord",
    "CarryOver",
    "Deadline",
    "DeadlineAck",
    "DeadlineClosure",
    "DeadlineSupersession",
    "Direction",
    "ExportRecord",
    "Handover",
    "HandoverMark",
    "HandoverSignature",
    "Incident",
    "IncidentRegrade",
    "IncidentType",
    "Instruction",
    "InstructionFeedback",
    "Office",
    "PendingClosure",
    "PendingItem",
    "Person",
    "PersonPin",
    "PinAttempt",
    "RegisterSequence",
    "ReportKind",
    "ReportStep",
    "Role",
    "Shift",
    "ShiftClosure",
    "SpotcheckClosure",
    "SpotcheckOutcome",
    "SpotcheckRound",
    "SpotcheckUnit",
    "SpotcheckUnitStatus",
    "UnitKind",
    "UnitReport",
    "Verification",
    "VerificationReply",
]
