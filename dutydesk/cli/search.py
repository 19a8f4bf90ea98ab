"""`dutydesk search TERMS [--in calls,documents,contacts] [--json]`: one search across the
registers; each line says its register and the key that opens the record."""

from __future__ import annotations

import typer

from dutydesk.cli.support import open_desk_for, print_json, reports_errors
from dutydesk.i18n import t


def registers_of(given: str | None) -> tuple[str, ...]:
    """The registers named in `--in` (codes or their names, comma-separated), in the order
    given; all when none is given. An unknown one is refused with the choices."""
    from dutydesk.errors import DutyError
    from dutydesk.services.lookup import REGISTERS

    if given is None:
        return REGISTERS
    names = {t(f"lookup.register_{code}"): code for code in REGISTERS}
    chosen: list[str] = []
    for part in (piece.strip() for piece in given.replace("，", ",").split(",")):
        code = part if part in REGISTERS else names.get(part)
        if code is None:
            raise DutyError("search_cli.bad_register", value=part, choices=", ".join(REGISTERS))
        if code not in chosen:
            chosen.append(code)
    return tuple(chosen)


@reports_errors
def search(
    ctx: typer.Context,
    terms: list[str] = typer.Argument(..., help="search_cli.terms"),
    within: str | None = typer.Option(None, "--in", help="search_cli.in_opt"),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="search_cli.limit_opt"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.lookup import register_label, search_all

    registers = registers_of(within)
    desk = open_desk_for(ctx)
    hits = search_all(desk, " ".join(terms), registers, limit)
    if as_json:
        print_json([hit.to_json(desk.timezone) for hit in hits])
        return
    if not hits:
        typer.echo(t("search_cli.none"))
        return
    zone = desk.timezone
    for hit in hits:
        at = hit.at.in_timezone(zone).format("YYYY-MM-DD HH:mm") if hit.at else ""
        typer.echo(t("search_cli.line", register=t(register_label(hit)),
                     record=hit.key, at=at, title=hit.title, detail=hit.detail).rstrip())  # fmt: skip
