"""`dutydesk units ...`: the units that spot checks call (乡镇、街道、园区、区直部门、重点区域)."""

from __future__ import annotations

from pathlib import Path

import typer

from dutydesk.cli.choices import choice_option
from dutydesk.cli.support import group, open_desk_for, print_json, reports_errors, require
from dutydesk.i18n import t

app = group("spotcheck_cli.units_help")


@app.command("import", help="spotcheck_cli.units_import_help")
@reports_errors
def units_import(
    ctx: typer.Context, file: str = typer.Argument(..., help="spotcheck_cli.opt_file")
) -> None:
    from dutydesk.services.spotcheck import import_units

    desk = open_desk_for(ctx)
    added = import_units(desk, Path(file))
    typer.echo(t("spotcheck_units.imported", count=len(added), file=file))


@app.command("add", help="spotcheck_cli.units_add_help")
@reports_errors
def units_add(
    ctx: typer.Context,
    name: str | None = typer.Option(None, "--name", help="field.spotcheck_unit_name"),
    kind: str | None = choice_option(
        None, "--kind", section="spotcheck_kind", help="spotcheck_cli.opt_kind"
    ),
    phone: str | None = typer.Option(None, "--phone", help="field.spotcheck_duty_phone"),
    inactive: bool = typer.Option(False, "--inactive", help="spotcheck_cli.opt_inactive"),
) -> None:
    from dutydesk.services.spotcheck import UnitDraft, add_unit

    desk = open_desk_for(ctx)
    draft = UnitDraft(
        require(name, "spotcheck_unit_name", "--name"),
        require(kind, "spotcheck_kind", "--kind"),
        require(phone, "spotcheck_duty_phone", "--phone"),
        not inactive,
    )
    unit = add_unit(desk, draft)
    typer.echo(
        t("spotcheck_units.added", name=unit.name, kind=t(f"spotcheck_kind.{unit.kind}"),
          phone=unit.duty_phone)
    )  # fmt: skip


@app.command("list", help="spotcheck_cli.units_list_help")
@reports_errors
def units_list(
    ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="cli.opt_json")
) -> None:
    from dutydesk.services.spotcheck import list_units, unit_to_json

    desk = open_desk_for(ctx)
    views = list_units(desk)
    if as_json:
        print_json([unit_to_json(view) for view in views])
        return
    for view in views:
        mark = "" if view.active else "  " + t("spotcheck_units.inactive_mark", reason=view.reason)
        typer.echo(f"{view.name}  {t('spotcheck_kind.' + view.kind)}  {view.duty_phone}{mark}")
    if not views:
        typer.echo(t("spotcheck_units.none"), err=True)


@app.command("deactivate", help="spotcheck_cli.units_deactivate_help")
@reports_errors
def units_deactivate(
    ctx: typer.Context,
    unit_name: str = typer.Argument(..., help="field.spotcheck_unit_name"),
    reason: str | None = typer.Option(None, "--reason", help="field.spotcheck_reason"),
) -> None:
    from dutydesk.services.spotcheck import set_active

    desk = open_desk_for(ctx)
    view = set_active(desk, unit_name, False, require(reason, "spotcheck_reason", "--reason"))
    typer.echo(t("spotcheck_units.deactivated", name=view.name))


@app.command("activate", help="spotcheck_cli.units_activate_help")
@reports_errors
def units_activate(
    ctx: typer.Context,
    unit_name: str = typer.Argument(..., help="field.spotcheck_unit_name"),
    reason: str = typer.Option("", "--reason", help="field.spotcheck_reason"),
) -> None:
    from dutydesk.services.spotcheck import set_active

    desk = open_desk_for(ctx)
    view = set_active(desk, unit_name, True, reason)
    typer.echo(t("spotcheck_units.activated", name=view.name))
