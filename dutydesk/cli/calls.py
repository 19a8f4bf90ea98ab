"""`dutydesk calls ...`: the telephone register (add, list, show, amend)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors, require
from dutydesk.i18n import t
from dutydesk.widgets.literal import one_line

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk

app = group("cli.calls_help")


@app.command("add", help="cli.calls_add_help")
@reports_errors
def calls_add(
    ctx: typer.Context,
    caller: str | None = typer.Option(None, "--caller", help="field.caller"),
    unit: str | None = typer.Option(None, "--unit", help="field.unit"),
    phone: str | None = typer.Option(None, "--phone", help="field.phone"),
    summary: str | None = typer.Option(None, "--summary", help="field.summary"),
    direction: str = typer.Option("in", "--direction", help="cli.opt_direction"),
    category: str = typer.Option("other", "--category", help="cli.opt_category"),
    verified: bool = typer.Option(False, "--verified/--not-verified", help="field.verified"),
    handling: str = typer.Option("", "--handling", help="field.handling"),
    place: str = typer.Option("", "--place", help="field.place"),
    follow_up: bool = typer.Option(False, "--follow-up", help="field.follow_up"),
    received_at: str | None = typer.Option(None, "--received-at", help="cli.opt_time"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.errors import FieldProblem, ValidationFailed
    from dutydesk.services.calls import CallDraft, call_to_json, get_call, save_call, validate

    desk = open_desk_for(ctx)
    when = parse_received_at(desk, received_at)
    draft = CallDraft(
        caller=caller or "",
        unit=unit or "",
        phone=phone or "",
        summary=summary or "",
        direction=choice_code("direction", direction),
        category=choice_code("category", category),
        verified=verified,
        handling=handling,
        follow_up=follow_up,
        received_at=when,
        place=place,
    )
    problems = validate(desk, draft)
    if problems:
        flags = {"caller": caller, "unit": unit, "phone": phone, "summary": summary}
        missing = [FieldProblem(f, "problem.required") for f, v in flags.items() if v is None]
        raise ValidationFailed(missing or problems)
    record = save_call(desk, draft, recorder(desk, as_name))
    index_saved_calls(desk)
    if as_json:
        print_json(call_to_json(get_call(desk, record.number)[0], desk.timezone))
    else:
        typer.echo(record.number)


@app.command("list", help="cli.calls_list_help")
@reports_errors
def calls_list(
    ctx: typer.Context,
    search: str | None = typer.Option(None, "--search", help="cli.opt_search"),
    since: str | None = typer.Option(None, "--since", help="cli.opt_since"),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="cli.opt_limit"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.calls import call_to_json, list_calls
    from dutydesk.services.core import parse_filter_time

    desk = open_desk_for(ctx)
    since_at = parse_filter_time(desk, since) if since else None
    views = list_calls(desk, search=search, since=since_at, limit=limit)
    if as_json:
        print_json([call_to_json(view, desk.timezone) for view in views])
        return
    for view in views:
        when = view.received_at.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")
        line = (
            f"{view.number}  {when}  {t('direction.' + view.direction)}  "  # one record a line:
            f"{one_line(view.caller)}  {one_line(view.unit)}  {one_line(view.phone)}  "  # typed
            f"{one_line(view.summary)}"  # line breaks must not fake a record (breaker, session 10)
        )
        if view.amended_by:
            line += "  " + t("calls.amended_mark", number=view.amended_by)
        typer.echo(line)
    if not views:
        typer.echo(t("calls.none_found"), err=True)


@app.command("show", help="cli.calls_show_help")
@reports_errors
def calls_show(
    ctx: typer.Context,
    number: str = typer.Argument(..., help="field.number"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.calls import call_to_json, get_call

    desk = open_desk_for(ctx)
    view, history = get_call(desk, number)
    if as_json:
        data = call_to_json(view, desk.timezone)
        data["history"] = [call_to_json(line, desk.timezone) for line in history]
        print_json(data)
        return
    for line in _shown_lines(call_to_json(view, desk.timezone)):  # words, not JSON (QA)
        typer.echo(line)
    if len(history) > 1:
        typer.echo("\n" + t("calls.history"))
        for entry in history:
            typer.echo("")
            for line in _shown_lines(call_to_json(entry, desk.timezone)):
                typer.echo("  " + line)


SHOWN_FIELDS = ("number", "received_at", "recorded_at", "direction", "caller", "unit", "phone",
                "place", "category", "summary", "handling", "verified", "follow_up",
                "recorded_by", "amends", "amend_reason")  # fmt: skip


def _shown_lines(data: dict[str, Any]) -> list[str]:
    """A call's fields one a line, labelled in the officer's language (as the handover CSV is);
    typed text on one line each, so it cannot fake another field."""
    lines = []
    for name in SHOWN_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            value = t("handover_csv.yes" if value else "handover_csv.no")
        elif name in ("received_at", "recorded_at"):
            value = value[:19].replace("T", " ")
        elif name in ("direction", "category"):
            value = t(f"{name}.{value}")
        label = t("field.caller_out") if name == "caller" and data["direction"] == "out" else t(f"handover_csv.{name}")  # fmt: skip
        lines.append(t("calls.field_line", label=label, value=one_line(str(value))))
    return lines


@app.command("amend", help="cli.calls_amend_help")
@reports_errors
def calls_amend(
    ctx: typer.Context,
    number: str = typer.Argument(..., help="field.number"),
    reason: str | None = typer.Option(None, "--reason", help="field.reason"),
    caller: str | None = typer.Option(None, "--caller", help="field.caller"),
    unit: str | None = typer.Option(None, "--unit", help="field.unit"),
    phone: str | None = typer.Option(None, "--phone", help="field.phone"),
    summary: str | None = typer.Option(None, "--summary", help="field.summary"),
    handling: str | None = typer.Option(None, "--handling", help="field.handling"),
    place: str | None = typer.Option(None, "--place", help="field.place"),
    category: str | None = typer.Option(None, "--category", help="cli.opt_category"),
    direction: str | None = typer.Option(None, "--direction", help="cli.opt_direction"),
    verified: bool | None = typer.Option(None, "--verified/--not-verified", help="field.verified"),
    follow_up: bool | None = typer.Option(
        None, "--follow-up/--no-follow-up", help="cli.opt_amend_follow_up"
    ),
    received_at: str | None = typer.Option(None, "--received-at", help="cli.opt_time"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.calls import call_to_json, get_call, record_correction

    desk = open_desk_for(ctx)
    reason_text = require(reason, "reason")
    changes: dict[str, Any] = {
        name: value
        for name, value in {
            "caller": caller,
            "unit": unit,
            "phone": phone,
            "summary": summary,
            "handling": handling,
            "place": place,
            "category": category and choice_code("category", category),
            "direction": direction and choice_code("direction", direction),
            "verified": verified,
            "follow_up": follow_up,
        }.items()
        if value is not None
    }
    if received_at is not None:
        changes["received_at"] = parse_received_at(desk, received_at)
    done = record_correction(desk, number, reason_text, changes, recorder(desk, as_name))
    index_saved_calls(desk)
    if as_json:
        print_json(call_to_json(get_call(desk, done.record.number)[0], desk.timezone))
        return
    typer.echo(t("calls.amended", number=done.record.number, original=number))
    if done.pending_said():  # 需跟进 ticked or unticked: what became of the pending item
        typer.echo(done.pending_said())


def parse_received_at(desk: Desk, text: str | None) -> DateTime | None:
    """When the call came in (a short time ahead of now: the day before's, within the shift)."""
    from dutydesk.services.core import parse_time
    from dutydesk.services.roster import current_shift

    if text is None:
        return None
    shift = current_shift(desk)
    return parse_time(
        text, desk.timezone, now=desk.now(), back_to=shift.starts_at if shift else None
    )


def choice_code(section: str, value: str) -> str:
    """The code of a category or direction given as its code or as its name in either
    language (咨询, Inquiry); anything else unchanged, for the service to refuse with the list."""
    from dutydesk.i18n import LANGUAGES, catalogue

    typed = value.strip().casefold()
    prefix = section + "."
    for lang in LANGUAGES:
        for key, label in catalogue(lang).items():
            code = key.removeprefix(prefix)
            if key.startswith(prefix) and typed in (code.casefold(), label.casefold()):
                return code
    return value


def index_saved_calls(desk: Desk) -> None:
    """The calls just written into the search indexes (the app's upkeep does it after a save).
    The call is saved whatever happens here: a busy register leaves it to the next writer's
    upkeep, and the search finds it meanwhile."""
    import sqlite3
    from contextlib import suppress

    from dutydesk.errors import DutyError
    from dutydesk.services.core import catch_up

    with suppress(DutyError, sqlite3.Error):  # verify names a damaged mark; reindex mends it
        catch_up(desk)
