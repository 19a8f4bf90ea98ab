"""The handover screen's word when the archive export fails (QA fix9 #2): the reason's own full
stop is not doubled, and the way to write to another folder is given as the exact command."""

from __future__ import annotations

import pytest

from dutydesk.i18n import set_language, t
from dutydesk.screens.handover_export import export_outcome


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_failed_export_says_the_reason_once_and_the_command_for_another_folder(lang):
    set_language(lang)  # the autouse fixture sets Chinese back
    reason = t("archive_office.foreign_target", path="/r/exports", offices="演示 (chain:ab…): 3")
    text, ok, notes = export_outcome([], reason, "")
    assert not ok and notes == []
    assert "。。" not in text and ".." not in text
    assert reason.rstrip("。.") in text
    assert "export --retry --to" in text
