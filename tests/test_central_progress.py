"""Issue 19 for `central ingest`: the ingest reports (done, total) in archives, each archive
given counted once whether stored, held or refused; with --jobs as each desk's process ends,
the outcomes still in the desks' order. The command shows the bar only without --json."""

from __future__ import annotations

import json
from contextlib import contextmanager

from dutydesk.services.central import ingest_paths
from tests.test_central import desks, server, url  # noqa: F401  (fixtures)


def _given(desks, tmp_path):  # noqa: F811
    """Every desk's archives, newest first, and a folder whose manifest is not one (refused)."""
    broken = tmp_path / "broken"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    return [broken, *(a for d in desks.values() for a in reversed(d["archives"]))]


def test_ingest_in_turn_reports_each_archive_to_the_total(url, desks, tmp_path):  # noqa: F811
    seen: list[tuple[int, int]] = []
    given = _given(desks, tmp_path)
    outcomes = ingest_paths(url, given, tmp_path / "work", progress=lambda *p: seen.append(p))
    assert seen == [(done, 10) for done in range(11)]
    assert len(outcomes) == 10 and [o.status for o in outcomes].count("refused") == 1


def test_ingest_with_jobs_reports_each_desk_as_it_ends(server, desks, tmp_path):  # noqa: F811
    from tests.test_central import accept_unenrolled, init_central

    results = []
    for jobs in (1, 3):
        target = server.create_database(f"central_progress_{jobs}_{tmp_path.name[-8:]}")
        init_central(target)
        accept_unenrolled(target)
        seen: list[tuple[int, int]] = []
        given, work = _given(desks, tmp_path / str(jobs)), tmp_path / f"work{jobs}"
        outcomes = ingest_paths(target, given, work, jobs=jobs,
                                progress=lambda *p, seen=seen: seen.append(p))  # fmt: skip
        results.append((seen, [(o.archive, o.office, o.number, o.status) for o in outcomes]))
    (_, in_turn), (seen, at_once) = results
    assert at_once == in_turn  # the same outcomes in the same order
    assert seen[0] == (0, 10) and seen[-1] == (10, 10) and all(t == 10 for _, t in seen)
    steps = sorted(b - a for (a, _), (b, _) in zip(seen, seen[1:], strict=False))
    assert steps == [1, 3, 3, 3]  # the refused folder alone, then each desk's three archives


def test_the_command_shows_the_bar_but_not_with_json(url, desks, tmp_path, monkeypatch):  # noqa: F811
    from dutydesk.cli import central as central_cli
    from dutydesk.i18n import t
    from tests.test_central import _cli

    shown: list[tuple[str, bool, list[tuple[int, int]]]] = []

    @contextmanager
    def bar(label: str, *, quiet: bool = False):  # noqa: ANN202
        updates: list[tuple[int, int]] = []
        shown.append((label, quiet, updates))
        yield None if quiet else (lambda done, total: updates.append((done, total)))

    monkeypatch.setattr(central_cli, "progress_bar", bar)
    folders = [str(d["archives"][0]) for d in desks.values()]
    plain = _cli("central", "ingest", *folders, "--url", url, "--work", str(tmp_path))
    assert plain.exit_code == 0, plain.output
    as_json = _cli("central", "ingest", *folders, "--url", url, "--work", str(tmp_path), "--json")
    assert as_json.exit_code == 0 and len(json.loads(as_json.output)) == 3
    (label, quiet, updates), (_, quiet_json, none) = shown
    assert label == t("progress.ingest") and not quiet and updates[-1] == (3, 3)
    assert quiet_json and none == []
