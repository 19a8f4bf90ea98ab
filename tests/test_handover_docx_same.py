"""Issue 16 (the pack under 1 s): the handover form's DOCX, now written row by row as elements,
is the same document python-docx built cell by cell before (tests/support_docx_reference.py),
part for part: so an archive written before this change still verifies, and the printed form
reads back cell by cell as it did."""

from __future__ import annotations

import io
import zipfile

import pytest

from dutydesk.i18n import language, set_language
from dutydesk.services.archive.export_files import same_content
from dutydesk.services.handover.handover_docx import render_docx
from dutydesk.services.handover.handover_form import Form, FormRow, FormSection, FormSigner
from tests import hostile
from tests.support_docx_reference import render_docx as reference_docx
from tests.test_export_safety import HOSTILE_TEXTS

ODD_TEXTS = (" leading", "trailing ", "a\tb\tc", "line\nbreak\r\nthree", "\t", "", "\x1b[2J值班",
             "\ud800lone", "&<>\"'", "\ufffe", "  ", "=HYPERLINK(\"x\")", "全角　空格　")  # fmt: skip
TEXTS = (*HOSTILE_TEXTS, *ODD_TEXTS, hostile.STYLED, hostile.EMOJI, hostile.DOLLARS)


def _form(texts: tuple[str, ...], *, unsigned: str | None, signed: bool, head: str | None) -> Form:
    rows = [
        FormRow(i + 1, text, "天津 第14条", "已完成", text[::-1]) for i, text in enumerate(texts)
    ]
    sections = [FormSection("一、交接事项", rows), FormSection("二、无事项", [], absent="本班无"),
                FormSection("三、" + texts[0], rows[:3])]  # fmt: skip
    signers = [FormSigner("交班人", text, "2026-11-23 17:45") for text in texts[:4]]
    return Form(title="值班交接表", unsigned=unsigned, facts=[(text, text) for text in texts],
                sections=sections, exceptions=[f"{text}：未完成" for text in texts],
                signers=signers if signed else [], chain_head=head)  # fmt: skip


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("unsigned", "signed", "head"),
    [(None, True, "1234:0123456789abcdef"), ("未签字：导出时尚未交接", False, None)],
)
def test_the_docx_is_the_one_python_docx_built_part_for_part(lang, unsigned, signed, head):
    form = _form(TEXTS, unsigned=unsigned, signed=signed, head=head)
    before = language()
    set_language(lang)
    try:
        new, old = render_docx(form), reference_docx(form)
    finally:
        set_language(before)
    new_parts, old_parts = _parts(new), _parts(old)
    assert list(new_parts) == list(old_parts)
    for name, data in old_parts.items():
        assert new_parts[name] == data, name
    assert same_content("handover_form_docx", old, new)  # what verify asks of an archive


def test_a_single_changed_cell_is_a_different_document():
    """The comparison above can fail: one character in one cell shows in document.xml."""
    form = _form(TEXTS, unsigned=None, signed=True, head=None)
    changed = _form(TEXTS, unsigned=None, signed=True, head=None)
    changed.sections[0].rows[5] = FormRow(6, "改", "天津 第14条", "已完成", "")
    assert not same_content("handover_form_docx", reference_docx(form), render_docx(changed))
