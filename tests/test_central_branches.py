"""Issue 20: with a conflict held, `central status --db R` marks which branch the desk's own
register holds (its link at the branch's head, and its record of exporting that manifest), and
`dutydesk verify --db R --central URL` names it: the genuine register holds the genuine branch,
the copy that wrote the other branch holds that one."""

from __future__ import annotations

import json

from dutydesk.services.central import desk_status, ingest_paths
from tests.test_central import server, url  # noqa: F401  (fixtures)
from tests.test_central_forks import _cli, _sha, fork  # noqa: F401  (fixture)


def _branches(url: str, register) -> dict[str, dict]:  # noqa: ANN001, F811
    (desk,) = desk_status(url, register)
    (conflict,) = desk.conflicts
    return {b["manifest_sha"]: b for b in conflict.branches}


def test_status_says_which_branch_each_register_holds(url, fork, tmp_path):  # noqa: F811
    ingest_paths(url, [fork["first"], fork["copy"], fork["genuine"]], tmp_path / "work")
    genuine, copy = _sha(fork["genuine"]), _sha(fork["copy"])
    seen = _branches(url, fork["register"])
    assert (seen[genuine]["register"], seen[genuine]["exported"]) == ("holds", True)
    assert (seen[copy]["register"], seen[copy]["exported"]) == ("differs", False)
    seen = _branches(url, fork["register"].with_name("copy.sqlite3"))
    assert (seen[copy]["register"], seen[copy]["exported"]) == ("holds", True)
    assert seen[genuine]["register"] == "differs"
    (plain,) = desk_status(url)  # without a register, nothing is said of it
    assert all("register" not in b for b in plain.conflicts[0].branches)

    shown = _cli("--lang", "en", "central", "status", "--url", url, "--db", str(fork["register"]))
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    held = [i for i, line in enumerate(lines) if "this register holds this branch" in line]
    assert len(held) == 1 and fork["genuine"].name in lines[held[0] - 1]
    as_json = json.loads(_cli("central", "status", "--url", url, "--db", str(fork["register"]),
                              "--json").output)  # fmt: skip
    branches = as_json[0]["conflicts"][0]["branches"]
    assert sorted(b["register"] for b in branches) == ["differs", "holds"]


def test_verify_central_names_the_branch_the_register_holds(url, fork, tmp_path):  # noqa: F811
    ingest_paths(url, [fork["first"], fork["genuine"], fork["copy"]], tmp_path / "work")
    verified = _cli("--lang", "en", "verify", "--db", str(fork["register"]), "--central", url)
    assert verified.exit_code == 1
    assert f"This register holds the branch {fork['genuine'].name}" in verified.output
    copy = fork["register"].with_name("copy.sqlite3")
    verified = _cli("--lang", "en", "verify", "--db", str(copy), "--central", url)
    assert f"This register holds the branch {fork['copy'].name}" in verified.output
