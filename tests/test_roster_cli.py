"""`dutydesk roster generate|show|set|swap|file|export|hours|new|phone` (issue 17 item 7):
--json where it lists, bad input refused with one clear line in the user's language and
nothing written."""

from __future__ import annotations

import json

import pytest

from dutydesk.i18n import t
from dutydesk.services.core.desk import open_desk
from dutydesk.services.roster import CHANNELS, set_pin
from tests.conftest import init_cli
from tests.roster_support import PLANNER, rows, staff
from tests.support_people import authority_for

PIN = "583920"


@pytest.fixture
def roster_cli(cli):
    assert init_cli(cli).exit_code == 0
    cli.at("2026-11-20T10:00:00+08:00")
    desk = open_desk(cli.db_path, cli.clock)
    names = staff(desk, leaders=3, officers=7)
    set_pin(desk, names["leader"][0], PIN, PIN, authority=authority_for(desk))
    desk.close()
    return cli, names


def _count(cli, table: str) -> int:
    desk = open_desk(cli.db_path, cli.clock)
    try:
        return rows(desk, table)
    finally:
        desk.close()


def test_generate_show_and_hours_list_as_json(roster_cli):
    cli, names = roster_cli
    made = cli("roster", "generate", "--month", "2026-12", "--seed", "4", "--by", PLANNER)
    assert made.exit_code == 0, made.output
    assert made.stdout.splitlines()[0] == t("roster_cli.generated", year=2026, month=12, seed=4,
                                             filled=124, empty=0)  # fmt: skip
    shown = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)
    assert len(shown["cells"]) == 62 and shown["cells"][0]["date"] == "2026-12-01"
    assert all(cell["conflicts"] == [] for cell in shown["cells"])
    hours = json.loads(cli("roster", "hours", "--month", "2026-12", "--json").stdout)
    assert sum(h["shifts"] for h in hours if h["role"] == "officer") == 62
    assert {h["name"] for h in hours} <= set(names["leader"] + names["officer"])
    text = cli("roster", "show", "--month", "2026-12").stdout.splitlines()
    first = shown["cells"][0]
    assert text[0] == t("roster_cli.cell_line", date="2026-12-01", weekday=t("roster_file.weekday_2"),
                        slot=t("shift.day"), leader=first["leader"],
                        officers=first["officers"][0], standby="—")  # fmt: skip


def test_set_file_and_swap_from_the_command_line(roster_cli, tmp_path):
    cli, names = roster_cli
    assert cli("roster", "generate", "--month", "2026-12", "--by", PLANNER).exit_code == 0
    cell = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"][8]
    idle = next(n for n in names["officer"] if n not in cell["officers"])
    set_one = cli("roster", "set", "--month", "2026-12", "--date", cell["date"], "--slot",
                  cell["slot"], "--name", idle, "--by", PLANNER)  # fmt: skip
    assert set_one.exit_code == 0, set_one.output
    filed = cli("roster", "file", "--month", "2026-12", "--to", "市政府总值班室", "--how", "fax",
                "--out", str(tmp_path), "--by", PLANNER)  # fmt: skip
    assert filed.exit_code == 0, filed.output
    assert (tmp_path / "roster-1-2026-12-01-1.xlsx").exists()
    assert (tmp_path / "roster-1-2026-12-01-1.docx").exists()
    cli.runner.feed(PIN + "\n")
    swapped = cli("roster", "swap", "--month", "2026-12", "--date", cell["date"], "--slot",
                  cell["slot"], "--to", cell["officers"][0], "--reason", "换回",
                  "--approver", names["leader"][0], "--pin-stdin")  # fmt: skip
    assert swapped.exit_code == 0, swapped.output
    assert "dutydesk roster file --change 1" in swapped.stdout
    after = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"][8]
    assert after["officers"] == cell["officers"]
    assert after["changes"][0]["original"] == idle


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_input_is_one_clear_line_and_writes_nothing(roster_cli, lang):
    cli, names = roster_cli
    before = _count(cli, "roster") + _count(cli, "roster_assignment")
    cases = [
        (("roster", "generate", "--month", "2026-13", "--by", PLANNER),
         t("roster_cli.bad_month", lang, value="2026-13")),
        (("roster", "show", "--month", "十二月"), t("roster_cli.bad_month", lang, value="十二月")),
        (("roster", "set", "--roster", "99", "--date", "2026-12-01", "--slot", "day",
          "--name", names["officer"][0], "--by", PLANNER), t("roster.unknown", lang, id=99)),
        (("roster", "file", "--month", "2026-12", "--to", "x", "--how", "pigeon", "--by",
          PLANNER), t("roster_cli.bad_choice", lang, option="--how", value="pigeon",
                      choices=t("choices.separator", lang).join(
                          t("choices.item", lang, code=code, name=t(f"roster_cli.how_{code}", lang))
                          for code in CHANNELS))),
        (("roster", "new", "--from", "2026-03-02", "--until", "2026-03-06", "--label", "三月",
          "--by", PLANNER), t("roster.not_a_holiday", lang, start="2026-03-02", end="2026-03-06")),
    ]  # fmt: skip
    for args, message in cases:
        result = cli(*args, lang=lang)
        assert result.exit_code == 1, args
        assert result.stderr.strip() == message.strip()
        assert len(result.stderr.strip().splitlines()) == 1
    assert _count(cli, "roster") + _count(cli, "roster_assignment") == before


