"""Progress of long work (issue 19): the services report (done, total) to a callback; the
command line shows a bar only on a terminal and never with --json or when piped."""

from __future__ import annotations

import pytest

from dutydesk.cli import progress as progress_module
from dutydesk.services.archive.export import write_archive
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.core.search_index import rebuild_search_indexes
from tests.support_reliability import fill


@pytest.fixture
def filled(desk, officer):
    fill(desk, officer)
    return desk


def test_verify_reports_its_links_to_the_end(filled, monkeypatch):
    monkeypatch.setattr("dutydesk.services.archive.verify_pass.PROGRESS_EVERY", 5)
    seen: list[tuple[int, int]] = []
    report = verify_register(filled.path, progress=lambda done, total: seen.append((done, total)))
    assert report.ok and len(seen) >= 3 and seen[0] == (0, report.links)
    assert seen[-1] == (report.links, report.links)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_reindex_and_a_full_export_report_their_steps(filled):
    steps: list[tuple[int, int]] = []
    rebuild_search_indexes(filled, lambda done, total: steps.append((done, total)))
    assert steps == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    pages: list[tuple[int, int]] = []
    write_archive(filled, full=True, progress=lambda done, total: pages.append((done, total)))
    assert pages and pages[-1][0] == pages[-1][1] > 0


def test_the_bar_is_shown_only_on_a_terminal_and_never_when_quiet(monkeypatch):
    monkeypatch.setattr(progress_module, "_terminal", lambda: False)
    with progress_module.progress_bar("x") as update:
        assert update is None
    monkeypatch.setattr(progress_module, "_terminal", lambda: True)
    with progress_module.progress_bar("x", quiet=True) as update:
        assert update is None
    with progress_module.progress_bar("x") as update:
        assert update is not None
        update(5, 10)


def test_piped_verify_prints_no_bar(cli_desk):
    result = cli_desk("verify")
    assert result.exit_code == 0
    assert "━" not in result.output and "\r" not in result.output
