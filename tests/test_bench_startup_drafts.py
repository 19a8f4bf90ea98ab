"""The start-up bench types a probe into the form; the app keeps what a form holds as its crash
draft, so the next launch showed the probe at once and "usable" was taken when the list showed
(session 13). Each launch of the app starts without the forms' drafts."""

from __future__ import annotations

from pathlib import Path

from bench.measure import startup


def test_each_launch_of_the_app_starts_without_the_last_ones_draft(monkeypatch, tmp_path):
    register = tmp_path / "copy.sqlite3"
    register.write_bytes(b"")
    draft = tmp_path / "copy.sqlite3.call.draft.json"
    other = tmp_path / "other.sqlite3.call.draft.json"  # another register's: not touched
    other.write_text("{}")
    seen: list[tuple[str, bool]] = []

    def launch(command: list[str], env: dict[str, str], office: str | None, name: str,
               settle: float) -> startup.Launch:  # fmt: skip
        seen.append((name, draft.exists()))
        if name.startswith("app"):  # the probe typed, kept as the form's draft
            draft.write_text('{"caller": "zq"}')
        return startup.Launch(0.3, 0.3, 0.3, 0.35, None, None)

    monkeypatch.setattr(startup, "_tmux", lambda *args, **kwargs: "")
    monkeypatch.setattr(startup, "compile_checkout", lambda repository: None)
    monkeypatch.setattr(startup, "launch", launch)
    startup.measure(register, "办公室", "2026-11-23T14:01:00+08:00", runs=2)
    apps = [entry for entry in seen if entry[0].startswith("app")]
    assert len(apps) == 3  # the warm-up and two timed
    assert all(not had_draft for _, had_draft in apps)
    assert other.exists()


def test_forget_drafts_removes_the_forms_drafts_of_that_register_only(tmp_path):
    register = tmp_path / "a[1].sqlite3"  # a glob character in the name is taken literally
    kept = tmp_path / "a1.sqlite3.call.draft.json"
    draft = Path(f"{register}.call.draft.json")
    # calls saved with Ctrl+S and not yet written (breaker, session 13): not a draft
    pending = Path(f"{register}.call-pending-ab12.draft.json")
    folder = Path(f"{register}.odd.draft.json")  # a folder by that name: passed over
    for path in (draft, kept, pending):
        path.write_text("{}")
    folder.mkdir()
    assert startup.forget_drafts(register) == [draft]
    assert not draft.exists() and kept.exists() and pending.exists() and folder.is_dir()
