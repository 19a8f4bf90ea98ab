"""An export while another terminal saves calls: the forms are rendered from the rows the
snapshot or pack ends at, so the archive verifies (breaker, session 15: with a call saved every
few seconds the forms held newer calls than the archive's rows, and `verify` reported them
changed, a false tamper alarm the city's ingest refused)."""

from __future__ import annotations

import pytest

from dutydesk.services.archive import export as export_module
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import write_archive
from dutydesk.services.calls.calls import CallDraft, save_call
from dutydesk.services.core.desk import open_desk
from tests.support_reliability import fill


@pytest.mark.parametrize("full", [True, False], ids=["snapshot", "pack"])
def test_calls_saved_while_the_forms_are_rendered_do_not_spoil_the_archive(
    desk, officer, clock, monkeypatch, full
):
    fill(desk, officer)
    first = write_archive(desk, full=True)  # a pack continues an archive
    other = open_desk(desk.path, clock)  # another terminal
    render_all = export_module._render_all
    saved: list[str] = []

    def rendered_while_saving(view, plan):  # noqa: ANN001, ANN202
        draft = CallDraft(caller="王强", unit="交警支队", phone="022-23456789",
                          summary=f"另一终端登记的来电 {len(saved) + 1}", follow_up=True)  # fmt: skip
        saved.append(save_call(other, draft, officer).number)
        return render_all(view, plan)

    monkeypatch.setattr(export_module, "_render_all", rendered_while_saving)
    make_plan = export_module.make_plan

    def planned_while_saving(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        plan = make_plan(*args, **kwargs)  # the on-demand checklist counts calls to follow up
        draft = CallDraft(caller="李明", unit="城关镇", phone="0371-66123456",
                          summary="另一终端：需跟进", follow_up=True)  # fmt: skip
        saved.append(save_call(other, draft, officer).number)
        return plan

    monkeypatch.setattr(export_module, "make_plan", planned_while_saving)
    try:
        archive = write_archive(desk, full=full)
    finally:
        other.close()
    assert saved, "the other terminal saved while the forms were rendered"
    report = verify_archives(first.parent)
    assert report.ok, [problem.message() for problem in report.problems]
    assert archive.parent == first.parent
