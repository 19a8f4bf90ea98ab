"""The handover from the command line: PINs from standard input, status, marks, sign-off,
export and archive verification; bad input is one clear line and changes nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import add_person_cli
from tests.support_people import ADMIN, ADMIN_PIN

HANDOVER_AT = "2026-11-23T17:45:00+08:00"


def _count(db: Path, table: str) -> int:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()


def _invoke(cli, *args: str, input: str | None = None, lang: str = "zh"):
    from dutydesk.cli import build_app
    from dutydesk.i18n import set_language

    set_language(lang)
    argv = ["--db", str(cli.db_path), "--lang", lang, *args]
    return cli.runner.invoke(build_app(cli.clock), argv, input=input, catch_exceptions=False)


@pytest.fixture
def at_handover(cli_desk):
    """张伟 on the day shift with 王建国; 李明 arrives at 17:45; PINs set from stdin."""
    assert add_person_cli(cli_desk, "--name", "李明", "--role", "officer",
                          "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    for name, pin in (("张伟", "271828"), ("李明", "314159"), ("王建国", "161803")):
        result = _invoke(cli_desk, "people", "set-pin", name, "--by", ADMIN,
                         input=f"{ADMIN_PIN}\n{pin}\n{pin}\n")  # fmt: skip
        assert result.exit_code == 0, result.output
    cli_desk.at(HANDOVER_AT)
    return cli_desk


def _tick_everything(cli) -> None:
    """Tick the checklist through the service (the marks' CLI is tested on its own)."""
    from dutydesk.clock import FrozenClock
    from dutydesk.services.core.desk import open_desk
    from tests.test_handover_domain import tick_all

    desk = open_desk(cli.db_path, FrozenClock(HANDOVER_AT))
    try:
        tick_all(desk)
    finally:
        desk.close()


def test_set_pin_twice_hidden_and_a_mismatch_changes_nothing(cli_desk):
    pins_before = _count(cli_desk.db_path, "person_pin")  # the administrator's
    result = _invoke(cli_desk, "people", "set-pin", "张伟", "--by", ADMIN,
                     input=f"{ADMIN_PIN}\n271828\n141421\n")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["两次输入的密码不一致，未作任何改动。"]
    assert _count(cli_desk.db_path, "person_pin") == pins_before
    result = _invoke(cli_desk, "people", "set-pin", "张伟", "--by", ADMIN,
                     input=f"{ADMIN_PIN}\n271828\n271828\n")  # fmt: skip
    assert result.exit_code == 0 and "271828" not in result.output
    again = _invoke(cli_desk, "people", "set-pin", "张伟", input="000111\n550055\n550055\n")
    assert again.exit_code == 1 and "密码错误" in again.stderr, "changing needs the current PIN"
    assert _count(cli_desk.db_path, "person_pin") == pins_before + 1


def test_status_lists_every_item_with_its_article(at_handover):
    data = json.loads(at_handover("handover", "status", "--json").stdout)
    assert data["ready"] is False and data["due_at"] == "2026-11-23T18:00:00+08:00"
    assert data["arrive_by"] == "2026-11-23T17:50:00+08:00"
    assert all(item["cite"] for item in data["items"])
    text = at_handover("handover", "status").stdout
    assert "device:fax" in text and "天津规定第九条" in text and "暂不能签字交接" in text
    english = at_handover("handover", "status", lang="en").stdout
    assert "Fax" in english and "sign-off not possible yet" in english
    marked = at_handover("handover", "mark", "device:fax", "fault", "--note", "卡纸")
    assert marked.exit_code == 0 and "故障" in marked.stdout
    arrived = at_handover("handover", "mark", "arrival", "done", "--at", "17:40")
    assert arrived.exit_code == 0
    data = json.loads(at_handover("handover", "status", "--json").stdout)
    states = {item["key"]: (item["state"], item["note"]) for item in data["items"]}
    assert states["device:fax"] == ("fault", "卡纸") and states["arrival"][0] == "done"
    assert data["arrival_late_minutes"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("handover", "mark", "calls", "finished"), "不认识的标记"),
        (("handover", "mark", "device:toaster", "ok"), "没有“device:toaster”"),
        (("handover", "mark", "documents", "not_done"), "必须写明原因"),
        (("handover", "mark", "arrival", "done", "--at", "25:99"), "时间无法识别"),
    ],
)
def test_bad_marks_are_one_line_and_write_nothing(at_handover, args, message):
    before = _count(at_handover.db_path, "handover_mark")
    result = at_handover(*args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert _count(at_handover.db_path, "handover_mark") == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--outgoing", "张伟", "--incoming", "张伟"), "不能是同一人"),
        (("--outgoing", "李明", "--incoming", "张伟"), "不是本班值班人员"),
        (("--outgoing", "张伟", "--incoming", "无名氏"), "没有“无名氏”"),
        (("--outgoing", "张伟"), "缺少接班人"),
        (("--outgoing", "张伟", "--incoming", "李明", "--leader", "李明"), "交接双方以外"),
    ],
)
def test_bad_sign_off_is_one_line_and_writes_nothing(at_handover, args, message):
    _tick_everything(at_handover)
    tables = ("handover", "pin_attempt", "shift")
    before = [_count(at_handover.db_path, table) for table in tables]
    result = _invoke(at_handover, "handover", "sign", *args, input="271828\n314159\n161803\n")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert [_count(at_handover.db_path, table) for table in tables] == before


