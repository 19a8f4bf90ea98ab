"""`dutydesk contacts ...`: the phone list (常用电话号码表): add, change, withdraw, list, import
from CSV or XLSX (all rows checked first, nothing written if one is wrong), export as XLSX."""

from __future__ import annotations

from pathlib import Path

import typer

from dutydesk.cli.choices import choice_option
from dutydesk.cli.incident_lines import id_number
from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors, require
from dutydesk.i18n import t

app = group("contacts_cli.help")


def _entry(kind: str | None, name: str | None, unit: str, post: str, phone: str, mobile: str,
           note: str):  # fmt: skip
    from dutydesk.services.documents import ContactInput

    return ContactInput(kind=require(kind, "contact_kind", "--kind"),
                        name=require(name, "contact_name", "--name"), unit=unit, post=post,
                        phone=phone, mobile=mobile, note=note)  # fmt: skip


@app.command("add", help="contacts_cli.add_help")
@reports_errors
def contact_add(
    ctx: typer.Context,
    kind: str | None = choice_option(
        None, "--kind", section="contact_kind", help="contacts_cli.kind_opt"
    ),  # fmt: skip
    name: str | None = typer.Option(None, "--name", help="contacts_cli.name_opt"),
    unit: str = typer.Option("", "--unit", help="contacts_cli.unit_opt"),
    post: str = typer.Option("", "--post", help="contacts_cli.post_opt"),
    phone: str = typer.Option("", "--phone", help="contacts_cli.phone_opt"),
    mobile: str = typer.Option("", "--mobile", help="contacts_cli.mobile_opt"),
    note: str = typer.Option("", "--note", help="contacts_cli.note_opt"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.documents import add_contact

    desk = open_desk_for(ctx)
    entry = _entry(kind, name, unit, post, phone, mobile, note)
    row = add_contact(desk, recorder(desk, as_name), entry)
    typer.echo(t("contact.added", id=row.id, name=row.name))


@app.command("change", help="contacts_cli.change_help")
@reports_errors
def contact_change(
    ctx: typer.Context,
    contact_id: str = typer.Argument(..., help="contacts_cli.id_opt"),
    post: str | None = typer.Option(None, "--post", help="contacts_cli.post_opt"),
    phone: str | None = typer.Option(None, "--phone", help="contacts_cli.phone_opt"),
    mobile: str | None = typer.Option(None, "--mobile", help="contacts_cli.mobile_opt"),
    note: str | None = typer.Option(None, "--note", help="contacts_cli.note_opt"),
    reason: str | None = typer.Option(None, "--reason", help="contacts_cli.reason_opt"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    """Only the options given change; the rest are kept from the entry in force."""
    from dataclasses import replace

    from dutydesk.services.documents import ContactInput, change_contact, contact_history

    desk = open_desk_for(ctx)
    target = id_number(contact_id, "contact_id")
    current = ContactInput.of(contact_history(desk, target)[-1])
    given = {"post": post, "phone": phone, "mobile": mobile, "note": note}
    entry = replace(current, **{k: v for k, v in given.items() if v is not None})
    why = require(reason, "contact_reason", "--reason")
    row = change_contact(desk, target, recorder(desk, as_name), entry, why)
    typer.echo(t("contact.changed", old=target, id=row.id))


@app.command("withdraw", help="contacts_cli.withdraw_help")
@reports_errors
def contact_withdraw(
    ctx: typer.Context,
    contact_id: str = typer.Argument(..., help="contacts_cli.id_opt"),
    reason: str | None = typer.Option(None, "--reason", help="contacts_cli.reason_opt"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.documents import withdraw_contact

    desk = open_desk_for(ctx)
    target = id_number(contact_id, "contact_id")
    withdraw_contact(desk, target, recorder(desk, as_name),
                     require(reason, "contact_reason", "--reason"))  # fmt: skip
    typer.echo(t("contact.withdrew", id=target))


@app.command("list", help="contacts_cli.list_help")
@reports_errors
def contact_list(
    ctx: typer.Context,
    query: str = typer.Argument("", help="contacts_screen.filter"),
    as_json: bool = typer.Option(False, "--json", help="contacts_cli.json_opt"),
) -> None:
    from dutydesk.services.documents import contact_to_json, current_contacts

    desk = open_desk_for(ctx)
    rows = current_contacts(desk, query)
    if as_json:
        print_json([contact_to_json(row, desk) for row in rows])
        return
    if not rows:
        typer.echo(t("contacts_cli.none"))
        return
    for row in rows:
        who = " ".join(part for part in (row.unit, row.name, row.post) if part)
        phones = " / ".join(part for part in (row.phone, row.mobile) if part)
        typer.echo(
            f"#{row.id}  {t(f'contact_kind.{row.kind}')}  {who}  {phones}  {row.note}".rstrip()
        )


@app.command("history", help="contacts_cli.history_help")
@reports_errors
def contact_history_command(
    ctx: typer.Context,
    contact_id: str = typer.Argument(..., help="contacts_cli.id_opt"),
    as_json: bool = typer.Option(False, "--json", help="contacts_cli.json_opt"),
) -> None:
    from dutydesk.services.documents import contact_history, contact_to_json

    desk = open_desk_for(ctx)
    rows = contact_history(desk, id_number(contact_id, "contact_id"))
    data = [contact_to_json(row, desk) for row in rows]
    if as_json:
        print_json(data)
        return
    for row in data:
        state = t("contact.withdrawn", id=row["id"]) if row["withdrawn"] else ""
        typer.echo(f"#{row['id']}  {row['recorded_at']}  {row['post']}  {row['phone']}  "
                   f"{row['mobile']}  {row['reason']}  {state}".rstrip())  # fmt: skip


@app.command("import", help="contacts_cli.import_help")
@reports_errors
def contact_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="contacts_cli.file_arg"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.documents import import_contacts

    desk = open_desk_for(ctx)
    result = import_contacts(desk, recorder(desk, as_name), file)
    typer.echo(t("contact.imported", added=result.added, changed=result.changed, same=result.same))


@app.command("export", help="contacts_cli.export_help")
@reports_errors
def contact_export(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", help="contacts_cli.out_opt"),
) -> None:
    from dutydesk.archive_places import archive_roots
    from dutydesk.errors import DutyError, RefusedInput
    from dutydesk.services.documents.contacts_xlsx import (
        contacts_xlsx,  # the module shadows the lazy name once imported
    )

    if out is not None and out.suffix.lower() != ".xlsx":  # x.csv would hold XLSX under that name
        raise RefusedInput("fix9_fixinput.export_not_xlsx", path=str(out))
    desk = open_desk_for(ctx)
    if out is None:  # the exports folder beside the register, as the archives (QA: not the cwd)
        folder = archive_roots(Path(desk.path))[0]
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"{t('contact.sheet')}-{desk.now().format('YYYYMMDD-HHmmss')}.xlsx"
    if out.exists():  # an earlier export (or anything else) is never overwritten
        raise DutyError("contacts_export.exists", path=str(out.resolve()))
    count = contacts_xlsx(desk, out)
    typer.echo(t("contact.exported", count=count, path=str(out.resolve())))
