"""The handover form (值班交接表) as Markdown, laid out like the paper form: the shift, the
checklist section by section with each article, what was not done and why, the signatures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dutydesk.i18n import t
from dutydesk.models.types import from_storage
from dutydesk.services.handover_checklist import SECTIONS
from dutydesk.services.schedule import CALENDAR_NOTES

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.desk import Desk
    from dutydesk.services.handover import Signature

TIME = "YYYY-MM-DD HH:mm"


@dataclass(frozen=True)
class FormHeader:
    office: str
    profile: str
    signed_at: DateTime | None  # None: not signed (an export taken at any time)
    incoming: str | None


def _cell(text: Any) -> str:
    value = "" if text is None else str(text)
    return value.replace("|", "\\|").replace("\r", "").replace("\n", "<br>") or " "


def _when(value: str | None, timezone: str) -> str:
    if not value:
        return ""
    import pendulum

    return pendulum.parse(value).in_timezone(timezone).format(TIME)  # type: ignore[union-attr]


def _detail(item: dict[str, Any], timezone: str) -> str:
    if item["kind"] == "arrival" and item["state"] == "done" and item.get("value"):
        arrived = from_storage(item["value"]).in_timezone(timezone).format(TIME)
        return t("handover_form.arrived_at", time=arrived)
    return item.get("note") or ""


def render_form(desk: Desk, data: dict[str, Any], header: FormHeader,
                signed: list[Signature]) -> str:  # fmt: skip
    """`data` is checklist_to_json(): the checklist as signed (or as it stands, unsigned)."""
    zone = desk.timezone
    shift = data["shift"]
    lines = [f"# {t('handover_form.title')}", ""]
    if header.signed_at is None:
        lines += [f"> {t('handover_form.unsigned')}", ""]
    facts = [
        (t("handover_form.office"), header.office),
        (t("handover_form.profile"), header.profile),
        (
            t("handover_form.shift"),
            t(
                "handover_form.shift_value",
                shift=t("shift." + shift["slot"]),
                start=_when(shift["starts_at"], zone),
                end=_when(shift["ends_at"], zone),
            ),
        ),
        (t("handover_form.outgoing"), shift["officer"]),
        (t("handover_form.incoming"), header.incoming or ""),
        (
            t("handover_form.leader"),
            t(
                "handover_form.with_cite",
                value=next((s.name for s in signed if s.role == "leader"), "—"),
                cite=desk.profile.handover.report_to_leader_cite,
            ),
        ),
        (
            t("handover_form.due_at"),
            t("handover_form.with_cite", value=_when(data["due_at"], zone), cite=data["due_cite"]),
        ),
        (t("handover_form.arrive_by"), _when(data["arrive_by"], zone)),
        (
            t("handover_form.signed_at"),
            header.signed_at.in_timezone(zone).format(TIME) if header.signed_at else "",
        ),
    ]
    late = data.get("arrival_late_minutes")
    if late:
        facts.append((t("handover_form.arrival_late"), t("handover_form.minutes", n=late)))
    if data.get("calendar") in CALENDAR_NOTES:
        facts.append((t("handover_form.note"), t("handover_schedule.calendar_" + data["calendar"])))
    lines += [f"| {t('handover_form.field')} | {t('handover_form.value')} |", "|---|---|"]
    lines += [f"| {_cell(name)} | {_cell(value)} |" for name, value in facts]
    number = 0
    for section in SECTIONS:
        items = [item for item in data["items"] if item["section"] == section]
        if section in data["absent"]:
            lines += ["", f"## {t('handover_section.' + section)}", "",
                      t("handover_form.absent_" + section)]  # fmt: skip
            continue
        if not items:
            continue
        lines += ["", f"## {t('handover_section.' + section)}", ""]
        lines += [
            f"| {t('handover_form.no')} | {t('handover_form.item')} | "
            f"{t('handover_form.cite')} | {t('handover_form.state')} | "
            f"{t('handover_form.detail')} |",
            "|---|---|---|---|---|",
        ]
        for item in items:
            number += 1
            lines.append(
                f"| {number} | {_cell(item['label'])} | {_cell(item['cite'])} | "
                f"{_cell(t('handover_state.' + item['state']))} | {_cell(_detail(item, zone))} |"
            )
    not_done = [item for item in data["items"] if item["state"] in ("not_done", "fault")]
    if not_done:
        lines += ["", f"## {t('handover_form.exceptions')}", ""]
        lines += [
            "- " + t("handover_form.exception", item=item["label"],
                     state=t("handover_state." + item["state"]), note=item["note"])
            for item in not_done
        ]  # fmt: skip
    lines += ["", f"## {t('handover_form.signatures')}", ""]
    lines += [
        f"| {t('handover_form.role')} | {t('handover_form.name')} | {t('handover_form.time')} |",
        "|---|---|---|",
    ]
    if not signed:
        lines.append(f"| {t('handover_form.unsigned_short')} | | |")
    for signature in signed:
        lines.append(
            f"| {t('handover_role.' + signature.role)} | {_cell(signature.name)} | "
            f"{signature.signed_at.in_timezone(zone).format(TIME)} |"
        )
    return "\n".join(lines) + "\n"
