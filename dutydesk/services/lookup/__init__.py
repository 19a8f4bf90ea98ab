"""Search across the registers: documents and contacts by their own indexes (migration 0024),
and one search over calls, documents and contacts returning typed hits (issue 18, issue 19)."""

from typing import TYPE_CHECKING

from dutydesk.services.package_api import lazy_names

if TYPE_CHECKING:
    from dutydesk.services.lookup.across import REGISTERS, Hit, register_label, search_all
    from dutydesk.services.lookup.register_index import (
        rebuild_register_indexes,
        register_index_problems,
    )
    from dutydesk.services.lookup.register_search import search_register

_HOMES = {
    "Hit": "across",
    "REGISTERS": "across",
    "rebuild_register_indexes": "register_index",
    "register_index_problems": "register_index",
    "register_label": "across",
    "search_all": "across",
    "search_register": "register_search",
}
__all__ = [
    "Hit",
    "REGISTERS",
    "rebuild_register_indexes",
    "register_index_problems",
    "register_label",
    "search_all",
    "search_register",
]
__getattr__ = lazy_names(__name__, _HOMES)
