"""The documents screen (F8) driven from the keyboard: register a document, pass it on (交办),
follow it up (督办) and close it (办结); the filter; the board showing an open document beside the
report deadlines and saying that Ctrl+A does not apply to it."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable, Input, Static

from dutydesk.app import make_app
from dutydesk.i18n import t
from dutydesk.services.documents import add_document, get_document, list_documents

SIZE = (120, 36)


def _send_at_once(app, keys: list[str]) -> None:
    """Queue every key on the app in one go, as a fast typist's terminal delivers them."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def _ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    await pilot.press(*[char if char != " " else "space" for char in text])


async def _documents(app, pilot) -> DataTable:
    await _ready(app, pilot)
    await pilot.press("f8")
    await _ready(app, pilot)
    assert type(app.screen).__name__ == "DocumentsScreen"
    return app.screen.query_one("#documents-table", DataTable)


def _status(app) -> str:
    return str(app.screen.query_one("#documents-status", Static).render())


async def _save(app, pilot, dialog: str) -> None:
    assert type(app.screen).__name__ == dialog
    await pilot.press("ctrl+s")
    await _ready(app, pilot)


async def test_register_route_follow_and_close_from_the_keyboard(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _documents(app, pilot)
        assert table.row_count == 0
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert t("documents_screen.nav") in titles  # also in the command palette
        await pilot.press("ctrl+n")
        await pilot.pause()
        await _type(pilot, "关于做好寒潮防范工作的紧急通知")
        await pilot.press("tab")
        await _type(pilot, "市政府办公室")
        app.screen.query_one("#doc-number", Input).value = "市政办电〔2026〕88号"  # no such keys
        await _save(app, pilot, "RegisterDocumentDialog")
        assert type(app.screen).__name__ == "DocumentsScreen"
        assert _status(app) == t("document.saved", id=1)
        await _ready(app, pilot)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[1]) == t("document_state.waiting")

        await pilot.press("ctrl+t")
        await pilot.pause()
        await _type(pilot, "综合科刘洋")
        await _save(app, pilot, "RouteDocumentDialog")
        assert _status(app) == t("document.routed", id=1)
        await pilot.press("ctrl+u")
        await pilot.pause()
        await _type(pilot, "综合科已签收")
        await pilot.press("enter", "enter")  # Enter to the next field, then saves from the last
        await _ready(app, pilot)
        assert _status(app) == t("document.followed", id=1)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await _save(app, pilot, "CloseDocumentDialog")
        assert _status(app) == t("document.closed_ok", id=1)
        await _ready(app, pilot)
        assert table.row_count == 0  # the screen shows open documents first

    view = get_document(desk, 1)
    assert view.document.party == "市政府办公室" and view.document.number == "市政办电〔2026〕88号"
    assert [r.routed_to for r in view.routings] == ["综合科刘洋"]
    assert view.routings[0].channel == "电话"
    assert [f.text for f in view.followups] == ["综合科已签收"]
    assert view.closure is not None


async def test_a_refused_register_says_why_in_the_dialog_and_writes_nothing(desk, clock):
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _documents(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await _type(pilot, "标题")
        await _save(app, pilot, "RegisterDocumentDialog")
        assert type(app.screen).__name__ == "RegisterDocumentDialog"
        said = str(app.screen.query_one(".dialog-status", Static).render())
        assert t("field.document_party") in said
        await pilot.press("escape")
        await pilot.pause()
    assert list_documents(desk) == []


async def test_the_filter_cycles_and_the_board_shows_documents(desk, officer, clock):
    urgent = add_document(desk, officer, direction="in", party="市应急局", title="紧急通知",
                          kind="fax", urgency="teji")  # fmt: skip
    add_document(desk, officer, direction="out", party="市政府总值班室", title="值班表",
                 kind="file", urgency="putong")  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _documents(app, pilot)
        assert table.row_count == 2  # open
        await pilot.press("ctrl+f")
        await _ready(app, pilot)
        assert app.screen.which == "urgent" and table.row_count == 1
        await pilot.press("ctrl+f")
        await _ready(app, pilot)
        assert app.screen.which == "overdue" and table.row_count == 0
        await pilot.press("f3")
        await _ready(app, pilot)
        board = app.screen
        assert f"document:{urgent.id}" in board.views
        board.query_one("#board").focus()
        key = next(iter(board.views))
        assert key == f"document:{urgent.id}"
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert type(app.screen).__name__ == "DeadlinesScreen"  # no dialog: it does not apply
        said = str(board.query_one("#board-status", Static).render())
        assert "F8" in said


async def test_a_title_typed_with_markup_is_shown_as_typed_in_the_dialogs(desk, officer, clock):
    """QA: a [link=…] title crashed the 交办 dialog, a [@click=…] one was taken as an action."""
    title = "[bold red]红[/] [link=http://evil]点[/link] [@click=app.quit]退出"
    add_document(desk, officer, direction="in", party="市办", title=title, kind="fax",
                 urgency="putong")  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _documents(app, pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert type(app.screen).__name__ == "RouteDocumentDialog"
        box = app.screen.query_one("VerticalScroll")
        shown = box.border_title
        assert shown is not None
        from rich.text import Text

        assert "[bold red]红[/] [link=ht" in Text.from_markup(str(shown)).plain


async def test_the_cursor_stays_on_the_document_just_passed_on(desk, officer, clock):
    """QA: after a save the cursor went back to the top row, so the next Ctrl+U followed up
    another document (newest first: the urgent fax sat under two later ones)."""
    urgent = add_document(desk, officer, direction="in", party="市应急局", title="紧急通知",
                          kind="fax", urgency="teji")  # fmt: skip
    for title in ("第二件", "第三件"):
        add_document(desk, officer, direction="in", party="市办", title=title, kind="file",
                     urgency="putong")  # fmt: skip
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _documents(app, pilot)
        row = [view.id for view in app.screen.views].index(urgent.id)
        table.move_cursor(row=row)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await _type(pilot, "综合科刘洋")
        await _save(app, pilot, "RouteDocumentDialog")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.selected() is not None and app.screen.selected().id == urgent.id


async def test_text_typed_fast_after_tab_lands_in_the_next_field(desk, clock):
    """Keys pressed in one burst: the Tab moves the focus before the next letter is taken."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _documents(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "RegisterDocumentDialog"
        keys = ["a", "b", "tab", "c", "d", "tab", "e", "f", "shift+tab"]
        _send_at_once(app, keys)  # no pause between them: Pilot.press waits after each key
        await pilot.pause()
        await pilot.pause()
        values = {name: app.screen.query_one(f"#doc-{name}", Input).value
                  for name in ("title", "party", "number")}  # fmt: skip
        focused = app.focused.id if app.focused else None
    assert values == {"title": "ab", "party": "cd", "number": "ef"}
    assert focused == "doc-party"


async def test_documents_added_on_the_command_line_show_without_a_key(desk, officer, clock):
    """QA #12: the F8 list stayed as first read when another terminal or the CLI registered
    a document; it is read again when a document's record is written."""
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        table = await _documents(app, pilot)
        assert table.row_count == 0
        add_document(desk, officer, direction="in", party="市政府办公室", title="关于寒潮防范的通知",
                     kind="fax", urgency="teji")  # fmt: skip
        for _ in range(20):  # the app looks for commits four times a second
            await pilot.pause(0.1)
            await _ready(app, pilot)
            if table.row_count:
                break
        assert table.row_count == 1
