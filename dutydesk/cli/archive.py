"""Data safety: `export` (an archive), `verify` (the hash chain, or archives), `archive verify`,
`restore` (an archive into a new register)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dutydesk.cli.progress import progress_bar
from dutydesk.cli.support import current_run, fail, group, open_desk_for, print_json, reports_errors
from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.services.archive import VerifyReport
    from dutydesk.services.archive.archive_verify import Report as ArchiveReport

app = group("handover_cli.archive_help")

MAX_LINES = 20  # findings printed in full; the rest are counted
MAX_AFFECTED = 20
USAGE = 2  # the exit status of a usage error (as click gives for a bad option)


@app.command("verify", help="handover_cli.verify_help")
@reports_errors
def archive_verify(path: Path = typer.Argument(..., help="handover_cli.arg_path")) -> None:
    report_archives(path)


@reports_errors
def export(
    ctx: typer.Context,
    to: Path | None = typer.Option(None, "--to", help="handover_cli.opt_to"),
    retry: bool = typer.Option(False, "--retry", help="handover_cli.opt_retry"),
    full: bool = typer.Option(False, "--full", help="handover_cli.opt_full"),
) -> None:
    from dutydesk.services.archive import retry_exports, write_archive_noted

    desk = open_desk_for(ctx)
    if not retry:
        with progress_bar(t("progress.export"), quiet=not full) as update:
            written, notes = write_archive_noted(desk, to, full=full, progress=update)
        for note in notes:  # the signing key: said loudly, on stderr as well as in the result
            typer.echo(note, err=True)
        typer.echo(t("handover_export.done", path=str(written)))
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


def report_archives(path: Path) -> None:
    """Check an archive (or a folder of them) and say so; exit 1 naming each failure."""
    from dutydesk.services.archive import verify_archives

    report = verify_archives(path)
    for note in report.notes:
        typer.echo(note.message())
    if report.ok:
        typer.echo(t("handover_verify.ok", count=len(report.archives)))
    for problem in report.problems:
        typer.echo(problem.message())
    _say_newest(report)
    if not report.ok:
        raise typer.Exit(1)


def _say_newest(report: ArchiveReport) -> None:
    """The newest archive's number, time and head: compared with the register or the paper
    form, a deleted newest archive shows."""
    newest = report.newest
    if newest is not None:
        head = newest.head or {}
        typer.echo(t("archive_check.newest", number=newest.number,
                     at=newest.manifest.get("created_at", "—"), seq=head.get("seq", "—"),
                     hash=str(head.get("hash", "—"))[:16]))  # fmt: skip


@reports_errors
def verify(
    ctx: typer.Context,
    target: Path | None = typer.Argument(None, help="reliability_cli.arg_target"),
    db: Path | None = typer.Option(None, "--db", help="cli.opt_db"),
    as_json: bool = typer.Option(False, "--json", help="cli.opt_json"),
    archives: list[Path] = typer.Option(
        [], "--archives", help="verify_anchor.opt_archives", metavar="<DIR>"
    ),
    head: list[str] = typer.Option(
        [], "--head", help="verify_anchor.opt_head", metavar="<SEQ:HEX>"
    ),
    central: str | None = typer.Option(
        None, "--central", help="central.opt_verify_central", metavar="<postgresql://…>"
    ),
    deep: bool = typer.Option(False, "--deep", help="verify_anchor.opt_deep"),
) -> None:
    from dutydesk.errors import DutyError
    from dutydesk.services.archive import paper_heads, verify_register

    if target is not None and target.expanduser().is_dir():
        report_archives(target.expanduser())  # an archive, or a folder of archives
        return
    if target is not None:
        db = target
    path = db.expanduser() if db is not None else current_run(ctx).db_path
    try:  # a mistyped paper head is a usage error, said before anything is verified
        heads = paper_heads(path, head)
    except DutyError as error:
        fail(error.message(), USAGE)
    vouched = target is not None and _vouched_snapshot(path)
    conflicts: list[str] = []
    if central is not None:  # the heads the city holds for this office (services/central)
        from dutydesk.services.central import central_anchors, central_conflicts, central_url

        heads += central_anchors(central_url(central), path)
        conflicts = central_conflicts(central_url(central), path)
    with progress_bar(t("progress.verify"), quiet=as_json) as update:
        report = verify_register(path, archive=vouched, heads=heads, progress=update,
                                 archive_dirs=[a.expanduser() for a in archives], deep=deep)  # fmt: skip
    if as_json:
        print_json(
            {**report.to_json(), "central_conflicts": conflicts} if conflicts else report.to_json()
        )
    else:
        print_report(report)
        if not vouched:
            print_register_checks(report)
        for conflict in conflicts:
            typer.echo(conflict)
    if not report.ok or conflicts:
        raise typer.Exit(1)


def print_register_checks(report: VerifyReport) -> None:
    """What verify found beyond the rows: failures, then notes, then the anchors checked."""
    for problem in report.problems:
        typer.echo(t(f"verify_anchor.{problem.code}", **_shown(problem.args)))
    for warning in report.warnings:
        typer.echo(t(f"verify_anchor.{warning.code}", **_shown(warning.args)), err=True)
    if report.anchors:  # none: only the file was checked (README, Data safety)
        typer.echo(t("verify_anchor.anchors_checked", count=len(report.anchors)))
    print_office_changes(report)


def print_office_changes(report: VerifyReport) -> None:
    """Every change of the office's settings: when, by whom, what from what."""
    if not report.office_changes:
        return
    typer.echo(t("office_history.heading", count=len(report.office_changes)))
    for change in report.office_changes:
        said = t("office_history.separator").join(
            t("office_history.change", field=t(f"office_cli.field_{key}"), before=old, after=new)
            for key, (old, new) in change.changes.items()
        )
        who = change.by or t("office_history.nobody")
        at = change.at[:16].replace("T", " ") + (change.at[-6:] if len(change.at) > 19 else "")
        typer.echo(t("office_history.line", at=at, who=who, changes=said))


