"""The handover form (值班交接表) as Markdown, laid out like the paper form: the shift, the
checklist section by section with each article, what was not done and why, the signatures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from dutydesk.citations import cite_text, cite_text_v1, cite_text_v2
from dutydesk.i18n import language, t
from dutydesk.models.types import from_storage
from dutydesk.services.core import md_cell, md_text
from dutydesk.services.handover.handover_checklist import FORM_STYLE, SECTIONS
from dutydesk.services.roster import CALENDAR_NOTES, crew_names

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk
    from dutydesk.services.handover.handover import Signature

TIME = "YYYY-MM-DD HH:mm"
HEAD_DIGITS = 16  # of the chain head's hash printed on the form (verify --head takes >= 16)


@dataclass(frozen=True)
class FormHeader:
    office: str
    profile: str
    signed_at: DateTime | None  # None: not signed (an export taken at any time)
    incoming: str | None


def _when(value: str | None, timezone: str) -> str:
    if not value:
        return ""
    import pendulum

    parsed = pendulum.parse(value)
    assert isinstance(parsed, pendulum.DateTime)  # written by the form as a date and time
    return parsed.in_timezone(timezone).format(TIME)


def _detail(item: dict[str, Any], timezone: str) -> str:
    if item["kind"] == "arrival" and item["state"] == "done" and item.get("value"):
        arrived = from_storage(item["value"]).in_timezone(timezone).format(TIME)
        return t("handover_form.arrived_at", time=arrived)
    return item.get("note") or ""


@dataclass(frozen=True)
class FormRow:
    number: int
    item: str
    cite: str
    state: str
    detail: str


@dataclass(frozen=True)
class FormSection:
    title: str
    rows: list[FormRow]
    absent: str | None = None  # the register is not there: said instead of rows


@dataclass(frozen=True)
class FormSigner:
    role: str  # as shown: 交班人, 接班人, 带班领导
    name: str
    signed_at: str


@dataclass(frozen=True)
class Form:
    """The handover form as laid out on paper; the Markdown and the DOCX are drawn from it."""

    title: str
    unsigned: str | None  # the note on an export taken before sign-off
    facts: list[tuple[str, str]]  # (field, value) at the head of the form
    sections: list[FormSection]
    exceptions: list[str]  # what was not done or is faulty, and why
    signers: list[FormSigner]
    chain_head: str | None = None  # SEQ:first 16 hex of the head at sign-off (signed forms)


def form_cite(text: str, style: int = FORM_STYLE) -> str:
    """A rule's citation as the form of `style` shows it, in the current language."""
    shown = {1: cite_text_v1, 2: cite_text_v2}.get(style, cite_text)
    return shown(text, language())


def _with_rule(value: str, cite: str, style: int) -> str:
    """One of the form's facts (the leader, the due time) with its rule's citation: in every
    style before 3 drawn as a whole cite was then (cite_text_v2), after the items' since."""
    shown = (cite_text if style >= 3 else cite_text_v2)(cite, language())
    return t("handover_form.with_cite", value=value, rule=shown)


