"""The documents screen (F8) and its register dialog at 120x36 and 80x24 in Chinese and at
120x36 in English, drawn from one small register: an urgent fax overdue, an ordinary file
passed on, a classified letter (metadata only) and an outgoing document. Update with
`pytest tests/test_documents_snapshots.py --snapshot-update` and look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutydesk.app import make_app
from dutydesk.clock import FrozenClock
from tests.conftest import T0
from tests.support_template import copy_register, make_template

SIZES = [("zh", (120, 36)), ("zh", (80, 24)), ("en", (120, 36))]
DOCUMENTS = [
    ("in", "市应急管理局", "关于做好寒潮大风天气防范应对工作的紧急通知", "fax", "teji", "市应急电〔2026〕31号", False),
    ("in", "市政府办公室", "关于报送2027年元旦春节值班安排的通知", "file", "putong", "市政办〔2026〕112号", False),
    ("in", "市委机要局", "（涉密文件）", "letter", "jiaji", "机要〔2026〕7号", True),
    ("out", "市政府总值班室", "东关街道塌方信息核实情况报告", "file", "jiaji", "区值〔2026〕45号", False),
]  # fmt: skip


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dutydesk.services.core import open_desk
    from dutydesk.services.documents import add_document, route_document
    from dutydesk.services.roster import find_person

    path = make_template(tmp_path_factory.mktemp("documents"))
    clock = FrozenClock(T0)
    desk = open_desk(path, clock)
    officer = find_person(desk, "张伟")
    for direction, party, title, kind, urgency, number, classified in DOCUMENTS:
        clock.advance(minutes=5)
        add_document(desk, officer, direction=direction, party=party, title=title, kind=kind,
                     urgency=urgency, number=number, classified=classified)  # fmt: skip
    route_document(desk, officer, 2, routed_to="综合科刘洋", channel="电话")
    desk.close()
    return path


async def _screen(app, pilot) -> None:
    await pilot.press("f8")


async def _register_dialog(app, pilot) -> None:
    await pilot.press("f8")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.press("ctrl+n")
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()  # under load the dialog was caught mid-mount


SCREENS = {"documents": _screen, "register": _register_dialog}


@pytest.mark.parametrize(("lang", "size"), SIZES, ids=["zh-120x36", "zh-80x24", "en-120x36"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_documents_snapshot(screen, lang, size, register, db_path, snap_compare):
    copy_register(register, db_path)
    clock = FrozenClock(T0)
    clock.advance(minutes=60)  # the fax (特急, 30 minutes) is overdue
    app = make_app(db_path, clock=clock, lang=lang)

    async def ready(pilot) -> None:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await SCREENS[screen](app, pilot)
        await pilot.pause()
        await app.workers.wait_for_complete()
        for field in app.screen.query("Input, TextArea"):
            field.cursor_blink = False  # a blinking cursor is caught on or off at random
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)
