"""A phone list holding the units and the leader the order tests dispatch to (an order goes
only to a unit or leader some register knows)."""

from __future__ import annotations

from dutydesk.services.documents import ContactInput, add_contact

UNITS = ("城关镇政府值班室", "城关镇", "和平区政府值班室")
LEADER = "李副区长"


def phone_list(desk, recorder) -> None:  # noqa: ANN001
    for number, name in enumerate(UNITS):
        add_contact(
            desk, recorder, ContactInput(kind="unit", name=name, phone=f"0371-6600000{number}")
        )
    add_contact(desk, recorder, ContactInput(kind="principal", name=LEADER, unit="区政府",
                                             post="副区长", mobile="13800000000"))  # fmt: skip
