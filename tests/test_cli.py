"""The `dutydesk` command: every subcommand of issue 3, and every kind of bad input, which must
end with one clear line on stderr in the user's language, a non-zero exit and nothing written."""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from dutydesk import __version__, db
from dutydesk.i18n import t
from tests.conftest import OFFICE, add_person_cli, init_cli
from tests.support_people import ADMIN, ADMIN_STDIN
from tests.support_template import copy_register, template_fixture

CALL = ("--caller", "李红", "--unit", "城关镇", "--phone", "0371-66000000",
        "--summary", "人民路积水约30厘米")  # fmt: skip
CALL_KEYS = {
    "number",
    "received_at",
    "direction",
    "caller",
    "unit",
    "phone",
    "verified",
    "category",
    "summary",
    "handling",
    "recorded_by",
    "amended_by",
}
LANGS = ("zh", "en")


template = pytest.fixture(scope="module")(template_fixture)


@pytest.fixture
def cli_desk(cli, template, db_path):
    """As conftest's cli_desk (Tianjin, 张伟 on the open shift, 王建国 leading; here 赵磊 too),
    copied from a register made once instead of four commands per test."""
    copy_register(template, db_path)
    return cli


# ---------------------------------------------------------------- helpers


def error_line(result) -> str:
    """The one line a refused command writes on stderr."""
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def refused(result, key: str, lang: str, **params: object) -> None:
    assert result.exit_code == 1, result.output
    assert error_line(result) == t(key, lang=lang, **params)
    assert result.stdout == ""


def validation_line(lang: str, *problems: tuple[str, str]) -> str:
    parts = [
        t("error.field", lang=lang, field=t(f"field.{field}", lang=lang), problem=t(key, lang=lang))
        for field, key in problems
    ]
    return t("error.validation", lang=lang, problems=t("error.separator", lang=lang).join(parts))


