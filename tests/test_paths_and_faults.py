"""Issue 12, section 6: a register path with ?, #, %, spaces or Chinese works for every command and
the archive checks; faults of the file and of its rows are one clear line in the user's language,
a non-zero exit and no traceback (the command line and the app's start)."""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk import db
from dutydesk.i18n import t
from tests.conftest import OFFICE, T0, add_person_cli, init_cli
from tests.support_people import ADMIN, ADMIN_STDIN, authority_for

ROOT = Path(__file__).resolve().parents[1]
CALL = ("--caller", "李红", "--unit", "城关镇", "--phone", "0371-66000000",
        "--summary", "人民路积水约30厘米")  # fmt: skip
ODD_PLACES = [
    ("p?q", "r.db"),  # on main: a world-readable register named "p"
    ("a#b", "c d.db"),  # on main: every later command said there was no register
    ("100%", "x%20y.sqlite3"),
    ("值班 室", "登记簿 #1?.sqlite3"),
]
HUGE_ID = "99999999999999999999999"


def error_line(result) -> str:
    """The one line a refused command writes on stderr."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def rows(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def make_register(cli, path: Path) -> None:
    """init, two people and an open shift, through the command line."""
    ok(init_cli(cli, db=path))
    ok(add_person_cli(cli, "--name", "张伟", "--role", "officer", "--in-post-since",
                      "2024-01-01", db=path))  # fmt: skip
    ok(add_person_cli(cli, "--name", "王建国", "--role", "leader", "--in-post-since",
                      "2024-01-01", db=path))  # fmt: skip
    ok(cli("shift", "open", "--officer", "张伟", "--leader", "王建国", db=path))


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize(("folder", "name"), ODD_PLACES)
def test_an_odd_path_works_for_every_command_and_the_archive_checks(cli, tmp_path, folder, name):
    place = tmp_path / folder
    place.mkdir()
    path = place / name
    make_register(cli, path)
    assert ok(cli("calls", "add", *CALL, "--as", "张伟", db=path)).strip() == "2026-000001"
    assert "2026-000001" in ok(cli("calls", "list", db=path))
    assert rows(path, "call_record") == 1
    ok(cli("verify", db=path))
    ok(cli("export", db=path))
    (archive,) = (place / "exports").iterdir()
    ok(cli("verify", str(archive), db=path))
    ok(cli("archive", "verify", str(archive), db=path))
    restored = place / f"restored {name}"
    ok(cli("restore", str(archive), "--to", str(restored), db=path))
    assert "2026-000001" in ok(cli("calls", "list", db=restored))
    # nothing was written anywhere but the named files: no "p", no "a", no "100"
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
    assert {p.name for p in place.iterdir()} >= {name, "exports", restored.name}
    assert mode(path) == 0o600 and mode(restored) == 0o600


@pytest.mark.parametrize(("folder", "name"), ODD_PLACES[:2])
def test_a_new_register_and_its_journal_are_owner_only(tmp_path, clock, folder, name):
    from dutydesk.services.calls.calls import CallDraft, save_call
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.people import add_person

    (tmp_path / folder).mkdir()
    path = tmp_path / folder / name
    old_umask = os.umask(0o022)
    try:
        desk = init_database(path, OFFICE, "tianjin", clock)
        person, _warnings = add_person(desk, "张伟", "officer", authority=authority_for(desk))
        save_call(desk, CallDraft("甲", "乙", "12345", "内容"), person)
        journal = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(p.exists() for p in journal)
        assert {p.name: mode(p) for p in [path, *journal]} == {
            p.name: 0o600 for p in [path, *journal]
        }
        desk.close()
    finally:
        os.umask(old_umask)


async def test_the_app_opens_a_register_at_an_odd_path(bare_desk, tmp_path, clock):
    from dutydesk.app import make_app

    place = tmp_path / "值班 p?q#r%20"
    place.mkdir()
    path = place / "登记簿 #1.db"
    bare_desk.close()
    shutil.copy(bare_desk.path, path)
    app = make_app(path, clock)
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.desk is not None:
                break
        assert app.desk is not None and app.desk.office.name == OFFICE
        # let the first screen finish mounting: leaving mid-mount races Textual's Select
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code in (0, None)


# ---------------------------------------------------------------- faults of typed values


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_offset_of_99_hours_is_a_time_not_understood(cli_desk, db_path, lang):
    value = "2026-11-23T09:00:00+99:00"
    result = cli_desk("calls", "add", *CALL, "--received-at", value, lang=lang)
    expected = t("time_input.bad_offset", lang=lang, value=value, offset="+99:00")
    assert error_line(result) == expected
    assert rows(db_path, "call_record") == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", [
    ("pending", "close", HUGE_ID),
    ("incidents", "show", HUGE_ID),
    ("spotcheck", "close", HUGE_ID),
    ("spotcheck", "record", HUGE_ID, "城关镇", "--method", "phone", "--answered", "--no-name"),
])  # fmt: skip
def test_an_id_too_big_for_sqlite_is_no_such_record(cli_desk, db_path, lang, command):
    before = digest(db_path)
    assert error_line(cli_desk(*command, lang=lang)) == t("db.no_such_record", lang=lang)
    assert digest(db_path) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_csv_cell_over_the_field_limit_is_said_in_the_users_words(cli_desk, tmp_path, lang):
    import csv

    limit = csv.field_size_limit()
    source = tmp_path / "units.csv"
    source.write_text("name,kind,duty_phone,active\n" + "城" * (limit + 1) + ",town,123,yes\n",
                      encoding="utf-8")  # fmt: skip
    line = error_line(cli_desk("units", "import", str(source), lang=lang))
    detail = t("fault.csv_field_too_long", lang=lang, limit=f"{limit:,}")
    assert line == t("spotcheck_units.csv_bad_row", lang=lang, file=str(source), line=2,
                     detail=detail, more="")  # fmt: skip
    assert "field larger than field limit" not in line


# ---------------------------------------------------------------- faults of stored rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rolled_back_numbering_says_tampered_and_points_to_verify(cli_desk, db_path, lang):
    ok(cli_desk("calls", "add", *CALL, "--as", "张伟"))
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE register_sequence SET last_value = last_value - 1")
    result = cli_desk("calls", "add", *CALL, "--as", "张伟", lang=lang)
    line = error_line(result)
    assert line == t("db.numbering_tampered", lang=lang, path=str(db_path))
    assert "dutydesk" in line and "verify" in line
    assert rows(db_path, "call_record") == 1


def _relabel(path: Path, version: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (version,))


def _head() -> str:
    return ", ".join(sorted(db.known_revisions()[1]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_relabelled_older_version_is_named_and_nothing_changes(cli_desk, db_path, lang):
    _relabel(db_path, "0001")
    before = digest(db_path)
    line = error_line(cli_desk("calls", "list", lang=lang))
    assert line == t("db.version_mismatch", lang=lang, path=str(db_path), version="0001",
                     known=_head())  # fmt: skip
    assert digest(db_path) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_version_is_named(cli_desk, db_path, lang):
    _relabel(db_path, "0042_from_elsewhere")
    line = error_line(cli_desk("calls", "list", lang=lang))
    assert line == t("db.unknown_version", lang=lang, path=str(db_path),
                     version="0042_from_elsewhere", known=_head())  # fmt: skip
    assert "0042_from_elsewhere" in line


# ---------------------------------------------------------------- faults of the file


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_zero_byte_file_is_an_empty_file_and_init_makes_it_a_register(cli, db_path, lang):
    db_path.touch()
    os.chmod(db_path, 0o644)
    line = error_line(cli("calls", "list", lang=lang))
    assert line == t("db.empty_file", lang=lang, path=str(db_path), db=shlex.quote(str(db_path)))
    assert db_path.read_bytes() == b""
    ok(init_cli(cli, lang=lang))
    assert db.schema_state(db_path) is db.SchemaState.current
    assert mode(db_path) == 0o600
    assert ok(cli("calls", "list", "--json", lang=lang)).strip() == "[]"


def test_a_file_with_one_byte_is_not_taken_by_init(cli, db_path):
    db_path.write_bytes(b"\n")
    line = error_line(cli("init", "--office", OFFICE, "--profile", "tianjin"))
    assert line == t("init.exists", path=str(db_path))
    assert db_path.read_bytes() == b"\n"


def test_an_sqlite_file_of_something_else_is_named_not_sent_to_init(cli, db_path):
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("CREATE TABLE notes (x)")
    assert error_line(cli("calls", "list")) == t("db.not_a_register", path=str(db_path))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_read_only_file_system_is_said_read_only_not_damaged(cli_desk, db_path, monkeypatch,
                                                               lang):  # fmt: skip
    """As the command line sees it once the file system reports read-only (statvfs); the real
    mount is in test_a_register_on_a_read_only_mount."""
    real_statvfs = os.statvfs

    class ReadOnly:
        def __init__(self, real: os.statvfs_result) -> None:
            self.f_flag = real.f_flag | os.ST_RDONLY

    def statvfs(path):  # noqa: ANN001, ANN202
        return ReadOnly(real_statvfs(path))

    before = digest(db_path)
    monkeypatch.setattr(os, "statvfs", statvfs)
    expected = t("db.read_only_place", lang=lang, path=str(db_path))
    assert error_line(cli_desk("calls", "list", lang=lang)) == expected
    assert error_line(cli_desk("calls", "add", *CALL, lang=lang)) == expected
    assert "verify" in expected
    assert not expected.startswith(t("db.damaged", lang=lang, path=str(db_path)))
    assert digest(db_path) == before


def _read_only_mount_available(folder: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'mount --bind -o ro "{folder}" "{folder}"'],
        capture_output=True,
    )
    return probe.returncode == 0


def test_a_register_on_a_read_only_mount(cli_desk, db_path, tmp_path):
    """A real read-only bind mount in a user namespace: the register is read-only, not damaged;
    verify still checks it where it lies; init there cannot create."""
    if not _read_only_mount_available(tmp_path):
        pytest.skip("no user namespaces here: cannot mount a folder read-only")
    folder = db_path.parent
    frozen = [sys.executable, "-m", "bench.frozen", "--at", T0, "--", "--lang", "en"]
    script = "\n".join([
        f'mount --bind -o ro "{folder}" "{folder}"',
        f"{_shell(frozen)} --db {_shell([str(db_path)])} calls list; echo rc=$?",
        f"{_shell(frozen)} --db {_shell([str(db_path)])} verify; echo rc=$?",
        f"printf '{ADMIN_STDIN}' | {_shell(frozen)} --db {_shell([str(folder / 'new.db')])} "
        f"init --office X --profile tianjin --admin {ADMIN} --pin-stdin; echo rc=$?",
    ])  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)  # fmt: skip
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        t("db.read_only_place", lang="en", path=str(db_path)),
        t("db.cannot_create", lang="en", path=str(folder / "new.db")),
    ]
    assert done.stdout.count("rc=1") == 2 and done.stdout.count("rc=0") == 1
    assert t("reliability_verify.ok", lang="en", links=0, head="")[:3] in done.stdout
    assert not (folder / "new.db").exists()


def _shell(words: list[str]) -> str:
    import shlex

    return shlex.join(words)


# ---------------------------------------------------------------- the app's start


@pytest.mark.parametrize("prepare", ["empty", "relabelled", "unknown"])
async def test_the_app_says_a_file_fault_in_one_line_and_exits_non_zero(bare_desk, clock, prepare):
    from dutydesk.app import make_app

    path = bare_desk.path
    bare_desk.close()
    if prepare == "empty":
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            candidate.unlink(missing_ok=True)
        path.touch()
        expected = t("db.empty_file", lang="en", path=str(path), db=shlex.quote(str(path)))
    elif prepare == "relabelled":
        _relabel(path, "0001")
        expected = t("db.version_mismatch", lang="en", path=str(path), version="0001",
                     known=_head())  # fmt: skip
    else:
        _relabel(path, "0042_x")
        expected = t("db.unknown_version", lang="en", path=str(path), version="0042_x",
                     known=_head())  # fmt: skip
    app = make_app(path, clock, lang="en")
    said: list[object] = []
    real_exit = app.exit

    def exit_and_note(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        said.append(str(kwargs.get("message")))  # a rich Text: user text is shown literally
        return real_exit(*args, **kwargs)

    app.exit = exit_and_note  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.return_code is not None:
                break
    assert app.return_code == 1
    assert said == [expected]


def test_a_pipe_or_a_folder_as_the_register_is_refused_not_waited_on(tmp_path, cli):
    """QA: `--db` naming a FIFO hung until killed (opening a pipe waits for a writer)."""
    import os

    from dutydesk.i18n import t

    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    for target in (pipe, tmp_path):
        cli.db_path = target
        result = cli("calls", "list")
        assert result.exit_code == 1
        assert t("db.not_a_file", path=str(target)) in result.output