def test_options_take_the_chinese_names_as_well_as_the_codes(roster_cli, tmp_path):
    cli, names = roster_cli
    assert cli("roster", "generate", "--month", "2026-12", "--by", PLANNER).exit_code == 0
    cell = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"][3]
    assert cell["slot"] == "night"
    idle = next(n for n in names["officer"] if n not in cell["officers"])
    set_one = cli("roster", "set", "--month", "2026-12", "--date", cell["date"], "--slot", "夜班",
                  "--role", "值班员", "--name", idle, "--by", PLANNER)  # fmt: skip
    assert set_one.exit_code == 0, set_one.output
    assert set_one.stdout.strip() == t("roster_cli.set", date=cell["date"], slot="夜班",
                                       role="值班员", name=idle)  # fmt: skip
    shown = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"][3]
    assert shown["officers"] == [idle]
    wrong = cli("roster", "set", "--month", "2026-12", "--date", cell["date"], "--slot", "周班",
                "--name", idle, "--by", PLANNER)  # fmt: skip
    assert wrong.exit_code == 1  # Tianjin has no week slot: its own slots are listed
    assert wrong.stderr.strip() == t("roster_cli.bad_choice", option="--slot", value="week",
                                     choices="day 白班、night 夜班")  # fmt: skip
    filed = cli("roster", "file", "--month", "2026-12", "--to", "市政府总值班室", "--how", "传真",
                "--out", str(tmp_path), "--by", PLANNER)  # fmt: skip
    assert filed.exit_code == 0, filed.output
    assert "以传真报送" in filed.stdout
    cli.runner.feed(PIN + "\n")
    late = cli("roster", "swap", "--month", "2026-12", "--date", "2026-11-30", "--slot", "白班",
               "--to", idle, "--reason", "病假", "--approver", names["leader"][0],
               "--pin-stdin")  # fmt: skip
    assert late.exit_code == 1
    assert "白班" in late.stderr and "day" not in late.stderr  # no slot code in a zh message


def test_the_command_lines_codes_are_the_services(roster_cli):
    from dutydesk.cli.roster_options import CHANNEL_CODES, KIND_CODES, ROLE_CODES
    from dutydesk.services.roster.rosters import KINDS, ROSTER_ROLES

    assert (CHANNEL_CODES, ROLE_CODES) == (CHANNELS, ROSTER_ROLES)
    assert set(KIND_CODES) == set(KINDS) - {"month"}


def test_export_writes_the_roster_sheets_without_filing(roster_cli, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    cli, _names = roster_cli
    assert cli("roster", "generate", "--month", "2026-12", "--by", PLANNER).exit_code == 0
    exported = cli("roster", "export", "--month", "2026-12", "--out", str(tmp_path))
    assert exported.exit_code == 0, exported.output
    xlsx, docx = tmp_path / "roster-1.xlsx", tmp_path / "roster-1.docx"
    assert str(xlsx) in exported.stdout and str(docx) in exported.stdout
    values = [c.value for row in load_workbook(xlsx).active.iter_rows() for c in row]
    assert "2026-12-31" in [str(v)[:10] for v in values if v is not None]
    assert Document(str(docx)).tables  # the 值班表's table
    assert _count(cli, "roster_filing") == 0  # exported, not filed


def test_swap_breaking_a_rest_rule_needs_the_override_on_the_command_line(roster_cli, tmp_path):
    cli, names = roster_cli
    assert cli("roster", "generate", "--month", "2026-12", "--by", PLANNER).exit_code == 0
    filed = cli("roster", "file", "--month", "2026-12", "--to", "市政府总值班室", "--how", "fax",
                "--out", str(tmp_path), "--by", PLANNER)  # fmt: skip
    assert filed.exit_code == 0, filed.output
    cells = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"]
    night, morning = cells[9], cells[10]  # 12-05 night, 12-06 day
    assert (night["slot"], morning["slot"]) == ("night", "day")
    args = ("roster", "swap", "--month", "2026-12", "--date", morning["date"], "--slot", "day",
            "--to", night["officers"][0], "--reason", "临时调整", "--approver",
            names["leader"][0], "--pin-stdin")  # fmt: skip
    cli.runner.feed(PIN + "\n")
    refused = cli(*args)
    assert refused.exit_code != 0 and _count(cli, "roster_change") == 0
    assert "休息" in refused.output
    cli.runner.feed(PIN + "\n")
    allowed = cli(*args, "--rest-override", "无人可替，次日补休")
    assert allowed.exit_code == 0, allowed.output
    assert t("roster_rest.shown", reason="无人可替，次日补休") in allowed.stdout
    after = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"][10]
    assert after["changes"][0]["rest_override"] == "无人可替，次日补休"
    text = cli("roster", "show", "--month", "2026-12").stdout
    assert t("roster_rest.shown", reason="无人可替，次日补休") in text


def test_roster_file_says_how_many_flagged_conflicts_stand(cli, tmp_path):
    """Breaker #10: with two officers the generated month keeps rest conflicts; `roster file`
    files it and says how many stand."""
    assert init_cli(cli).exit_code == 0
    cli.at("2026-11-20T10:00:00+08:00")
    desk = open_desk(cli.db_path, cli.clock)
    staff(desk, leaders=2, officers=2)
    desk.close()
    assert cli("roster", "generate", "--month", "2026-12", "--by", PLANNER).exit_code == 0
    cells = json.loads(cli("roster", "show", "--month", "2026-12", "--json").stdout)["cells"]
    standing = sum(len(cell["conflicts"]) for cell in cells)
    assert standing >= 10
    filed = cli("roster", "file", "--month", "2026-12", "--to", "市政府总值班室", "--how", "fax",
                "--out", str(tmp_path), "--by", PLANNER)  # fmt: skip
    assert filed.exit_code == 0, filed.output
    assert t("roster_standing.line", count=standing) in filed.stdout
