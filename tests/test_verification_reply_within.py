"""The reply time a verification request (核报) asks for ("30分钟内电话反馈"): recorded with the
request, and a deadline of its own where the profile's rule for that channel is not as strict
or there is none (the time asked is then the rule: "上级要求"). Migration 0017 adds the columns;
rows written before it still verify."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date

import pytest

from dutydesk.errors import ValidationFailed
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.incidents import add_verification, deadlines_for
from dutydesk.services.incidents.verifications import (
    REQUESTED_CITE,
    REQUESTED_RULE,
    requested_reply,
)
from tests.conftest import OFFICE
from tests.support_people import authority_for
from tests.test_call_place import _columns, _migrate


def _deadlines(desk, row) -> list[tuple[str, str, int | None]]:
    return [
        (v.rule_code, v.channel, v.minutes) for v in deadlines_for(desk, "verification", row.id)
    ]


def _audit_links(path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT COUNT(*) FROM audit_link").fetchone()[0]


@pytest.fixture
def district(tmp_path, clock):
    """A district register (its text sets no time for answering a 核报), 张伟 on duty."""
    from dutydesk.services.core.desk import init_database
    from dutydesk.services.roster.people import add_person, find_person
    from dutydesk.services.roster.shifts import open_shift

    desk = init_database(tmp_path / "district.sqlite3", OFFICE, "district", clock)
    since = date(2024, 1, 1)
    add_person(desk, "张伟", "officer", in_post_since=since, authority=authority_for(desk))
    add_person(desk, "王建国", "leader", in_post_since=since, authority=authority_for(desk))
    open_shift(desk, "张伟", leader="王建国")
    yield desk, find_person(desk, "张伟")
    desk.close()


@pytest.mark.parametrize(
    ("words", "asked"),
    [
        ("请30分钟内电话反馈", (30, "phone")),
        ("1小时内书面报送", (60, "written")),
        ("请于20 分钟内以书面形式报送", (20, "written")),
        ("核实人民路伤亡情况", (None, "phone")),
    ],
)
def test_the_reply_time_asked_is_read_from_the_words(words, asked):
    assert requested_reply(words) == asked


def test_where_the_text_sets_no_time_the_time_asked_is_the_rule(district):
    desk, officer = district
    row = add_verification(desk, officer, received_at=None, subject="核实伤亡", reply_within=30)
    assert (row.reply_within, row.reply_channel) == (30, "phone")
    [view] = deadlines_for(desk, "verification", row.id)
    assert (view.rule_code, view.channel, view.cite) == (REQUESTED_RULE, "phone", REQUESTED_CITE)
    assert view.due_at == desk.now().add(minutes=30)
    assert verify_register(desk.path).ok


def test_a_looser_time_asked_adds_nothing_to_the_profiles_stricter_rule(desk, officer):
    """Tianjin art. 23: phone within 20 minutes whatever is asked; 30 asked binds nothing."""
    row = add_verification(desk, officer, received_at=None, subject="核实", reply_within=30)
    assert _deadlines(desk, row) == [("verification_phone", "phone", 20)]
    assert row.reply_within == 30  # still recorded as asked


def test_a_stricter_time_asked_sets_its_own_deadline_beside_the_profiles(desk, officer):
    row = add_verification(desk, officer, received_at=None, subject="核实", reply_within=10)
    assert _deadlines(desk, row) == [
        ("verification_phone", "phone", 20),
        (REQUESTED_RULE, "phone", 10),
    ]


def test_a_written_reply_asked_is_a_written_request(desk, officer):
    row = add_verification(desk, officer, received_at=None, subject="核实", reply_within=30,
                           reply_channel="written")  # fmt: skip
    assert row.written_requested
    assert _deadlines(desk, row) == [
        ("verification_phone", "phone", 20),
        ("verification_written", "written", 40),
        (REQUESTED_RULE, "written", 30),
    ]


@pytest.mark.parametrize(("minutes", "channel"), [(0, "phone"), (20000, "phone"), (30, "fax")])
def test_a_bad_reply_time_is_refused_and_nothing_written(desk, officer, minutes, channel):
    before = _audit_links(desk.path)
    with pytest.raises(ValidationFailed) as refused:
        add_verification(desk, officer, received_at=None, subject="核实", reply_within=minutes,
                         reply_channel=channel)  # fmt: skip
    assert refused.value.fields[0].startswith("verification_reply_")
    assert _audit_links(desk.path) == before


def test_requests_written_before_the_columns_still_verify(desk, officer):
    old = add_verification(desk, officer, received_at=None, subject="核实旧事")
    desk.close()
    _migrate(desk.path, "0016", down=True)
    assert "reply_within" not in _columns(desk.path, "verification")
    assert verify_register(desk.path).ok
    _migrate(desk.path, "heads")
    assert {"reply_within", "reply_channel"} <= _columns(desk.path, "verification")
    assert verify_register(desk.path).ok
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.incidents import get_verification

    again = open_desk(desk.path, desk.clock)
    try:
        assert get_verification(again, old.id).reply_within is None  # type: ignore[arg-type]
        add_verification(again, officer, received_at=None, subject="核实", reply_within=10)
        assert verify_register(again.path).ok
    finally:
        again.close()


def test_the_migration_cannot_be_undone_once_a_reply_time_is_recorded(desk, officer):
    add_verification(desk, officer, received_at=None, subject="核实", reply_within=10)
    desk.close()
    with pytest.raises(RuntimeError, match="verification.reply_within"):
        _migrate(desk.path, "0016", down=True)
    assert "reply_within" in _columns(desk.path, "verification")
    assert verify_register(desk.path).ok


def test_the_cli_takes_the_reply_time_asked(cli_desk):
    result = cli_desk("verifications", "add", "--subject", "核实", "--within", "10", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["reply_within"], data["reply_channel"]) == (10, "phone")
    assert [d["rule"] for d in data["deadlines"]] == ["Tianjin art. 23", REQUESTED_CITE]
    written = cli_desk("verifications", "add", "--subject", "核实", "--within", "30",
                       "--within-channel", "书面", "--json")  # fmt: skip
    assert json.loads(written.stdout)["reply_channel"] == "written"


def test_the_cli_refuses_a_bad_reply_time_in_the_users_language(cli_desk):
    result = cli_desk("verifications", "add", "--subject", "核实", "--within", "半小时")
    assert result.exit_code != 0
    assert "要求反馈时限（分钟）须为整数" in result.stderr
    english = cli_desk("verifications", "add", "--subject", "x", "--within", "0", lang="en")
    assert english.exit_code != 0
    assert "Reply asked within (minutes)" in english.stderr
    assert "from 1 to" in english.stderr