def contents(path: Path) -> dict[str, list[tuple]]:
    """Every row of every ordinary table (the search indexes' shadow tables included)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
            )
        ]
        return {name: conn.execute(f'SELECT * FROM "{name}"').fetchall() for name in tables}


def file_state(path: Path) -> dict[str, tuple[bytes, int]]:
    state = {}
    for suffix in ("", "-wal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            state[suffix] = (candidate.read_bytes(), candidate.stat().st_mtime_ns)
    return state


def add_call(cli, *extra: str, lang: str = "zh"):
    return cli("calls", "add", *CALL, *extra, lang=lang)


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- version, init


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"dutydesk {__version__}"


@pytest.mark.parametrize("lang", LANGS)
def test_init_creates_a_register(cli, db_path, lang):
    result = init_cli(cli, profile="henan", lang=lang)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        t("init.done", lang=lang, path=str(db_path), office=OFFICE, profile="henan"),
        t("people.added", lang=lang, name=ADMIN, role=t("role.admin", lang=lang)),
    ]
    assert db.schema_state(db_path) is db.SchemaState.current
    with closing(sqlite3.connect(db_path)) as conn, conn:
        assert conn.execute("SELECT name, profile_id, timezone FROM office").fetchall() == [
            (OFFICE, "henan", "Asia/Shanghai")
        ]


@pytest.mark.parametrize("lang", LANGS)
def test_init_refuses_an_existing_register_and_changes_nothing(cli_desk, db_path, lang):
    add_call(cli_desk)
    before = file_state(db_path)
    rows = contents(db_path)
    result = cli_desk("init", "--office", "另一个值班室", "--profile", "district", lang=lang)
    refused(result, "init.exists", lang, path=str(db_path))
    assert file_state(db_path) == before
    assert contents(db_path) == rows


def test_init_refuses_any_existing_file(cli, db_path):
    db_path.write_bytes(b"notes")
    refused(cli("init", "--office", OFFICE, "--profile", "tianjin"), "init.exists", "zh",
            path=str(db_path))  # fmt: skip
    assert db_path.read_bytes() == b"notes"


@pytest.mark.parametrize("lang", LANGS)
def test_init_with_an_unknown_profile_writes_nothing(cli, db_path, lang):
    result = cli("init", "--office", OFFICE, "--profile", "beijing", lang=lang)
    refused(result, "profile.unknown", lang, name="beijing", known="district, henan, tianjin")
    assert not db_path.exists()


@pytest.mark.parametrize(("missing", "args"), [
    ("office", ("--profile", "tianjin")),
    ("profile", ("--office", OFFICE)),
])  # fmt: skip
@pytest.mark.parametrize("lang", LANGS)
def test_init_with_a_missing_option_writes_nothing(cli, db_path, lang, missing, args):
    result = cli("init", *args, lang=lang)
    field = t(f"field.{missing}", lang=lang)
    refused(result, "error.missing_option", lang, field=field, option=f"--{missing}")
    assert not db_path.exists()


@pytest.mark.parametrize("lang", LANGS)
def test_init_in_a_missing_directory_creates_nothing(cli, tmp_path, lang):
    target = tmp_path / "no" / "such" / "desk.sqlite3"
    result = cli("init", "--office", OFFICE, "--profile", "tianjin", lang=lang, db=target)
    refused(result, "db.missing_dir", lang, path=str(target.parent))
    assert not (tmp_path / "no").exists()


# ---------------------------------------------------------------- calls


def test_calls_add_prints_the_register_number(cli_desk):
    first = add_call(cli_desk)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "2026-000001"
    assert add_call(cli_desk).stdout.strip() == "2026-000002"


def test_calls_add_json_shape(cli_desk):
    record = as_json(add_call(cli_desk, "--direction", "out", "--category", "incident",
                              "--verified", "--handling", "已通知交警",
                              "--received-at", "2026-11-23T09:30", "--json"))  # fmt: skip
    assert set(record) >= CALL_KEYS
    expected = {
        "number": "2026-000001",
        "received_at": "2026-11-23T09:30:00+08:00",
        "direction": "out",
        "caller": "李红",
        "unit": "城关镇",
        "phone": "0371-66000000",
        "verified": True,
        "category": "incident",
        "summary": "人民路积水约30厘米",
        "handling": "已通知交警",
        "recorded_by": "张伟",
        "amended_by": None,
    }
    assert {key: record[key] for key in expected} == expected


def test_calls_add_defaults_and_times(cli_desk):
    plain = as_json(add_call(cli_desk, "--json"))
    assert (plain["direction"], plain["category"], plain["verified"]) == ("in", "other", False)
    assert (plain["handling"], plain["received_at"]) == ("", "2026-11-23T10:00:00+08:00")
    # a time in another zone is shown in the office's
    utc = as_json(add_call(cli_desk, "--received-at", "2026-11-23T01:05:00Z", "--json"))
    assert utc["received_at"] == "2026-11-23T09:05:00+08:00"
    # the short form is today at the desk (the desk's clock), not the machine's date
    # (the clock is set after the register was created: no record is older than the register)
    cli_desk.at("2027-01-02T10:00:00+08:00")  # 张伟's shift is still on duty: never lapses
    short = as_json(add_call(cli_desk, "--received-at", "08:45", "--json"))
    assert short["received_at"] == "2027-01-02T08:45:00+08:00"
    assert short["number"] == "2027-000001"


def test_calls_list_newest_first_search_since_limit(cli_desk):
    for when, summary in [
        ("08:00", "人民路积水"),
        ("09:00", "东关街道停电"),
        ("09:30", "燃气泄漏"),
    ]:
        assert cli_desk("calls", "add", *CALL[:-1], summary, "--received-at", when).exit_code == 0
    listed = as_json(cli_desk("calls", "list", "--json"))
    assert isinstance(listed, list)
    assert [c["summary"] for c in listed] == ["燃气泄漏", "东关街道停电", "人民路积水"]
    assert all(set(call) >= CALL_KEYS for call in listed)
    assert [c["summary"] for c in as_json(cli_desk("calls", "list", "--search", "停电", "--json"))
            ] == ["东关街道停电"]  # fmt: skip
    since = as_json(cli_desk("calls", "list", "--since", "2026-11-23T09:00", "--json"))
    assert [c["summary"] for c in since] == ["燃气泄漏", "东关街道停电"]
    assert len(as_json(cli_desk("calls", "list", "--limit", "1", "--json"))) == 1
    assert as_json(cli_desk("calls", "list", "--search", "不存在", "--json")) == []
    text = cli_desk("calls", "list")
    assert text.exit_code == 0
    lines = text.stdout.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("2026-000003  2026-11-23 09:30  来电  李红")


def test_calls_list_since_takes_a_date_and_a_time_before_the_register(cli_desk):
    """QA 10: the README's `--since 2026-11-01`, full-width as typed, and a filter from before
    the register existed (a filter, not a record time) all list the calls."""
    assert (
        cli_desk("calls", "add", *CALL[:-1], "人民路积水", "--received-at", "08:00").exit_code == 0
    )
    for since in ("2026-11-01", "２０２６-１１-０１ ００:００", "2020-01-01T00:00", "2026-11-23"):
        result = cli_desk("calls", "list", "--since", since, "--json")
        assert result.exit_code == 0, (since, result.output)
        assert [c["summary"] for c in as_json(result)] == ["人民路积水"], since
    assert as_json(cli_desk("calls", "list", "--since", "2026-11-24", "--json")) == []
    bad = cli_desk("calls", "list", "--since", "2026-13-01")
    assert bad.exit_code == 1 and "2026-13-01" in bad.output


def test_calls_list_on_an_empty_register_says_so(cli_desk):
    result = cli_desk("calls", "list", lang="en")
    assert result.exit_code == 0
    assert result.stderr.strip() == t("calls.none_found", lang="en")


def test_calls_amend_show_and_list(cli_desk, db_path):
    add_call(cli_desk)
    original = contents(db_path)["call_record"]
    result = cli_desk("calls", "amend", "2026-000001", "--reason", "积水深度记错",
                      "--summary", "人民路积水约50厘米")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == t("calls.amended", number="2026-000002", original="2026-000001")
    assert contents(db_path)["call_record"][0] == original[0]  # the original line is untouched

    listed = as_json(cli_desk("calls", "list", "--json"))
    assert [c["number"] for c in listed] == ["2026-000001"]
    assert listed[0]["summary"] == "人民路积水约50厘米"
    assert listed[0]["amended_by"] == "2026-000002"
    text = cli_desk("calls", "list").stdout
    assert "人民路积水约50厘米" in text and t("calls.amended_mark", number="2026-000002") in text

    shown = as_json(cli_desk("calls", "show", "2026-000002", "--json"))
    assert set(shown) >= CALL_KEYS
    assert (shown["number"], shown["amended_by"]) == ("2026-000001", "2026-000002")
    assert [line["number"] for line in shown["history"]] == ["2026-000001", "2026-000002"]
    assert [line["summary"] for line in shown["history"]] == ["人民路积水约30厘米",
                                                              "人民路积水约50厘米"]  # fmt: skip
    assert shown["history"][1]["amend_reason"] == "积水深度记错"
    words = cli_desk("calls", "show", "2026-000001").stdout.splitlines()  # labelled, not JSON
    assert words[0] == "登记号：2026-000001" and "内容：人民路积水约50厘米" in words
    assert "方向：来电" in words and "{" not in "".join(words)
    history = words[words.index(t("calls.history")) :]
    assert "  内容：人民路积水约30厘米" in history and "  更正原因：积水深度记错" in history

    again = as_json(cli_desk("calls", "amend", "2026-000002", "--reason", "核实身份",
                             "--verified", "--json"))  # fmt: skip
    assert set(again) >= CALL_KEYS
    assert (again["number"], again["amended_by"], again["verified"]) == (
        "2026-000001",
        "2026-000003",
        True,
    )
    assert again["summary"] == "人民路积水约50厘米"


@pytest.mark.parametrize("lang", LANGS)
def test_calls_amend_refusals_write_nothing(cli_desk, db_path, lang):
    add_call(cli_desk)
    rows = contents(db_path)
    amend = ("calls", "amend", "2026-000001")
    refused(cli_desk(*amend, "--summary", "新内容", lang=lang), "error.missing_option", lang,
            field=t("field.reason", lang=lang), option="--reason")  # fmt: skip
    refused(cli_desk(*amend, "--reason", "无", "--caller", "李红", lang=lang),
            "calls.no_change", lang)  # fmt: skip
    refused(cli_desk("calls", "amend", "2026-000099", "--reason", "无", "--caller", "某",
                     lang=lang), "calls.unknown", lang, number="2026-000099")  # fmt: skip
    result = cli_desk(*amend, "--reason", "改时间", "--received-at", "2026-11-24T10:00", lang=lang)
    assert error_line(result) == validation_line(lang, ("received_at", "problem.in_future"))
    assert contents(db_path) == rows


def test_calls_show_unknown_number(cli_desk):
    result = cli_desk("calls", "show", "2026-000042")
    refused(result, "calls.unknown", "zh", number="2026-000042")
    assert result.exit_code == 1 and result.stdout == ""


# ---------------------------------------------------------------- people and shifts


def test_people_add_and_list(cli_desk):
    result = add_person_cli(cli_desk, "--name", "刘洋", "--role", "standby",
                            "--in-post-since", "2025-01-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    added = t("people.added", name="刘洋", role=t("role.standby"))
    assert result.stdout.splitlines() == [added + t("authority.added_by", admin=ADMIN),
                                          t("people.no_pin_yet", name="刘洋", command=shlex.join(
        ["dutydesk", "--db", str(cli_desk.db_path), "people", "set-pin", "--by", ADMIN, "--", "刘洋"]
    ))]  # fmt: skip
    assert result.stderr == ""  # eligible: no warning
    people = as_json(cli_desk("people", "list", "--json"))
    assert isinstance(people, list)
    liu = next(person for person in people if person["name"] == "刘洋")
    assert liu == {
        "name": "刘洋",
        "role": "standby",
        "staff": True,
        "in_post_since": "2025-01-01",
        "trained": True,
        "eligible": True,
        "ineligible_because": [],
        "pin_set": False,
    }
    assert {p["name"] for p in people} == {"张伟", "王建国", "赵磊", "刘洋", ADMIN}
    text = cli_desk("people", "list").stdout
    assert "刘洋" in text and t("role.standby") in text


@pytest.mark.parametrize("lang", LANGS)
def test_people_add_warns_about_tianjin_article_6(cli_desk, lang):
    result = add_person_cli(cli_desk, "--name", "孙丽", "--role", "officer", "--non-staff",
                            "--in-post-since", "2026-10-01", "--untrained", lang=lang)  # fmt: skip
    assert result.exit_code == 0, result.output  # allowed, with a warning
    warnings = result.stderr.strip().splitlines()
    assert warnings == [
        t("people.warning", lang=lang,
          reason=t(f"eligibility.{why}", lang=lang, name="孙丽", cite="Tianjin art. 6"))
        for why in ("non_staff", "new_in_post", "untrained")
    ]  # fmt: skip
    sun = next(p for p in as_json(cli_desk("people", "list", "--json")) if p["name"] == "孙丽")
    assert sun["eligible"] is False
    assert sun["ineligible_because"] == ["non_staff", "new_in_post", "untrained"]
    assert t("people.not_eligible", lang=lang) in cli_desk("people", "list", lang=lang).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_shift_open_refuses_an_ineligible_person(cli, db_path, lang):
    assert init_cli(cli).exit_code == 0  # nobody on duty yet: a shift on duty is not reopened
    add_person_cli(cli, "--name", "临聘小王", "--role", "officer", "--non-staff",
                   "--in-post-since", "2024-01-01")  # fmt: skip
    rows = contents(db_path)
    result = cli("shift", "open", "--officer", "临聘小王", lang=lang)
    refused(result, "eligibility.non_staff", lang, name="临聘小王", cite="Tianjin art. 6")
    assert contents(db_path) == rows


def test_shift_open_and_status(cli):
    assert init_cli(cli).exit_code == 0
    add_person_cli(cli, "--name", "张伟", "--role", "officer", "--in-post-since", "2024-01-01")
    status = cli("shift", "status", lang="en")
    assert t("shift.none_open", lang="en") in status.stdout
    refused(cli("shift", "open", "--officer", "无名氏"), "people.unknown", "zh", name="无名氏")
    opened = cli("shift", "open", "--officer", "张伟")
    assert opened.exit_code == 0
    assert opened.stdout.strip() == t("shift.opened", shift=t("shift.day"),
                                      start="11-23 08:30", end="11-23 18:00")  # fmt: skip
    status = cli("shift", "status")
    assert "天津规定第十二条" in status.stdout and "张伟" in status.stdout
    assert "值守人员" not in status.stdout  # none on this shift


def test_shift_status_names_the_standby(cli_desk):
    """As the app's header does (new-officer shift, session 13: the CLI left them out)."""
    status = cli_desk("shift", "status").stdout
    assert "值班员 张伟 · 带班领导 王建国 · 值守人员 赵磊" in status


