"""Breaker, session 10: paths no file can have, typed on the command line, printed a
traceback (OSError: File name too long; RuntimeError: Could not determine home directory)."""

from __future__ import annotations

import pytest

from dutydesk.cli import main


@pytest.mark.parametrize(
    "args",
    [
        ["--db", "/tmp/" + "y" * 300, "calls", "list"],
        ["--db", "~no-such-user-dutydesk/d.sqlite3", "calls", "list"],
    ],
)
def test_a_path_no_file_can_have_is_one_line_and_exit_1(args, capsys):
    with pytest.raises(SystemExit) as ended:
        main(["--lang", "zh", *args])
    assert ended.value.code == 1
    err = capsys.readouterr().err
    assert "路径无法使用" in err and "Traceback" not in err


def test_other_errors_are_not_taken_for_a_bad_path():
    from dutydesk.cli.main import unusable_path

    assert not unusable_path(ValueError("invalid literal for int()"))
    assert not unusable_path(OSError(28, "No space left on device"))


def test_a_summary_with_line_breaks_stays_on_its_records_line(desk, clock, officer, capsys):
    """Breaker, session 10: a summary holding a line break and a made-up record line printed
    that line in `calls list` as if it were a record of its own."""
    from dutydesk.services.calls.calls import CallDraft, save_call

    fake = "2026-000099  2026-12-02 09:00  来电  伪造人  市政府  13900000000  已上报省厅"
    save_call(desk, CallDraft(caller="李红", unit="城关镇", phone="0371-66000000",
                              summary=f"正常内容\n{fake}"), officer)  # fmt: skip
    with pytest.raises(SystemExit):
        main(["--db", str(desk.path), "--lang", "zh", "calls", "list"], clock)
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1 and "正常内容" in out


@pytest.mark.parametrize("args", [["--db=", "calls", "list"], ["--db", " ", "calls", "list"],
                                  ["--db="]])  # fmt: skip
def test_an_empty_db_option_asks_for_a_path(args, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing is created here either
    with pytest.raises(SystemExit) as ended:
        main(["--lang", "zh", *args])
    assert ended.value.code == 2
    assert (
        capsys.readouterr().err.strip() == "--db 后面须写登记簿文件的路径，例如 --db 值班.sqlite3"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("lang", "said"), [("zh", "DUTYDESK_DB 只有空格"),
                                            ("en", "DUTYDESK_DB holds only spaces")])  # fmt: skip
def test_a_blank_db_variable_is_refused_like_the_option(lang, said, capsys, tmp_path,
                                                        monkeypatch):  # fmt: skip
    """QA, session 11: DUTYDESK_DB=" " opened (and created) a register named " " here."""
    from dutydesk.settings import Settings

    monkeypatch.chdir(tmp_path)
    settings = Settings.from_environment({"DUTYDESK_DB": "  "})
    with pytest.raises(SystemExit) as ended:
        main(["--lang", lang, "calls", "list"], settings=settings)
    assert ended.value.code == 2
    assert said in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_db_option_still_wins_over_a_blank_variable(tmp_path, monkeypatch, capsys):
    from dutydesk.settings import Settings

    monkeypatch.chdir(tmp_path)
    settings = Settings.from_environment({"DUTYDESK_DB": " "})
    with pytest.raises(SystemExit) as ended:
        main(["--lang", "en", "--db", str(tmp_path / "r.sqlite3"), "--version"],
             settings=settings)  # fmt: skip
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith("dutydesk ")


def test_the_app_start_refuses_a_blank_db_variable(tmp_path, monkeypatch, capsys):
    """`dutydesk` alone takes the app's fast start path (dutydesk.launch), which reads the
    environment itself: a blank DUTYDESK_DB is refused there too, before any file is made."""
    from dutydesk import launch

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DUTYDESK_DB", " ")
    monkeypatch.setenv("DUTYDESK_LANG", "en")
    with pytest.raises(SystemExit) as ended:
        launch._main([], None)
    assert ended.value.code == 2
    assert "DUTYDESK_DB holds only spaces" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
