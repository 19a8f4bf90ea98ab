"""Archives: the export at each handover, verifying a register or an archive, restoring."""

from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import (
    ExportResult,
    export_handover,
    retry_exports,
    write_archive,
)
from dutydesk.services.archive.restore import check_manifest, manifest_lists, restore_archive
from dutydesk.services.archive.verify import VerifyReport, verify_register

__all__ = [
    "ExportResult",
    "VerifyReport",
    "check_manifest",
    "export_handover",
    "manifest_lists",
    "restore_archive",
    "retry_exports",
    "verify_archives",
    "verify_register",
    "write_archive",
]