def test_calls_are_recorded_by_the_officer_on_duty_or_the_person_named_with_as(cli_desk, db_path):
    assert as_json(add_call(cli_desk, "--json"))["recorded_by"] == "张伟"
    assert as_json(add_call(cli_desk, "--as", "王建国", "--json"))["recorded_by"] == "王建国"
    rows = contents(db_path)
    refused(add_call(cli_desk, "--as", "无名氏"), "people.unknown", "zh", name="无名氏")
    assert contents(db_path) == rows


def test_without_an_open_shift_nothing_is_recorded_even_with_as(cli, db_path):
    init_cli(cli)
    add_person_cli(cli, "--name", "张伟", "--role", "officer", "--in-post-since", "2024-01-01")
    rows = contents(db_path)
    refused(add_call(cli, lang="en"), "shift.none_open", "en")
    refused(add_call(cli, "--as", "张伟", lang="en"), "people.as_no_shift", "en", name="张伟")
    assert contents(db_path) == rows


def test_pending_items_from_the_command_line(cli_desk):
    add_call(cli_desk, "--follow-up")
    items = as_json(cli_desk("pending", "list", "--json"))
    assert [(i["call"], i["text"], i["created_by"]) for i in items] == [
        ("2026-000001", "人民路积水约30厘米", "张伟")
    ]
    closed = cli_desk("pending", "close", str(items[0]["id"]), "--note", "已排除")
    assert closed.exit_code == 0, closed.output
    assert as_json(cli_desk("pending", "list", "--json")) == []
    refused(cli_desk("pending", "close", str(items[0]["id"])), "pending.already_closed", "zh",
            id=items[0]["id"])  # fmt: skip


