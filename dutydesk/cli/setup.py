"""`dutydesk init`: a new register with its first administrator."""

from __future__ import annotations

from pathlib import Path

import typer

from dutydesk.cli.support import current_run, read_secret, reports_errors, require
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.paths import default_db_path


@reports_errors
def init(
    ctx: typer.Context,
    office: str | None = typer.Option(None, "--office", help="cli.opt_office"),
    profile: str | None = typer.Option(None, "--profile", help="cli.opt_profile"),
    admin: str | None = typer.Option(None, "--admin", help="cli.opt_admin"),
    pin_stdin: bool = typer.Option(False, "--pin-stdin", help="cli.opt_pin_stdin"),
) -> None:
    from dutydesk.services.roster import init_with_admin

    run = current_run(ctx)
    path = run.db_path
    office_name, profile_id = require(office, "office"), require(profile, "profile")
    check_init_target(path, office_name, profile_id)  # before any PIN is asked for
    if not admin:
        raise DutyError("authority.init_admin_missing")
    pin = read_secret(t("handover_pin.prompt_new", name=admin), pin_stdin)
    again = read_secret(t("handover_pin.prompt_again"), pin_stdin)
    if path == default_db_path():
        path.parent.mkdir(parents=True, exist_ok=True)  # first run: make the data folder
    desk = init_with_admin(path, office_name, profile_id, admin, pin, again, run.clock)
    typer.echo(t("init.done", path=str(path), office=desk.office.name, profile=desk.profile.id))
    typer.echo(t("people.added", name=admin, role=t("role.admin")))
    desk.close()


def check_init_target(path: Path, office: str, profile_id: str) -> None:
    """What init_database refuses, checked before the administrator's PIN is asked for."""
    from dutydesk.errors import FieldProblem, ValidationFailed
    from dutydesk.profiles import load_profile
    from dutydesk.services.core import check_name, is_empty_file

    problems: list[FieldProblem] = []
    check_name(problems, "office", office, required=True, max_length=100)
    if problems:
        raise ValidationFailed(problems)
    load_profile(profile_id)
    if path.exists() and not is_empty_file(path):
        raise DutyError("init.exists", path=str(path))
    if not path.parent.exists() and path != default_db_path():
        raise DutyError("db.missing_dir", path=str(path.parent))
