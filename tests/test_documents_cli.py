"""`dutydesk documents add|list|route|follow|close` (clock frozen at 2026-11-23 10:00 +08:00,
Tianjin profile): names of codes accepted in either language, `--json` on list, and bad input
refused with one line in the user's language, nothing written."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from tests.support_template import copy_register, template_fixture

template = pytest.fixture(scope="module")(template_fixture)


@pytest.fixture
def cli_desk(cli, template, db_path):
    copy_register(template, db_path)
    return cli


ADD = ("documents", "add", "in", "--title", "关于做好寒潮防范工作的紧急通知",
       "--party", "市政府办公室", "--number", "市政办电〔2026〕88号")  # fmt: skip


def written(cli) -> int:
    with closing(sqlite3.connect(cli.db_path)) as conn:
        return conn.execute("SELECT COUNT(*) FROM audit_link").fetchone()[0]


def ok(cli, *args: str, lang: str = "zh"):
    result = cli(*args, lang=lang)
    assert result.exit_code == 0, result.stderr or result.output
    return result


def listed(cli, *args: str) -> list[dict]:
    return json.loads(ok(cli, "documents", "list", "--json", *args).stdout)


def test_register_route_follow_close_and_list(cli_desk):
    cli = cli_desk
    out = ok(cli, *ADD, "--urgency", "特急", "--kind", "传真", "--at", "09:50").stdout
    assert "已登记文电#1" in out and "10:20" in out  # 特急: 30 minutes (office setting)
    ok(cli, *ADD, "--urgency", "putong")
    [urgent] = listed(cli, "--filter", "急件")
    assert urgent["urgency"] == "teji" and urgent["kind"] == "fax" and urgent["state"] == "waiting"
    cli.at("2026-11-23T10:25:00+08:00")
    assert [row["id"] for row in listed(cli, "--filter", "overdue")] == [1]
    ok(cli, "documents", "route", "1", "--to", "综合科 刘洋", "--how", "电话")
    ok(cli, "documents", "follow", "1", "--text", "综合科已签收")
    ok(cli, "documents", "close", "1", "--note", "已办结")
    rows = {row["id"]: row for row in listed(cli)}
    assert rows[1]["state"] == "closed" and rows[1]["routings"][0]["to"] == "综合科 刘洋"
    assert rows[1]["followups"][0]["text"] == "综合科已签收"
    assert [row["id"] for row in listed(cli, "--filter", "open")] == [2]
    text = ok(cli, "documents", "list", lang="en").stdout
    assert "closed" in text and "ordinary" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((*ADD, "--classified", "--body", "正文"), "非涉密计算机"),
        ((*ADD, "--urgency", "很急"), "缓急"),
        (("documents", "add", "in", "--party", "市政府办公室"), "--title"),
        (("documents", "route", "9", "--to", "综合科", "--how", "电话"), "没有编号为 9 的文电"),
        (("documents", "route", "x", "--to", "综合科", "--how", "电话"), "x"),
        (("documents", "follow", "1"), "--text"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_nothing_written(cli_desk, args, says):
    before = written(cli_desk)
    result = cli_desk(*args)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], result.stderr
    assert written(cli_desk) == before


def test_a_closed_document_is_refused_further_steps(cli_desk):
    ok(cli_desk, *ADD)
    ok(cli_desk, "documents", "route", "1", "--to", "综合科", "--how", "电话")
    ok(cli_desk, "documents", "close", "1")
    before = written(cli_desk)
    result = cli_desk("documents", "follow", "1", "--text", "再催")
    assert result.exit_code != 0 and "已办结" in result.stderr
    assert written(cli_desk) == before
