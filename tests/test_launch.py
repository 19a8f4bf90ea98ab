"""The entry point opens the app directly only for `dutydesk [--db PATH] [--lang L]`."""

import shlex
import subprocess
import sys

from dutydesk.launch import ctrl_s_reaches_the_app, only_global_options


def test_only_global_options_are_recognised():
    assert only_global_options([]) == {}
    assert only_global_options(["--db", "a.sqlite3"]) == {"--db": "a.sqlite3"}
    assert only_global_options(["--db=a.sqlite3", "--lang", "en"]) == {
        "--db": "a.sqlite3",
        "--lang": "en",
    }
    assert only_global_options(["--db"]) is None  # missing value: the CLI reports it
    assert only_global_options(["calls", "list"]) is None
    assert only_global_options(["--db", "a", "init"]) is None
    assert only_global_options(["--version"]) is None


def test_opening_an_uninitialised_register_names_init_without_the_cli(tmp_path):
    probe = (
        "import sys; sys.argv=['dutydesk','--db',sys.argv[1],'--lang','en']\n"
        "from dutydesk.launch import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n"
        "    print('exit', stop.code, 'typer' in sys.modules, 'sqlmodel' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "none.sqlite3")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    said = result.stderr  # the command to run names this register and its first administrator
    command = said[said.index("dutydesk --db") :].split()
    assert shlex.split(" ".join(command))[2] == str(tmp_path / "none.sqlite3")
    assert command[3:] == ["init", "--office", "NAME", "--profile", "tianjin", "--admin",
                           "ADMINISTRATOR"]  # fmt: skip
    assert result.stdout.split() == ["exit", "1", "False", "False"]


def test_ctrl_s_typed_at_launch_reaches_the_app_not_the_terminals_flow_control():
    """Ctrl+S typed before Textual's raw mode was swallowed as XOFF (session 9 QA): from the
    launch on it is a key, and the terminal's own setting is back afterwards."""
    import os
    import termios

    from dutydesk.launch import ctrl_s_reaches_the_app

    leader, follower = os.openpty()
    try:
        with os.fdopen(os.dup(follower), "r") as terminal:
            before = termios.tcgetattr(follower)
            assert before[0] & termios.IXON  # a terminal's default: Ctrl+S is XOFF
            os.write(leader, b"\x13y\n\x11")  # without: the terminal swallows it (and XON)
            assert os.read(follower, 100) == b"y\n"
            with ctrl_s_reaches_the_app(terminal):
                os.write(leader, b"\x13x\n")  # Ctrl+S, a key, Enter
                assert os.read(follower, 100) == b"\x13x\n"
            assert termios.tcgetattr(follower) == before
    finally:
        os.close(leader)
        os.close(follower)


def test_a_launch_without_a_terminal_leaves_flow_control_alone(tmp_path):
    from dutydesk.launch import ctrl_s_reaches_the_app

    with open(tmp_path / "not-a-terminal", "w+") as plain, ctrl_s_reaches_the_app(plain):
        plain.write("still usable")
    assert (tmp_path / "not-a-terminal").read_text() == "still usable"


def test_ctrl_c_before_the_app_has_the_terminal_ends_quietly(monkeypatch, capsys):
    """QA session 10: Ctrl+C in the first half second (Textual still importing) printed a
    KeyboardInterrupt traceback. The launch ends with the shell's 130 and no traceback."""
    import pytest

    from dutydesk import launch

    def interrupted(args, clock):  # noqa: ANN001, ANN202 - what Python's SIGINT handler raises
        raise KeyboardInterrupt

    monkeypatch.setattr(launch, "_main", interrupted)
    with pytest.raises(SystemExit) as ended:
        launch.main([])
    assert ended.value.code == 130
    assert "Traceback" not in capsys.readouterr().err


def test_a_command_in_the_background_leaves_the_terminal_alone(monkeypatch):
    """Review, session 11: `dutydesk verify &` set the terminal from the background, and the
    system stopped it (SIGTTOU) until brought to the foreground."""
    import os
    import termios

    from dutydesk import launch

    leader, follower = os.openpty()
    try:
        monkeypatch.setattr(launch.os, "tcgetpgrp", lambda fd: os.getpgrp() + 1)
        with os.fdopen(os.dup(follower), "r") as terminal:
            before = termios.tcgetattr(follower)
            with launch.ctrl_s_reaches_the_app(terminal):
                assert termios.tcgetattr(follower) == before  # untouched
    finally:
        os.close(leader)
        os.close(follower)


def test_a_program_started_with_its_input_closed_runs_its_command():
    """`dutydesk ... <&-` leaves sys.stdin None: every command stopped with an AttributeError
    before doing anything (breaker, session 19)."""
    ran = []
    with ctrl_s_reaches_the_app(None):  # type: ignore[arg-type]  # what sys.stdin is then
        ran.append(True)
    assert ran == [True]


EXIT_PROBE = """
import gc, os, sys

class Cycle:
    def __del__(self):
        os.write(1, b"collected at exit\\n")

gc.disable()  # as the launch has it until the heap is settled: only the exit collects
cycle = Cycle()
cycle.me = cycle
del cycle  # garbage the collector alone would find
if sys.argv[1] == "app":
    from dutydesk.runtime import end_without_collecting

    end_without_collecting()
"""


def test_the_process_ends_without_walking_its_heap_again():
    """Ctrl+Q: the interpreter's own end collected the app's whole heap several times after
    the terminal was given back (~0.7 s of 0.85 before the shell's prompt came back): the
    launch freezes it at exit instead. The probe's cycle stands for that heap: found by an
    exit's collection in a plain interpreter, left alone (with the process) in the app's."""

    def run(kind: str) -> str:
        result = subprocess.run([sys.executable, "-c", EXIT_PROBE, kind],
                                capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
        return result.stdout

    assert run("plain") == "collected at exit\n"  # the probe sees an exit's collection
    assert run("app") == ""
