"""`dutydesk spotcheck ...`: spot checks (值班抽查): draw, record, close, status, the table,
replay a draw, a unit's history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from dutydesk.cli.choices import choice_option
from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors, require
from dutydesk.errors import DutyError
from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.spotcheck import RoundView
    from dutydesk.services.spotcheck.spotcheck_views import OutcomeView

app = group("spotcheck_cli.help")


def _whole(value: str, key: str) -> int:
    """A whole number typed by the user, refused in the user's language."""
    text = value.strip()
    if not text.isdecimal():
        raise DutyError(key, value=value)
    return int(text)


def _reasons(values: list[str] | None) -> dict[str | int, str]:
    reasons: dict[str | int, str] = {}
    for value in values or []:
        unit, sep, text = value.replace("＝", "=").partition("=")
        if not sep or not unit.strip():
            raise DutyError("spotcheck.bad_reason", value=value)
        reasons[unit.strip()] = text
    return reasons


def _round_json(view: RoundView, zone: str) -> dict[str, object]:
    return {
        "round_id": view.id,
        "number": view.number,
        "drawn_at": view.drawn_at.in_timezone(zone).isoformat(),
        "seed": view.seed,
        "rate": view.rate,
        "required": view.required,
        "active_units": view.active_units,
        "drawn": [unit.name for unit in view.units],
        "covered": view.covered,
        "closed": view.closed,
        "meets_quota": view.meets_quota,
        "pending": [unit.name for unit in view.missing],
        "unreached": {u.name: u.unreached_reason for u in view.units if u.unreached_reason},
    }


