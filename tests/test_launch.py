"""The entry point opens the app directly only for `dutydesk [--db PATH] [--lang L]`."""

import shlex
import subprocess
import sys

from dutydesk.launch import only_global_options


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
