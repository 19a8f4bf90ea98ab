"""QA (session 10) item 1: positional arguments are named from the catalogue (cli_arg.<name>)
in every command's usage line, help rows and usage errors, in Chinese and English: typer
showed the Python name in braces (`{direction}`) and click said `缺少参数 'direction'`."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer

from dutydesk.i18n import LANGUAGES, has, set_language, t


def _error_line(result) -> str:  # noqa: ANN001
    return result.output.strip().splitlines()[-1]


def _commands(command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:  # noqa: ANN001
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


@pytest.fixture(params=LANGUAGES)
def tree(request):  # -> (lang, the root click command built in that language)
    from dutydesk.cli import build_app

    set_language(request.param)
    try:
        yield request.param, typer.main.get_command(build_app())
    finally:
        set_language("zh")


def test_every_argument_of_every_command_is_named_in_the_catalogue(tree):
    lang, root = tree
    arguments = [(" ".join(path), param.name) for path, command in _commands(root)
                 for param in command.params if param.param_type_name == "argument"]  # fmt: skip
    assert len(arguments) > 40
    assert [a for a in arguments if not has(f"cli_arg.{a[1]}", lang)] == []


def test_no_usage_line_shows_an_argument_in_braces(tree):
    lang, root = tree
    for path, command in _commands(root):
        ctx = command.context_class(command, info_name=" ".join(("dutydesk", *path)))
        usage = ctx.get_usage()
        assert "{" not in usage, usage
        for param in command.params:
            if param.param_type_name == "argument":
                assert t(f"cli_arg.{param.name}", lang=lang) in usage, usage


MISSING = [
    (("documents", "add"), "direction"),
    (("calls", "show"), "number"),
    (("pending", "close"), "item_id"),
    (("incidents", "show"), "incident_id"),
    (("units", "deactivate"), "unit_name"),
    (("workdays", "add"), "date"),
]


@pytest.mark.parametrize(("args", "name"), MISSING)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_missing_argument_is_named_in_the_language(cli, args, name, lang):
    result = cli(*args, lang=lang)
    assert result.exit_code == 2, result.output
    shown = t(f"cli_arg.{name}", lang=lang)
    hint = t("usage.quoted", lang=lang, name=shown)
    expected = t(
        "usage.error", lang=lang, message=t("usage.missing_argument", lang=lang, hint=hint)
    )
    assert _error_line(result) == expected
    assert name not in result.output  # the Python name, lower case


def test_missing_arguments_read_in_chinese_and_english(cli):
    assert _error_line(cli("documents", "add")) == "错误：缺少参数 “收发”。"
    assert _error_line(cli("documents", "add", lang="en")) == "Error: Missing argument 'DIRECTION'."
    usage = cli("calls", "show").output
    assert re.search(r"^用法：\S+ calls show \[选项\] 登记号$", usage, re.MULTILINE), usage


def test_a_bad_argument_value_names_the_argument(cli):
    result = cli("pending", "close", "abc")
    assert result.exit_code == 2
    assert _error_line(result) == "错误：“事项编号” 的值无效：须为整数，收到“abc”"
    english = cli("pending", "close", "abc", lang="en")
    assert (
        _error_line(english)
        == "Error: Invalid value for 'ITEM_ID': a whole number is needed, got 'abc'"
    )


def test_optional_and_repeated_arguments_in_the_usage_line(cli):
    assert re.search(r"verify \[选项\] \[登记簿或归档\]$", cli("verify", "--help").output, re.M)
    assert re.search(r"search \[选项\] 检索词\.\.\.$", cli("search", "--help").output, re.M)
    assert re.search(r"search \[OPTIONS\] TERMS\.\.\.$", cli("search", "--help", lang="en").output,
                     re.M)  # fmt: skip


def test_the_help_row_names_the_argument(cli):
    output = cli("calls", "show", "--help").output
    assert re.search(r"^  登记号 <文本> +登记号", output, re.MULTILINE), output
    assert "number" not in output


def test_a_flag_given_a_value_is_said_in_chinese(cli):
    result = cli("calls", "list", "--json=yes")
    assert result.exit_code == 2
    assert _error_line(result) == "错误：选项 “--json” 后面不带值。"
