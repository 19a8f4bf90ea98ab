"""Handover (交接班): the checklist, pending items, two-person sign-off, the printable forms."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.handover.handed_over import HandedOver, handed_over
    from dutydesk.services.handover.handover import (
        Signature,
        check_ready,
        mark,
        sign_off,
        signatures,
    )
    from dutydesk.services.handover.handover_checklist import (
        FORM_STYLE,
        FORM_STYLES,
        Checklist,
        Item,
        build_checklist,
        checklist_to_json,
    )
    from dutydesk.services.handover.handover_docx import render_docx
    from dutydesk.services.handover.handover_form import (
        FormHeader,
        build_form,
        render_markdown,
    )
    from dutydesk.services.handover.pending import (
        close_item,
        device_label,
        open_items,
        report_repaired,
    )
    from dutydesk.services.handover.signers import (
        check_distinct_signers,
        check_outgoing_second,
        check_signs_once,
    )

_HOMES = {
    "check_outgoing_second": "signers",
    "check_distinct_signers": "signers",
    "check_signs_once": "signers",
    "Checklist": "handover_checklist",
    "FORM_STYLE": "handover_checklist",
    "FORM_STYLES": "handover_checklist",
    "FormHeader": "handover_form",
    "HandedOver": "handed_over",
    "Item": "handover_checklist",
    "Signature": "handover",
    "build_checklist": "handover_checklist",
    "build_form": "handover_form",
    "check_ready": "handover",
    "checklist_to_json": "handover_checklist",
    "close_item": "pending",
    "device_label": "pending",
    "handed_over": "handed_over",
    "mark": "handover",
    "open_items": "pending",
    "render_docx": "handover_docx",
    "render_markdown": "handover_form",
    "report_repaired": "pending",
    "sign_off": "handover",
    "signatures": "handover",
}
__all__ = [
    "check_outgoing_second",
    "check_distinct_signers",
    "check_signs_once",
    "Checklist",
    "FORM_STYLE",
    "FORM_STYLES",
    "FormHeader",
    "HandedOver",
    "Item",
    "Signature",
    "build_checklist",
    "build_form",
    "check_ready",
    "checklist_to_json",
    "close_item",
    "device_label",
    "handed_over",
    "mark",
    "open_items",
    "render_docx",
    "render_markdown",
    "report_repaired",
    "sign_off",
    "signatures",
]
__getattr__ = lazy_names(__name__, _HOMES)
