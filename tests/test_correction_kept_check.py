"""A correction kept on disk through a kill (screens/amend_draft.py) is taken as saved only when
the register holds it: its reason and the fields changed as typed. Breaker, session 18: another
terminal's correction of the same call with the same reason (笔误) was taken for it, and the
one typed here was dropped as saved; a file not of the shape a dialog writes was removed
without a word."""

from __future__ import annotations

import json

from dutydesk.screens.amend_draft import look_up
from dutydesk.services.calls import CallDraft, amend_call, correction_saved, save_call
from dutydesk.services.core import draft_path


def _call(desk, officer) -> str:
    return save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-66000000",
                                     summary="人民路积水"), officer).number  # fmt: skip


def test_a_correction_with_the_same_reason_but_other_fields_is_not_this_one(desk, officer):
    number = _call(desk, officer)
    other = amend_call(desk, number, "笔误", {"place": "ZZYY"}, officer).number
    assert correction_saved(desk, number, [number], "笔误", {"place": "AA"}) is None
    assert correction_saved(desk, number, [number], "笔误", {"place": "ZZYY"}) == other
    assert (
        correction_saved(desk, number, [number], "笔误", {"phone": "０３７１－６６０００００"})
        is None
    )
    assert correction_saved(desk, number, [number, other], "笔误", {"place": "ZZYY"}) is None


def test_a_kept_file_not_of_a_dialogs_shape_is_left_and_said(desk, officer):
    number = _call(desk, officer)
    odd = draft_path(desk.path, f"amend-{number}-0123456789ab")
    odd.write_text(json.dumps({"number": 290, "reason": "类型错误但有原因"}), encoding="utf-8")
    truncated = draft_path(desk.path, f"amend-{number}-ba9876543210")
    truncated.write_text('{"number": "', encoding="utf-8")
    found = look_up(desk)
    assert odd.exists() and truncated.exists()  # nothing typed is ever removed unread
    assert sorted(found.unreadable) == sorted([str(odd), str(truncated)])
    assert str(odd) in found.said() and found.saved == [] and found.waiting == []
