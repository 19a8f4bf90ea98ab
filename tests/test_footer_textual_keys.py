"""Textual's own keys that its widgets show in the footer are labelled in the app's language:
an open dropdown's Esc read "Dismiss menu" on the Chinese incident form (new officer, session
16)."""

from __future__ import annotations

from textual.widgets import Select
from textual.widgets._footer import FooterKey

from dutydesk.app import make_app
from dutydesk.services.calls.calls import CallDraft, save_call

SIZE = (120, 36)


def _labels(app) -> list[str]:  # noqa: ANN001
    return [str(key.description) for key in app.screen.query(FooterKey)]


async def _ready(app, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_an_open_dropdown_s_esc_is_labelled_in_chinese(desk, clock, officer):
    draft = CallDraft(caller="刘洋", unit="市政府总值班室", phone="022-23456789",
                      category="incident", summary="人民路燃气管道破裂")  # fmt: skip
    save_call(desk, draft, officer)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("ctrl+o")
        await _ready(app, pilot)
        assert type(app.screen).__name__ == "IncidentForm"
        dropdown = app.screen.query(Select).first()
        dropdown.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert dropdown.expanded
        for _ in range(50):  # the footer recomposes once the open list's keys are known
            if "关闭列表" in _labels(app):
                break
            await pilot.pause(0.02)
        labels = _labels(app)
        assert "关闭列表" in labels and "Dismiss menu" not in labels, " ".join(labels)
