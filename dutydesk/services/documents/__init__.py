"""Documents (文电): the register of documents received and sent, their routing (交办),
follow-up (督办), closing and handling deadlines."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.documents.document_table import document_register_table
    from dutydesk.services.documents.document_views import (
        FILTERS,
        DocumentView,
        Due,
        document_deadlines,
        document_state,
        document_to_json,
        get_document,
        handling_due,
        list_documents,
        open_documents,
    )
    from dutydesk.services.documents.register import (
        add_document,
        close_document,
        follow_document,
        route_document,
    )

_HOMES = {
    "FILTERS": "document_views",
    "DocumentView": "document_views",
    "Due": "document_views",
    "add_document": "register",
    "close_document": "register",
    "document_deadlines": "document_views",
    "document_register_table": "document_table",
    "document_state": "document_views",
    "document_to_json": "document_views",
    "follow_document": "register",
    "get_document": "document_views",
    "handling_due": "document_views",
    "list_documents": "document_views",
    "open_documents": "document_views",
    "route_document": "register",
}
__all__ = [
    "FILTERS",
    "DocumentView",
    "Due",
    "add_document",
    "close_document",
    "document_deadlines",
    "document_register_table",
    "document_state",
    "document_to_json",
    "follow_document",
    "get_document",
    "handling_due",
    "list_documents",
    "open_documents",
    "route_document",
]
__getattr__ = lazy_names(__name__, _HOMES)
