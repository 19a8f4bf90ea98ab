"""The handover screen's documents and phone-list items, driven with keys (issue 18 fixes)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from dutydesk.app import make_app
from dutydesk.services.documents import add_document
from dutydesk.services.handover import build_checklist

SIZE = (120, 36)


async def _on_handover(app, pilot, key: str) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    assert type(app.screen).__name__ == "HandoverScreen"
    table = app.screen.query_one("#handover-table", DataTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


async def test_the_outgoing_officers_d_does_not_acknowledge_an_open_document(desk, clock, officer):
    document = add_document(desk, officer, direction="in", party="市政府办公室",
                            title="关于做好节日值班的通知", kind="file", urgency="putong")  # fmt: skip
    key = f"document:{document.id}"
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_handover(app, pilot, key)
        await pilot.press("d")  # the outgoing officer's "done"
        await pilot.pause()
        status = str(app.screen.query_one("#handover-status", Static).render())
        assert "接班人" in status
        assert build_checklist(desk).item(key).state == "open"
        await pilot.press("a")  # the incoming officer's acknowledgement
        await pilot.pause()
    item = build_checklist(desk).item(key)
    assert item.state == "acknowledged" and item.role == "incoming"


async def test_enter_or_p_on_the_phone_list_item_opens_the_phone_list(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_handover(app, pilot, "desk:phone_list")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactsScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactsScreen"


async def test_the_phone_list_is_exported_beside_the_register(
    desk, clock, officer, monkeypatch, tmp_path
):
    from dutydesk.services.documents import ContactInput, add_contact

    add_contact(desk, officer, ContactInput("unit", "城关镇政府值班室", phone="0371-6688001"))
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the app started from another folder
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _on_handover(app, pilot, "desk:phone_list")
        await pilot.press("p", "ctrl+x")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    written = list(desk.path.parent.glob("*.xlsx"))
    assert [p.name for p in written] == ["常用电话号码表.xlsx"] and not list(elsewhere.iterdir())
