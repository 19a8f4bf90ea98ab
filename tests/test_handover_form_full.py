"""The handover form (值班交接表) in Chinese: a checklist item's joined citation rendered part by
part (a 核报's deadline: the profile's rule and "上级要求 / upper office's request"), and each
item's full text, escaped, never cut. Archives written before (form style 1: no "form_style" in
the manifest) are drawn as they were and still verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutydesk.citations import cite_text, cite_text_v1
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import MANIFEST, write_archive
from dutydesk.services.incidents import add_verification
from dutydesk.services.incidents.verifications import REQUESTED_CITE
from tests.test_handover_export import _docx_text
from tests.test_verification_reply_within import district  # noqa: F401  (fixture)

JOINED = f"District 工作制度 6; common practice; {REQUESTED_CITE}"
SUBJECT = "市政府总值班室要求核实柳林镇工业大道停电情况，报告停电户数，30分钟内电话反馈"
ZH_CITE = "区值班工作制度第六条；通行做法；上级要求"


def test_a_joined_cite_in_both_languages_is_rendered_part_by_part():
    assert cite_text(JOINED, "zh") == ZH_CITE
    # a cite stored before the profiles named the district's sections in English: in English now
    assert cite_text(JOINED, "en") == (
        "District Duty Work Rules 6; common practice; upper office's request"
    )
    assert cite_text(REQUESTED_CITE, "zh") == "上级要求"
    assert cite_text(REQUESTED_CITE, "en") == "upper office's request"
    assert cite_text("Tianjin art. 14(2)", "zh") == cite_text_v1("Tianjin art. 14(2)", "zh")
    # what archives of form style 1 hold (kept so that they verify)
    assert cite_text_v1(JOINED, "zh") == "District 工作制度 6; common practice; 上级要求"


def _form(folder: Path) -> tuple[str, str]:
    markdown = (folder / "值班交接表.md").read_text(encoding="utf-8-sig")
    return markdown, _docx_text(folder / "值班交接表.docx")


def _verification_row(markdown: str) -> str:
    return next(line for line in markdown.splitlines() if "核报\\#" in line)


def test_the_form_cites_in_chinese_and_carries_the_full_text(district):  # noqa: F811
    desk, officer = district
    add_verification(desk, officer, received_at=None, subject=SUBJECT, reply_within=30)
    folder = write_archive(desk)
    markdown, docx = _form(folder)
    row = _verification_row(markdown)
    assert f"| {ZH_CITE} |" in row
    assert SUBJECT in row, "the requirement 30分钟内电话反馈 is on the form"
    assert "District" not in markdown and "common practice" not in markdown
    assert ZH_CITE in docx and SUBJECT in docx
    assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["form_style"] == 3
    assert verify_archives(folder).ok


def test_typed_text_is_escaped_in_the_markdown_and_kept_whole(district):  # noqa: F811
    desk, officer = district
    typed = "核实*停电*户数 | 已报 [链接](x)\n" + "续：" + "很长的内容" * 12 + "，30分钟内电话反馈"
    add_verification(desk, officer, received_at=None, subject=typed, reply_within=30)
    folder = write_archive(desk)
    markdown, docx = _form(folder)
    row = _verification_row(markdown)
    assert row.count(" | ") == 5 - 1, "one table row: the typed | and line break do not split it"
    assert "核实\\*停电\\*户数 \\| 已报 \\[链接\\](x)<br>续：" in row
    assert ("很长的内容" * 12 + "，30分钟内电话反馈，时限") in row and f"| {ZH_CITE} |" in row
    assert "很长的内容" * 12 in docx and "30分钟内电话反馈" in docx
    assert verify_archives(folder).ok


@pytest.fixture
def as_before(monkeypatch):
    """Exports as the program wrote them before form style 2: forms drawn in style 1 and no
    "form_style" in the manifest."""
    from dutydesk.services.archive import export, export_files, export_manifest, export_plan

    def render(desk, source, prefix=""):
        return export_files.render(desk, source, prefix, 1)

    def source_of(desk, handover_id, shift_id=None):
        return export_files.source_of(desk, handover_id, shift_id, 1)

    def build_manifest(*args):
        manifest = export_manifest.build_manifest(*args)
        del manifest["form_style"]
        return manifest

    monkeypatch.setattr(export, "render", render)
    monkeypatch.setattr(export_plan, "source_of", source_of)
    monkeypatch.setattr(export, "build_manifest", build_manifest)
    return monkeypatch


def test_an_archive_written_before_still_verifies(district, as_before):  # noqa: F811
    desk, officer = district
    add_verification(desk, officer, received_at=None, subject=SUBJECT, reply_within=30)
    folder = write_archive(desk)
    as_before.undo()  # verified by the program as it is now
    assert "form_style" not in json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    row = _verification_row(_form(folder)[0])
    assert "District 工作制度 6; common practice; 上级要求" in row and SUBJECT not in row
    assert verify_archives(folder).ok


async def test_the_screen_shows_the_selected_items_full_text_and_article(district):  # noqa: F811
    from textual.widgets import DataTable, Static

    from dutydesk.app import make_app

    desk, officer = district
    add_verification(desk, officer, received_at=None, subject=SUBJECT, reply_within=30)
    app = make_app(desk.path, clock=desk.clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        table = app.screen.query_one("#handover-table", DataTable)
        full = app.screen.query_one("#handover-full", Static)
        keys = [str(row.value) for row in table.rows]
        table.move_cursor(row=next(i for i, key in enumerate(keys) if key.startswith("deadline")))
        await pilot.pause()
        shown = str(full.render())
        assert full.display and SUBJECT in shown.replace("\n", "") and ZH_CITE in shown
        table.move_cursor(row=keys.index("summary"))  # nothing cut in its row: no line
        await pilot.pause()
        assert not full.display
