"""`dutydesk central key` (on the desk: its public signing key and stable id, to be given to the
city out of band) and `dutydesk central enrol` (at the city, by the administrator)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NoReturn

import typer

from dutydesk.cli.central import JSON, URL, _say, _url, _work, app, print_outcomes
from dutydesk.cli.support import current_run, fail, print_json, reports_errors
from dutydesk.errors import DutyError
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
    from dutydesk.services.archive.key_files import signs_from

    path = db.expanduser() if db is not None else current_run(ctx).db_path
    office, office_id = _office(path)
    if office_id is None:
        fail(t("central.key_no_chain"))
    public = public_key(path)
    shown = {"office": office, "office_id": office_id, "key": public,
             "fingerprint": fingerprint(public), "path": str(key_path(path)),
             "from_number": signs_from(path, public)}  # fmt: skip
    if as_json:
        print_json(shown)
    else:
        params = {
            name: value for name, value in shown.items() if name not in ("key", "from_number")
        }
        typer.echo(_say("central.key_shown", public_key=public, **params))
        typer.echo(_say("central.key_signs_from", start=shown["from_number"]))


KEY_USAGE = ("central.enrol_nothing", "central.enrol_from_without_key", "central.enrol_from_overlap",
             "central.enrol_from_needed", "central.enrol_bad_number",
             "central.unsigned_reaches_signed", "central.unsigned_past_seen",
             "central.enrol_from_stored", "central.enrol_key_of_other_desk",
             "central.retire_from_stored")  # fmt: skip
OFFICE = typer.Option(..., "--office", help="central.opt_office", metavar="<chain:…>")
BY = typer.Option(..., "--by", help="central.opt_enrol_by")
REASON = typer.Option(..., "--reason", help="central.opt_enrol_reason")
WORK = typer.Option(None, "--work", help="central.opt_work")


def _usage(error: DutyError) -> NoReturn:
    """A wrong combination of options is a usage error (exit 2); the rest exit 1."""
    fail(error.message(), code=2 if error.key in KEY_USAGE else 1)


@app.command("enrol", help="central.enrol_help")
@reports_errors
def enrol(
    ctx: typer.Context,
    office: str = OFFICE,
    key: str | None = typer.Option(None, "--key", help="central.opt_key", metavar="<BASE64>"),
    by: str = BY,
    reason: str = REASON,
    start: int | None = typer.Option(None, "--from", help="central.opt_key_from", metavar="<N>"),
    unsigned_until: int | None = typer.Option(
        None, "--unsigned-until", help="central.opt_unsigned_until", metavar="<N>"
    ),
    url: str | None = URL,
    work: Path | None = WORK,
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central.enrolment import release_enrolled
    from dutydesk.services.central.keys import enrol_key

    target = _url(ctx, url)
    try:
        enrolled = enrol_key(target, office, key, by, reason, from_number=start,
                             unsigned_until=unsigned_until)  # fmt: skip
    except DutyError as error:
        _usage(error)
    outcomes = release_enrolled(target, enrolled.office_id, _work(work))
    if as_json:
        print_json({**enrolled.to_json(), "outcomes": [o.to_json() for o in outcomes]})
        return
    if unsigned_until is not None:
        typer.echo(_say("central.enrol_unsigned_done", office_id=enrolled.office_id,
                        until=unsigned_until, by=enrolled.enrolled_by, at=enrolled.enrolled_at))  # fmt: skip
    if key is not None:
        typer.echo(_say("central.enrol_done", office_id=enrolled.office_id, start=enrolled.from_number,
                        fingerprint=enrolled.fingerprint, by=enrolled.enrolled_by,
                        at=enrolled.enrolled_at))  # fmt: skip
    print_outcomes(outcomes)


@app.command("retire", help="central.retire_help")
@reports_errors
def retire(
    ctx: typer.Context,
    office: str = OFFICE,
    key: str = typer.Option(
        ..., "--key", help="central.opt_retire_key", metavar="<KEY|FINGERPRINT>"
    ),
    start: int = typer.Option(..., "--from", help="central.opt_retire_from", metavar="<N>"),
    by: str = BY,
    reason: str = REASON,
    url: str | None = URL,
    as_json: bool = JSON,
) -> None:
    from dutydesk.services.central.keys import retire_key

    try:
        retired = retire_key(_url(ctx, url), office, key, start, by, reason)
    except DutyError as error:
        _usage(error)
    if as_json:
        print_json(retired.to_json())
    else:
        typer.echo(_say("central.retire_done", office_id=retired.office_id, start=start,
                        fingerprint=retired.fingerprint, by=retired.enrolled_by,
                        at=retired.enrolled_at))  # fmt: skip
