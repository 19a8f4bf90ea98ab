"""`dutydesk documents ...`: the document register (收发文登记): register, route (交办),
follow up (督办), close (办结), list."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from dutydesk.cli.choices import choice_argument, choice_option
from dutydesk.cli.incident_lines import desk_time, id_number, local_time, moment
from dutydesk.cli.support import group, open_desk_for, print_json, recorder, reports_errors, require
from dutydesk.i18n import cite, t

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.core import Desk
    from dutydesk.services.documents import DocumentView

app = group("documents_cli.help")


@app.command("add", help="documents_cli.add_help")
@reports_errors
def document_add(
    ctx: typer.Context,
    direction: str = choice_argument(
        ..., section="document_direction", help="field.document_direction"
    ),  # fmt: skip
    title: str | None = typer.Option(None, "--title", help="field.document_title"),
    party: str | None = typer.Option(None, "--party", help="field.document_party"),
    number: str = typer.Option("", "--number", help="field.document_number"),
    kind: str = choice_option(
        "file", "--kind", section="document_kind", help="field.document_kind"
    ),  # fmt: skip
    urgency: str = choice_option(
        "putong", "--urgency", section="document_urgency", help="field.document_urgency"
    ),
    at: str | None = typer.Option(None, "--at", help="field.document_moved_at"),
    classified: bool = typer.Option(False, "--classified", help="field.document_classified"),
    body: str = typer.Option("", "--body", help="field.document_body"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.documents import add_document, get_document

    desk = open_desk_for(ctx)
    row = add_document(
        desk,
        recorder(desk, as_name),
        direction=direction,
        party=require(party, "document_party", "--party"),
        title=require(title, "document_title", "--title"),
        number=number,
        kind=kind,
        urgency=urgency,
        moved_at=desk_time(desk, at),
        classified=classified,
        body=body,
    )
    assert row.id is not None  # stored
    typer.echo(t("document.saved", id=row.id))
    view = get_document(desk, row.id)
    if view.due is not None:
        due = local_time(desk, view.due.at)
        typer.echo("  " + t("documents_cli.due", due=due, cite=cite(view.due.cite)))


@app.command("route", help="documents_cli.route_help")
@reports_errors
def document_route(
    ctx: typer.Context,
    document_id: str = typer.Argument(..., help="documents_cli.arg_id"),
    to: str | None = typer.Option(None, "--to", help="field.document_routed_to"),
    how: str | None = typer.Option(None, "--how", help="field.document_channel"),
    at: str | None = typer.Option(None, "--at", help="field.document_routed_at"),
    note: str = typer.Option("", "--note", help="field.document_note"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.documents import route_document

    desk = open_desk_for(ctx)
    target = id_number(document_id, "document_id")
    routed_to = require(to, "document_routed_to", "--to")
    channel = require(how, "document_channel", "--how")
    route_document(desk, recorder(desk, as_name), target, routed_to=routed_to, channel=channel,
                   routed_at=desk_time(desk, at), note=note)  # fmt: skip
    typer.echo(t("document.routed", id=target))


@app.command("follow", help="documents_cli.follow_help")
@reports_errors
def document_follow(
    ctx: typer.Context,
    document_id: str = typer.Argument(..., help="documents_cli.arg_id"),
    text: str | None = typer.Option(None, "--text", help="field.document_followup"),
    at: str | None = typer.Option(None, "--at", help="field.document_followed_at"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.documents import follow_document

    desk = open_desk_for(ctx)
    target = id_number(document_id, "document_id")
    words = require(text, "document_followup", "--text")
    follow_document(desk, recorder(desk, as_name), target, text=words,
                    followed_at=desk_time(desk, at))  # fmt: skip
    typer.echo(t("document.followed", id=target))


@app.command("close", help="documents_cli.close_help")
@reports_errors
def document_close(
    ctx: typer.Context,
    document_id: str = typer.Argument(..., help="documents_cli.arg_id"),
    note: str = typer.Option("", "--note", help="field.document_note"),
    at: str | None = typer.Option(None, "--at", help="field.document_closed_at"),
    as_name: str | None = typer.Option(None, "--as", help="cli.opt_as"),
) -> None:
    from dutydesk.services.documents import close_document

    desk = open_desk_for(ctx)
    target = id_number(document_id, "document_id")
    close_document(desk, recorder(desk, as_name), target, note=note,
                   closed_at=desk_time(desk, at))  # fmt: skip
    typer.echo(t("document.closed_ok", id=target))


@app.command("list", help="documents_cli.list_help")
@reports_errors
def document_list(
    ctx: typer.Context,
    which: str = choice_option(
        "all", "--filter", section="document_filter", help="documents_cli.opt_filter"
    ),  # fmt: skip
    at: str | None = typer.Option(None, "--at", help="documents_cli.opt_at"),
    limit: int = typer.Option(200, "--limit", help="documents_cli.opt_limit"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
) -> None:
    from dutydesk.services.documents import document_to_json, list_documents

    desk = open_desk_for(ctx)
    when = moment(desk, at) or desk.now()
    views = list_documents(desk, when, which, limit)
    if as_json:
        print_json([document_to_json(view, when, desk.timezone) for view in views])
        return
    if not views:
        typer.echo(t("documents_cli.none"))
    for view in views:
        typer.echo(document_line(desk, view, when))


def document_line(desk: Desk, view: DocumentView, at: DateTime) -> str:
    from dutydesk.services.documents import document_state

    document = view.document
    due = t("documents_cli.due_short", due=local_time(desk, view.due.at)) if view.due else ""
    marks = t("document.classified_mark") if document.classified else ""
    parts = [
        f"#{view.id}",
        t(f"document_direction.{document.direction}"),
        t(f"document_urgency.{document.urgency}"),
        t(f"document_state.{document_state(view, at)}"),
        local_time(desk, document.moved_at),
        document.number or "—",
        document.party,
        document.title,
        marks,
        due,
    ]
    return "  ".join(part for part in parts if part)
