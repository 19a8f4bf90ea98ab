"""The desk and what every register stands on: opening a register, the clock's reading of typed times, validation, the hash chain, search, upkeep, the official calendar."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.services.core.audit import GENESIS, canonical, link_hash
    from dutydesk.services.core.calendar import (
        add_working_days,
        data_ends_soon,
        day_info,
        default_calendar,
        holiday_name,
        is_workday,
        package_calendar,
        use_register_years,
    )
    from dutydesk.services.core.calendar_notice import parse_notice
    from dutydesk.services.core.calendar_register import (
        check_past_days,
        import_notice,
        install_register_calendar,
        year_records,
    )
    from dutydesk.services.core.calendar_view import differences, notice_table, when, year_view
    from dutydesk.services.core.desk import (
        Desk,
        check_openable,
        init_database,
        is_empty_file,
        open_desk,
        thread_desk,
    )
    from dutydesk.services.core.drafts import discard_draft, load_draft, save_draft
    from dutydesk.services.core.markdown_text import md_cell, md_text
    from dutydesk.services.core.restore_record import (
        bound_restore_seq,
        record_restore,
        restored_without_pins,
    )
    from dutydesk.services.core.search import grams_for, matching_roots
    from dutydesk.services.core.spreadsheet import safe_rows
    from dutydesk.services.core.timeparse import (
        check_record_time,
        parse_date,
        parse_desk_time,
        parse_filter_time,
        parse_time,
        record_time_problem,
        typed_key,
    )
    from dutydesk.services.core.upkeep import RUN_EVERY_S, UpkeepState, run_upkeep
    from dutydesk.services.core.validation import (
        check_choice,
        check_name,
        check_phone,
        check_text,
        lookup_name,
        name_key,
    )

_HOMES = {
    "Desk": "desk",
    "GENESIS": "audit",
    "RUN_EVERY_S": "upkeep",
    "UpkeepState": "upkeep",
    "add_working_days": "calendar",
    "bound_restore_seq": "restore_record",
    "canonical": "audit",
    "check_choice": "validation",
    "check_name": "validation",
    "check_openable": "desk",
    "check_past_days": "calendar_register",
    "check_phone": "validation",
    "check_record_time": "timeparse",
    "check_text": "validation",
    "data_ends_soon": "calendar",
    "day_info": "calendar",
    "default_calendar": "calendar",
    "differences": "calendar_view",
    "discard_draft": "drafts",
    "grams_for": "search",
    "holiday_name": "calendar",
    "import_notice": "calendar_register",
    "init_database": "desk",
    "install_register_calendar": "calendar_register",
    "is_empty_file": "desk",
    "is_workday": "calendar",
    "link_hash": "audit",
    "load_draft": "drafts",
    "lookup_name": "validation",
    "matching_roots": "search",
    "md_cell": "markdown_text",
    "md_text": "markdown_text",
    "name_key": "validation",
    "notice_table": "calendar_view",
    "open_desk": "desk",
    "package_calendar": "calendar",
    "parse_date": "timeparse",
    "parse_desk_time": "timeparse",
    "parse_filter_time": "timeparse",
    "parse_notice": "calendar_notice",
    "parse_time": "timeparse",
    "record_restore": "restore_record",
    "record_time_problem": "timeparse",
    "restored_without_pins": "restore_record",
    "run_upkeep": "upkeep",
    "safe_rows": "spreadsheet",
    "save_draft": "drafts",
    "thread_desk": "desk",
    "typed_key": "timeparse",
    "use_register_years": "calendar",
    "when": "calendar_view",
    "year_records": "calendar_register",
    "year_view": "calendar_view",
}
__all__ = [
    "Desk",
    "GENESIS",
    "RUN_EVERY_S",
    "UpkeepState",
    "add_working_days",
    "bound_restore_seq",
    "canonical",
    "check_choice",
    "check_name",
    "check_openable",
    "check_past_days",
    "check_phone",
    "check_record_time",
    "check_text",
    "data_ends_soon",
    "day_info",
    "default_calendar",
    "differences",
    "discard_draft",
    "grams_for",
    "holiday_name",
    "import_notice",
    "init_database",
    "install_register_calendar",
    "is_empty_file",
    "is_workday",
    "link_hash",
    "load_draft",
    "lookup_name",
    "matching_roots",
    "md_cell",
    "md_text",
    "name_key",
    "notice_table",
    "open_desk",
    "package_calendar",
    "parse_date",
    "parse_desk_time",
    "parse_filter_time",
    "parse_notice",
    "parse_time",
    "record_restore",
    "record_time_problem",
    "restored_without_pins",
    "run_upkeep",
    "safe_rows",
    "save_draft",
    "thread_desk",
    "typed_key",
    "use_register_years",
    "when",
    "year_records",
    "year_view",
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
