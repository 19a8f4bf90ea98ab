"""Spot checks (值班抽查): the units, sampling, rounds, outcomes and the 值班抽查表."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.spotcheck.spotcheck import (
        HISTORY_DAYS,
        close_round,
        correct_outcome,
        current_round,
        handover_quota,
        record_outcome,
        start_round,
        unit_history,
        verify_round,
    )
    from dutydesk.services.spotcheck.spotcheck_history import late_mark_to_json
    from dutydesk.services.spotcheck.spotcheck_record import standing_answer
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

_HOMES = {
    "DEMO_UNITS": "units",
    "DrawnUnit": "spotcheck_views",
    "HISTORY_DAYS": "spotcheck",
    "RoundView": "spotcheck_views",
    "UnitDraft": "units",
    "add_demo_units": "units",
    "add_unit": "units",
    "check_table": "spotcheck_table",
    "close_round": "spotcheck",
    "correct_outcome": "spotcheck",
    "current_round": "spotcheck",
    "handover_quota": "spotcheck",
    "import_units": "units",
    "late_mark_to_json": "spotcheck_history",
    "list_units": "units",
    "quota_line": "spotcheck_table",
    "quota_status": "spotcheck_views",
    "record_outcome": "spotcheck",
    "render_csv": "spotcheck_table",
    "render_markdown": "spotcheck_table",
    "result_label": "spotcheck_table",
    "set_active": "units",
    "standing_answer": "spotcheck_record",
    "start_round": "spotcheck",
    "unit_history": "spotcheck",
    "unit_to_json": "units",
    "verify_round": "spotcheck",
}
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
    "correct_outcome",
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
    "standing_answer",
    "start_round",
    "unit_history",
    "unit_to_json",
    "verify_round",
]
__getattr__ = lazy_names(__name__, _HOMES)
