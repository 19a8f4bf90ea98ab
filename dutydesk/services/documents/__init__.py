"""Documents (文电), orders (应急指令) and the phone list (常用电话号码表).

The lane "documents" owns this file; the names between the "lane orders" marks are the orders
and phone-list API, to be kept when the two are merged."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    # --- lane orders
    from dutydesk.services.documents.contacts import (
        ContactInput,
        add_contact,
        change_contact,
        contact_history,
        contact_to_json,
        current_contacts,
        known_phones,
        withdraw_contact,
    )
    from dutydesk.services.documents.contacts_xlsx import (
        contacts_xlsx,
        import_contacts,
        read_contact_file,
    )
    from dutydesk.services.documents.order_reads import (
        OrderView,
        dispatch_row,
        get_order_view,
        incident_with_level,
        order_deadlines,
        order_lines,
        order_to_json,
        orders_for_incident,
        recent_orders,
    )
    from dutydesk.services.documents.orders import (
        OrderDraft,
        decide_order,
        dispatch_order,
        draft_order,
        follow_up_order,
    )
    # --- end lane orders

_HOMES = {
    # --- lane orders
    "ContactInput": "contacts",
    "OrderDraft": "orders",
    "OrderView": "order_reads",
    "add_contact": "contacts",
    "change_contact": "contacts",
    "contact_history": "contacts",
    "contact_to_json": "contacts",
    "contacts_xlsx": "contacts_xlsx",
    "current_contacts": "contacts",
    "decide_order": "orders",
    "dispatch_order": "orders",
    "dispatch_row": "order_reads",
    "draft_order": "orders",
    "follow_up_order": "orders",
    "get_order_view": "order_reads",
    "incident_with_level": "order_reads",
    "import_contacts": "contacts_xlsx",
    "known_phones": "contacts",
    "order_deadlines": "order_reads",
    "order_lines": "order_reads",
    "order_to_json": "order_reads",
    "orders_for_incident": "order_reads",
    "read_contact_file": "contacts_xlsx",
    "recent_orders": "order_reads",
    "withdraw_contact": "contacts",
    # --- end lane orders
}
__all__ = [
    # --- lane orders
    "ContactInput",
    "OrderDraft",
    "OrderView",
    "add_contact",
    "change_contact",
    "contact_history",
    "contact_to_json",
    "contacts_xlsx",
    "current_contacts",
    "decide_order",
    "dispatch_order",
    "dispatch_row",
    "draft_order",
    "follow_up_order",
    "get_order_view",
    "incident_with_level",
    "import_contacts",
    "known_phones",
    "order_deadlines",
    "order_lines",
    "order_to_json",
    "orders_for_incident",
    "read_contact_file",
    "recent_orders",
    "withdraw_contact",
    # --- end lane orders
]
__getattr__ = lazy_names(__name__, _HOMES)
