"""`dutydesk central …`: the city's archive of many desks' handover archives in PostgreSQL
(init, ingest, status, search, report). Every command takes --url (or $DUTYDESK_CENTRAL_URL)
and --json."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dutydesk.cli.progress import progress_bar
from dutydesk.cli.support import current_run, fail, group, print_json, reports_errors
from dutydesk.i18n import t
from dutydesk.widgets.literal import one_line

if TYPE_CHECKING:
    from dutydesk.services.central import DeskStatus, Outcome, Report
    from dutydesk.services.central.forks import Conflict

app = group("central.help")

URL = typer.Option(None, "--url", help="central.opt_url", metavar="<postgresql://…>")
JSON = typer.Option(False, "--json", help="cli.opt_json")


def _say(key: str, **params: object) -> str:
    """A catalogue message with every value from the city's archive made visible: no stored
    character acts on the terminal (widgets/literal.py, as the desk shows typed text)."""
    return t(key, **{name: one_line(value) for name, value in params.items()})


def _url(ctx: typer.Context, given: str | None) -> str:
    """--url, else DUTYDESK_CENTRAL_URL as the run's settings read it."""
    from dutydesk.services.central import central_url

    return central_url(given or current_run(ctx).settings.central_url)


def _work(given: Path | None) -> Path:
    if given is not None:
        return given.expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("dutydesk") / "central"


@app.command("init", help="central.init_help")
@reports_errors
def init(
    ctx: typer.Context,
    url: str | None = URL,
    accept: bool = typer.Option(False, "--accept-unenrolled", help="central.opt_accept_unenrolled"),
    hold: bool = typer.Option(False, "--hold-unenrolled", help="central.opt_hold_unenrolled"),
    by: str | None = typer.Option(None, "--by", help="central.opt_setting_by"),
    reason: str | None = typer.Option(None, "--reason", help="central.opt_setting_reason"),
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central import init_central
    from dutydesk.services.central.enrolment import set_unenrolled

    if accept and hold:
        fail(t("central.unenrolled_both"), code=2)
    if (accept or hold) and (not by or not reason):
        fail(t("central.unenrolled_who"), code=2)
    target = _url(ctx, url)
    revision = init_central(target)
    at = set_unenrolled(target, accept, str(by), str(reason)) if accept or hold else None
    if as_json:
        policy = ("accept" if accept else "hold") if at else None
        print_json({"ok": True, "revision": revision, "unenrolled": policy})
        return
    typer.echo(t("central.init_done", revision=revision))
    if at:
        choice = "accept" if accept else "hold"
        typer.echo(_say(f"central.unenrolled_{choice}", by=by, at=at))


@app.command("ingest", help="central.ingest_help")
@reports_errors
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="central.arg_paths"),
    url: str | None = URL,
    work: Path | None = typer.Option(None, "--work", help="central.opt_work"),
    jobs: int = typer.Option(1, "--jobs", min=1, max=32, help="central.opt_jobs"),
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central import ingest_paths

    target, folder = _url(ctx, url), _work(work)
    with progress_bar(t("progress.ingest"), quiet=as_json) as update:
        outcomes = ingest_paths(target, paths, folder, jobs, progress=update)
    if as_json:
        print_json([o.to_json() for o in outcomes])
    else:
        print_outcomes(outcomes)
    if any(o.status == "refused" for o in outcomes):
        raise typer.Exit(1)


