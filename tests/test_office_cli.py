"""`dutydesk office show|set` (archive lane, item 2): a change of the office's settings needs an
administrator's PIN, is chained with who made it, and `verify` lists every change (when, who,
what from what)."""

from __future__ import annotations

import json

from tests.conftest import OFFICE
from tests.support_people import ADMIN, ADMIN_PIN
from tests.support_reliability import scalar, tamper
from tests.test_anchors import recompute_chain


def _set(cli, *args: str, by: str | None = ADMIN, pin: str = ADMIN_PIN, lang: str = "zh"):  # noqa: ANN001, ANN201
    cli.runner.feed(pin + "\n")
    extra = ("--by", by, "--pin-stdin") if by else ()
    return cli("office", "set", *args, *extra, lang=lang)


def _changes(cli) -> int:  # noqa: ANN001
    return scalar(cli.db_path, "SELECT COUNT(*) FROM office_setting")


def test_show_says_the_settings_in_force(cli_desk):
    shown = cli_desk("office", "show", "--json")
    assert shown.exit_code == 0
    data = json.loads(shown.stdout)
    assert data["name"] == OFFICE and data["profile_id"] == "tianjin"
    assert data["timezone"] == "Asia/Shanghai" and data["clock_tolerance_s"] == 300
    assert "时区：Asia/Shanghai" in cli_desk("office", "show").stdout


def test_a_change_without_an_administrator_changes_nothing(cli_desk):
    result = _set(cli_desk, "--timezone", "Asia/Urumqi", by=None)
    assert result.exit_code == 1 and "管理员授权" in result.stderr
    officer = _set(cli_desk, "--timezone", "Asia/Urumqi", by="张伟")
    assert officer.exit_code == 1 and "不是管理员" in officer.stderr
    wrong = _set(cli_desk, "--timezone", "Asia/Urumqi", pin="135792")
    assert wrong.exit_code == 1
    assert _changes(cli_desk) == 0


def test_bad_or_empty_changes_are_refused(cli_desk):
    assert _set(cli_desk).exit_code == 1  # nothing to change
    same = _set(cli_desk, "--timezone", "Asia/Shanghai")
    assert same.exit_code == 1 and "相同" in same.stderr
    bad = _set(cli_desk, "--timezone", "Mars/Olympus", lang="en")
    assert bad.exit_code == 1 and "Mars/Olympus" in bad.stderr
    assert _set(cli_desk, "--profile", "nowhere").exit_code == 1
    assert _changes(cli_desk) == 0


def test_a_change_is_chained_with_its_administrator_and_listed_by_verify(cli_desk):
    done = _set(cli_desk, "--timezone", "Asia/Urumqi", "--name", "新区总值班室")
    assert done.exit_code == 0, done.stderr
    assert ADMIN in done.stdout and "Asia/Urumqi" in done.stdout
    acts = scalar(cli_desk.db_path, "SELECT COUNT(*) FROM person_act WHERE kind='office_changed'")
    chained = scalar(cli_desk.db_path, "SELECT COUNT(*) FROM audit_link WHERE kind='person_act'")
    assert acts == 1 and chained >= 3  # the administrator, two people, and this act
    assert json.loads(cli_desk("office", "show", "--json").stdout)["timezone"] == "Asia/Urumqi"
    checked = cli_desk("verify")
    assert checked.exit_code == 0, checked.stdout
    assert "办公室设置变更（共 1 次）" in checked.stdout
    line = next(x for x in checked.stdout.splitlines() if "Asia/Shanghai → Asia/Urumqi" in x)
    assert ADMIN in line and f"{OFFICE} → 新区总值班室" in line
    english = cli_desk("verify", lang="en").stdout
    assert "Time zone Asia/Shanghai → Asia/Urumqi" in english
    report = json.loads(cli_desk("verify", "--json").stdout)
    assert report["office_changes"][0]["by"] == ADMIN
    assert report["office_changes"][0]["changes"]["timezone"] == ["Asia/Shanghai", "Asia/Urumqi"]


def test_a_change_written_around_the_desk_fails_verify_naming_it(cli_desk):
    tamper(  # an insider adds a change and links it, then recomputes the chain
        cli_desk.db_path,
        "INSERT INTO office_setting (name, profile_id, timezone, clock_tolerance_s, set_at) "
        f"VALUES ('{OFFICE}', 'tianjin', 'America/New_York', 300, '2026-11-23T10:00:00+08:00')",
        "INSERT INTO audit_link (seq, kind, record_id, prev_hash, hash, written_at) "
        "SELECT MAX(seq) + 1, 'office_setting', 1, '', '', MAX(written_at) FROM audit_link",
    )
    recompute_chain(cli_desk.db_path)
    checked = cli_desk("verify", lang="en")
    assert checked.exit_code == 1
    assert "Office setting change #1" in checked.stdout and "no administrator" in checked.stdout
    assert "America/New_York" in checked.stdout
