"""typer's own words in the chosen language (issue 15 item 6): usage errors keep the option's
name, the help hint and click's exit code 2; --help headings and notes are translated."""

from __future__ import annotations

import re

import pytest

CJK = re.compile(r"[\u4e00-\u9fff]")


def _error_line(result) -> str:  # -> the last line click would print: "Error: ..."
    return result.output.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "zh_words", "kept"),
    [
        (["calls", "add", "--bogus"], "没有这个选项", "--bogus"),
        (["calls", "add", "--caller"], "后面需要一个值", "--caller"),
        (["calls", "list", "--limit", "abc"], "须为整数", "--limit"),
        (["calls", "list", "--limit", "0"], "不能小于 1", "--limit"),
        (["calls", "show"], "缺少参数", "登记号"),
        (["calls", "show", "a", "b"], "多余的参数", "b"),
        (["calls", "ad"], "没有这个命令", "add"),
        (["nosuch"], "没有这个命令", "nosuch"),
    ],
)
def test_usage_errors_are_in_chinese_with_exit_2(cli, args, zh_words, kept):
    result = cli(*args)
    assert result.exit_code == 2
    line = _error_line(result)
    assert line.startswith("错误：") and zh_words in line and kept in line
    assert "Error" not in result.output and "Usage" not in result.output


def test_usage_error_keeps_the_usage_line_and_help_hint(cli):
    result = cli("calls", "add", "--bogus")
    assert re.search(r"^用法：\S+ calls add \[选项\]$", result.output, re.MULTILINE)
    assert re.search(r"用 “\S+ calls add --help” 查看帮助。", result.output)


def test_usage_errors_in_english_read_as_click_does(cli):
    result = cli("calls", "add", "--bogus", lang="en")
    assert result.exit_code == 2
    assert _error_line(result) == "Error: No such option: --bogus"
    assert re.search(r"Try '\S+ calls add --help' for help\.", result.output)
    missing = cli("calls", "show", lang="en")
    assert _error_line(missing) == "Error: Missing argument 'NUMBER'."


def test_help_headings_and_notes_are_in_chinese(cli):
    result = cli("calls", "add", "--help")
    assert result.exit_code == 0
    for words in ("用法：", "选项：", "显示本帮助并退出", "[默认：in]", "<文本>"):
        assert words in result.output
    for english in ("Usage", "Options", "Show this message", "default:", "<str>"):
        assert english not in result.output


def test_help_columns_line_up_by_display_width(cli):
    from rich.cells import cell_len

    rows = re.compile(r"^  --\S+(?: <[^>]+>)?(?: / --\S+)? +(?=\S)")
    lines = cli("calls", "add", "--help").output.splitlines()
    starts = {cell_len(m.group(0)) for line in lines if (m := rows.match(line))}
    assert len(starts) == 1


def test_a_group_without_a_command_shows_its_help_in_chinese(cli):
    result = cli("calls")
    assert result.exit_code == 2 and "命令：" in result.output and CJK.search(result.output)
    assert "Commands" not in result.output
