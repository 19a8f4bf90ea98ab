"""The verification-request form (核报登记): what the upper office asks us to verify, who asks,
and the reply time it asked for ("30分钟内电话反馈": 30 minutes, by phone), prefilled from the
call's words. Saved through services.incidents.add_verification, which sets the profile's reply
deadlines and, where stricter or the only one, the one asked for."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal

from dutydesk.i18n import t
from dutydesk.screens.entry_form import (
    EntryForm,
    deadline_lines,
    picker,
    record_time,
    text_area,
    text_input,
    whole,
)

CHANNELS = ("phone", "written")


class VerificationForm(EntryForm):
    TITLE_KEY = "verification_form.title"

    def fields(self) -> ComposeResult:
        from dutydesk.services.incidents.verifications import requested_reply

        call = self.call
        minutes, channel = requested_reply(call.summary if call else "")
        with Horizontal(classes="entry-row"):
            yield text_input(
                "verification_received_at", self.call_time(), t("entry_form.time_placeholder")
            )
            yield text_input(
                "verification_requested_by", (call.unit or call.caller) if call else ""
            )
        yield text_area("verification_subject", call.summary if call else "")
        with Horizontal(classes="entry-row"):
            yield text_input(
                "verification_reply_within",
                str(minutes) if minutes is not None else "",
                t("verification_form.within_placeholder"),
            )
            channels = [(t(f"entry_form.channel_{code}"), code) for code in CHANNELS]
            yield picker("verification_reply_channel", channels, channel)
        written = [
            (t("verification_form.written_no"), "no"),
            (t("verification_form.written_yes"), "yes"),
        ]
        yield picker("verification_written_requested", written, "no")
        yield text_input("incident_id", placeholder=t("entry_form.incident_placeholder"))

    def note(self, values: dict[str, Any]) -> str:
        """The deadlines saving will set, each with its rule (from the profile: no store read)."""
        from dutydesk.services.incidents.deadlines import rules_for
        from dutydesk.services.incidents.verifications import REQUESTED_CITE, requested_binds

        channel = values.get("verification_reply_channel", "phone")
        typed = str(values.get("verification_reply_within", "")).strip()
        within = int(typed) if typed.isdecimal() and int(typed) > 0 else None
        written = values.get("verification_written_requested") == "yes" or (
            within is not None and channel == "written"
        )
        planned = [
            (rule.channel, rule.minutes, rule.cite)
            for rule in rules_for(self.desk.profile, "verification", None, written)
        ]
        if within is not None and requested_binds(self.desk.profile, within, channel, written):
            planned.append((channel, within, REQUESTED_CITE))
        items = [
            t(
                "verification_form.plan_item" if minutes else "verification_form.plan_item_asap",
                what=t(f"deadline_what.verification_{kind}"),
                minutes=minutes,
                cite=cite,
            )
            for kind, minutes, cite in planned
        ]
        if not items:
            return t("verification_form.plan", items=t("entry_form.no_deadline"))
        return t("verification_form.plan", items=t("entry_form.list_separator").join(items))

    def save_values(self, values: dict[str, Any]) -> str:
        from dutydesk.services.incidents import add_verification, deadlines_for

        desk = self.desk
        row = add_verification(
            desk,
            self.recorder(),
            received_at=record_time(
                desk, "verification_received_at", values["verification_received_at"]
            ),
            subject=values["verification_subject"],
            requested_by=values["verification_requested_by"],
            written_requested=values["verification_written_requested"] == "yes",
            incident_id=whole("incident_id", values["incident_id"]),
            reply_within=whole("verification_reply_within", values["verification_reply_within"]),
            reply_channel=values["verification_reply_channel"],
        )
        assert row.id is not None  # saved
        views = deadlines_for(desk, "verification", row.id)
        return t(
            "verification_form.saved",
            id=row.id,
            count=len(views),
            deadlines=deadline_lines(desk, views),
        )