def _shown(args: dict[str, Any]) -> dict[str, Any]:
    if args.get("source") == "paper":
        return {**args, "source": t("verify_anchor.paper")}
    return args


@reports_errors
def reindex(ctx: typer.Context) -> None:
    from dutydesk.services.core import rebuild_search_indexes
    from dutydesk.services.lookup import rebuild_register_indexes

    desk = open_desk_for(ctx)
    with progress_bar(t("progress.reindex")) as update:
        count = rebuild_search_indexes(desk, update)
    records = rebuild_register_indexes(desk)  # documents and contacts (services.lookup)
    typer.echo(t("reindex.done", count=count))
    typer.echo(t("lookup.reindexed", count=records))


@reports_errors
def restore(
    ctx: typer.Context,
    archive: Path = typer.Argument(..., help="reliability_cli.opt_archive"),
    to: Path | None = typer.Option(None, "--to", help="reliability_cli.opt_to"),
    key: Path | None = typer.Option(None, "--key", help="restore_key.opt_key"),
) -> None:
    from dutydesk.errors import DutyError
    from dutydesk.services.archive import restore_archive
    from dutydesk.services.archive.key_files import (
        KEY_FILE_USAGE,
        bring_key,
        check_key_target,
        restore_key,
        restored_from,
    )

    if to is None:
        raise DutyError("error.missing_option", field=t("reliability_cli.target"), option="--to")
    newest, around = restored_from(archive.expanduser())
    try:  # NEW.key beside NEW refused as NEW itself is; a wrong --key: before anything is written
        check_key_target(to.expanduser())
        found = restore_key(newest, key, around)
    except DutyError as error:  # a key file that is not one is bad input (exit 2)
        fail(error.message(), code=2 if error.key in KEY_FILE_USAGE else 1)
    with progress_bar(t("progress.restore")) as update:
        done = restore_archive(archive.expanduser(), to.expanduser(), current_run(ctx).clock,
                               update)  # fmt: skip
    typer.echo(
        t(
            "reliability.restored",
            source=str(done.source),
            target=str(done.target),
            links=done.report.links,
            head=done.report.head or t("reliability_verify.empty_head"),
        )
    )
    brought = bring_key(found, newest, done.target)
    typer.echo(t(brought.message, **brought.params), err=brought.message != "restore_key.brought")
    typer.echo(t("reliability.restored_next", target=str(done.target)))
    if done.pins_removed:
        typer.echo(t("authority.restored_no_pins"))


