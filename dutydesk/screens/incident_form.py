"""The incident form (突发事件信息登记): every element the profile asks for (要素), the missing
ones named as the officer types; saved through services.incidents.record_incident, which sets
the report deadlines. Opened from a 突发事件 call (prefilled from it and linked to it by its
number) or from the deadline board."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from dutydesk.errors import FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.screens.entry_form import (
    EntryForm,
    picker,
    record_time,
    text_area,
    text_input,
    whole,
)

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.incidents import IncidentDraft

TYPES = ("natural", "accident", "health", "social")
LEVELS = ("I", "II", "III", "IV")
CASUALTIES = ("dead", "injured", "missing", "trapped")
TEXTS = ("scope", "secondary_risk", "measures", "next_steps")
NAMES = ("source_caller", "source_unit", "reporter", "reviewer")


class IncidentForm(EntryForm):
    TITLE_KEY = "incident_form.title"

    def fields(self) -> ComposeResult:
        call = self.call
        with Horizontal(classes="entry-row"):
            types = [(t(f"incident_type.{code}"), code) for code in TYPES]
            yield picker("incident_type", types, None)
            levels = [(t(f"incident_level.{code}"), code) for code in LEVELS]
            yield picker("incident_level", levels, None)
        with Horizontal(classes="entry-row"):
            time_hint = t("entry_form.time_placeholder")
            yield text_input("incident_occurred_at", placeholder=time_hint)
            yield text_input("incident_received_at", self.call_time(), time_hint)
        yield text_input("incident_place", call.place if call else "")
        yield text_area("incident_summary", call.summary if call else "")
        with Horizontal(classes="entry-row"):
            for name in CASUALTIES:
                yield text_input(
                    f"casualties_{name}", placeholder=t("entry_form.count_placeholder")
                )
        for name in TEXTS:
            yield text_input(f"incident_{name}")
        with Horizontal(classes="entry-row"):
            yield text_input("incident_source_caller", call.caller if call else "")
            yield text_input("incident_source_unit", call.unit if call else "")
        with Horizontal(classes="entry-row"):
            yield text_input("incident_reporter")
            yield text_input("incident_reviewer")

    def note(self, values: dict[str, Any]) -> str:
        """The elements still missing, from what is typed now (no store read)."""
        from dutydesk.services.incidents import IncidentDraft, missing_elements

        counts: dict[str, Any] = {}
        for name in CASUALTIES:
            typed = str(values.get(f"casualties_{name}", "")).strip()
            counts[name] = int(typed) if typed.isdecimal() else None
        draft = IncidentDraft(
            **{name: values.get(f"incident_{name}", "") for name in ("place", "summary", *TEXTS)},
            **{name: values.get(f"incident_{name}", "") for name in NAMES},
            **counts,
        )
        missing = missing_elements(self.desk.profile, draft)
        if not missing:
            return t("incident_form.complete")
        labels = t("entry_form.list_separator").join(item.label for item in missing)
        return t("incident_form.missing", items=labels)

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.incidents import (
            IncidentDraft,
            deadlines_for,
            incident_label,
            record_incident,
        )

        desk = self.desk
        counts: dict[str, Any] = {
            name: whole(f"casualties_{name}", values[f"casualties_{name}"]) for name in CASUALTIES
        }
        draft = IncidentDraft(
            type=values["incident_type"],
            level=values["incident_level"],
            occurred_at=record_time(desk, "incident_occurred_at", values["incident_occurred_at"]),
            received_at=record_time(desk, "incident_received_at", values["incident_received_at"]),
            **{name: values[f"incident_{name}"] for name in ("place", "summary", *TEXTS, *NAMES)},
            **counts,
            call_number=self.call.number if self.call else None,
        )
        refuse_blank_pickers(desk, draft)
        incident = record_incident(desk, draft, self.recorder())
        assert incident.id is not None  # saved
        count = len(deadlines_for(desk, "incident", incident.id))
        return t("incident_form.saved", label=incident_label(incident), count=count)


def refuse_blank_pickers(desk: Desk, draft: IncidentDraft) -> None:
    """The service's refusals, a picker left blank said as "must be chosen" (the service's
    "can only be I, II, III, IV" speaks of the codes typed at the command line)."""
    from dutydesk.services.incidents.incidents import validate

    problems = validate(desk, draft)
    if not problems:
        return
    blank = {f"incident_{name}" for name in ("type", "level") if not getattr(draft, name)}
    raise ValidationFailed(
        [FieldProblem(p.field, "problem.choose") if p.field in blank else p for p in problems]
    )
