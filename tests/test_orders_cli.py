"""Issue 18 item 5 (CLI): `dutydesk orders draft|confirm|dispatch|feedback|list` and `dutydesk
contacts add|list|import|export`: bad input refused with one clear line and nothing written."""

from __future__ import annotations

import json
import sqlite3

from openpyxl import load_workbook

from tests.conftest import add_person_cli, init_cli

PIN = "864213"


def _district(cli) -> None:
    assert init_cli(cli, profile="district").exit_code == 0
    for name, role in (("张伟", "officer"), ("赵磊", "standby"), ("刘主任", "director")):
        assert add_person_cli(cli, "--name", name, "--role", role,
                              "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    cli.runner.feed(f"246813\n{PIN}\n{PIN}\n")
    assert cli("people", "set-pin", "刘主任", "--by", "管理员甲", "--pin-stdin").exit_code == 0
    assert cli("shift", "open", "--officer", "张伟", "--standby", "赵磊").exit_code == 0
    assert cli("incidents", "add", "--type", "accident", "--level", "IV",
               "--occurred-at", "09:30", "--summary", "两车相撞").exit_code == 0  # fmt: skip


def _rows(cli, table: str) -> int:
    with sqlite3.connect(cli.db_path) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_an_order_from_draft_to_feedback_on_the_command_line(cli):
    _district(cli)
    drafted = cli("orders", "draft", "--incident", "1", "--type", "事故灾难", "--level", "一般",
                  "--instruction", "立即处置", "--as", "赵磊")  # fmt: skip
    assert drafted.exit_code == 0 and "区应急办主任" in drafted.output
    early = cli("orders", "dispatch", "1", "--to", "城关镇政府值班室")
    assert early.exit_code == 1 and early.stderr.strip() == "指令#1 尚未审核确定，不能交办"
    cli.runner.feed("000000\n")
    wrong = cli("orders", "confirm", "1", "--by", "刘主任", "--pin-stdin")
    assert wrong.exit_code == 1 and len(wrong.stderr.strip().splitlines()) == 1
    assert _rows(cli, "order_decision") == 0
    cli.runner.feed(f"{PIN}\n")
    assert cli("orders", "confirm", "1", "--by", "刘主任", "--pin-stdin").exit_code == 0
    assert cli("contacts", "add", "--kind", "单位", "--name", "城关镇政府值班室",
               "--phone", "0371-66000000").exit_code == 0  # fmt: skip
    stranger = cli("orders", "dispatch", "1", "--to", "不存在的乡")
    assert stranger.exit_code == 1 and "常用电话号码表" in stranger.stderr
    bad = cli("orders", "dispatch", "1", "--to", "城关镇", "--channel", "pigeon")
    assert bad.exit_code == 1 and _rows(cli, "order_dispatch") == 0
    assert cli("orders", "dispatch", "1", "--to", "城关镇政府值班室").exit_code == 0
    assert cli("orders", "feedback", "1", "--text", "已恢复通行", "--reported").exit_code == 0
    [order] = json.loads(cli("orders", "list", "--json").stdout)
    assert order["state"] == "done" and order["decision"]["by"] == "刘主任"
    assert order["dispatches"][0]["follow_ups"][0]["reported_back"] is True


def test_contacts_on_the_command_line(cli, tmp_path):
    _district(cli)
    assert cli("contacts", "add", "--kind", "unit", "--name", "城关镇政府值班室",
               "--phone", "0371-6688001").exit_code == 0  # fmt: skip
    refused = cli("contacts", "add", "--kind", "unit", "--name", "东城", "--phone", "坏号码")
    assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1
    out = tmp_path / "phones.xlsx"
    assert cli("contacts", "export", "--out", str(out)).exit_code == 0
    sheet = load_workbook(out).worksheets[0]
    assert sheet["B2"].value == "城关镇政府值班室" and sheet["E2"].value == "0371-6688001"
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,name,phone\nunit,西城,0371-1\nunit,,0371-2222222\n", encoding="utf-8")
    result = cli("contacts", "import", str(bad))
    assert result.exit_code == 1 and "第 3 行" in result.stderr
    [entry] = json.loads(cli("contacts", "list", "--json").stdout)
    assert entry["name"] == "城关镇政府值班室" and _rows(cli, "contact") == 1


def test_dispatch_and_feedback_take_a_time_typed_as_four_digits(cli):
    """`--at 1000` was refused as unreadable, while every form field reads it as 10:00."""
    _district(cli)
    assert cli("orders", "draft", "--incident", "1", "--type", "事故灾难", "--level", "一般",
               "--instruction", "立即处置", "--as", "赵磊").exit_code == 0  # fmt: skip
    cli.runner.feed(f"{PIN}\n")
    assert cli("orders", "confirm", "1", "--by", "刘主任", "--pin-stdin").exit_code == 0
    assert cli("contacts", "add", "--kind", "单位", "--name", "城关镇政府值班室",
               "--phone", "0371-66000000").exit_code == 0  # fmt: skip
    sent = cli("orders", "dispatch", "1", "--to", "城关镇政府值班室", "--at", "1000")
    assert sent.exit_code == 0, sent.output
    answered = cli("orders", "feedback", "1", "--text", "已恢复通行", "--at", "１０００")
    assert answered.exit_code == 0, answered.output
    [order] = json.loads(cli("orders", "list", "--json").stdout)
    [dispatch] = order["dispatches"]
    assert dispatch["at"].startswith("2026-11-23T10:00:00")
    assert dispatch["follow_ups"][0]["at"].startswith("2026-11-23T10:00:00")


def test_contacts_export_goes_to_the_exports_folder_and_never_overwrites(
    cli, tmp_path, monkeypatch
):
    """QA: the export landed in whatever directory the command ran in. By default it is a new
    file in the exports folder beside the register, its path printed; an existing file is
    refused, left as it was."""
    _district(cli)
    assert cli("contacts", "add", "--kind", "unit", "--name", "城关镇政府值班室",
               "--phone", "0371-6688001").exit_code == 0  # fmt: skip
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    made = cli("contacts", "export")
    assert made.exit_code == 0, made.output
    [written] = (cli.db_path.parent / "exports").glob("*.xlsx")
    assert str(written.resolve()) in made.stdout and list(elsewhere.iterdir()) == []
    before = written.read_bytes()
    again = cli("contacts", "export", "--out", str(written))
    assert again.exit_code == 1 and str(written.resolve()) in again.stderr
    assert written.read_bytes() == before
