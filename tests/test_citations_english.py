"""Every profile's citations read in English with no Chinese in them: the district's texts by
their English names (工作制度 is "Duty Work Rules"), Henan's parts in digits, remarks in English
prose. In Chinese each reads as before; a cite stored in the older words shows in English too;
an archive whose form was drawn in the older words (form style 2) still verifies."""

from __future__ import annotations

import json
import re

import pytest

from dutydesk.citations import as_before_english, cite_text, cite_text_v2, cite_zh
from dutydesk.i18n import set_language
from dutydesk.profiles import available_profiles
from tests.test_citations import _citations, _raw
from tests.test_verification_reply_within import district  # noqa: F401  (fixture)

CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
# (the profile's cite now, the words it had before, how both read in Chinese)
RENAMED = [
    ("District Duty Work Rules 6", "District 工作制度 6", "区值班工作制度第六条"),
    ("District Duty Responsibilities 2-4", "District 值班工作职责 2-4", "区值班工作职责第二至四条"),
    (
        "District Circulation of Documents from Higher Authorities; office setting (priority "
        "documents as ordinary ones)",
        "District 上级来文运转流程; office setting (平急 as 普通件)",
        "区上级来文运转流程；本单位设定",
    ),
    (
        "District General Incident Information Handling Flow (relatively serious level and above)",
        "District 一般突发事件信息处理流程 (较大及以上级别)",
        "区一般突发事件信息处理流程（较大及以上级别）",
    ),
    ("Henan 3(1)", "Henan 三(一)", "河南规范三（一）"),
    ("Henan 5", "Henan 五", "河南规范五"),
    (
        "common practice (time off in lieu and a duty allowance, as Henan 8(3))",
        "common practice (补休和值班补贴, as Henan 8(3))",
        "通行做法（参照河南规范八（三））",
    ),
]


@pytest.mark.parametrize("profile", available_profiles())
def test_no_english_citation_of_a_profile_holds_chinese(profile):
    shown = {where: cite_text(cite, "en") for where, cite in _citations(_raw(profile))}
    assert {where: text for where, text in shown.items() if CJK.search(text)} == {}


@pytest.mark.parametrize(("now", "before", "zh"), RENAMED)
def test_a_renamed_cite_reads_as_before_in_chinese_and_in_english_when_stored_before(
    now, before, zh
):
    assert cite_zh(now) == cite_zh(before) == zh
    assert cite_text(now, "en") == now
    assert cite_text(before, "en") == now  # a deadline stored before shows in English too
    assert as_before_english(now) == before  # the words an archive's form of style 2 holds
    assert cite_text_v2(now, "en") == before and cite_text_v2(now, "zh") == zh


def test_a_joined_cite_keeps_its_parts_and_spacing_when_taken_back():
    joined = "District Duty Work Rules 6; common practice; 上级要求 / upper office's request"
    assert as_before_english(joined) == (
        "District 工作制度 6; common practice; 上级要求 / upper office's request"
    )
    assert (
        cite_text(joined, "en")
        == "District Duty Work Rules 6; common practice; upper office's request"
    )


def _in_old_words(profile):
    """The profile as it cited before its cites were put in English (an older program's)."""

    def back(node, key=""):
        if isinstance(node, dict):
            return {k: back(v, k if k not in ("elements", "device_cites") else "cite")
                    for k, v in node.items()}  # fmt: skip
        if isinstance(node, list):
            return [back(v, key) for v in node]
        if isinstance(node, str) and (key == "cite" or key.endswith("_cite")):
            return as_before_english(node)
        return node

    return type(profile).model_validate(back(profile.model_dump()))


def test_an_english_archive_drawn_in_the_old_words_still_verifies(district, monkeypatch):  # noqa: F811
    from dutydesk.services.archive import export, export_files, export_manifest, export_plan
    from dutydesk.services.archive.archive_verify import verify_archives
    from dutydesk.services.archive.export import MANIFEST, write_archive
    from dutydesk.services.incidents import add_verification

    desk, officer = district
    set_language("en")
    try:
        with monkeypatch.context() as before:  # the program and profile of form style 2
            before.setattr(desk, "profile", _in_old_words(desk.profile))
            before.setattr(
                export,
                "render",
                lambda d, source, prefix="": export_files.render(d, source, prefix, 2),
            )
            before.setattr(
                export_plan, "source_of", lambda d, h, s=None: export_files.source_of(d, h, s, 2)
            )
            before.setattr(
                export,
                "build_manifest",
                lambda *a: {**export_manifest.build_manifest(*a), "form_style": 2},
            )
            add_verification(desk, officer, received_at=None, subject="核实停电", reply_within=30)
            folder = write_archive(desk)
        assert json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["form_style"] == 2
        form = next(folder.glob("*.md")).read_text(encoding="utf-8-sig")
        assert "District 工作制度 6" in form and "Duty Work Rules" not in form
        assert verify_archives(folder).ok  # drawn again by the program as it is now
    finally:
        set_language("zh")
