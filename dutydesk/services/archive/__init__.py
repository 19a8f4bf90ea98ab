"""Archives: the export at each handover, verifying a register or an archive, restoring."""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutydesk.services.archive.archive_verify import verify_archives
    from dutydesk.services.archive.export import (
        ExportResult,
        export_handover,
        retry_exports,
        write_archive,
    )
    from dutydesk.services.archive.restore import check_manifest, manifest_lists, restore_archive
    from dutydesk.services.archive.verify import VerifyReport, verify_register

_HOMES = {
    "ExportResult": "export",
    "VerifyReport": "verify",
    "check_manifest": "restore",
    "export_handover": "export",
    "manifest_lists": "restore",
    "restore_archive": "restore",
    "retry_exports": "export",
    "verify_archives": "archive_verify",
    "verify_register": "verify",
    "write_archive": "export",
}
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