def test_an_incomplete_checklist_refuses_before_any_pin_is_asked(at_handover):
    before = _count(at_handover.db_path, "pin_attempt")  # the administrator's, setting PINs
    result = _invoke(at_handover, "handover", "sign", "--outgoing", "张伟", "--incoming", "李明",
                     input="271828\n314159\n")  # fmt: skip
    assert result.exit_code == 1 and "不能签字交接" in result.stderr
    assert _count(at_handover.db_path, "pin_attempt") == before


def test_wrong_pin_is_refused_and_counted(at_handover):
    _tick_everything(at_handover)
    before = _count(at_handover.db_path, "pin_attempt")
    result = _invoke(at_handover, "handover", "sign", "--outgoing", "张伟", "--incoming", "李明",
                     input="271828\n000111\n")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip() == "密码错误（李明），还可再试4次。"
    assert _count(at_handover.db_path, "handover") == 0
    assert _count(at_handover.db_path, "pin_attempt") == before + 2


def test_sign_export_and_verify_from_the_command_line(at_handover, tmp_path):
    _tick_everything(at_handover)
    result = _invoke(at_handover, "handover", "sign", "--outgoing", "张伟", "--incoming", "李明",
                     "--leader", "王建国", input="271828\n314159\n161803\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "交接完成：张伟 → 李明" in result.stdout and "已导出归档" in result.stdout
    assert "271828" not in result.output
    exports = at_handover.db_path.parent / "exports"
    assert at_handover("archive", "verify", str(exports)).stdout.startswith("ok")
    # `dutydesk verify PATH` checks an archive folder too; without PATH, the register's chain
    assert at_handover("verify", str(exports)).stdout.startswith("ok")
    assert at_handover("verify").exit_code == 0
    shift = at_handover("shift", "status").stdout
    assert "李明" in shift
    usb = tmp_path / "usb"
    usb.mkdir()
    assert at_handover("export", "--to", str(usb)).exit_code == 0
    assert at_handover("export", "--retry").stdout.strip() == "没有需要重新导出的交接归档。"
    archive = next(exports.iterdir())
    (archive / "电话记录.csv").write_text("改过")
    checked = at_handover("archive", "verify", str(exports))
    assert checked.exit_code == 1 and "电话记录.csv" in checked.stdout
    checked = at_handover("verify", str(exports))
    assert checked.exit_code == 1 and "电话记录.csv" in checked.stdout


def test_export_failure_at_sign_off_then_retry(at_handover, tmp_path):
    _tick_everything(at_handover)
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    result = _invoke(at_handover, "handover", "sign", "--outgoing", "张伟", "--incoming", "李明",
                     "--export-dir", str(blocker / "out"), input="271828\n314159\n")  # fmt: skip
    assert result.exit_code == 0, "the sign-off stands"
    assert "交接完成" in result.stdout
    assert "归档导出失败" in result.stderr and "dutydesk export --retry" in result.stderr
    retry = at_handover("export", "--retry")
    assert retry.exit_code == 1 and "仍未导出" in retry.stderr
    good = tmp_path / "good"
    good.mkdir()
    retry = at_handover("export", "--retry", "--to", str(good))
    assert retry.exit_code == 0 and "已导出归档" in retry.stdout
    assert at_handover("archive", "verify", str(good)).exit_code == 0


def test_verify_a_missing_path(cli_desk, tmp_path):
    result = cli_desk("archive", "verify", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "找不到" in result.stdout
