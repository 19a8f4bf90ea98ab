"""`dutydesk search TERMS [--in ...] [--json]` (issue 18 item 5 for the search across
registers), and `dutydesk reindex` rebuilding the documents' and contacts' indexes."""

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
    ok(
        cli,
        "documents",
        "add",
        "in",
        "--title",
        "关于做好寒潮防范工作的紧急通知",
        "--party",
        "市政府办公室",
        "--number",
        "市政办电〔2026〕88号",
        "--urgency",
        "putong",
    )
    ok(cli, "contacts", "add", "--kind", "unit", "--name", "寒潮应急指挥部值班室",
       "--phone", "022-23456789")  # fmt: skip
    ok(cli, "calls", "add", "--caller", "王强", "--unit", "柳林镇", "--phone", "13800138000",
       "--summary", "寒潮致水管冻裂")  # fmt: skip
    return cli


def ok(cli, *args: str, lang: str = "zh"):
    result = cli(*args, lang=lang)
    assert result.exit_code == 0, result.stderr or result.output
    return result


def test_json_lists_each_register_in_order(cli_desk):
    hits = json.loads(ok(cli_desk, "search", "寒潮", "--json").stdout)
    assert [hit["register"] for hit in hits] == ["calls", "documents", "contacts"]
    assert hits[2]["title"] == "寒潮应急指挥部值班室" and hits[2]["detail"] == "022-23456789"
    assert json.loads(ok(cli_desk, "search", "寒", "潮", "通知", "--json").stdout)[0]["key"] == "1"


def test_in_limits_the_registers_by_code_or_name(cli_desk):
    only = json.loads(ok(cli_desk, "search", "寒潮", "--in", "contacts,文电", "--json").stdout)
    assert [hit["register"] for hit in only] == ["contacts", "documents"]
    phone = json.loads(ok(cli_desk, "search", "0222345", "--in", "contacts", "--json").stdout)
    assert [hit["title"] for hit in phone] == ["寒潮应急指挥部值班室"]


def test_lines_name_their_register(cli_desk):
    out = ok(cli_desk, "search", "寒潮").stdout.splitlines()
    assert [line.split("]")[0] for line in out] == ["[来电", "[文电", "[电话"]
    assert "市政办电〔2026〕88号 关于做好寒潮防范工作的紧急通知" in out[1]
    assert ok(cli_desk, "search", "台风").stdout.strip() == "没有找到匹配的记录。"
    english = ok(cli_desk, "search", "寒潮", "--in", "documents", lang="en").stdout
    assert english.startswith("[Document] 1  ")


def test_an_unknown_register_is_refused_in_one_line(cli_desk):
    result = cli_desk("search", "寒潮", "--in", "calls,faxes")
    assert result.exit_code == 1
    assert result.stderr.strip() == "未知的检索类别“faxes”，可选：calls, documents, contacts"


def test_reindex_rebuilds_the_register_indexes(cli_desk):
    with closing(sqlite3.connect(cli_desk.db_path)) as conn, conn:
        conn.execute("DELETE FROM contact_search")
    assert json.loads(ok(cli_desk, "search", "寒潮", "--in", "contacts", "--json").stdout) == []
    assert cli_desk("verify").exit_code == 1
    out = ok(cli_desk, "reindex").stdout
    assert "2 条记录已重新编入" in out  # one document, one contact
    assert len(json.loads(ok(cli_desk, "search", "寒潮", "--json").stdout)) == 3
    assert cli_desk("verify").exit_code == 0
