"""`dutydesk central key` (on the desk: its public signing key and stable id, to be given to the
city out of band) and `dutydesk central enrol` (at the city, by the administrator)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import typer

from dutydesk.cli.central import JSON, URL, _say, _url, app
from dutydesk.cli.support import current_run, fail, print_json, reports_errors
from dutydesk.i18n import t

DB = typer.Option(None, "--db", help="cli.opt_db")


def _office(path: Path) -> tuple[str, str | None]:
    """The register's office name and stable id (None before its first record)."""
    from dutydesk.db import connect_readonly_file
    from dutydesk.services.archive.archive_manifest import office_id
    from dutydesk.services.core.desk import check_openable

    check_openable(path)  # a clear message for a missing or foreign file
    conn = connect_readonly_file(path)
    try:
        row = conn.execute("SELECT name FROM office ORDER BY id LIMIT 1").fetchone()
        return (str(row[0]) if row else ""), office_id(conn)
    except sqlite3.Error:
        return "", office_id(conn)
    finally:
        conn.close()


@app.command("key", help="central.key_help")
@reports_errors
def key(ctx: typer.Context, db: Path | None = DB, as_json: bool = JSON) -> None:
    from dutydesk.services.archive.desk_key import fingerprint, key_path, public_key

    path = db.expanduser() if db is not None else current_run(ctx).db_path
    office, office_id = _office(path)
    if office_id is None:
        fail(t("central.key_no_chain"))
    public = public_key(path)
    shown = {"office": office, "office_id": office_id, "key": public,
             "fingerprint": fingerprint(public), "path": str(key_path(path))}  # fmt: skip
    if as_json:
        print_json(shown)
    else:
        params = {name: value for name, value in shown.items() if name != "key"}
        typer.echo(_say("central.key_shown", public_key=public, **params))


@app.command("enrol", help="central.enrol_help")
@reports_errors
def enrol(
    ctx: typer.Context,
    office: str = typer.Option(..., "--office", help="central.opt_office", metavar="<chain:…>"),
    key: str = typer.Option(..., "--key", help="central.opt_key", metavar="<BASE64>"),
    by: str = typer.Option(..., "--by", help="central.opt_enrol_by"),
    reason: str = typer.Option(..., "--reason", help="central.opt_enrol_reason"),
    url: str | None = URL,
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central.keys import enrol_key

    enrolled = enrol_key(_url(ctx, url), office, key, by, reason)
    if as_json:
        print_json(enrolled.to_json())
    else:
        typer.echo(_say("central.enrol_done", office_id=enrolled.office_id,
                        fingerprint=enrolled.fingerprint, by=enrolled.enrolled_by,
                        at=enrolled.enrolled_at))  # fmt: skip