def print_outcomes(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        typer.echo(_say(f"central.outcome_{outcome.status}", archive=outcome.archive,
                        office=outcome.office, number=outcome.number, rows=outcome.rows))  # fmt: skip
        for reason in outcome.reasons:
            typer.echo(f"  {one_line(reason)}")


@app.command("status", help="central.status_help")
@reports_errors
def status(
    ctx: typer.Context,
    url: str | None = URL,
    db: Path | None = typer.Option(None, "--db", help="central.opt_status_db"),
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central import desk_status

    desks = desk_status(_url(ctx, url), db.expanduser() if db is not None else None)
    if as_json:
        print_json([d.to_json() for d in desks])
        return
    if not desks:
        typer.echo(t("central.status_none"))
    for desk in desks:
        _print_desk(desk)


def _print_desk(desk: DeskStatus) -> None:
    typer.echo(_say("central.status_desk", office=desk.office or "—", profile=desk.profile or "—",
                 archives=desk.archives, number=desk.newest_number or "—",
                 seq=desk.head_seq or "—", hash=(desk.head_hash or "—")[:16],
                 at=desk.head_at or "—", office_id=desk.office_id[:22]))  # fmt: skip
    if desk.missing:
        typer.echo("  " + t("central.status_missing", numbers=_ranges(desk.missing)))
    for held in desk.held:
        typer.echo("  " + _say("central.status_held", number=held.number, archive=held.name,
                            reason=held.reason))  # fmt: skip
    for conflict in desk.conflicts:
        _print_conflict(conflict)
    if desk.key is None:
        typer.echo("  " + t("central.status_no_key"))
    else:
        typer.echo("  " + _say("central.status_key", fingerprint=desk.key.fingerprint,
                               start=desk.key.from_number, by=desk.key.enrolled_by,
                               at=desk.key.enrolled_at))  # fmt: skip
    for row in desk.keys:  # the whole record: retired keys and unsigned ranges too
        typer.echo("    " + _say(f"central.status_key_row_{row.kind}", fingerprint=row.fingerprint,
                                 start=row.from_number, until=row.until_number or "—",
                                 by=row.enrolled_by, at=row.enrolled_at))  # fmt: skip


def _print_conflict(conflict: Conflict) -> None:
    state = t("central.status_conflict_open")
    if conflict.kept is not None:
        state = _say("central.status_conflict_kept", kept=conflict.kept[:16], by=conflict.decided_by,
                  at=conflict.decided_at, reason=conflict.reason)  # fmt: skip
    typer.echo("  " + t("central.status_conflict", id=conflict.id, number=conflict.number,
                        fork=conflict.fork_sha[:16], state=state))  # fmt: skip
    for branch in conflict.branches:
        head = branch.get("head") or {}
        typer.echo(_say("central.status_branch", archive=branch.get("archive", "—"),
                     sha=branch["manifest_sha"][:16], created=branch.get("created_at", "—"),
                     seq=head.get("seq", "—"), hash=str(head.get("hash", "—"))[:16],
                     office=branch.get("office", "—")))  # fmt: skip
        held = branch.get("register")
        if held is not None:
            exported = t("central.status_register_exported") if branch.get("exported") else ""
            typer.echo(t(f"central.status_register_{held}", seq=head.get("seq", "—"),
                         exported=exported))  # fmt: skip


def _ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@app.command("resolve", help="central.resolve_help")
@reports_errors
def resolve(
    ctx: typer.Context,
    desk: str = typer.Argument(..., help="central.arg_desk"),
    keep: str = typer.Option(..., "--keep", help="central.opt_keep", metavar="<MANIFEST_SHA>"),
    by: str = typer.Option(..., "--by", help="central.opt_by"),
    reason: str = typer.Option(..., "--reason", help="central.opt_reason"),
    url: str | None = URL,
    work: Path | None = typer.Option(None, "--work", help="central.opt_work"),
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central import resolve_conflict

    kept, outcomes = resolve_conflict(_url(ctx, url), desk, keep, by, reason, _work(work))
    if as_json:
        print_json({"kept": kept, "outcomes": [o.to_json() for o in outcomes]})
        return
    typer.echo(t("central.resolve_done", kept=kept[:16]))
    for outcome in outcomes:
        typer.echo(_say(f"central.outcome_{outcome.status}", archive=outcome.archive,
                     office=outcome.office, number=outcome.number, rows=outcome.rows))  # fmt: skip


@app.command("search", help="central.search_help")
@reports_errors
def search(
    ctx: typer.Context,
    terms: list[str] = typer.Argument(..., help="central.arg_terms"),
    url: str | None = URL,
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central import search_central

    hits = search_central(_url(ctx, url), terms)
    if as_json:
        print_json([h.to_json() for h in hits])
        return
    typer.echo(t("central.search_count", count=len(hits)))
    for hit in hits:
        kind = t(f"central.kind_{hit.kind}")
        shown = one_line(hit.number) if hit.number else f"#{hit.record_id}"  # as the desk shows it
        typer.echo(
            f"{one_line(hit.at)}  {one_line(hit.office)}  {kind} {shown}  {one_line(hit.text)[:60]}"
        )


@app.command("report", help="central.report_help")
@reports_errors
def report(
    ctx: typer.Context,
    start: str = typer.Option(..., "--from", help="central.opt_from", metavar="<YYYY-MM-DD>"),
    end: str = typer.Option(..., "--to", help="central.opt_to", metavar="<YYYY-MM-DD>"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="central.opt_xlsx"),
    url: str | None = URL,
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central import central_report, write_xlsx

    figures = central_report(_url(ctx, url), start, end)
    if xlsx is not None:
        write_xlsx(figures, xlsx.expanduser())
    if as_json:
        print_json(figures.to_json())
        return
    _print_report(figures)
    if xlsx is not None:
        typer.echo(t("central.xlsx_done", path=str(xlsx)))


def _print_report(figures: Report) -> None:
    from dutydesk.services.central.report_xlsx import (
        DESK_COLUMNS,
        UNIT_COLUMNS,
        desk_rows,
        unit_rows,
    )

    typer.echo(t("central.period", start=figures.start, end=figures.end))
    for columns, rows in ((DESK_COLUMNS, desk_rows(figures)), (UNIT_COLUMNS, unit_rows(figures))):
        typer.echo("")
        typer.echo(" | ".join(t(f"central.col_{name}") for name in columns))
        for row in rows:
            typer.echo(" | ".join(one_line(value) for value in row))


from dutydesk.cli import central_keys  # noqa: E402,F401  (its commands join this group)
