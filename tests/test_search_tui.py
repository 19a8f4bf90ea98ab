"""The search across registers (F9, and the palette) driven from the keyboard: hits from calls,
documents and the phone list as the user types, each naming its register; Enter opens the
record; markup typed or stored is shown literally."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.documents import ContactInput, add_contact, add_document, route_document

SIZE = (120, 36)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _search(app, pilot, text: str) -> DataTable:
    field = app.screen.query_one("#lookup-input", Input)
    field.value = ""
    await pilot.press(*text)
    await _ready(app, pilot)
    return app.screen.query_one("#lookup-table", DataTable)


def _rows(table: DataTable) -> list[tuple[str, str]]:
    return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[2]))
            for i in range(table.row_count)]  # fmt: skip


def _registers(desk, officer) -> None:
    save_call(desk, CallDraft(caller="王强", unit="柳林镇", phone="13800138000",
                              summary="寒潮致水管冻裂"), officer)  # fmt: skip
    document = add_document(desk, officer, direction="in", party="市政府办公室", kind="file",
                            title="关于做好寒潮防范工作的紧急通知", urgency="putong",
                            number="市政办电〔2026〕88号")  # fmt: skip
    route_document(desk, officer, document.id, routed_to="综合科 刘洋", channel="电话")
    add_contact(desk, officer, ContactInput("unit", "[b]寒潮[/b]指挥部", phone="022-23456789"))


async def test_f9_lists_hits_of_every_register_and_enter_opens_each(desk, officer, clock):
    _registers(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("f9")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "LookupDialog"
        table = await _search(app, pilot, "寒潮")
        rows = _rows(table)
        assert rows[0] == (t("lookup.register_calls"), "王强 柳林镇 13800138000")
        # a title longer than its column ends in "…"
        register, title = rows[1]
        assert register == t("lookup.register_documents") and title.endswith("…")
        assert "市政办电〔2026〕88号 关于做好寒潮防范工作的紧急通知".startswith(title[:-1].rstrip())
        assert rows[2] == (t("lookup.register_contacts"), "[b]寒潮[/b]指挥部")  # literally
        assert len(rows) == 3
        await pilot.press("enter")  # the first row: the call's detail
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "CallDetailScreen"
        await pilot.press("escape")
        await pilot.press("down", "down")  # into the list, to the document
        await pilot.press("enter")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "RecordDialog"
        shown = str(app.screen.query_one("#record-text", Static).render())
        assert "综合科 刘洋" in shown and "市政府办公室" in shown
        await pilot.press("escape")
        await pilot.press("down", "enter")
        await _ready(app, pilot)
        shown = str(app.screen.query_one("#record-text", Static).render())
        assert "[b]寒潮[/b]指挥部" in shown and "022-23456789" in shown
        await pilot.press("escape", "escape")
        assert type(app.screen).__name__ == "CallsScreen"


async def test_terms_narrow_and_nothing_found_is_said(desk, officer, clock):
    _registers(desk, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert t("lookup.nav") in titles  # also in the command palette
        await app.run_action("search_all")
        await _ready(app, pilot)
        table = await _search(app, pilot, "0222345")
        assert _rows(table) == [(t("lookup.register_contacts"), "[b]寒潮[/b]指挥部")]
        table = await _search(app, pilot, "台风")
        assert table.row_count == 0
        status = str(app.screen.query_one("#lookup-status", Static).render())
        assert status == t("lookup.none", query="台风")
