"""One settings object (issue 13): DUTYDESK_DB, DUTYDESK_LANG and DUTYDESK_EXPORT_DIR read once,
the command line over them, passed down; one way into the app for the launcher and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dutydesk.launch
from dutydesk.cli import build_app
from dutydesk.launch import language_in, only_global_options
from dutydesk.paths import configured_export_dir, default_db_path, use_export_dir
from dutydesk.settings import Settings
from tests.test_cli import CALL


@pytest.fixture
def no_export_dir() -> Iterator[None]:
    yield
    use_export_dir(None)  # installed by a run; the next test starts without it


def test_the_settings_read_the_documented_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("DUTYDESK_DB", "~/desk.sqlite3")
    monkeypatch.setenv("DUTYDESK_LANG", "en")
    monkeypatch.setenv("DUTYDESK_EXPORT_DIR", str(tmp_path))
    settings = Settings.from_environment()
    assert settings.db == Path.home() / "desk.sqlite3"
    assert settings.db_path == Path.home() / "desk.sqlite3"
    assert settings.lang == "en"
    assert settings.export_dir == tmp_path


def test_unset_or_empty_variables_leave_the_defaults(monkeypatch):
    monkeypatch.setenv("DUTYDESK_DB", "")
    monkeypatch.delenv("DUTYDESK_LANG", raising=False)
    monkeypatch.delenv("DUTYDESK_EXPORT_DIR", raising=False)
    settings = Settings.from_environment()
    assert (settings.db, settings.lang, settings.export_dir) == (None, "zh", None)
    assert settings.db_path == default_db_path()


def test_the_command_line_overrides_the_environment(tmp_path):
    from_env = Settings(db=tmp_path / "env.sqlite3", lang="en", export_dir=tmp_path)
    given = from_env.overridden(db=str(tmp_path / "option.sqlite3"), lang=None)
    assert (given.db_path, given.lang, given.export_dir) == (
        tmp_path / "option.sqlite3",
        "en",
        tmp_path,
    )
    assert from_env.overridden(lang="zh").lang == "zh"
    assert from_env.overridden().db_path == tmp_path / "env.sqlite3"


def test_language_is_read_from_a_command_line_in_one_place():
    assert language_in(["--lang", "en", "calls", "list"]) == "en"
    assert language_in(["--db", "x", "--lang=zh"]) == "zh"
    assert language_in(["calls", "list"]) is None
    assert only_global_options(["--lang=en", "--db", "x"]) == {"--lang": "en", "--db": "x"}


def test_the_command_line_runs_on_settings_given_in_code(cli_desk, db_path, monkeypatch):
    assert cli_desk("calls", "add", *CALL).exit_code == 0
    monkeypatch.setenv("DUTYDESK_DB", str(db_path.with_name("elsewhere.sqlite3")))
    app = build_app(cli_desk.clock, Settings(db=db_path, lang="en"))
    result = CliRunner().invoke(app, ["calls", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert [c["number"] for c in json.loads(result.stdout)] == ["2026-000001"]


def test_the_export_folder_setting_is_where_archives_go(cli_desk, db_path, tmp_path, no_export_dir):
    folder = tmp_path / "archives"
    folder.mkdir()
    app = build_app(cli_desk.clock, Settings(db=db_path, export_dir=folder))
    result = CliRunner().invoke(app, ["export"])
    assert result.exit_code == 0, result.output
    assert configured_export_dir() == folder
    assert [p.parent for p in folder.iterdir()] == [folder]
    assert not (db_path.parent / "exports").exists()


def test_the_launcher_and_the_command_line_open_the_app_the_same_way(
    bare_desk, monkeypatch, no_export_dir
):
    opened: list[tuple[Path, str]] = []

    def open_app(settings: Settings, clock: object = None) -> int:
        opened.append((settings.db_path, settings.lang))
        return 0

    monkeypatch.setattr(dutydesk.launch, "open_app", open_app)
    monkeypatch.delenv("DUTYDESK_DB", raising=False)
    monkeypatch.setenv("DUTYDESK_LANG", "en")
    dutydesk.launch.main(["--db", str(bare_desk.path)])
    result = CliRunner().invoke(build_app(), ["--db", str(bare_desk.path)])
    assert result.exit_code == 0, result.output
    assert opened == [(bare_desk.path, "en"), (bare_desk.path, "en")]