@app.command("sample", help="spotcheck_cli.sample_help")
@reports_errors
def spot_sample(
    ctx: typer.Context,
    seed: str | None = typer.Option(None, "--seed", help="spotcheck_cli.opt_seed"),
    count: str | None = typer.Option(None, "--count", help="spotcheck_cli.opt_count"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.spotcheck import start_round

    desk = open_desk_for(ctx)
    seed_value = _whole(seed, "spotcheck.bad_seed_text") if seed is not None else None
    count_value = _whole(count, "spotcheck.bad_count_text") if count is not None else None
    view = start_round(desk, recorder(desk, as_name), seed_value, count_value)
    if as_json:
        data = _round_json(view, desk.timezone)
        print_json({key: data[key] for key in (
            "round_id", "number", "seed", "rate", "required", "active_units", "drawn")})  # fmt: skip
        return
    typer.echo(
        t("spotcheck.drawn", number=view.number, id=view.id, seed=view.seed,
          drawn=len(view.units), active=view.active_units, required=view.required,
          cite=desk.profile.spotcheck.quota_cite)
    )  # fmt: skip
    for unit in view.units:
        typer.echo(f"  {unit.position}. {unit.name}  {unit.duty_phone}")


class _Check:
    """The options of `record` and `correct` that describe a check, as typed."""

    def __init__(self, method: str | None, answered: bool | None, by: str, no_name: bool,
                 on_roster: bool | None, fault: list[str] | None, note: str) -> None:  # fmt: skip
        if answered is None:
            raise DutyError(
                "error.missing_option", field=t("field.spotcheck_answered"),
                option="--answered / --not-answered",
            )  # fmt: skip
        self.fields: dict[str, Any] = {
            "method": require(method, "spotcheck_method", "--method"), "answered": answered,
            "answered_by": by, "name_not_asked": no_name, "on_roster": on_roster,
            "faults": fault or [], "note": note,
        }  # fmt: skip


_METHOD = choice_option(
    None, "--method", section="spotcheck_method", help="spotcheck_cli.opt_method"
)
_ANSWERED = typer.Option(None, "--answered/--not-answered", help="spotcheck_cli.opt_answered")
_BY = typer.Option("", "--by", help="field.spotcheck_answered_by")
_NO_NAME = typer.Option(False, "--no-name", help="spotcheck_cli.opt_no_name")
_ON_ROSTER = typer.Option(None, "--on-roster/--not-on-roster", help="spotcheck_cli.opt_on_roster")
_FAULT = choice_option(None, "--fault", section="spotcheck_fault", help="spotcheck_cli.opt_fault")
_NOTE = typer.Option("", "--note", help="field.note")
_AT = typer.Option(None, "--at", help="cli.opt_time")
_AS = typer.Option(None, "--as", help="cli.opt_as")


def _unit_now(view: RoundView) -> tuple[str, OutcomeView]:
    """The unit just written and its outcome as it stands (the newest row of the round)."""
    latest = max((o for u in view.units for o in u.outcomes), key=lambda o: o.id)
    return next(u.name for u in view.units if u.unit_id == latest.unit_id), latest


@app.command("record", help="spotcheck_cli.record_help")
@reports_errors
def spot_record(
    ctx: typer.Context,
    round_id: str = typer.Argument(..., help="spotcheck_cli.opt_round"),
    unit: str = typer.Argument(..., help="field.spotcheck_unit_name"),
    method: str | None = _METHOD, answered: bool | None = _ANSWERED, by: str = _BY,
    no_name: bool = _NO_NAME, on_roster: bool | None = _ON_ROSTER,
    fault: list[str] | None = _FAULT, note: str = _NOTE, at: str | None = _AT,
    as_name: str | None = _AS,
) -> None:  # fmt: skip
    from dutydesk.services.core import parse_time
    from dutydesk.services.spotcheck import record_outcome, result_label

    desk = open_desk_for(ctx)
    number = _whole(round_id, "spotcheck.bad_round_id")
    check = _Check(method, answered, by, no_name, on_roster, fault, note)
    when = parse_time(at, desk.timezone, now=desk.now()) if at is not None else None
    view = record_outcome(desk, number, unit, recorder(desk, as_name), checked_at=when,
                          **check.fields)  # fmt: skip
    name, latest = _unit_now(view)
    typer.echo(t("spotcheck.recorded", number=view.number, unit=name,
                 result=result_label(latest), left=len(view.missing)))  # fmt: skip


@app.command("correct", help="spotcheck_cli.correct_help")
@reports_errors
def spot_correct(
    ctx: typer.Context,
    round_id: str = typer.Argument(..., help="spotcheck_cli.opt_round"),
    unit: str = typer.Argument(..., help="field.spotcheck_unit_name"),
    reason: str | None = typer.Option(None, "--reason", help="spotcheck_cli.opt_correction_reason"),
    method: str | None = _METHOD, answered: bool | None = _ANSWERED, by: str = _BY,
    no_name: bool = _NO_NAME, on_roster: bool | None = _ON_ROSTER,
    fault: list[str] | None = _FAULT, note: str = _NOTE, at: str | None = _AT,
    as_name: str | None = _AS,
) -> None:  # fmt: skip
    from dutydesk.services.core import parse_time
    from dutydesk.services.spotcheck import correct_outcome, result_label

    desk = open_desk_for(ctx)
    number = _whole(round_id, "spotcheck.bad_round_id")
    reason_text = require(reason, "spotcheck_correction_reason", "--reason")
    check = _Check(method, answered, by, no_name, on_roster, fault, note)
    when = parse_time(at, desk.timezone, now=desk.now()) if at is not None else None
    view = correct_outcome(desk, number, unit, recorder(desk, as_name), reason=reason_text,
                           checked_at=when, **check.fields)  # fmt: skip
    name, latest = _unit_now(view)
    original = latest.corrects
    typer.echo(t("spotcheck.corrected", number=view.number, unit=name,
                 original=result_label(original) if original else "", result=result_label(latest),
                 reason=latest.correction_reason))  # fmt: skip


@app.command("close", help="spotcheck_cli.close_help")
@reports_errors
def spot_close(
    ctx: typer.Context,
    round_id: str = typer.Argument(..., help="spotcheck_cli.opt_round"),
    reason: list[str] | None = typer.Option(None, "--reason", help="spotcheck_cli.opt_reason"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.spotcheck import close_round

    desk = open_desk_for(ctx)
    number = _whole(round_id, "spotcheck.bad_round_id")
    view = close_round(desk, number, recorder(desk, as_name), _reasons(reason))
    key = "spotcheck.closed" if view.meets_quota else "spotcheck.closed_short"
    typer.echo(t(key, number=view.number, id=view.id, covered=view.covered,
                 drawn=len(view.units), required=view.required))  # fmt: skip


@app.command("status", help="spotcheck_cli.status_help")
@reports_errors
def spot_status(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="cli.opt_json")
) -> None:
    from dutydesk.services.spotcheck import quota_line, quota_status

    desk = open_desk_for(ctx)
    status = quota_status(desk)
    if as_json:
        print_json({
            "shift_id": status.shift_id, "rate": status.rate,
            "rounds_required": status.rounds_required, "rounds_done": status.rounds_done,
            "short": status.short, "cite": status.cite,
            "rounds": [_round_json(r, desk.timezone) for r in status.rounds],
        })  # fmt: skip
        return
    typer.echo(quota_line(status))
    for r in status.rounds:
        state = "met" if r.meets_quota else "closed_short" if r.closed else "open"
        typer.echo(
            t("spotcheck.status_round", number=r.number, id=r.id,
              at=r.drawn_at.in_timezone(desk.timezone).format("MM-DD HH:mm"),
              covered=r.covered, drawn=len(r.units), required=r.required,
              state=t(f"spotcheck_state.{state}"))
        )  # fmt: skip


@app.command("table", help="spotcheck_cli.table_help")
@reports_errors
def spot_table(
    ctx: typer.Context,
    as_csv: bool = typer.Option(False, "--csv", help="spotcheck_cli.opt_csv"),
) -> None:
    from dutydesk.services.spotcheck import render_csv, render_markdown

    desk = open_desk_for(ctx)
    typer.echo(render_csv(desk) if as_csv else render_markdown(desk), nl=False)


@app.command("replay", help="spotcheck_cli.replay_help")
@reports_errors
def spot_replay(
    ctx: typer.Context, round_id: str = typer.Argument(..., help="spotcheck_cli.opt_round")
) -> None:
    from dutydesk.services.spotcheck import verify_round

    desk = open_desk_for(ctx)
    number = _whole(round_id, "spotcheck.bad_round_id")
    if not verify_round(desk, number):
        raise DutyError("spotcheck.replay_differs", id=number)
    typer.echo(t("spotcheck.replay_same", id=number))


@app.command("history", help="spotcheck_cli.history_help")
@reports_errors
def spot_history(
    ctx: typer.Context,
    unit: str = typer.Argument(..., help="field.spotcheck_unit_name"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.spotcheck import HISTORY_DAYS, late_mark_to_json, unit_history

    desk = open_desk_for(ctx)
    history = unit_history(desk, unit)
    zone = desk.timezone
    last = history.last_checked.in_timezone(zone) if history.last_checked else None
    if as_json:
        print_json({
            "unit": history.unit.name, "last_checked": last.isoformat() if last else None,
            "days": HISTORY_DAYS, "checks": history.checks,
            "not_answered": history.not_answered, "faults": history.faults,
            "late_reports": [late_mark_to_json(m, zone) for m in history.late_reports],
        })  # fmt: skip
        return
    faults = t("spotcheck.list_separator").join(
        f"{t('spotcheck_fault.' + code)}×{times}" for code, times in history.faults.items()
    )
    typer.echo(
        t("spotcheck.history", unit=history.unit.name, days=HISTORY_DAYS,
          last=last.format("YYYY-MM-DD HH:mm") if last else t("spotcheck.never"),
          checks=history.checks, not_answered=history.not_answered,
          faults=faults or t("spotcheck.no_faults"), late=len(history.late_reports))
    )  # fmt: skip
    for mark in history.late_reports:
        typer.echo(
            t("spotcheck.history_late", incident=mark.incident,
              channel=t("spotcheck_report_channel." + mark.channel),
              due=mark.due_at.in_timezone(zone).format("MM-DD HH:mm"),
              reported=mark.reported_at.in_timezone(zone).format("MM-DD HH:mm"),
              minutes=mark.late_minutes, cite=mark.cite)
        )  # fmt: skip