# ---------------------------------------------------------------- environment


def test_dutydesk_db_env_var(cli_desk, db_path):
    add_call(cli_desk)
    result = cli_desk.runner.invoke(
        cli_desk.app(), ["calls", "list", "--json"], env={"DUTYDESK_DB": str(db_path)}
    )
    assert result.exit_code == 0, result.output
    assert [c["number"] for c in json.loads(result.stdout)] == ["2026-000001"]


def test_dutydesk_db_env_var_for_init(cli, tmp_path):
    target = tmp_path / "from_env.sqlite3"
    result = cli.runner.invoke(cli.app(), ["init", "--office", OFFICE, "--profile", "tianjin",
                                           "--admin", ADMIN, "--pin-stdin"],
                               env={"DUTYDESK_DB": str(target)}, input=ADMIN_STDIN)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.schema_state(target) is db.SchemaState.current


def test_dutydesk_lang_env_var_and_lang_option(cli, tmp_path):
    target = tmp_path / "missing" / "desk.sqlite3"
    env = {"DUTYDESK_DB": str(target), "DUTYDESK_LANG": "en"}
    english = cli.runner.invoke(cli.app(), ["calls", "list"], env=env)
    assert error_line(english) == t("db.missing_dir", lang="en", path=str(target.parent))
    chinese = cli.runner.invoke(cli.app(), ["--lang", "zh", "calls", "list"], env=env)
    assert error_line(chinese) == t("db.missing_dir", lang="zh", path=str(target.parent))