def build_form(desk: Desk, data: dict[str, Any], header: FormHeader,
               signed: list[Signature], style: int = FORM_STYLE) -> Form:  # fmt: skip
    """`data` is checklist_to_json(): the checklist as signed (or as it stands, unsigned);
    `style` the archive's form style (FORM_STYLE for a form drawn now)."""
    zone = desk.timezone
    shift = data["shift"]
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
        *_crew_facts(desk, shift["id"]),
        (t("handover_form.incoming"), header.incoming or ""),
        (
            t("handover_form.leader"),
            _with_rule(
                next((s.name for s in signed if s.role == "leader"), "—"),
                desk.profile.handover.report_to_leader_cite,
                style,
            ),
        ),  # fmt: skip
        (
            t("handover_form.due_at"),
            _with_rule(_when(data["due_at"], zone), data["due_cite"], style),
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
    sections = _sections(data, zone, style)
    exceptions = [
        t("handover_form.exception", item=item["label"],
          state=t("handover_state." + item["state"]), note=item["note"])
        for item in data["items"]
        if item["state"] in ("not_done", "fault")
    ]  # fmt: skip
    signers = [
        FormSigner(t("handover_role." + s.role), s.name, s.signed_at.in_timezone(zone).format(TIME))
        for s in signed
    ]
    unsigned = t("handover_form.unsigned") if header.signed_at is None else None
    head = sign_off_head(desk, shift["id"]) if header.signed_at is not None else None
    return Form(t("handover_form.title"), unsigned, facts, sections, exceptions, signers,
                t("verify_anchor.form_head_value", seq=head[0], prefix=head[1][:HEAD_DIGITS])
                if head else None)  # fmt: skip


def sign_off_head(desk: Desk, shift_id: int) -> tuple[int, str] | None:
    """The chain head at the sign-off of the shift `shift_id`: the last link written by the
    sign-off (the handover, its signatures, the shift's closure, the carry-overs). Printed on
    the form, it anchors the register outside the file: `dutydesk verify --head SEQ:HEX`.
    Read from the rows, so the form drawn again later carries the same head."""
    from dutydesk.db import read_session

    sql = (
        "SELECT seq, hash FROM audit_link WHERE (kind = 'handover' AND record_id = :h) "
        "OR (kind = 'handover_signature' AND record_id IN "
        "(SELECT id FROM handover_signature WHERE handover_id = :h)) "
        "OR (kind = 'shift_closure' AND record_id IN "
        "(SELECT id FROM shift_closure WHERE handover_id = :h)) "
        "OR (kind = 'carry_over' AND record_id IN "
        "(SELECT id FROM carry_over WHERE handover_id = :h)) ORDER BY seq DESC LIMIT 1"
    )
    with read_session(desk.engine) as session:
        connection = session.connection()
        handover = connection.exec_driver_sql(
            "SELECT id FROM handover WHERE shift_id = ?", (shift_id,)
        ).first()
        if handover is None:
            return None
        row = connection.execute(text(sql), {"h": handover[0]}).first()
    return (int(row[0]), str(row[1])) if row else None


def _sections(data: dict[str, Any], zone: str, style: int) -> list[FormSection]:
    """The checklist's items section by section, numbered on across sections."""
    sections: list[FormSection] = []
    numerals = t("handover_form.section_numerals").split()
    number = 0
    for section in SECTIONS:
        # the sections left out (empty) take no numeral: 一、二、三… run on without a gap
        title = t("handover_form.section_title", number=numerals[len(sections)],
                  title=t("handover_section." + section))  # fmt: skip
        if section in data["absent"]:
            sections.append(FormSection(title, [], t("handover_form.absent_" + section)))
            continue
        rows = []
        for item in (item for item in data["items"] if item["section"] == section):
            number += 1
            rows.append(FormRow(number, item["label"], form_cite(item["cite"], style),
                                t("handover_state." + item["state"]), _detail(item, zone)))  # fmt: skip
        if rows:
            sections.append(FormSection(title, rows))
    return sections


def _crew_facts(desk: Desk, shift_id: int) -> list[tuple[str, str]]:
    """The outgoing shift's second officer (where two sit a shift) and its standby (值守人员):
    the form names everyone who was on duty."""
    crew = crew_names(desk, shift_id)
    facts = []
    if "second_officer" in crew:
        facts.append((t("handover_form.second_officer"), crew["second_officer"]))
    facts.append((t("handover_form.standby"), crew.get("standby", "—")))
    return facts


def render_form(desk: Desk, data: dict[str, Any], header: FormHeader,
                signed: list[Signature]) -> str:  # fmt: skip
    """The form as Markdown."""
    return render_markdown(build_form(desk, data, header, signed))


def render_markdown(form: Form) -> str:
    lines = [f"# {form.title}", ""]
    if form.unsigned:
        lines += [f"> {form.unsigned}", ""]
    lines += [f"| {t('handover_form.field')} | {t('handover_form.value')} |", "|---|---|"]
    lines += [f"| {md_cell(name)} | {md_cell(value)} |" for name, value in form.facts]
    for section in form.sections:
        lines += ["", f"## {section.title}", ""]
        if section.absent is not None:
            lines.append(section.absent)
            continue
        lines += [
            f"| {t('handover_form.no')} | {t('handover_form.item')} | "
            f"{t('handover_form.cite')} | {t('handover_form.state')} | "
            f"{t('handover_form.detail')} |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {row.number} | {md_cell(row.item)} | {md_cell(row.cite)} | {md_cell(row.state)} | "
            f"{md_cell(row.detail)} |"
            for row in section.rows
        ]
    if form.exceptions:
        lines += ["", f"## {t('handover_form.exceptions')}", ""]
        lines += [f"- {md_text(exception)}" for exception in form.exceptions]
    lines += ["", f"## {t('handover_form.signatures')}", ""]
    lines += [
        f"| {t('handover_form.role')} | {t('handover_form.name')} | {t('handover_form.time')} |",
        "|---|---|---|",
    ]
    if not form.signers:
        lines.append(f"| {t('handover_form.unsigned_short')} | | |")
    lines += [
        f"| {md_cell(s.role)} | {md_cell(s.name)} | {md_cell(s.signed_at)} |" for s in form.signers
    ]
    if form.chain_head:
        lines += ["", md_text(t("verify_anchor.form_head_line", head=form.chain_head))]
    return "\n".join(lines) + "\n"
