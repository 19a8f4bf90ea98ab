"""A throwaway PostgreSQL server for the central archive's tests (issue 20 item 3): initdb into a
temporary folder, listening only on a Unix socket in that folder, stopped at the end. Run as
the unprivileged `postgres` user when the tests run as root (PostgreSQL refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def _bindir() -> Path | None:
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidate = Path(found.stdout.strip())
        if (candidate / "initdb").is_file():
            return candidate
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    which = shutil.which("initdb")
    return Path(which).parent if which else None


class Server:
    """One server: `url(db)` for a database on it; `create_database` makes a fresh one."""

    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL (initdb) is not installed: see .ci/run")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="dutydesk-pg-"))
        self.data = self.root / "data"
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else os.environ.get("USER", "postgres")
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)  # the tests (root) reach the socket inside

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> Server:
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = f"-c listen_addresses='' -k {self.root} -c fsync=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-w", "-o", options,
                  "-l", str(self.root / "log"), "start")  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.user}@/{database}?host={self.root}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, name: str) -> str:
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


# ---------------------------------------------------------------- desks and their archives

T0 = "2026-11-23T10:00:00+08:00"  # a Monday, inside the day shift


def at(text: str):  # noqa: ANN201
    import pendulum

    return pendulum.parse(text, tz="Asia/Shanghai")


def new_desk(path: Path, office: str, profile: str):  # noqa: ANN201
    """A register of `profile` with two officers (Henan puts two on a shift) and a shift open."""
    from datetime import date

    import pendulum

    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.people import add_person, find_person
    from dutydesk.services.roster.shifts import open_shift
    from tests.support_people import authority_for

    desk = init_database(path, office, profile, FrozenClock(pendulum.parse(T0)))  # type: ignore[arg-type]
    for name in ("张伟", "李娜"):
        add_person(desk, name, "officer", in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
    open_shift(desk, "张伟", second_officer="李娜" if profile == "henan" else None)
    return desk, find_person(desk, "张伟")


def add_calls(desk, person, calls: list[tuple[str, str]]) -> list:  # noqa: ANN001
    """(unit, summary) each, five minutes apart."""
    from dutydesk.services.calls.calls import CallDraft, save_call

    saved = []
    for unit, summary in calls:
        draft = CallDraft(caller="李红", unit=unit, phone="110", summary=summary)
        saved.append(save_call(desk, draft, person))
        desk.clock.advance(minutes=5)
    return saved


def held_archives(conn, shas: list[str]) -> None:  # noqa: ANN001
    """Archive rows for made-up rows to name (each row's `archive_sha` is a foreign key, central
    migration c0011): one office, an archive per SHA."""
    conn.execute("INSERT INTO desk (office_id) VALUES ('chain:held') ON CONFLICT DO NOTHING")
    for number, sha in enumerate(shas, start=1):
        conn.execute(
            "INSERT INTO archive (office_id, number, content, name, manifest_sha, created_at, "
            "head_seq, head_hash, office, manifest) VALUES "
            "('chain:held', %s, 'pack', %s, %s, now(), 1, 'h', '测试', '{}')",
            (number, sha, sha),
        )
