"""Session 9's input fixes: full-width phone and search input, export file names and modes,
the central driver's message, report dates with four-digit years."""

from __future__ import annotations

import sys

import pytest

from dutydesk.errors import DutyError


def test_central_without_psycopg_names_the_extra_and_exits_2(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` raises ImportError
    result = cli("central", "status", "--url", "postgresql://nobody@localhost:1/none")
    assert result.exit_code == 2
    assert "pip install '.[central]'" in result.stderr
    assert "Traceback" not in result.output


def test_connect_without_psycopg_is_a_plain_refusal(monkeypatch):
    from dutydesk.services.central.connection import connect

    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(DutyError) as refused:
        connect("postgresql://nobody@localhost:1/none")
    assert refused.value.key == "fix9_fixinput.central_no_driver"
    assert refused.value.exit_code == 2