def test_an_unknown_language_is_refused(cli, db_path):
    result = cli.runner.invoke(cli.app(), ["--db", str(db_path), "--lang", "fr", "calls", "list"])
    assert result.exit_code == 2
    assert error_line(result) == t("cli.bad_lang", value="fr", choices="zh, en")


# ---------------------------------------------------------------- bad input: nothing written


@pytest.mark.parametrize("lang", LANGS)
def test_missing_fields(cli_desk, db_path, lang):
    rows = contents(db_path)
    no_summary = cli_desk("calls", "add", *CALL[:-2], lang=lang)
    assert no_summary.exit_code == 1
    assert error_line(no_summary) == validation_line(lang, ("summary", "problem.required"))
    only_caller = cli_desk("calls", "add", "--caller", "李红", lang=lang)
    assert error_line(only_caller) == validation_line(
        lang,
        ("unit", "problem.required"),
        ("phone", "problem.required"),
        ("summary", "problem.required"),
    )
    bad_values = cli_desk("calls", "add", *CALL[:-4], "--phone", "电话", "--summary", "x",
                          "--category", "weather", lang=lang)  # fmt: skip
    assert bad_values.exit_code == 1
    assert t("field.phone", lang=lang) in error_line(bad_values)
    assert t("field.category", lang=lang) in error_line(bad_values)
    assert contents(db_path) == rows


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("value", ["yesterday-ish", "2026-13-45T10:00", "25:99", ""])
def test_unparsable_time(cli_desk, db_path, lang, value):
    rows = contents(db_path)
    result = add_call(cli_desk, "--received-at", value, lang=lang)
    forms = t("time_input.forms", lang=lang)
    refused(result, "time_input.unreadable", lang, value=value, forms=forms)
    refused(cli_desk("calls", "list", "--since", value or " ", lang=lang), "time_input.unreadable",
            lang, value=value or " ", forms=forms)  # fmt: skip
    assert contents(db_path) == rows


