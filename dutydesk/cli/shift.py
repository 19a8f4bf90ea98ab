"""`dutydesk shift ...`: open a shift, and what the desk is on now."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from dutydesk.cli.calendar import calendar_warning
from dutydesk.cli.support import (
    group,
    open_desk_for,
    read_secret,
    recorder,
    reports_errors,
    require,
)
from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.core import Desk

app = group("cli.shift_help")


@app.command("open", help="cli.shift_open_help")
@reports_errors
def shift_open(
    ctx: typer.Context,
    officer: str | None = typer.Option(None, "--officer", help="role.officer"),
    leader: str | None = typer.Option(None, "--leader", help="role.leader"),
    standby: str | None = typer.Option(None, "--standby", help="role.standby"),
    second_officer: str | None = typer.Option(None, "--second-officer", help="role.second_officer"),
    reason: str = typer.Option("", "--reason", help="shift_roster.opt_reason"),
    approver: str = typer.Option("", "--approver", help="shift_roster.opt_approver"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="shift_roster.opt_pin_stdin"),
    rest_override: str = typer.Option("", "--rest-override", help="roster_rest.opt"),
) -> None:
    """Open the shift: the rostered people where none is named (said as such); anyone else
    only with a substitution (--reason, --approver and the approver's PIN)."""
    from dutydesk.services.roster.shift_roster import Approval, open_from_roster, proposal

    desk = open_desk_for(ctx)
    named = {"officer": officer, "second_officer": second_officer, "leader": leader,
             "standby": standby}  # fmt: skip
    plan = proposal(desk)
    chosen = {role: name or plan.names[role] for role, name in named.items()}
    require(chosen["officer"], "officer")
    approval = None
    if reason.strip():
        pin = read_secret(t("handover_pin.prompt_sign", name=approver), pin_stdin)
        approval = Approval(reason, approver, pin, rest_override)
    opened = open_from_roster(desk, chosen, approval)
    # Who the roster put on the shift is said once it has opened: a refusal says only itself.
    if plan.rostered is not None and any(not name for name in named.values()):
        shown = [t("shift_roster.role_name", role=t("role." + role), name=name)
                 for role, name in chosen.items() if name]  # fmt: skip
        typer.echo(t("shift_roster.proposed", names=t("shift_roster.sep").join(shown)))
    typer.echo(
        t(
            "shift.opened",
            shift=t("shift." + opened.slot_code),
            start=opened.starts_at.in_timezone(desk.timezone).format("MM-DD HH:mm"),
            end=opened.ends_at.in_timezone(desk.timezone).format("MM-DD HH:mm"),
        )
    )


@app.command("status", help="cli.shift_status_help")
@reports_errors
def shift_status(ctx: typer.Context) -> None:
    from dutydesk.services.roster import on_duty, shift_heading, shift_window

    desk = open_desk_for(ctx)
    duty = on_duty(desk)
    # the shift the app's header names: the one on duty until its due handover
    heading = shift_heading(
        desk, shift_window(desk.profile, desk.now()), duty.shift if duty else None
    )
    typer.echo(
        t(
            "shift.window",
            shift=t("shift." + heading.code),
            start=heading.starts_at.format("MM-DD HH:mm"),
            end=heading.ends_at.format("MM-DD HH:mm"),
            cite=heading.cite,
        )
    )
    if warning := calendar_warning(desk):
        typer.echo(warning)
    if duty is None:
        typer.echo(t("shift.none_open"))
    else:
        crew = [t("header.on_duty", officer=duty.officer, leader=duty.leader or "—")]
        if duty.standby:  # as the app's header names them (QA, session 13: it was left out)
            crew.append(t("header.standby", name=duty.standby))
        typer.echo(" · ".join(crew))
        _say_whereabouts(desk, duty.leader)
        _say_if_overdue(desk)


def _say_whereabouts(desk: Desk, leader: str | None) -> None:
    """Where the shift leader is (Tianjin art. 16(2)): away as recorded, else at the post."""
    from dutydesk.services.roster import describe_away, leader_whereabouts

    if leader is None:
        return
    away = leader_whereabouts(desk)
    if away is None:
        typer.echo(t("absence.at_post", leader=leader))
    else:
        typer.echo(describe_away(desk, away, "header.leader_away"))


def _say_if_overdue(desk: Desk) -> None:
    """As the header says it: the handover's time has passed and it is not handed over."""
    from dutydesk.services.roster import handover_alert, span_label

    alert = handover_alert(desk)
    if alert is not None and alert.state == "overdue" and alert.minutes > 0:
        due = alert.due_at.in_timezone(desk.timezone).format("MM-DD HH:mm")
        typer.echo(t("header.handover_overdue", due=due, span=span_label(alert.minutes)))


@app.command("away", help="cli_absence.away_help")
@reports_errors
def shift_away(
    ctx: typer.Context,
    stands_in: str | None = typer.Option(None, "--stands-in", help="cli_absence.opt_stands_in"),
    where: str | None = typer.Option(None, "--where", help="cli_absence.opt_where"),
    contact: str | None = typer.Option(None, "--contact", help="cli_absence.opt_contact"),
    until: str | None = typer.Option(None, "--until", help="cli_absence.opt_until"),
    reason: str = typer.Option("", "--reason", help="cli_absence.opt_reason"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.roster import (
        AbsenceDraft,
        describe_away,
        parse_until,
        record_absence,
    )

    desk = open_desk_for(ctx)
    draft = AbsenceDraft(
        stands_in=require(stands_in, "absence_stands_in", "--stands-in"),
        whereabouts=require(where, "absence_whereabouts", "--where"),
        contact=require(contact, "absence_contact", "--contact"),
        until=parse_until(desk, require(until, "absence_until", "--until")),
        reason=reason,
    )
    away = record_absence(desk, draft, recorder(desk, as_name))
    typer.echo(describe_away(desk, away, "absence.recorded"))


@app.command("back", help="cli_absence.back_help")
@reports_errors
def shift_back(
    ctx: typer.Context,
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.roster import record_return

    desk = open_desk_for(ctx)
    away = record_return(desk, recorder(desk, as_name))
    typer.echo(t("absence.returned", leader=away.leader))
