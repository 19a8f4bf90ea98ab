"""`dutydesk orders ...`: emergency orders (应急指令) after the district flow chart: drafted by
the standby, confirmed (with the confirmer's PIN) or sent back, dispatched, followed up."""

from __future__ import annotations

import typer

from dutydesk.cli.choices import choice_option
from dutydesk.cli.incident_lines import desk_time, id_number
from dutydesk.cli.support import (
    group,
    open_desk_for,
    print_json,
    read_secret,
    recorder,
    reports_errors,
    require,
)
from dutydesk.i18n import t

app = group("orders_cli.help")


def _print(desk, view, as_json: bool, message: str) -> None:
    from dutydesk.services.documents import order_to_json

    if as_json:
        print_json(order_to_json(desk, view))
    else:
        typer.echo(message)


@app.command("draft", help="orders_cli.draft_help")
@reports_errors
def order_draft(
    ctx: typer.Context,
    incident: str | None = typer.Option(None, "--incident", help="orders_cli.incident_opt"),
    event_type: str | None = typer.Option(None, "--type", help="orders_cli.type_opt"),
    level: str | None = typer.Option(None, "--level", help="orders_cli.level_opt"),
    instruction: str | None = typer.Option(
        None, "--instruction", help="orders_cli.instruction_opt"
    ),
    revises: str | None = typer.Option(None, "--revises", help="orders_cli.revises_opt"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="orders_cli.json_opt"),
) -> None:
    from dutydesk.services.documents import OrderDraft, draft_order, get_order_view

    desk = open_desk_for(ctx)
    draft = OrderDraft(
        incident_id=id_number(require(incident, "order_incident", "--incident"), "order_incident"),
        event_type=require(event_type, "order_type", "--type"),
        level=require(level, "order_level", "--level"),
        instruction=require(instruction, "order_instruction", "--instruction"),
        revises_id=id_number(revises, "order_id") if revises is not None else None,
    )
    order = draft_order(desk, recorder(desk, as_name), draft)
    assert order.id is not None  # saved
    role = t(f"role.{desk.profile.orders.confirm_role}")
    message = t("order.drafted", id=order.id, role=role)
    _print(desk, get_order_view(desk, order.id), as_json, message)


@app.command("confirm", help="orders_cli.confirm_help")
@reports_errors
def order_confirm(
    ctx: typer.Context,
    order_id: str = typer.Argument(..., help="field.order_id"),
    by: str | None = typer.Option(None, "--by", help="orders_cli.by_opt"),
    send_back: bool = typer.Option(False, "--return", help="orders_cli.return_opt"),
    note: str = typer.Option("", "--note", help="orders_cli.note_opt"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="orders_cli.pin_stdin_opt"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="orders_cli.json_opt"),
) -> None:
    from dutydesk.services.documents import decide_order, get_order_view

    desk = open_desk_for(ctx)
    target = id_number(order_id, "order_id")
    name = require(by, "order_confirmer", "--by")
    who = recorder(desk, as_name)
    pin = read_secret(t("order.pin_prompt", name=name), pin_stdin)
    decision = decide_order(desk, target, who, confirmer=name, pin=pin, confirm=not send_back,
                            note=note)  # fmt: skip
    key = "order.returned" if send_back else "order.confirmed"
    _print(desk, get_order_view(desk, target), as_json, t(key, id=target, note=decision.note))


@app.command("dispatch", help="orders_cli.dispatch_help")
@reports_errors
def order_dispatch(
    ctx: typer.Context,
    order_id: str = typer.Argument(..., help="field.order_id"),
    to: str | None = typer.Option(None, "--to", help="orders_cli.addressee_opt"),
    kind: str = choice_option(
        "unit", "--kind", section="addressee_kind", help="orders_cli.kind_opt"
    ),  # fmt: skip
    channel: str = choice_option(
        "phone", "--channel", section="order_channel", help="orders_cli.channel_opt"
    ),  # fmt: skip
    at: str | None = typer.Option(None, "--at", help="orders_cli.at_opt"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="orders_cli.json_opt"),
) -> None:
    from dutydesk.services.documents import dispatch_order, get_order_view

    desk = open_desk_for(ctx)
    target = id_number(order_id, "order_id")
    row = dispatch_order(desk, target, recorder(desk, as_name),
                         addressee=require(to, "order_addressee", "--to"), kind=kind,
                         channel=channel, at=desk_time(desk, at))  # fmt: skip
    message = t("order.dispatched", id=target, addressee=row.addressee) + f" (#{row.id})"
    _print(desk, get_order_view(desk, target), as_json, message)


@app.command("feedback", help="orders_cli.feedback_help")
@reports_errors
def order_feedback(
    ctx: typer.Context,
    dispatch_id: str = typer.Argument(..., help="field.order_dispatch_id"),
    text: str | None = typer.Option(None, "--text", help="orders_cli.text_opt"),
    reported: bool = typer.Option(False, "--reported", help="orders_cli.reported_opt"),
    at: str | None = typer.Option(None, "--at", help="orders_cli.at_opt"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
    as_json: bool = typer.Option(False, "--json", help="orders_cli.json_opt"),
) -> None:
    from dutydesk.services.documents import dispatch_row, follow_up_order, get_order_view

    desk = open_desk_for(ctx)
    target = id_number(dispatch_id, "order_dispatch_id")
    follow_up_order(desk, target, recorder(desk, as_name),
                    text=require(text, "order_follow_up", "--text"), reported_back=reported,
                    at=desk_time(desk, at))  # fmt: skip
    dispatch = dispatch_row(desk, target)
    key = "order.reported" if reported else "order.followed"
    message = t(key, id=target, addressee=dispatch.addressee)
    _print(desk, get_order_view(desk, dispatch.order_id), as_json, message)


@app.command("list", help="orders_cli.list_help")
@reports_errors
def order_list(
    ctx: typer.Context,
    incident: str | None = typer.Option(None, "--incident", help="orders_cli.incident_opt"),
    limit: int = typer.Option(50, "--limit", help="orders_cli.limit_opt"),
    as_json: bool = typer.Option(False, "--json", help="orders_cli.json_opt"),
) -> None:
    from dutydesk.services.documents import (
        order_lines,
        order_to_json,
        orders_for_incident,
        recent_orders,
    )

    desk = open_desk_for(ctx)
    if incident is not None:
        views = orders_for_incident(desk, id_number(incident, "order_incident"))
    else:
        views = recent_orders(desk, limit)
    if as_json:
        print_json([order_to_json(desk, view) for view in views])
        return
    if not views:
        typer.echo(t("orders_cli.none"))
        return
    for _key, line in order_lines(desk, views):
        typer.echo(line)
