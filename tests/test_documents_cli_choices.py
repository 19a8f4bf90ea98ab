"""Issue 18 fixes, item 2: the command line takes a code or its name (Chinese or English) the same
way through one helper (cli/choices.py), and lists the choices when a value names none."""

from __future__ import annotations

import sqlite3

from tests.test_handover_cli import at_handover  # noqa: F401


def _count(path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_handover_mark_accepts_the_states_it_lists(at_handover):  # noqa: F811
    refused = at_handover("handover", "mark", "calls", "acknowledged")
    assert refused.exit_code == 1
    listed = refused.stderr.strip().rsplit("：", 1)[-1].split(", ")
    assert listed == ["done", "not_done", "clear"]
    for state in listed:  # each state the refusal lists is one the command takes
        args = ("--note", "未核对完") if state == "not_done" else ()
        assert at_handover("handover", "mark", "calls", state, *args).exit_code == 0, state
    for name in ("未完成", "已完成", "Done"):  # a state's name in either language
        args = ("--note", "未核对完") if name == "未完成" else ()
        assert at_handover("handover", "mark", "calls", name, *args).exit_code == 0, name
    unknown = at_handover("handover", "mark", "calls", "finished")
    assert (
        unknown.exit_code == 1 and "not_done" in unknown.stderr and "not-done" not in unknown.stderr
    )


def test_contacts_and_orders_take_a_kind_by_its_chinese_name(cli_desk):
    added = cli_desk("contacts", "add", "--kind", "单位", "--name", "城关镇政府值班室",
                     "--phone", "0371-66000000")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    for kind in ("上级值班室", "upper", "Upper office"):
        result = cli_desk("contacts", "add", "--kind", kind, "--name", f"市政府{kind}",
                          "--phone", "0371-69690000")  # fmt: skip
        assert result.exit_code == 0, (kind, result.stderr)
    before = _count(cli_desk.db_path, "contact")
    wrong = cli_desk("contacts", "add", "--kind", "乡镇", "--name", "某镇", "--phone", "1")
    assert wrong.exit_code == 1 and "unit" in wrong.stderr and "principal" in wrong.stderr
    assert _count(cli_desk.db_path, "contact") == before
    help_text = cli_desk("orders", "dispatch", "--help").stdout
    assert "领导" in help_text and "leader" in help_text
