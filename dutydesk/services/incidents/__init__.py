"""Incidents (突发事件), their reports, re-grades, verification requests (核报), leader instructions (批示) and every statutory deadline."""

from dutydesk.services.incidents.deadline_reads import handover_deadlines
from dutydesk.services.incidents.deadline_views import (
    DeadlineView,
    due_label,
    open_status,
    realert_due,
    reevaluate,
    remaining_label,
)
from dutydesk.services.incidents.deadlines import (
    acknowledge,
    close_deadline,
    deadline_to_json,
    deadlines_for,
    get_deadline,
    header_summary,
    open_deadlines,
)
from dutydesk.services.incidents.incident_common import whole_number
from dutydesk.services.incidents.incident_regrade import (
    current_levels,
    regrade_incident,
    regrade_to_json,
)
from dutydesk.services.incidents.incident_reports import (
    chain_to_json,
    record_report,
    record_unit_report,
    report_chain,
)
from dutydesk.services.incidents.incidents import (
    IncidentDraft,
    draft_first_report,
    get_incident,
    incident_label,
    incident_to_json,
    level_label,
    list_incidents,
    missing_elements,
    parse_level,
    parse_type,
    record_incident,
    register_table,
)
from dutydesk.services.incidents.instructions import (
    add_instruction,
    feed_back,
    get_instruction,
    instruction_to_json,
    list_instructions,
)
from dutydesk.services.incidents.verifications import (
    add_verification,
    get_verification,
    list_verifications,
    reply_verification,
    verification_to_json,
)

__all__ = [
    "DeadlineView",
    "IncidentDraft",
    "acknowledge",
    "add_instruction",
    "add_verification",
    "chain_to_json",
    "close_deadline",
    "current_levels",
    "deadline_to_json",
    "deadlines_for",
    "draft_first_report",
    "due_label",
    "feed_back",
    "get_deadline",
    "get_incident",
    "get_instruction",
    "get_verification",
    "handover_deadlines",
    "header_summary",
    "incident_label",
    "incident_to_json",
    "instruction_to_json",
    "level_label",
    "list_incidents",
    "list_instructions",
    "list_verifications",
    "missing_elements",
    "open_deadlines",
    "open_status",
    "parse_level",
    "parse_type",
    "realert_due",
    "record_incident",
    "record_report",
    "record_unit_report",
    "reevaluate",
    "register_table",
    "regrade_incident",
    "regrade_to_json",
    "remaining_label",
    "reply_verification",
    "report_chain",
    "verification_to_json",
    "whole_number",
]
