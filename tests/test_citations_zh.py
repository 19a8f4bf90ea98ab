"""Citations in Chinese (issue 15 item 6): every profile citation has a Chinese rendering with
no Latin letters, in the style of the texts' own numbering, and the Chinese forms (handover
form, incident register, deadlines, spot-check table) show no English citation."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator

import pytest

from dutydesk.citations import cite_text, cite_zh, numeral
from dutydesk.paths import profiles_dir
from dutydesk.profiles import available_profiles

LATIN = re.compile(r"[A-Za-z]")
ENGLISH_CITE = re.compile(r"Tianjin|Henan|District|art\.|common practice|office setting")


def _cites(table: object) -> Iterator[str]:
    if isinstance(table, dict):
        for key, value in table.items():
            if isinstance(value, str) and key.endswith("cite"):
                yield value
            elif key.endswith("cites") and isinstance(value, dict):
                yield from (v for v in value.values() if isinstance(v, str))
            else:
                yield from _cites(value)
    elif isinstance(table, list):
        for value in table:
            yield from _cites(value)


def _profile_cites() -> list[str]:
    found: set[str] = set()
    for name in available_profiles():
        with open(profiles_dir() / f"{name}.toml", "rb") as handle:
            found.update(_cites(tomllib.load(handle)))
    return sorted(found)


def test_every_profile_citation_has_a_chinese_rendering_without_latin_letters():
    cites = _profile_cites()
    assert len(cites) > 40
    bad = {cite: cite_zh(cite) for cite in cites if LATIN.search(cite_zh(cite))}
    assert not bad


@pytest.mark.parametrize(
    ("cite", "shown"),
    [
        ("Tianjin art. 14(2)", "天津规定第十四条第（二）项"),
        ("Tianjin art. 20", "天津规定第二十条"),
        ("Tianjin art. 14(1), 14(3)", "天津规定第十四条第（一）项、第十四条第（三）项"),
        ("Henan 6(2)", "河南规范六（二）"),
        ("Henan 3(1)", "河南规范三（一）"),
        ("Henan 6(8), 7(4)", "河南规范六（八）、七（四）"),
        ("District Duty Work Rules 6", "区值班工作制度第六条"),
        ("District Duty Responsibilities 2-4", "区值班工作职责第二至四条"),
        ("District General Incident Information Handling Flow (relatively serious level and above)",
         "区一般突发事件信息处理流程（较大及以上级别）"),
        ("office setting (the minutes)", "本单位设定"),
        ("Henan 6(2); common practice (phone list and roster, as Tianjin art. 9(5))",
         "河南规范六（二）；通行做法（参照天津规定第九条第（五）项）"),
    ],
)  # fmt: skip
def test_the_chinese_style_follows_the_texts_numbering(cite, shown):
    assert cite_zh(cite) == shown
    assert cite_text(cite, "en") == cite


def test_numerals():
    assert [numeral(n) for n in (1, 10, 14, 20, 38)] == ["一", "十", "十四", "二十", "三十八"]


def test_a_cite_parameter_is_rendered_in_chinese_in_every_message():
    from dutydesk.i18n import t

    assert t("eligibility.non_staff", name="小王", cite="Tianjin art. 6").endswith(
        "（天津规定第六条）"
    )
    english = t("eligibility.non_staff", lang="en", name="Wang", cite="Tianjin art. 6")
    assert "Tianjin art. 6" in english


def test_the_handover_status_and_form_show_chinese_citations(desk):
    from dutydesk.services.handover import (
        FormHeader,
        build_checklist,
        build_form,
        checklist_to_json,
        render_markdown,
    )

    data = checklist_to_json(build_checklist(desk), desk.timezone)
    form = build_form(desk, data, FormHeader("测试区人民政府总值班室", "天津", None, None), [])
    text = render_markdown(form)
    rows = [row for section in form.sections for row in section.rows]
    assert rows and all(row.cite and not LATIN.search(row.cite) for row in rows)
    assert "天津规定第十四条" in text and not ENGLISH_CITE.search(text)


def test_the_incident_lines_and_register_show_chinese_citations(cli):
    from tests.conftest import add_person_cli, init_cli

    assert init_cli(cli).exit_code == 0
    add_person_cli(cli, "--name", "张伟", "--role", "officer", "--in-post-since", "2024-01-01")
    assert cli("shift", "open", "--officer", "张伟").exit_code == 0
    added = cli("incidents", "add", "--type", "事故灾难", "--level", "较大", "--occurred-at",
                "09:40", "--place", "人民路", "--summary", "燃气管道泄漏")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "天津规定第二十条" in added.stdout and not ENGLISH_CITE.search(added.stdout)
    for args in (("deadlines", "list"), ("incidents", "show", "1")):
        shown = cli(*args)
        assert shown.exit_code == 0 and not ENGLISH_CITE.search(shown.stdout), shown.stdout


@pytest.mark.parametrize(
    ("lang", "seconds", "shown"),
    [("zh", 24 * 60 + 54, "剩余 24分54秒"), ("zh", 3900, "剩余 1小时05分"),
     ("en", 24 * 60 + 54, "24 min 54 s left"), ("en", 3900, "1 h 05 min left")],
)  # fmt: skip
def test_remaining_time_says_its_units(lang, seconds, shown):
    from dutydesk.i18n import set_language
    from dutydesk.services.incidents.deadline_views import _span

    set_language(lang)
    assert t_left(_span(seconds)) == shown


def t_left(span: str) -> str:
    from dutydesk.i18n import t

    return t("deadline_remaining.left", span=span)
