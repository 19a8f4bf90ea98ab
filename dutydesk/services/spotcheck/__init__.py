"""Spot checks (值班抽查): the units, sampling, rounds, outcomes and the 值班抽查表."""

from dutydesk.services.spotcheck.spotcheck import (
    HISTORY_DAYS,
    close_round,
    current_round,
    handover_quota,
    record_outcome,
    start_round,
    unit_history,
    verify_round,
)
from dutydesk.services.spotcheck.spotcheck_history import late_mark_to_json
from dutydesk.services.spotcheck.spotcheck_table import (
    check_table,
    quota_line,
    render_csv,
    render_markdown,
    result_label,
)
from dutydesk.services.spotcheck.spotcheck_views import DrawnUnit, RoundView, quota_status
from dutydesk.services.spotcheck.units import (
    DEMO_UNITS,
    UnitDraft,
    add_demo_units,
    add_unit,
    import_units,
    list_units,
    set_active,
    unit_to_json,
)

__all__ = [
    "DEMO_UNITS",
    "DrawnUnit",
    "HISTORY_DAYS",
    "RoundView",
    "UnitDraft",
    "add_demo_units",
    "add_unit",
    "check_table",
    "close_round",
    "current_round",
    "handover_quota",
    "import_units",
    "late_mark_to_json",
    "list_units",
    "quota_line",
    "quota_status",
    "record_outcome",
    "render_csv",
    "render_markdown",
    "result_label",
    "set_active",
    "start_round",
    "unit_history",
    "unit_to_json",
    "verify_round",
]
