"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from dutydesk.models.audit import AuditLink
from dutydesk.models.calls import CallRecord, Direction, PendingClosure, PendingItem
from dutydesk.models.office import Office, RegisterSequence
from dutydesk.models.people import Person, Role, Shift

__all__ = [
    "AuditLink",
    "CallRecord",
    "Direction",
    "Office",
    "PendingClosure",
    "PendingItem",
    "Person",
    "RegisterSequence",
    "Role",
    "Shift",
]
