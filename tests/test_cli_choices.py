"""Every CLI choice takes the code or its name in either language, and --help lists the codes
with their names (issue 15 item 6; cli/choices.py)."""

from __future__ import annotations

import json

import pytest

from dutydesk.cli.choices import HELP_PREFIX, choices, registered
from tests.support_template import copy_register, template_fixture

template = pytest.fixture(scope="module")(template_fixture)


@pytest.fixture
def cli_desk(cli, template, db_path):
    copy_register(template, db_path)
    return cli


@pytest.mark.parametrize(
    ("section", "typed", "code"),
    [
        ("report_kind", "首报", "first"),
        ("report_kind", "续报", "followup"),
        ("report_kind", "Final report", "final"),
        ("channel", "书面", "written"),
        ("role", "值班员", "officer"),
        ("spotcheck_kind", "乡镇", "township"),
        ("spotcheck_fault", "脱岗", "absent"),
        ("incident_level", "Ⅲ级", "III"),
        ("incident_type", "事故灾难", "accident"),
    ],
)
def test_a_name_in_either_language_gives_the_code(section, typed, code):
    assert choices(section).code(typed) == code


def test_an_unknown_value_is_left_for_the_service_to_refuse():
    assert choices("report_kind").code("某报") == "某报"


def test_the_codes_are_the_services_codes():
    from dutydesk.models.incidents import IncidentType, ReportKind
    from dutydesk.models.people import Role
    from dutydesk.models.spotcheck import UnitKind
    from dutydesk.services.incidents.incident_reports import CHANNELS

    def codes(section):
        return {code for _word, code in choices(section).words}

    assert codes("report_kind") == set(ReportKind)
    assert codes("incident_type") == set(IncidentType)
    assert codes("spotcheck_kind") == set(UnitKind)
    assert codes("channel") == set(CHANNELS)
    assert {"leader", "officer", "standby", "admin", "director"} == set(Role)


def _choice_params():
    """(group, command, help marker) of every option or argument declared with cli/choices."""
    import inspect

    from dutydesk.cli.main import GROUPS

    for group_name, group in GROUPS:
        for command in group.registered_commands:
            for param in inspect.signature(command.callback).parameters.values():
                marker = str(getattr(param.default, "help", ""))
                if marker.startswith(HELP_PREFIX):
                    yield group_name, command.name, marker


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_lists_every_code_with_its_name(cli, lang):
    declared = list(_choice_params())
    assert len(declared) >= 10  # type, level x2, kind, channel x2, role, method, fault, unit kind
    for group_name, command_name, marker in declared:
        words = registered(marker)
        result = cli(group_name, command_name, "--help", lang=lang)
        assert result.exit_code == 0
        flat = "".join(result.output.split())
        for word, code in words.words:
            assert word in flat, (command_name, word)
            if lang == "zh":
                assert "".join(words.name(code, "zh").split()) in flat, (command_name, code)


def test_report_kind_and_channel_accept_chinese(cli_desk):
    add = ("incidents", "add", "--type", "事故灾难", "--level", "Ⅲ级", "--occurred-at", "09:40",
           "--place", "人民路", "--summary", "燃气管道泄漏")  # fmt: skip
    assert cli_desk(*add).exit_code == 0
    first = cli_desk("incidents", "report", "1", "--kind", "首报", "--phoned-at", "10:00",
                     "--to", "市政府总值班室", "--json")  # fmt: skip
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["kind"] == "first"
    unit = cli_desk("incidents", "unit-report", "1", "--unit", "区应急局", "--channel", "书面",
                    "--at", "09:55", "--json")  # fmt: skip
    assert unit.exit_code == 0, unit.output
    assert json.loads(unit.stdout)["channel"] == "written"


def test_people_role_accepts_chinese(cli):
    from tests.conftest import add_person_cli, init_cli

    assert init_cli(cli).exit_code == 0
    result = add_person_cli(cli, "--name", "李娜", "--role", "值班员")
    assert result.exit_code == 0, result.output
    listed = json.loads(cli("people", "list", "--json").stdout)
    assert {"name": "李娜", "role": "officer"}.items() <= next(
        p for p in listed if p["name"] == "李娜"
    ).items()
