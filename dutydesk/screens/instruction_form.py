"""The leader's instruction form (领导批示登记): the leader, the instruction, to whom it was
passed on, and the incident it concerns (optional). Saved through
services.incidents.add_instruction, which sets the feedback deadline the profile gives."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from dutydesk.i18n import t
from dutydesk.screens.entry_form import (
    EntryForm,
    deadline_lines,
    record_time,
    text_area,
    text_input,
    whole,
)


class InstructionForm(EntryForm):
    TITLE_KEY = "instruction_form.title"

    def fields(self) -> ComposeResult:
        call = self.call
        with Horizontal(classes="entry-row"):
            yield text_input(
                "instruction_received_at", self.call_time(), t("entry_form.time_placeholder")
            )
            # The leader is named in the instruction, not by who phoned it through: typed.
            yield text_input("instruction_leader")
        yield text_area("instruction_text", call.summary if call else "")
        yield text_input("instruction_passed_to")
        yield text_input("incident_id", placeholder=t("entry_form.incident_placeholder"))

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.incidents import add_instruction, deadlines_for

        desk = self.desk
        row = add_instruction(
            desk,
            self.recorder(),
            received_at=record_time(
                desk, "instruction_received_at", values["instruction_received_at"]
            ),
            leader=values["instruction_leader"],
            text=values["instruction_text"],
            passed_to=values["instruction_passed_to"],
            incident_id=whole("incident_id", values["incident_id"]),
        )
        assert row.id is not None  # saved
        views = deadlines_for(desk, "instruction", row.id)
        return t(
            "instruction_form.saved",
            id=row.id,
            leader=row.leader,
            count=len(views),
            deadlines=deadline_lines(desk, views),
        )
