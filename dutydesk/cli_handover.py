"""Subcommands for the handover (交接班): PINs, the checklist, the sign-off, archives."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dutydesk.cli_support import fail, open_desk_for, print_json, reports_errors, require
from dutydesk.errors import DutyError
from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.roster.pins import SignIn

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
# What the command line accepts for a mark, and the state it records.
STATE_WORDS = {
    "done": "done",
    "not-done": "not_done",
    "ok": "ok",
    "fault": "fault",
    "ack": "acknowledged",
    "clear": "clear",
}


def read_secret(prompt: str, from_stdin: bool = False) -> str:
    """A PIN: asked hidden on a terminal, else (or with --pin-stdin) one line of standard input.
    Never echoed."""
    if not from_stdin and sys.stdin is not None and sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True, prompt_suffix=": "))
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise DutyError("handover_pin.no_input")
    return line.rstrip("\r\n")


def read_admin_pin(name: str, from_stdin: bool = False) -> str:
    return read_secret(t("authority.prompt_admin", name=name), from_stdin)


def _group(app: typer.Typer, name: str) -> typer.Typer:
    """A group made by another module's register() (e.g. `people`)."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


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


def register(app: typer.Typer) -> None:
    handover = typer.Typer(help=t("handover_cli.help"), no_args_is_help=True)
    archive = typer.Typer(help=t("handover_cli.archive_help"), no_args_is_help=True)
    app.add_typer(handover, name="handover")
    app.add_typer(archive, name="archive")
    people = _group(app, "people")

    @people.command("set-pin", help=t("handover_cli.set_pin_help"))
    @reports_errors
    def people_set_pin(
        ctx: typer.Context,
        name: str = typer.Argument(..., help=t("field.name")),
        by: str | None = typer.Option(None, "--by", help=t("cli.opt_by")),
        restored: bool = typer.Option(False, "--restored", help=t("cli.opt_restored")),
        pin_stdin: bool = typer.Option(False, "--pin-stdin", help=t("cli.opt_pin_stdin")),
    ) -> None:
        from dutydesk.services.roster.authority import authorise, restore_admin_pin
        from dutydesk.services.roster.people import find_person
        from dutydesk.services.roster.pins import has_pin, set_pin

        desk = open_desk_for(ctx)
        name = find_person(desk, name).name  # as stored: the typed name trimmed and NFC
        authority, current = None, None
        if by is not None:
            authority = authorise(desk, by, read_admin_pin(by, pin_stdin))
        elif not restored:
            if not has_pin(desk, name):
                raise DutyError("authority.first_pin", name=name)
            current = read_secret(t("handover_pin.prompt_current", name=name), pin_stdin)
        new_pin = read_secret(t("handover_pin.prompt_new", name=name), pin_stdin)
        again = read_secret(t("handover_pin.prompt_again"), pin_stdin)
        if restored and by is None:
            restore_admin_pin(desk, name, new_pin, again)
        else:
            set_pin(desk, name, new_pin, again, current, authority=authority)
        done = t("handover_pin.set", name=name)
        typer.echo(
            done + (t("authority.added_by", admin=authority.admin_name) if authority else "")
        )

    @handover.command("status", help=t("handover_cli.status_help"))
    @reports_errors
    def handover_status(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.handover.handover_checklist import build_checklist, checklist_to_json

        desk = open_desk_for(ctx)
        data = checklist_to_json(build_checklist(desk), desk.timezone)
        if as_json:
            print_json(data)
            return
        for line in _status_lines(data):
            typer.echo(line)

    @handover.command("mark", help=t("handover_cli.mark_help"))
    @reports_errors
    def handover_mark(
        ctx: typer.Context,
        item: str = typer.Argument(..., help=t("handover_cli.arg_item")),
        state: str = typer.Argument(..., help=" | ".join(STATE_WORDS)),
        note: str = typer.Option("", "--note", help=t("field.handover_note")),
        at: str | None = typer.Option(None, "--at", help=t("handover_cli.opt_at")),
    ) -> None:
        from dutydesk.services.core.timeparse import parse_time
        from dutydesk.services.handover.handover import mark

        if state not in STATE_WORDS:
            raise DutyError("handover.bad_word", state=state, choices=", ".join(STATE_WORDS))
        desk = open_desk_for(ctx)
        when = parse_time(at, desk.timezone, desk.now()) if at else None
        mark(desk, item, STATE_WORDS[state], note, when)
        shown = "open" if state == "clear" else STATE_WORDS[state]
        typer.echo(t("handover_cli.marked", item=item, state=t("handover_state." + shown)))

    @handover.command("sign", help=t("handover_cli.sign_help"))
    @reports_errors
    def handover_sign(
        ctx: typer.Context,
        outgoing: str | None = typer.Option(None, "--outgoing", help=t("field.outgoing")),
        incoming: str | None = typer.Option(None, "--incoming", help=t("field.incoming")),
        leader: str | None = typer.Option(None, "--leader", help=t("role.leader")),
        standby: str | None = typer.Option(None, "--standby", help=t("role.standby")),
        export_dir: Path | None = typer.Option(
            None, "--export-dir", help=t("handover_cli.opt_export_dir")
        ),
        outgoing_second: str | None = typer.Option(
            None, "--outgoing-second", help=t("handover_role.out_second")
        ),
        incoming_second: str | None = typer.Option(
            None, "--incoming-second", help=t("handover_role.in_second")
        ),
    ) -> None:
        from dutydesk.services.archive.export import export_handover
        from dutydesk.services.handover import handover as service
        from dutydesk.services.roster.people import find_person
        from dutydesk.services.roster.pins import verify_pin
        from dutydesk.services.roster.schedule import early_handover_warning

        desk = open_desk_for(ctx)
        out_name, in_name = require(outgoing, "outgoing"), require(incoming, "incoming")
        # Every check that needs no PIN comes first: bad input changes nothing.
        service.check_outgoing(desk, out_name)
        service.check_incoming(desk, in_name, out_name)
        if leader:
            service.check_leader(desk, leader, (out_name, in_name))
        if standby:
            find_person(desk, standby)
        service.check_second_signers(desk, out_name, outgoing_second, incoming_second)
        service.check_ready(desk)
        if early := early_handover_warning(desk):
            typer.echo(early)
        out_pin = read_secret(t("handover_pin.prompt_sign", name=out_name))
        signed_out = verify_pin(desk, out_name, out_pin)
        out_second = _second_signer(desk, outgoing_second)
        in_pin = read_secret(t("handover_pin.prompt_sign", name=in_name))
        signed_in = verify_pin(desk, in_name, in_pin)
        in_second = _second_signer(desk, incoming_second)
        signed_leader, leader_pin = None, ""
        if leader:
            leader_pin = read_secret(t("handover_pin.prompt_sign", name=leader))
            signed_leader = verify_pin(desk, leader, leader_pin)
        result = service.sign_off(
            desk,
            signed_out,
            signed_in,
            signed_leader,
            standby,
            outgoing_second=out_second[0] if out_second else None,
            incoming_second=in_second[0] if in_second else None,
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
        exported = export_handover(desk, result.handover.id, export_dir)  # type: ignore[arg-type]
        if exported.ok:
            typer.echo(t("handover_export.done", path=str(exported.path)))
        else:
            typer.echo(t("handover_export.failed_after_sign", reason=exported.error), err=True)
        signers = ((signed_out, out_pin), (signed_in, in_pin), (signed_leader, leader_pin),
                   out_second or (None, ""), in_second or (None, ""))  # fmt: skip
        _offer_new_pins(desk, [(s.name, pin) for s, pin in signers if s and s.pin_outdated])

    @app.command("export", help=t("handover_cli.export_help"))
    @reports_errors
    def export(
        ctx: typer.Context,
        to: Path | None = typer.Option(None, "--to", help=t("handover_cli.opt_to")),
        retry: bool = typer.Option(False, "--retry", help=t("handover_cli.opt_retry")),
    ) -> None:
        from dutydesk.services.archive.export import retry_exports, write_archive

        desk = open_desk_for(ctx)
        if not retry:
            typer.echo(t("handover_export.done", path=str(write_archive(desk, to))))
            return
        results = retry_exports(desk, to)
        if not results:
            typer.echo(t("handover_export.retry_none"))
        failed = [r for r in results if not r.ok]
        for result in results:
            if result.ok:
                typer.echo(t("handover_export.done", path=str(result.path)))
        if failed:
            fail(t("handover_export.retry_failed", count=len(failed), reason=failed[0].error))

    @archive.command("verify", help=t("handover_cli.verify_help"))
    @reports_errors
    def archive_verify(path: Path = typer.Argument(..., help=t("handover_cli.arg_path"))) -> None:
        report_archives(path)


def _offer_new_pins(desk: Any, outdated: list[tuple[str, str]]) -> None:
    """Signers whose PIN predates the current rule: on a terminal each is asked for a new one
    (Enter leaves it for later); otherwise told how to change it."""
    from dutydesk.services.roster.pins import set_pin

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


def report_archives(path: Path) -> None:
    """Check an archive (or a folder of them) and say so; exit 1 naming each failure."""
    from dutydesk.services.archive.archive_verify import verify_archives

    report = verify_archives(path)
    for note in report.notes:
        typer.echo(note.message())
    if report.ok:
        typer.echo(t("handover_verify.ok", count=len(report.archives)))
        return
    for problem in report.problems:
        typer.echo(problem.message())
    raise typer.Exit(1)


def _second_signer(desk, name: str | None) -> tuple[SignIn, str] | None:  # noqa: ANN001
    """A second officer's signature (Henan 三(一) 双人专职), with the PIN typed (kept only to
    offer a new one after the sign-off); nothing where no second officer is named."""
    from dutydesk.services.roster.pins import verify_pin

    if not name:
        return None
    pin = read_secret(t("handover_pin.prompt_sign", name=name))
    return verify_pin(desk, name, pin), pin
