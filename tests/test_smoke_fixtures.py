import json


def test_cli_desk_saves_and_lists_a_call(cli_desk):
    result = cli_desk("calls", "add", "--caller", "李红", "--unit", "城关镇", "--phone",
                      "0371-66000000", "--summary", "人民路积水", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["number"] == "2026-000001"
    assert record["received_at"] == "2026-11-23T10:00:00+08:00"
    listed = json.loads(cli_desk("calls", "list", "--json").stdout)
    assert [call["number"] for call in listed] == ["2026-000001"]


def test_desk_fixture_has_an_open_shift(desk):
    from dutydesk.services.roster.shifts import on_duty

    duty = on_duty(desk)
    assert duty is not None and duty.officer == "张伟" and duty.leader == "王建国"