@pytest.mark.parametrize("lang", LANGS)
def test_future_time(cli_desk, db_path, lang):
    rows = contents(db_path)
    result = add_call(cli_desk, "--received-at", "2026-11-23T12:00", lang=lang)
    assert error_line(result) == validation_line(lang, ("received_at", "problem.in_future"))
    assert contents(db_path) == rows


@pytest.mark.parametrize("lang", LANGS)
def test_database_locked_by_another_terminal(cli_desk, db_path, monkeypatch, lang):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 20)  # keep the test fast
    rows = contents(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = add_call(cli_desk, lang=lang)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    refused(result, "db.locked", lang, path=str(db_path))
    assert contents(db_path) == rows
    assert add_call(cli_desk).exit_code == 0  # released: saving works again


@pytest.fixture
def read_only(monkeypatch):
    """Open every register read-only, as SQLite does for a file the user may not write. (chmod
    cannot show this when the tests run as root, who may write any file.)"""
    from dutydesk.services.core import desk as desk_module

    real = desk_module.make_engine

    def read_only_engine(path: Path, **options: bool):
        from sqlalchemy import event

        engine = real(path, **options)
        event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA query_only = 1"))
        return engine

    monkeypatch.setattr(desk_module, "make_engine", read_only_engine)


@pytest.mark.parametrize("lang", LANGS)
def test_read_only_database(cli_desk, db_path, read_only, lang):
    rows = contents(db_path)
    refused(add_call(cli_desk, lang=lang), "db.readonly", lang, path=str(db_path))
    refused(add_person_cli(cli_desk, "--name", "刘洋", "--role", "officer", lang=lang),
            "db.readonly", lang, path=str(db_path))  # fmt: skip
    # reading still works
    assert as_json(cli_desk("calls", "list", "--json", lang=lang)) == []
    assert contents(db_path) == rows


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: chmod 0444 does not stop root writing (see test_read_only_database)",
)
def test_read_only_database_file(cli_desk, db_path):
    rows = contents(db_path)
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db_path}{suffix}").exists():
            os.chmod(f"{db_path}{suffix}", 0o444)
    try:
        result = add_call(cli_desk)
    finally:
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{db_path}{suffix}").exists():
                os.chmod(f"{db_path}{suffix}", 0o600)
    assert result.exit_code == 1
    assert error_line(result) in {
        t("db.readonly", path=str(db_path)),
        t("db.cannot_open", path=str(db_path)),
    }
    assert contents(db_path) == rows


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command", [
    ("calls", "add", *CALL),
    ("calls", "list"),
    ("people", "add", "--name", "张伟", "--role", "officer"),
    ("shift", "open", "--officer", "张伟"),
])  # fmt: skip
def test_missing_directory(cli, tmp_path, lang, command):
    target = tmp_path / "gone" / "desk.sqlite3"
    refused(cli(*command, lang=lang, db=target), "db.missing_dir", lang, path=str(target.parent))
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_a_file_that_is_not_a_register(cli, db_path, lang):
    db_path.touch()
    refused(add_call(cli, lang=lang), "db.empty_file", lang, path=str(db_path),
            db=shlex.quote(str(db_path)))  # fmt: skip
    db_path.write_bytes(b"x" * 4096)
    refused(add_call(cli, lang=lang), "db.damaged", lang, path=str(db_path))
    assert db_path.read_bytes() == b"x" * 4096


