"""`dutydesk handover ...`: the handover (交接班): the checklist, marks, the sign-off."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dutydesk.cli.choices import choice_argument
from dutydesk.cli.support import (
    group,
    open_desk_for,
    print_json,
    read_secret,
    reports_errors,
    require,
)
from dutydesk.errors import DutyError
from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.roster import SignIn

app = group("handover_cli.help")


STATE_MARKS = {
    "open": "[ ]",
    "done": "[x]",
    "ok": "[x]",
    "acknowledged": "[x]",
    "closed": "[x]",
    "met": "[x]",
    "no_quota": "[x]",
    "not_done": "[-]",
    "fault": "[!]",
}
# What the command line accepts for a mark: the states the checklist records and lists when a
# mark does not fit an item (one spelling: `not_done`, `acknowledged`), or their names (未完成).
STATE_WORDS = ("done", "not_done", "ok", "fault", "acknowledged", "clear")


def _status_lines(data: dict[str, Any]) -> list[str]:
    shift = data["shift"]
    lines = [
        t(
            "handover_cli.status_head",
            shift=t("shift." + shift["slot"]),
            officer=shift["officer"],
            due=data["due_at"][11:16],
            day=data["due_at"][5:10],
            arrive_by=data["arrive_by"][11:16],
        )
    ]
    from dutydesk.services.roster.schedule import (
        CALENDAR_NOTES,  # lazily: keeps SQLModel off start-up
    )

    if data["calendar"] in CALENDAR_NOTES:
        lines.append(t("handover_schedule.calendar_" + data["calendar"]))
    for item in data["items"]:
        lines.append(
            t(
                "handover_cli.status_line",
                mark=STATE_MARKS.get(item["state"], "[?]"),
                item=item["key"],
                label=item["label"],
                cite=item["cite"],
                state=t("handover_state." + item["state"]),
            )
            + (f" — {item['note']}" if item["note"] else "")
        )
    for section in data["absent"]:
        lines.append(t("handover_form.absent_" + section))
    if data["ready"]:
        lines.append(t("handover_cli.ready"))
    else:
        lines.append(t("handover_cli.not_ready", count=len(data["blocking"])))
    return lines


@app.command("status", help="handover_cli.status_help")
@reports_errors
def handover_status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.handover import build_checklist, checklist_to_json

    desk = open_desk_for(ctx)
    data = checklist_to_json(build_checklist(desk), desk.timezone)
    if as_json:
        print_json(data)
        return
    for line in _status_lines(data):
        typer.echo(line)


@app.command("mark", help="handover_cli.mark_help")
@reports_errors
def handover_mark(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="handover_cli.arg_item"),
    state: str = choice_argument(
        ...,
        section="handover_state",
        codes={**{word: word for word in STATE_WORDS}, "clear": "open"},
        help="choices.state_help",
    ),
    note: str = typer.Option("", "--note", help="field.handover_note"),
    at: str | None = typer.Option(None, "--at", help="handover_cli.opt_at"),
) -> None:
    from dutydesk.services.core import parse_time
    from dutydesk.services.handover import mark

    if state not in STATE_WORDS:
        raise DutyError("handover.bad_word", state=state, choices=", ".join(STATE_WORDS))
    desk = open_desk_for(ctx)
    when = parse_time(at, desk.timezone, desk.now()) if at else None
    mark(desk, item, state, note, when)
    shown = "open" if state == "clear" else state
    typer.echo(t("handover_cli.marked", item=item, state=t("handover_state." + shown)))


@app.command("sign", help="handover_cli.sign_help")
@reports_errors
def handover_sign(
    ctx: typer.Context,
    outgoing: str | None = typer.Option(None, "--outgoing", help="field.outgoing"),
    incoming: str | None = typer.Option(None, "--incoming", help="field.incoming"),
    leader: str | None = typer.Option(None, "--leader", help="role.leader"),
    standby: str | None = typer.Option(None, "--standby", help="role.standby"),
    export_dir: Path | None = typer.Option(
        None, "--export-dir", help="handover_cli.opt_export_dir"
    ),
    outgoing_second: str | None = typer.Option(
        None, "--outgoing-second", help="handover_role.out_second"
    ),
    incoming_second: str | None = typer.Option(
        None, "--incoming-second", help="handover_role.in_second"
    ),
) -> None:
    from dutydesk.services.archive import export_handover
    from dutydesk.services.handover import check_distinct_signers
    from dutydesk.services.handover import handover as service
    from dutydesk.services.roster import early_handover_warning, find_person, incoming_runs

    desk = open_desk_for(ctx)
    out_name, in_name = require(outgoing, "outgoing"), require(incoming, "incoming")
    # Every check that needs no PIN comes first: bad input changes nothing.
    service.check_outgoing(desk, out_name)
    service.check_incoming(desk, in_name, out_name)
    if leader:
        service.check_leader(desk, leader, (out_name, in_name))
    if standby:
        find_person(desk, standby)
    check_distinct_signers(desk, [out_name, outgoing_second, in_name, incoming_second, leader])
    service.check_second_signers(desk, out_name, outgoing_second, incoming_second)
    service.check_ready(desk)
    if early := early_handover_warning(desk):
        typer.echo(early)
    signed = _signatures(desk, out_name, outgoing_second, in_name, incoming_second, leader)
    result = service.sign_off(
        desk,
        signed["outgoing"][0],
        signed["incoming"][0],
        signed["leader"][0] if "leader" in signed else None,
        standby,
        outgoing_second=signed["out_second"][0] if "out_second" in signed else None,
        incoming_second=signed["in_second"][0] if "in_second" in signed else None,
    )
    typer.echo(
        t(
            "handover_cli.signed",
            outgoing=out_name,
            incoming=in_name,
            pending=result.carried_pending,
            deadlines=result.carried_deadlines,
        )
    )
    typer.echo(incoming_runs(desk, result.incoming_shift))  # an early one may be the next shift
    exported = export_handover(desk, result.handover.id, export_dir)  # type: ignore[arg-type]  # a stored row has its id
    for note in exported.notes:  # the signing key: said loudly (services/archive/desk_key.py)
        typer.echo(note, err=True)
    if exported.ok:
        typer.echo(t("handover_export.done", path=str(exported.path)))
    else:
        typer.echo(t("handover_export.failed_after_sign", reason=exported.error), err=True)
    outdated = [(s.name, pin) for s, pin in signed.values() if s.pin_outdated]
    _offer_new_pins(desk, outdated)


def _signatures(
    desk: Desk,
    outgoing: str,
    outgoing_second: str | None,
    incoming: str,
    incoming_second: str | None,
    leader: str | None,
) -> dict[str, tuple[SignIn, str]]:
    """Each signer's PIN asked in turn (outgoing side, incoming side, leader), each checked as
    it is typed; the typed PIN is kept only to offer a new one after the sign-off."""
    from dutydesk.services.roster import verify_pin

    names = {"outgoing": outgoing, "out_second": outgoing_second, "incoming": incoming,
             "in_second": incoming_second, "leader": leader}  # fmt: skip
    signed: dict[str, tuple[SignIn, str]] = {}
    for role, name in names.items():
        if name:
            pin = read_secret(t("handover_pin.prompt_sign", name=name))
            signed[role] = (verify_pin(desk, name, pin), pin)
    return signed


def _offer_new_pins(desk: Desk, outdated: list[tuple[str, str]]) -> None:
    """Signers whose PIN predates the current rule: on a terminal each is asked for a new one
    (Enter leaves it for later); otherwise told how to change it."""
    from dutydesk.services.roster import set_pin

    for name, current in outdated:
        typer.echo(t("pin_rule.outdated_cli", name=name), err=True)
        if sys.stdin is None or not sys.stdin.isatty():
            continue
        new_pin = str(typer.prompt(t("pin_rule.prompt_new", name=name), default="",
                                   show_default=False, hide_input=True))  # fmt: skip
        if not new_pin:
            continue
        try:
            set_pin(desk, name, new_pin, read_secret(t("handover_pin.prompt_again")), current)
        except DutyError as error:  # the sign-off stands; the PIN can be changed later
            typer.echo(error.message(), err=True)
            continue
        typer.echo(t("handover_pin.set", name=name))