def _records(pairs: list[tuple[str, int]]) -> str:
    shown = ", ".join(f"{table} #{record_id}" for table, record_id in pairs[:MAX_AFFECTED])
    if len(pairs) > MAX_AFFECTED:
        shown += " " + t("reliability_verify.more", count=len(pairs) - MAX_AFFECTED)
    return shown


def _only_the_paper_differs(report: VerifyReport) -> bool:
    """A head typed off paper that differs, and nothing else wrong: likelier a misread digit
    than tampering (QA #11), so not headlined as a change outside the desk."""
    codes = {problem.code for problem in report.problems}
    return codes == {"paper_differs"} and not report.findings and not report.integrity


def _only_archives_unreadable(report: VerifyReport) -> bool:
    """A file named like a manifest beside the archives that cannot be read, and nothing else
    wrong: the register's own checks passed, so it is not headlined as changed outside the
    desk; still a failure (a genuine manifest made unreadable takes its anchor away)."""
    codes = {problem.code for problem in report.problems}
    return codes == {"unreadable"} and not report.findings and not report.integrity


def print_report(report: VerifyReport) -> None:
    """The verification report, in the user's language."""
    if report.ok:
        head = report.head or t("reliability_verify.empty_head")
        typer.echo(t("reliability_verify.ok", links=report.links, head=head))
        return
    if _only_the_paper_differs(report):
        typer.echo(t("reliability_verify.paper_only", path=str(report.path), links=report.links))
        return
    if _only_archives_unreadable(report):
        count = len(report.problems)
        typer.echo(t("reliability_verify.archives_unreadable", path=str(report.path),
                     count=count, links=report.links))  # fmt: skip
        return
    typer.echo(
        t(
            "reliability_verify.failed",
            path=str(report.path),
            count=report.total + len(report.problems) or len(report.integrity),
            links=report.links,
        )
    )
    if report.integrity:
        typer.echo(t("reliability_verify.integrity", detail="; ".join(report.integrity)))
        return
    if not report.findings:
        return  # the faults are beyond the rows: print_register_checks says them
    first = report.first_broken
    if first is not None and first.seq is not None:
        typer.echo(
            t(
                "reliability_verify.first_broken",
                link=first.seq,
                table=first.table,
                id=first.record_id,
            )
        )
    elif first is not None:
        typer.echo(t("reliability_verify.first_unlinked", table=first.table, id=first.record_id))
    for finding in report.findings[:MAX_LINES]:
        typer.echo(
            "  "
            + t(
                f"reliability_verify.{finding.problem}",
                link=finding.seq if finding.seq is not None else "—",
                table=finding.table,
                id=finding.record_id if finding.record_id is not None else "—",
            )
        )
    if report.total > MAX_LINES:
        typer.echo("  " + t("reliability_verify.more", count=report.total - MAX_LINES))
    typer.echo(t("reliability_verify.affected", records=_records(report.affected)))


def _vouched_snapshot(path: Path) -> bool:
    """An archive's snapshot named in the manifest beside it, matching its SHA-256 (refused if
    it does not): its blanked PIN rows are the export's. A register itself has no manifest."""
    from dutydesk.services.archive import check_manifest, manifest_lists

    if not manifest_lists(path):
        return False
    check_manifest(path)
    return True
