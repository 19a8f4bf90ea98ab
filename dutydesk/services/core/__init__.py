"""The desk and what every register stands on: opening a register, the clock's reading of typed times, validation, the hash chain, search, upkeep, the official calendar."""

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
