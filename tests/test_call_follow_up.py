"""A correction that changes 需跟进 keeps the call's pending item (待办) in step, in its own
transaction: unticked, the open item is closed by a closure naming the correction (who, when,
why); ticked on a call with none, an item is opened. The call list's 待办 mark, the open items
(`pending list`, the handover) and the handover's closed items then agree, and the chain
verifies."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from dutydesk.i18n import t
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.calls import CallDraft, list_calls, record_correction, save_call
from dutydesk.services.handover.handover_checklist import build_checklist
from dutydesk.services.handover.pending import close_item, open_items
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)


def _call(desk, officer, follow_up: bool):  # -> CallRecord
    draft = CallDraft(caller="李红", unit="城关镇", phone="0371-66000000",
                      summary="西关路口积水待复查", follow_up=follow_up)  # fmt: skip
    return save_call(desk, draft, officer)


def _closures(desk) -> list[tuple]:
    with closing(sqlite3.connect(desk.path)) as conn:
        return conn.execute(
            "SELECT item_id, closed_at, closed_by_id, note, amendment_id FROM pending_closure "
            "ORDER BY id"
        ).fetchall()


def test_unticking_follow_up_closes_the_open_item_naming_the_correction(desk, officer, clock):
    original = _call(desk, officer, follow_up=True)
    [item] = open_items(desk)
    clock.advance(minutes=20)
    done = record_correction(desk, original.number, "误勾需跟进", {"follow_up": False}, officer)
    assert done.closed == (item.id,) and done.opened is None
    assert open_items(desk) == []  # handover's pending list and `pending list`
    [view] = list_calls(desk)
    assert view.number == original.number and not view.follow_up  # the list's mark agrees
    [(item_id, closed_at, closed_by, note, amendment)] = _closures(desk)
    assert (item_id, closed_by, note, amendment) == (item.id, officer.id, "误勾需跟进",
                                                     done.record.id)  # fmt: skip
    assert closed_at == _closed_at_of(desk, done.record.id)  # at the correction's own time
    assert verify_register(desk.path).ok


def _closed_at_of(desk, record_id: int) -> str:
    with closing(sqlite3.connect(desk.path)) as conn:
        return conn.execute(
            "SELECT recorded_at FROM call_record WHERE id = ?", (record_id,)
        ).fetchone()[0]


def test_the_handover_lists_the_item_closed_by_the_correction(desk, officer, clock):
    original = _call(desk, officer, follow_up=True)
    clock.advance(minutes=5)
    done = record_correction(desk, original.number, "已当场处理完毕", {"follow_up": False}, officer)
    closed = [item for item in build_checklist(desk).items if item.section == "pending"]
    assert [(item.state, item.note) for item in closed] == [("closed", "已当场处理完毕")]
    zh = t(closed[0].label_key, lang="zh", **closed[0].params)
    assert zh == (f"待办事项#1（{original.number}）因更正 {done.record.number} 取消需跟进而办结："
                  "西关路口积水待复查")  # fmt: skip
    en = t(closed[0].label_key, lang="en", **closed[0].params)
    assert f"closed by correction {done.record.number}" in en


def test_ticking_follow_up_opens_an_item_for_the_call(desk, officer, clock):
    original = _call(desk, officer, follow_up=False)
    assert open_items(desk) == []
    clock.advance(minutes=10)
    done = record_correction(
        desk, original.number, "漏勾需跟进", {"follow_up": True, "summary": "西关积水，明早复查"},
        officer,
    )  # fmt: skip
    [item] = open_items(desk)
    assert done.opened == item.id and done.closed == ()
    # the call's own number (as the list shows it), the corrected content, who corrected it
    assert (item.call_number, item.text, item.created_by) == (
        original.number, "西关积水，明早复查", "张伟")  # fmt: skip
    assert list_calls(desk)[0].follow_up
    assert verify_register(desk.path).ok


def test_untick_then_tick_again_closes_one_and_opens_another(desk, officer):
    original = _call(desk, officer, follow_up=True)
    record_correction(desk, original.number, "误勾", {"follow_up": False}, officer)
    again = record_correction(desk, original.number, "仍需复查", {"follow_up": True}, officer)
    [item] = open_items(desk)
    assert again.opened == item.id and item.id != 1
    assert [row[0] for row in _closures(desk)] == [1]


def test_an_item_already_closed_by_hand_is_not_closed_again(desk, officer):
    original = _call(desk, officer, follow_up=True)
    close_item(desk, 1, officer, "已复查")
    done = record_correction(desk, original.number, "无需跟进", {"follow_up": False}, officer)
    assert done.closed == () and open_items(desk) == []
    assert len(_closures(desk)) == 1


def test_a_correction_leaving_follow_up_alone_leaves_the_item_alone(desk, officer):
    original = _call(desk, officer, follow_up=True)
    done = record_correction(desk, original.number, "单位记错", {"unit": "柳林镇"}, officer)
    assert (done.closed, done.opened) == ((), None)
    assert [item.id for item in open_items(desk)] == [1]


def test_the_command_line_corrects_follow_up_and_says_what_became_of_the_item(cli_desk):
    added = cli_desk("calls", "add", "--caller", "李红", "--unit", "城关镇", "--phone", "110",
                     "--summary", "西关积水待复查", "--follow-up")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "#1" in cli_desk("pending", "list").stdout
    off = cli_desk("calls", "amend", "2026-000001", "--reason", "误勾", "--no-follow-up")
    assert off.exit_code == 0, off.output
    assert off.stdout.splitlines() == [
        t("calls.amended", number="2026-000002", original="2026-000001"),
        t("pending.closed_by_correction", id=1, number="2026-000002"),
    ]
    assert cli_desk("pending", "list", "--json").stdout.strip() == "[]"
    on = cli_desk("calls", "amend", "2026-000001", "--reason", "仍需复查", "--follow-up",
                  lang="en")  # fmt: skip
    assert on.exit_code == 0, on.output
    assert on.stdout.splitlines()[1] == t("pending.opened_by_correction", lang="en", id=2,
                                          number="2026-000003")  # fmt: skip
    assert "#2  2026-000001  西关积水待复查" in cli_desk("pending", "list").stdout


def test_the_archive_shows_the_closure_and_verifies(ready, officer):  # noqa: F811
    from dutydesk.services.archive.archive_verify import verify_archives
    from dutydesk.services.archive.export import export_handover, write_archive

    first = write_archive(ready)  # a full snapshot, before the correction
    done = record_correction(ready, "2026-000001", "已电话复查，无需跟进", {"follow_up": False},
                             officer)  # fmt: skip
    tick_all(ready)
    signed = _sign(ready)
    assert signed.carried_pending == 0  # nothing left open to carry
    folder = export_handover(ready, signed.handover.id).path  # a pack with the closure
    assert folder != first
    form = (folder / "值班交接表.md").read_text(encoding="utf-8-sig")
    row = f"因更正 {done.record.number} 取消需跟进而办结：积水待复查"  # "#" escaped in Markdown
    assert f"{row} | 天津规定第十四条第（一）项" in form
    assert "| 已办结 | 已电话复查，无需跟进 |" in form
    report = verify_archives(folder.parent)
    assert report.ok and len(report.archives) == 2
    assert verify_register(ready.path).ok
