"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from dutydesk.models.audit import AuditLink
from dutydesk.models.calendar import CalendarYear
from dutydesk.models.calls import CallRecord, Direction, PendingClosure, PendingItem

# --- lane orders (issue 18): orders and the phone list
from dutydesk.models.contacts import Contact, ContactKind  # noqa: E402
from dutydesk.models.handover import (
    CarryOver,
    ExportRecord,
    Handover,
    HandoverMark,
    HandoverSignature,
    PersonPin,
    PinAttempt,
    RestoreRecord,
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
    ReportNumber,
    ReportStep,
    UnitReport,
    Verification,
    VerificationReply,
)
from dutydesk.models.office import Office, OfficeSetting, RegisterSequence
from dutydesk.models.orders import (  # noqa: E402
    AddresseeKind,
    DutyOrder,
    OrderDecision,
    OrderDecisionKind,
    OrderDispatch,
    OrderFollowUp,
)
from dutydesk.models.people import (
    Person,
    PersonAct,
    PersonActKind,
    Role,
    Shift,
    ShiftSecondOfficer,
)
from dutydesk.models.spotcheck import (
    SpotcheckClosure,
    SpotcheckOutcome,
    SpotcheckRound,
    SpotcheckUnit,
    SpotcheckUnitStatus,
    UnitKind,
)

# --- end lane orders

__all__ = [
    "AuditLink",
    # lane orders
    "AddresseeKind",
    "Contact",
    "ContactKind",
    "DutyOrder",
    "OrderDecision",
    "OrderDecisionKind",
    "OrderDispatch",
    "OrderFollowUp",
    # end lane orders
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
    "OfficeSetting",
    "PendingClosure",
    "PendingItem",
    "Person",
    "PersonAct",
    "PersonActKind",
    "PersonPin",
    "PinAttempt",
    "RegisterSequence",
    "ReportKind",
    "ReportNumber",
    "ReportStep",
    "RestoreRecord",
    "Role",
    "Shift",
    "ShiftClosure",
    "ShiftSecondOfficer",
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
