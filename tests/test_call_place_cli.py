"""The command line for items 7 and 8: `calls add --place`, `calls amend --place`, and a
device fault's pending item reported repaired with `pending repaired`."""

from __future__ import annotations

import json

from dutydesk.db import write_session
from dutydesk.services.core.desk import open_desk
from dutydesk.services.handover.pending import carry_device_faults

CALL = ("--caller", "李红", "--unit", "城关镇", "--phone", "0371-66000000", "--summary", "积水")


def _json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_calls_add_and_amend_take_a_place(cli_desk):
    added = _json(cli_desk("calls", "add", *CALL, "--place", "人民路与建设路交叉口", "--json"))
    assert added["place"] == "人民路与建设路交叉口"
    plain = _json(cli_desk("calls", "add", *CALL, "--json"))
    assert plain["place"] == ""
    amended = _json(cli_desk("calls", "amend", plain["number"], "--reason", "补记地点",
                             "--place", "新华街", "--json"))  # fmt: skip
    assert amended["place"] == "新华街"
    found = _json(cli_desk("calls", "list", "--search", "新华街", "--json"))
    assert [call["number"] for call in found] == [plain["number"]]


def test_a_place_with_a_terminal_escape_is_refused_and_nothing_is_saved(cli_desk):
    refused = cli_desk("calls", "add", *CALL, "--place", "\x1b[2J清屏")
    assert refused.exit_code != 0 and "地点" in refused.output
    assert _json(cli_desk("calls", "list", "--json")) == []


def test_pending_repaired_closes_a_device_fault_and_refuses_other_items(cli_desk, db_path):
    cli_desk("calls", "add", *CALL, "--follow-up")
    desk = open_desk(db_path, cli_desk.clock)
    try:
        with write_session(desk.engine) as session:
            [fault_id] = carry_device_faults(session, [("device:fax", "卡纸")], by_id=1,
                                             shift_id=None, at=desk.now())  # fmt: skip
    finally:
        desk.close()
    items = _json(cli_desk("pending", "list", "--json"))
    assert [(i["id"], i["device"], i["text"]) for i in items][-1] == (
        fault_id,
        "device:fax",
        "卡纸",
    )
    listed = cli_desk("pending", "list")
    assert f"#{fault_id}  传真机  卡纸" in listed.stdout
    plain_id = items[0]["id"]
    refused = cli_desk("pending", "repaired", str(plain_id))
    assert refused.exit_code != 0 and "不是设备故障" in refused.output
    done = cli_desk("pending", "repaired", str(fault_id), "--note", "已更换搓纸轮")
    assert done.exit_code == 0, done.output
    assert [i["id"] for i in _json(cli_desk("pending", "list", "--json"))] == [plain_id]
