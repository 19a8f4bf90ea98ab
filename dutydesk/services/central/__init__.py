"""The city's central archive (市政府总值班室): the handover archives of many desks in
PostgreSQL, verified on ingest, searchable, reported on, anchoring every desk's chain."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.central.anchors import central_anchors, central_conflicts
    from dutydesk.services.central.connection import central_url
    from dutydesk.services.central.ingest import Outcome, ingest_paths
    from dutydesk.services.central.report import Report, central_report
    from dutydesk.services.central.report_xlsx import write_xlsx
    from dutydesk.services.central.resolve import resolve_conflict
    from dutydesk.services.central.schema import init_central
    from dutydesk.services.central.search import Hit, search_central
    from dutydesk.services.central.status import DeskStatus, desk_status

_HOMES = {
    "central_anchors": "anchors",
    "central_conflicts": "anchors",
    "central_url": "connection",
    "Outcome": "ingest",
    "ingest_paths": "ingest",
    "Report": "report",
    "central_report": "report",
    "write_xlsx": "report_xlsx",
    "resolve_conflict": "resolve",
    "init_central": "schema",
    "Hit": "search",
    "search_central": "search",
    "DeskStatus": "status",
    "desk_status": "status",
}
__all__ = [
    "central_anchors",
    "central_conflicts",
    "central_url",
    "Outcome",
    "ingest_paths",
    "Report",
    "central_report",
    "write_xlsx",
    "resolve_conflict",
    "init_central",
    "Hit",
    "search_central",
    "DeskStatus",
    "desk_status",
]
__getattr__ = lazy_names(__name__, _HOMES)
