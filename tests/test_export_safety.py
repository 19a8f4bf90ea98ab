"""Exports cannot attack their reader (issue 12, section 3): every CSV the desk writes shows a
formula-looking cell as text (a leading apostrophe), the Markdown forms show typed Markdown and
HTML literally, and the DOCX holds typed text as plain text."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from dutydesk.services.archive.export import write_archive
from dutydesk.services.calls.calls import CallDraft, amend_call, save_call
from dutydesk.services.handover.handover_docx import render_docx
from dutydesk.services.handover.handover_form import (
    Form,
    FormRow,
    FormSection,
    FormSigner,
    render_markdown,
)
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.people import find_person
from dutydesk.services.spotcheck.spotcheck import record_outcome, start_round
from dutydesk.services.spotcheck.spotcheck_table import render_csv
from dutydesk.services.spotcheck.spotcheck_table import render_markdown as spotcheck_markdown
from dutydesk.services.spotcheck.units import UnitDraft, add_unit
from tests.spotcheck_support import district_desk, make_district_template

HYPERLINK = '=HYPERLINK("http://x","click")'
DDE = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"
MINUS = "-2+3"
TAB = "\t=1+1"
MARKUP = "**x** <b>y</b> [a](b)"
ATTACKS = (HYPERLINK, DDE, AT_SUM, MINUS, TAB)
# what a spreadsheet takes as the start of a formula (full-width forms: WPS)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_district_template(tmp_path_factory.mktemp("export-safety"), with_units=False)


@pytest.fixture
def hostile(template, db_path, clock):
    """A district register whose calls, incident, units and spot-check outcomes hold every
    attack string, in every text column the CSVs carry."""
    for desk in district_desk(template, db_path, clock):
        zhang = find_person(desk, "张伟")
        for index, name in enumerate((HYPERLINK, DDE, AT_SUM, MINUS, MARKUP)):
            add_unit(desk, UnitDraft(name, "township", f"0371-6600000{index}"))
        first = save_call(desk, CallDraft(caller=HYPERLINK, unit=DDE, phone="+86 371 6600 0000",
                                          summary=AT_SUM, handling=MINUS), zhang)  # fmt: skip
        save_call(desk, CallDraft(caller=MINUS, unit=AT_SUM, phone="0371-66000000",
                                  summary=TAB, handling=HYPERLINK), zhang)  # fmt: skip
        amend_call(desk, first.number, DDE, {"summary": TAB}, zhang)
        record_incident(desk, IncidentDraft(
            type="natural", level="IV", occurred_at=desk.now().subtract(minutes=30),
            place=HYPERLINK, summary=DDE, measures=AT_SUM, source_caller=MINUS,
            source_unit=AT_SUM, reporter=HYPERLINK), zhang)  # fmt: skip
        view = start_round(desk, zhang, seed=1, count=5)
        for unit, who, note in zip(view.units, ATTACKS, reversed(ATTACKS), strict=False):
            record_outcome(desk, view.id, unit.unit_id, zhang, method="phone", answered=True,
                           answered_by=who.strip(), note=note)  # fmt: skip
        yield desk


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _assert_nothing_runs(rows: list[list[str]], expected: set[str]) -> None:
    cells = [cell for row in rows for cell in row]
    runnable = [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert runnable == []
    shown = {cell[1:] for cell in cells if cell.startswith("'")}
    assert expected <= shown, expected - shown


def test_every_csv_in_the_archive_shows_formulas_as_text(hostile, tmp_path):
    folder = write_archive(hostile, tmp_path / "exports")
    files = {path.name: path for path in folder.glob("*.csv")}
    assert set(files) == {
        "电话记录.csv",
        "突发事件信息登记表.csv",
        "值班抽查表.csv",
        "收发文登记簿.csv",
    }
    calls = _read(files["电话记录.csv"].read_bytes().decode("utf-8-sig"))
    _assert_nothing_runs(calls, {HYPERLINK, DDE, AT_SUM, MINUS, TAB, "+86 371 6600 0000"})
    incidents = _read(files["突发事件信息登记表.csv"].read_bytes().decode("utf-8-sig"))
    _assert_nothing_runs(incidents, {HYPERLINK, DDE})
    checks = _read(files["值班抽查表.csv"].read_bytes().decode("utf-8-sig"))
    _assert_nothing_runs(checks, {HYPERLINK, DDE, AT_SUM, MINUS})  # (notes are stored trimmed)
    # what the program itself writes stays as it was: register numbers, times, plain text
    assert [row[0] for row in calls[1:]] == ["2026-000001", "2026-000002", "2026-000003"]
    assert re.fullmatch(r"2026-11-23 \d\d:\d\d", calls[1][1])
    assert calls[2][6] == "0371-66000000"  # a phone number starting with a digit: as typed
    assert calls[0][0] == "登记号"


def test_the_spotcheck_table_csv_of_the_command_line_shows_formulas_as_text(hostile):
    rows = _read(render_csv(hostile))
    _assert_nothing_runs(rows, {HYPERLINK, DDE, AT_SUM, MINUS})
    assert rows[1][0] == "1"  # the round number is untouched


@pytest.mark.parametrize(
    "cell",
    [
        "\r=1+1",
        "\t@x",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(1)",
        "=",
        "-",
        "+",
        "@",
        "﹦1+1",
        "﹢1",
        "﹣1",
        "﹫SUM(1)",
    ],  # fmt: skip
)
def test_any_formula_start_gets_an_apostrophe(tmp_path, cell):
    from dutydesk.services.archive.export_files import csv_bytes

    data = csv_bytes(["列"], [[cell, "正常", "2026-000001", "09:30"]])
    rows = _read(data.decode("utf-8-sig"))
    assert rows[1] == ["'" + cell, "正常", "2026-000001", "09:30"]


def test_an_xlsx_cell_in_the_small_equals_sign_is_text():
    from dutydesk.services.core.spreadsheet import safe_cell

    assert safe_cell('﹦HYPERLINK("http://x")') == '\'﹦HYPERLINK("http://x")'
    assert safe_cell("张伟") == "张伟" and safe_cell("") == ""


# ---------------------------------------------------------------- Markdown and DOCX

HOSTILE_TEXTS = (
    MARKUP,
    "# 标题",
    "- 列表",
    "1. 第一",
    "> 引用",
    "a | b",
    "`code` _em_ ~~del~~ ![img](http://x/i.png) <http://x> &amp; <script>alert(1)</script>",
    "第一行\n第二行",
    "    缩进",
)


def _form(texts: tuple[str, ...]) -> Form:
    rows = [FormRow(i + 1, text, "Tianjin art. 14", "已完成", text) for i, text in enumerate(texts)]
    return Form(
        title="值班交接表",
        unsigned=None,
        facts=[("值班室", text) for text in texts],
        sections=[FormSection("一、事项", rows)],
        exceptions=[f"{text}：未完成（{text}）" for text in texts],
        signers=[FormSigner("交班人", text, "2026-11-23 17:45") for text in texts],
    )


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _shown_text(rendered: str) -> str:
    """The text a reader sees in rendered HTML (tags and line breaks become new lines)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "\n", rendered))


