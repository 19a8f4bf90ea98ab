"""Archives: the export at each handover, verifying a register or an archive, restoring."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.archive.anchors import paper_heads, parse_head, read_manifest
    from dutydesk.services.archive.archive_verify import verify_archives
    from dutydesk.services.archive.export import (
        ExportResult,
        export_handover,
        retry_exports,
        write_archive,
        write_archive_noted,
    )
    from dutydesk.services.archive.export_folder import RetryPlan, check_export_folder, retry_plan
    from dutydesk.services.archive.restore import check_manifest, manifest_lists, restore_archive
    from dutydesk.services.archive.verify import VerifyReport, verify_register

_HOMES = {
    "paper_heads": "anchors",
    "parse_head": "anchors",
    "read_manifest": "anchors",
    "ExportResult": "export",
    "RetryPlan": "export_folder",
    "check_export_folder": "export_folder",
    "retry_plan": "export_folder",
    "VerifyReport": "verify",
    "check_manifest": "restore",
    "export_handover": "export",
    "manifest_lists": "restore",
    "restore_archive": "restore",
    "retry_exports": "export",
    "verify_archives": "archive_verify",
    "verify_register": "verify",
    "write_archive": "export",
    "write_archive_noted": "export",
}
__all__ = [
    "paper_heads",
    "parse_head",
    "read_manifest",
    "ExportResult",
    "RetryPlan",
    "VerifyReport",
    "check_export_folder",
    "check_manifest",
    "export_handover",
    "manifest_lists",
    "restore_archive",
    "retry_exports",
    "retry_plan",
    "verify_archives",
    "verify_register",
    "write_archive",
    "write_archive_noted",
]
__getattr__ = lazy_names(__name__, _HOMES)