def test_a_register_from_a_newer_dutydesk(cli_desk, db_path):
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DELETE FROM alembic_version")
        conn.execute("INSERT INTO alembic_version VALUES ('9999_newer')")
    result = add_call(cli_desk, lang="en")
    refused(result, "db.unknown_version", "en", path=str(db_path), version="9999_newer",
            known=", ".join(sorted(db.known_revisions()[1])))  # fmt: skip
    assert result.exit_code == 1 and "newer DutyDesk" in result.stderr


def test_a_real_process_prints_one_line_and_no_traceback(tmp_path):
    target = tmp_path / "nowhere" / "desk.sqlite3"
    env = {**os.environ, "DUTYDESK_LANG": "en"}
    env.pop("DUTYDESK_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "dutydesk", "--db", str(target), "calls", "add", *CALL],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        t("db.missing_dir", lang="en", path=str(target.parent))
    ]
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("category", "direction", "code", "way"),
    [("咨询", "去电", "inquiry", "out"), ("Inquiry", "OUT", "inquiry", "out"),
     ("inquiry", "来电", "inquiry", "in"), ("领导批示", "in", "instruction", "in")],
)  # fmt: skip
def test_a_category_or_direction_may_be_given_by_its_name(cli_desk, category, direction, code, way):
    """QA: `calls add --category 咨询` was refused; only the English codes were read."""
    import json

    added = cli_desk("calls", "add", "--caller", "李红", "--unit", "柳林镇", "--phone",
                     "13800000000", "--summary", "问路", "--category", category,
                     "--direction", direction, "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    saved = json.loads(added.output)
    assert (saved["category"], saved["direction"]) == (code, way)


def test_an_unknown_category_is_still_refused_with_the_list(cli_desk):
    refused = cli_desk("calls", "add", "--caller", "李红", "--unit", "柳林镇", "--phone",
                       "13800000000", "--summary", "问路", "--category", "闲聊")  # fmt: skip
    assert refused.exit_code == 1 and "inquiry" in refused.output
    help_text = cli_desk("calls", "add", "--help").output
    assert "咨询" in help_text and "inquiry" in help_text