def _assert_literal(rendered: str, texts: tuple[str, ...]) -> None:
    for tag in ("<strong>", "<em>", "<a ", "<b>", "<img", "<code>", "<del>", "<h3>", "<script",
                "<blockquote>", "<ol>", "<pre>"):  # fmt: skip
        assert tag not in rendered, tag
    shown = _shown_text(rendered)
    for text in texts:
        for line in text.split("\n"):
            assert line.strip() in shown, line


def test_the_handover_form_shows_typed_markdown_literally():
    markdown = render_markdown(_form(HOSTILE_TEXTS))
    rendered = _html(markdown)
    _assert_literal(rendered, HOSTILE_TEXTS)
    # the title, the section, the exceptions and the signatures are the only headings
    assert rendered.count("<h1>") == 1 and rendered.count("<h2>") == 3
    assert rendered.count("<ul>") == 1 and rendered.count("<li>") == len(HOSTILE_TEXTS)
    # every table row keeps its cells: a typed | does not split one
    for table in re.findall(r"<table>.*?</table>", rendered, re.S):
        counts = {row.count("<td") for row in re.findall(r"<tr>.*?</tr>", table, re.S)} - {0}
        assert len(counts) == 1, counts
    assert "第一行<br>第二行" in markdown  # a line break in a cell or list item: <br>


def test_the_spotcheck_table_markdown_shows_typed_markdown_literally(hostile):
    rendered = _html(spotcheck_markdown(hostile))
    _assert_literal(rendered, (HYPERLINK, DDE, AT_SUM, MINUS, MARKUP))
    assert "<ul>" not in rendered and "<ol>" not in rendered


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_docx_holds_typed_text_as_plain_text():
    data = render_docx(_form(HOSTILE_TEXTS))
    text = _docx_text(data)
    for typed in HOSTILE_TEXTS:
        assert typed in text, typed
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
    assert "<b>y</b>" not in body and "&lt;b&gt;y&lt;/b&gt;" in body  # text, not elements
    assert "<w:hyperlink" not in body


def test_the_docx_takes_a_control_character_stored_before_text_was_checked():
    """A register from before the checks may hold an escape sequence in a name: the form
    still renders, showing it as an escape instead of failing the export."""
    form = _form(("\x1b[31m值班室", "正常"))
    text = _docx_text(render_docx(form))
    assert "\\x1b[31m值班室" in text


def test_an_export_of_an_old_register_with_escape_sequences_still_writes(hostile, tmp_path):
    """An office name stored raw before init checked it (issue 12: `\\x1b[2J`)."""
    with hostile.engine.begin() as conn:  # the office row is append-only since 0014
        guard = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'office_no_update'"
        ).scalar_one()
        conn.exec_driver_sql("DROP TRIGGER office_no_update")
        conn.exec_driver_sql("UPDATE office SET name = ?", ("\x1b[2J测试值班室",))
        conn.exec_driver_sql(guard)
    hostile.office.name = "\x1b[2J测试值班室"
    folder = write_archive(hostile, tmp_path / "exports")
    assert (folder / "值班交接表.docx").exists()
    assert Path(folder / "值班交接表.md").read_text("utf-8-sig")
