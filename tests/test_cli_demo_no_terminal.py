"""`dutydesk demo` without a terminal (piped, or from a script) does not open the app, which
would run unseen reading no key (breaker, session 17: `dutydesk demo | tail` ran on for minutes at
~70 % of a core); it says how to open it."""

from __future__ import annotations

import dutydesk.cli.demo as demo_command


def test_demo_without_a_terminal_makes_the_register_and_does_not_open_the_app(
    cli, tmp_path, monkeypatch
):
    opened: list[object] = []
    monkeypatch.setattr(demo_command, "run_tui", lambda *args: opened.append(args))
    path = tmp_path / "demo.sqlite3"
    result = cli("demo", db=path)
    assert result.exit_code == 0, result.stdout
    assert path.exists() and opened == []
    assert "未打开界面" in result.stdout and str(path) in result.stdout
    english = cli("demo", db=path, lang="en")
    assert "the app was not opened" in english.stdout and opened == []
