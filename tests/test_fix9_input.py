"""Session 9's input fixes: full-width phone and search input, export file names and modes,
the central driver's message, report dates with four-digit years."""

from __future__ import annotations

import json
import sys

import pytest

from dutydesk.errors import DutyError
from tests.test_central import server, url  # noqa: F401  (fixtures)


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


def test_report_dates_keep_four_digit_years(cli, url):  # noqa: F811
    result = cli("central", "report", "--from", "0001-01-01", "--to", "0999-12-31",
                 "--url", url, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert (figures["from"], figures["to"]) == ("0001-01-01", "0999-12-31")
    shown = cli("central", "report", "--from", "0001-01-01", "--to", "0001-01-01", "--url", url)
    assert "0001-01-01" in shown.stdout


def test_a_report_period_out_of_order_is_a_usage_error(cli):
    result = cli("central", "report", "--from", "2026-02-01", "--to", "2026-01-01",
                 "--url", "postgresql://nobody@localhost:1/none")  # fmt: skip
    assert result.exit_code == 2
    assert "2026-02-01" in result.stderr
