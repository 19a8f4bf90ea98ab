"""`dutydesk office show|set` (archive lane, item 2): a change of the office's settings needs an
administrator's PIN, is chained with who made it, and `verify` lists every change (when, who,
what from what)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import OFFICE
from tests.support_people import ADMIN, ADMIN_PIN, authority_for
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
    result = _set(cli_desk, "--timezone", "Asia/Urumqi", "--yes", by=None)
    assert result.exit_code == 1 and "管理员授权" in result.stderr
    officer = _set(cli_desk, "--timezone", "Asia/Urumqi", "--yes", by="张伟")
    assert officer.exit_code == 1 and "不是管理员" in officer.stderr
    wrong = _set(cli_desk, "--timezone", "Asia/Urumqi", "--yes", pin="135792")
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
    done = _set(cli_desk, "--timezone", "Asia/Urumqi", "--name", "新区总值班室", "--yes")
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


# ------------------------------------------------ what a zone or profile change does (finding 13)


@pytest.mark.parametrize("zone", ["Etc/GMT+12", "Etc/UTC"])
def test_a_fixed_offset_zone_is_refused_saying_why(cli_desk, zone):
    refused = _set(cli_desk, "--timezone", zone, "--yes")
    assert refused.exit_code == 1 and zone in refused.stderr and "UTC−12" in refused.stderr
    english = _set(cli_desk, "--timezone", zone, "--yes", lang="en")
    assert english.exit_code == 1 and "fixed offset" in english.stderr
    assert _changes(cli_desk) == 0


@pytest.mark.parametrize("zone", ["EST", "PRC", "US/Eastern", "CST6CDT", "UTC"])
def test_an_abbreviation_or_alias_zone_is_refused_saying_why(cli_desk, zone):
    refused = _set(cli_desk, "--timezone", zone, "--yes")
    assert refused.exit_code == 1 and f"“{zone}”" in refused.stderr and "缩写" in refused.stderr
    english = _set(cli_desk, "--timezone", zone, "--yes", lang="en")
    assert english.exit_code == 1 and "abbreviation" in english.stderr
    assert _changes(cli_desk) == 0


def test_a_zone_other_than_the_profiles_says_how_far_times_move_and_needs_yes(cli_desk):
    asked = _set(cli_desk, "--timezone", "America/New_York")
    # Shanghai is UTC+8, New York in November UTC−5: every time shown moves back 13 hours
    assert asked.exit_code == 1 and "−13:00" in asked.stderr and "--yes" in asked.stderr
    english = _set(cli_desk, "--timezone", "America/New_York", lang="en")
    assert english.exit_code == 1 and "moves by −13:00" in english.stderr
    assert _changes(cli_desk) == 0
    done = _set(cli_desk, "--timezone", "America/New_York", "--yes")
    assert done.exit_code == 0, done.stderr
    assert "−13:00" in done.stdout and _changes(cli_desk) == 1
    back = _set(cli_desk, "--timezone", "Asia/Shanghai")  # the profile's own zone: no --yes
    assert back.exit_code == 0, back.stderr


def test_a_profile_change_under_an_open_shift_is_refused_naming_it(cli_desk):
    refused = _set(cli_desk, "--profile", "henan", "--yes")
    assert refused.exit_code == 1 and "#1" in refused.stderr and "正在值班" in refused.stderr
    english = _set(cli_desk, "--profile", "henan", "--yes", lang="en")
    assert english.exit_code == 1 and "is on duty" in english.stderr
    assert _changes(cli_desk) == 0


def _file_a_roster(path, label: str, starts: str, ends: str) -> None:  # noqa: ANN001
    tamper(
        path,
        "INSERT INTO roster (kind, label, starts_on, ends_on, created_at, created_by_id) "
        f"VALUES ('month', '{label}', '{starts}', '{ends}', '2026-10-20T09:00:00+08:00', 1)",
        "INSERT INTO roster_filing (roster_id, sent_at, sent_to, channel, recorded_at, "
        "recorded_by_id) SELECT MAX(id), '2026-10-25T09:00:00+08:00', '市政府总值班室', 'fax', "
        "'2026-10-25T09:00:00+08:00', 1 FROM roster",
    )


def test_a_profile_change_with_filed_rosters_names_them_and_needs_confirming(bare_desk):
    from dutydesk.services.roster import set_office
    from dutydesk.services.roster.office_notices import ConfirmationNeeded

    authority = authority_for(bare_desk)
    _file_a_roster(bare_desk.path, "2026年11月值班表", "2026-11-01", "2026-11-30")
    _file_a_roster(bare_desk.path, "2026年10月值班表", "2026-10-01", "2026-10-31")  # ended
    with pytest.raises(ConfirmationNeeded) as asked:
        set_office(bare_desk, authority, profile_id="henan")
    message = asked.value.message()
    assert "2026年11月值班表 (2026-11-01 – 2026-11-30)" in message and "10月" not in message
    assert "--yes" in message and bare_desk.office.profile_id == "tianjin"
    set_office(bare_desk, authority, profile_id="henan", confirmed=True)
    assert bare_desk.office.profile_id == "henan"
