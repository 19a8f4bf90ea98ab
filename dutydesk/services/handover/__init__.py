"""Handover (交接班): the checklist, pending items, two-person sign-off, the printable forms."""

from dutydesk.services.handover.handover import Signature, check_ready, mark, sign_off, signatures
from dutydesk.services.handover.handover_checklist import (
    Checklist,
    Item,
    build_checklist,
    checklist_to_json,
)
from dutydesk.services.handover.handover_docx import render_docx
from dutydesk.services.handover.handover_form import FormHeader, build_form, render_markdown
from dutydesk.services.handover.pending import close_item, device_label, open_items, report_repaired

__all__ = [
    "Checklist",
    "FormHeader",
    "Item",
    "Signature",
    "build_checklist",
    "build_form",
    "check_ready",
    "checklist_to_json",
    "close_item",
    "device_label",
    "mark",
    "open_items",
    "render_docx",
    "render_markdown",
    "report_repaired",
    "sign_off",
    "signatures",
]
