"""Session 9's input fixes: full-width phone and search input, export file names and modes,
the central driver's message, report dates with four-digit years."""

from __future__ import annotations

import json
import stat
import sys

import pytest

from dutydesk.errors import DutyError
from tests.test_central import server, url  # noqa: F401  (fixtures)
from tests.test_roster_cli import PLANNER, roster_cli  # noqa: F401  (fixtures)


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


@pytest.mark.parametrize("name", ["x.csv", "x", "x.xlsx.txt"])
def test_contacts_export_refuses_a_name_that_is_not_xlsx(cli_desk, tmp_path, name):
    out = tmp_path / name
    result = cli_desk("contacts", "export", "--out", str(out))
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_contacts_export_into_a_missing_folder_is_a_plain_message(cli_desk, tmp_path, lang):
    out = tmp_path / "no" / "such" / "x.xlsx"
    result = cli_desk("contacts", "export", "--out", str(out), lang=lang)
    assert result.exit_code == 2
    assert str(out) in result.stderr
    assert "Traceback" not in result.output
    assert not out.parent.exists()


def test_exported_contact_lists_and_rosters_are_private(roster_cli, tmp_path):  # noqa: F811
    cli, _names = roster_cli
    contacts = tmp_path / "contacts.xlsx"
    assert cli("contacts", "export", "--out", str(contacts)).exit_code == 0
    assert stat.S_IMODE(contacts.stat().st_mode) == 0o600
    assert cli("roster", "generate", "--month", "2026-12", "--by", PLANNER).exit_code == 0
    folder = tmp_path / "rosters"
    folder.mkdir()
    assert cli("roster", "export", "--month", "2026-12", "--out", str(folder)).exit_code == 0
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()}
    assert modes == {"roster-1.xlsx": 0o600, "roster-1.docx": 0o600}


def _full_width_call(desk, officer):  # noqa: ANN001, ANN202
    from dutydesk.services.calls.calls import CallDraft, save_call

    draft = CallDraft(caller="李明（值班）", unit="城关镇　政府", phone="０３７１－６６１２３４５６",
                      summary="“积水”严重，水深０．５米", category="other")  # fmt: skip
    return save_call(desk, draft, officer)


def test_a_full_width_phone_is_stored_in_ascii_and_the_rest_as_typed(desk, officer):
    record = _full_width_call(desk, officer)
    assert record.phone == "0371-66123456"
    assert (record.caller, record.unit) == ("李明（值班）", "城关镇　政府")
    assert record.summary == "“积水”严重，水深０．５米"


def test_a_full_width_phone_correction_is_stored_in_ascii(desk, officer):
    from dutydesk.services.calls.calls import amend_call

    record = _full_width_call(desk, officer)
    amended = amend_call(
        desk, record.number, "号码记错", {"phone": "（０３７１）６６１２３４５７"}, officer
    )
    assert amended.phone == "(0371)66123457"


@pytest.mark.parametrize(
    "term",
    [
        "６６１２３",
        "０３７１",
        "66123",
        "０３７１－６６１２",
        '"积水"',
        "“积水”",
        "「积水」",
        "'66123'",
    ],
)
def test_full_width_and_quoted_terms_find_the_call(desk, officer, term):
    from dutydesk.services.calls.calls import list_calls

    record = _full_width_call(desk, officer)
    assert [view.number for view in list_calls(desk, search=term)] == [record.number]


def test_quotes_alone_stay_a_term_and_other_words_still_narrow(desk, officer):
    from dutydesk.services.core.search import search_terms

    assert search_terms('"" “”  ６６１２３　"积水"') == ['""', "“”", "６６１２３", "积水"]
    from dutydesk.services.calls.calls import list_calls

    _full_width_call(desk, officer)
    assert list_calls(desk, search='"积水" 暴雨') == []


def test_the_phone_typed_full_width_is_accepted_on_the_command_line(cli_desk):
    added = cli_desk("calls", "add", "--caller", "李明", "--unit", "城关镇", "--phone",
                     "０３７１－６６１２３４５６", "--summary", "积水")  # fmt: skip
    assert added.exit_code == 0, added.output
    found = cli_desk("calls", "list", "--search", "６６１２３")
    assert "0371-66123456" in found.stdout


def test_a_quote_left_open_or_closed_is_dropped_too(desk, officer):
    """QA shift, session 10: `"积水` and `积水"` found nothing, with no hint why."""
    from dutydesk.services.calls.calls import list_calls
    from dutydesk.services.core.search import search_terms

    assert search_terms('"积水 积水” 「积水 "') == ["积水", "积水", "积水", '"']
    record = _full_width_call(desk, officer)
    for typed in ('"积水', '积水"', "“积水"):
        assert [view.number for view in list_calls(desk, search=typed)] == [record.number]
