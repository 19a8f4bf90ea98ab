"""Incidents (突发事件), their reports, re-grades, verification requests (核报), leader instructions (批示) and every statutory deadline."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

_HOMES = {
    "DeadlineView": "deadline_views",
    "IncidentDraft": "incidents",
    "acknowledge": "deadlines",
    "add_instruction": "instructions",
    "add_verification": "verifications",
    "chain_to_json": "incident_reports",
    "close_deadline": "deadlines",
    "current_levels": "incident_regrade",
    "deadline_to_json": "deadlines",
    "deadlines_for": "deadlines",
    "draft_first_report": "incidents",
    "due_label": "deadline_views",
    "feed_back": "instructions",
    "get_deadline": "deadlines",
    "get_incident": "incidents",
    "get_instruction": "instructions",
    "get_verification": "verifications",
    "handover_deadlines": "deadline_reads",
    "header_summary": "deadlines",
    "incident_label": "incidents",
    "incident_to_json": "incidents",
    "instruction_to_json": "instructions",
    "level_label": "incidents",
    "list_incidents": "incidents",
    "list_instructions": "instructions",
    "list_verifications": "verifications",
    "missing_elements": "incidents",
    "open_deadlines": "deadlines",
    "open_status": "deadline_views",
    "parse_level": "incidents",
    "parse_type": "incidents",
    "realert_due": "deadline_views",
    "record_incident": "incidents",
    "record_report": "incident_reports",
    "record_unit_report": "incident_reports",
    "reevaluate": "deadline_views",
    "register_table": "incidents",
    "regrade_incident": "incident_regrade",
    "regrade_to_json": "incident_regrade",
    "remaining_label": "deadline_views",
    "reply_verification": "verifications",
    "report_chain": "incident_reports",
    "verification_to_json": "verifications",
    "whole_number": "incident_common",
}
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


def __getattr__(name: str) -> object:
    """Each name is imported from its module when first used, not with the package: the start
    path uses a little of the domain and must not pay for all of it (nor load the ORM before
    the first frame)."""
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
