"""The shift's 值班抽查表 (District 工作制度 6 hands it over with the 值班交接表): one line per
drawn unit of each round, in the columns of the district form: unit, time, method, answered by,
result, faults (with the round and a note). The line shows the unit's result as it stands; the
note adds the earlier attempts not answered and, for a corrected result, the original result
and the reason (原结果, 更正原因), so a unit is never listed twice in a round."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from dutydesk.i18n import t
from dutydesk.services.core import md_cell, md_text, safe_rows
from dutydesk.services.spotcheck.spotcheck_views import (
    UNREACHED,
    DrawnUnit,
    OutcomeView,
    QuotaStatus,
    quota_status,
)

if TYPE_CHECKING:
    from dutydesk.models import Shift
    from dutydesk.services.core import Desk

COLUMNS = ("round", "unit", "time", "method", "answered_by", "result", "faults", "note")
TIME_FORMAT = "MM-DD HH:mm"


def header() -> list[str]:
    return [t(f"spotcheck_table.{column}") for column in COLUMNS]


def result_label(outcome: OutcomeView) -> str:
    if not outcome.answered:
        return t("spotcheck_result.not_answered")
    return t("spotcheck_result.faults" if outcome.faults else "spotcheck_result.ok")


def _answered_by(outcome: OutcomeView) -> str:
    if not outcome.answered:
        return ""
    name = outcome.answered_by or t("spotcheck_table.name_not_given")
    if outcome.on_roster is False:
        name += t("spotcheck_table.not_on_roster")
    return name


def _faults(outcome: OutcomeView) -> str:
    return t("spotcheck.list_separator").join(t(f"spotcheck_fault.{f}") for f in outcome.faults)


def _outcome_text(outcome: OutcomeView) -> str:
    """An outcome in a few words, for the note: result, faults, who answered."""
    text = result_label(outcome)
    if outcome.faults:
        text += t("spotcheck_table.faults_of", faults=_faults(outcome))
    by = _answered_by(outcome)
    return text + (t("spotcheck_table.by_of", name=by) if by else "")


def _note(unit: DrawnUnit, zone: str) -> str:
    *earlier, latest = unit.outcomes
    parts = [latest.note] if latest.note else []
    parts.extend(
        t("spotcheck_table.earlier", time=o.checked_at.in_timezone(zone).format(TIME_FORMAT),
          method=t(f"spotcheck_method.{o.method}"), result=_outcome_text(o))
        for o in earlier
    )  # fmt: skip
    original = latest.original
    if original is not None:
        parts.append(
            t("spotcheck_table.corrected", original=_outcome_text(original),
              reason=latest.correction_reason)
        )  # fmt: skip
    return t("spotcheck.separator").join(parts)


def _unit_row(number: int, unit: DrawnUnit, zone: str) -> list[str]:
    latest = unit.latest
    if latest is None:
        state = "unreached" if unit.state == UNREACHED else "pending"
        return [str(number), unit.name, "", "", "", t(f"spotcheck_result.{state}"), "",
                unit.unreached_reason or ""]  # fmt: skip
    return [
        str(number),
        unit.name,
        latest.checked_at.in_timezone(zone).format(TIME_FORMAT),
        t(f"spotcheck_method.{latest.method}"),
        _answered_by(latest),
        result_label(latest),
        _faults(latest),
        _note(unit, zone),
    ]


def table_rows(status: QuotaStatus, zone: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for round_ in status.rounds:
        for unit in round_.units:
            rows.append(_unit_row(round_.number, unit, zone))
    return rows


def check_table(desk: Desk, shift: Shift) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the shift's 值班抽查表, as text (the handover archives it as CSV)."""
    return header(), table_rows(quota_status(desk, shift), desk.timezone)


def render_csv(desk: Desk, shift: Shift | None = None) -> str:
    status = quota_status(desk, shift)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(safe_rows([header(), *table_rows(status, desk.timezone)]))
    return buffer.getvalue()


def quota_line(status: QuotaStatus) -> str:
    if status.rounds_required is None:
        return t("spotcheck.quota_free", done=status.rounds_done, cite=status.cite)
    line = t(
        "spotcheck.quota_line",
        done=status.rounds_done,
        required=status.rounds_required,
        percent=round((status.rate or 0) * 100),
        cite=status.cite,
    )
    return line + (t("spotcheck.short_mark") if status.short else "")


def render_markdown(desk: Desk, shift: Shift | None = None) -> str:
    """The 值班抽查表 as a markdown table under a title, the office, the shift and the quota."""
    from dutydesk.services.roster import current_shift

    shift = shift or current_shift(desk)
    status = quota_status(desk, shift)
    assert shift is not None
    zone = desk.timezone
    lines = [
        f"# {t('spotcheck_table.title')}",
        "",
        t(
            "spotcheck_table.heading",
            office=md_text(desk.office.name),
            shift=t(f"shift.{shift.slot_code}"),
            start=shift.starts_at.in_timezone(zone).format("YYYY-MM-DD HH:mm"),
            end=shift.ends_at.in_timezone(zone).format("YYYY-MM-DD HH:mm"),
        ),
        "",
        quota_line(status),
        "",
        "| " + " | ".join(header()) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    rows = table_rows(status, zone)
    lines.extend("| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in rows)
    if not rows:
        lines.append(t("spotcheck_table.empty"))
    return "\n".join(lines) + "\n"
