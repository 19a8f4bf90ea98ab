"""Subcommands for data safety: `verify` (the hash chain) and `restore` (from an archive)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from dutydesk.cli_support import print_json, reports_errors, settings
from dutydesk.i18n import t

MAX_LINES = 20  # findings printed in full; the rest are counted
MAX_AFFECTED = 20


def _records(pairs: list[tuple[str, int]]) -> str:
    shown = ", ".join(f"{table} #{record_id}" for table, record_id in pairs[:MAX_AFFECTED])
    if len(pairs) > MAX_AFFECTED:
        shown += " " + t("reliability_verify.more", count=len(pairs) - MAX_AFFECTED)
    return shown


def print_report(report: Any) -> None:
    """The verification report, in the user's language."""
    if report.ok:
        head = report.head or t("reliability_verify.empty_head")
        typer.echo(t("reliability_verify.ok", links=report.links, head=head))
        return
    typer.echo(
        t(
            "reliability_verify.failed",
            path=str(report.path),
            count=report.total or len(report.integrity),
            links=report.links,
        )
    )
    if report.integrity:
        typer.echo(t("reliability_verify.integrity", detail="; ".join(report.integrity)))
        return
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
    from dutydesk.services.archive.restore import check_manifest, manifest_lists

    if not manifest_lists(path):
        return False
    check_manifest(path)
    return True


def register(app: typer.Typer) -> None:
    @app.command("verify", help=t("reliability_cli.verify_help"))
    @reports_errors
    def verify(
        ctx: typer.Context,
        target: Path | None = typer.Argument(None, help=t("reliability_cli.arg_target")),
        db: Path | None = typer.Option(None, "--db", help=t("cli.opt_db")),
        as_json: bool = typer.Option(False, "--json", help=t("cli.opt_json")),
    ) -> None:
        from dutydesk.services.archive.verify import verify_register

        if target is not None and target.expanduser().is_dir():
            from dutydesk.cli_handover import report_archives

            report_archives(target.expanduser())  # an archive, or a folder of archives
            return
        if target is not None:
            db = target
        path = db.expanduser() if db is not None else settings(ctx).db_path
        report = verify_register(path, archive=target is not None and _vouched_snapshot(path))
        if as_json:
            print_json(report.to_json())
        else:
            print_report(report)
            if report.unguarded:
                typer.echo(
                    t("reliability_verify.unguarded", tables=", ".join(report.unguarded)),
                    err=True,
                )
        if not report.ok:
            raise typer.Exit(1)

    @app.command("restore", help=t("reliability_cli.restore_help"))
    @reports_errors
    def restore(
        ctx: typer.Context,
        archive: Path = typer.Argument(..., help=t("reliability_cli.opt_archive")),
        to: Path | None = typer.Option(None, "--to", help=t("reliability_cli.opt_to")),
    ) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.archive.restore import restore_archive

        if to is None:
            raise DutyError(
                "error.missing_option", field=t("reliability_cli.target"), option="--to"
            )
        done = restore_archive(archive.expanduser(), to.expanduser(), settings(ctx).clock)
        typer.echo(
            t(
                "reliability.restored",
                source=str(done.source),
                target=str(done.target),
                links=done.report.links,
                head=done.report.head or t("reliability_verify.empty_head"),
            )
        )
        typer.echo(t("reliability.restored_next", target=str(done.target)))
        if done.pins_removed:
            typer.echo(t("authority.restored_no_pins"))
