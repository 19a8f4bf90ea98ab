"""`dutydesk pending ...`: the open follow-up items."""

from __future__ import annotations

import typer

from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors
from dutydesk.i18n import t

app = group("cli.pending_help")


@app.command("list", help="cli.pending_list_help")
@reports_errors
def pending_list(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="cli.opt_json")
) -> None:
    from dutydesk.services.handover import open_items

    desk = open_desk_for(ctx)
    items = open_items(desk)
    if as_json:
        print_json(
            [
                {
                    "id": item.id,
                    "created_at": item.created_at.in_timezone(desk.timezone).isoformat(),
                    "text": item.text,
                    "call": item.call_number,
                    "created_by": item.created_by,
                    "device": item.device,
                }
                for item in items
            ]
        )
        return
    from dutydesk.services.handover import device_label

    for item in items:
        where = device_label(item.device) if item.device else item.call_number or "—"
        typer.echo(f"#{item.id}  {where}  {item.text}")


@app.command("close", help="cli.pending_close_help")
@reports_errors
def pending_close(
    ctx: typer.Context,
    item_id: int = typer.Argument(...),
    note: str = typer.Option("", "--note", help="field.note"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.handover import close_item

    desk = open_desk_for(ctx)
    close_item(desk, item_id, recorder(desk, as_name), note)
    typer.echo(t("pending.closed", id=item_id))


@app.command("repaired", help="cli.pending_repaired_help")
@reports_errors
def pending_repaired(
    ctx: typer.Context,
    item_id: int = typer.Argument(...),
    note: str = typer.Option("", "--note", help="field.note"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.handover import report_repaired

    desk = open_desk_for(ctx)
    report_repaired(desk, item_id, recorder(desk, as_name), note)
    typer.echo(t("pending.repaired", id=item_id))
