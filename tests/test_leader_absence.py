"""The shift leader's whereabouts (Tianjin art. 16(2)): away with where, contact, a stand-in of
the same level (art. 12(5)) and until when; back early; append-only, chained, verified; and the
`dutydesk shift away|back|status` commands."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.roster import (
    AbsenceDraft,
    leader_whereabouts,
    parse_until,
    record_absence,
    record_return,
)
from dutydesk.services.roster.people import add_person
from tests.conftest import add_person_cli
from tests.support_people import authority_for
from tests.test_call_place import _migrate


@pytest.fixture
def second_leader(desk):
    add_person(
        desk, "李强", "leader", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    return "李强"


def _draft(desk, stands_in="李强", **changes) -> AbsenceDraft:
    fields = {"stands_in": stands_in, "whereabouts": "市应急局会商室", "contact": "13900001111",
              "until": desk.now().add(hours=3), "reason": "参加防汛会商"}  # fmt: skip
    fields.update(changes)
    return AbsenceDraft(**fields)


def test_an_absence_shows_until_its_time_and_a_return_ends_it(desk, officer, clock, second_leader):
    assert leader_whereabouts(desk) is None
    away = record_absence(desk, _draft(desk), officer)
    assert (away.leader, away.stands_in, away.contact) == ("王建国", "李强", "13900001111")
    clock.advance(hours=1)
    assert leader_whereabouts(desk) == away
    clock.advance(hours=2)  # its time has passed: back at the post as planned
    assert leader_whereabouts(desk) is None


def test_a_return_ends_the_absence_and_a_later_entry_takes_over(
    desk, officer, clock, second_leader
):
    record_absence(desk, _draft(desk), officer)
    later = record_absence(
        desk, _draft(desk, whereabouts="市政府", until=desk.now().add(hours=5)), officer
    )
    assert leader_whereabouts(desk) == later
    clock.advance(minutes=30)
    assert record_return(desk, officer).absence_id == later.absence_id
    assert leader_whereabouts(desk) is None
    with pytest.raises(DutyError) as refused:
        record_return(desk, officer)
    assert refused.value.key == "absence.not_away"


@pytest.mark.parametrize(
    ("stands_in", "key"),
    [("王建国", "absence.stands_in_self"), ("赵磊", "absence.stands_in_not_leader"),
     ("无此人", "people.unknown")],
)  # fmt: skip
def test_a_stand_in_must_be_another_leader(desk, officer, stands_in, key):
    with pytest.raises(DutyError) as refused:
        record_absence(desk, _draft(desk, stands_in=stands_in), officer)
    assert refused.value.key == key
    assert leader_whereabouts(desk) is None


def test_a_new_leader_in_post_under_three_months_cannot_stand_in(desk, officer):
    add_person(
        desk, "钱新", "leader", in_post_since=date(2026, 10, 1), authority=authority_for(desk)
    )
    with pytest.raises(DutyError) as refused:
        record_absence(desk, _draft(desk, stands_in="钱新"), officer)
    assert refused.value.key == "eligibility.new_in_post"


def test_bad_input_names_every_field_and_writes_nothing(desk, officer, second_leader):
    draft = _draft(desk, whereabouts=" ", contact="abc", until=desk.now().subtract(minutes=1))
    with pytest.raises(ValidationFailed) as refused:
        record_absence(desk, draft, officer)
    assert set(refused.value.fields) == {"absence_whereabouts", "absence_contact", "absence_until"}
    assert leader_whereabouts(desk) is None


def test_until_as_a_time_of_day_is_the_next_such_time(desk, clock):
    assert parse_until(desk, "16:00").format("MM-DD HH:mm") == "11-23 16:00"
    clock.advance(hours=12)  # 22:00
    assert parse_until(desk, "08:30").format("MM-DD HH:mm") == "11-24 08:30"
    assert parse_until(desk, "2026-11-25T09:00").format("MM-DD HH:mm") == "11-25 09:00"


def test_entries_are_append_only_chained_and_verified(desk, officer, second_leader):
    record_absence(desk, _draft(desk), officer)
    record_return(desk, officer)
    desk.close()
    report = verify_register(desk.path)
    assert report.ok and {"leader_absence", "leader_return"} <= set(report.tables)
    assert not {"leader_absence", "leader_return"} & set(report.unguarded)
    with closing(sqlite3.connect(desk.path)) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE leader_absence SET contact = '110'")
    with closing(sqlite3.connect(desk.path)) as conn:
        conn.execute("DROP TRIGGER leader_absence_no_update")
        conn.execute("UPDATE leader_absence SET contact = '110'")
        conn.commit()
    assert not verify_register(desk.path).ok


def test_the_migration_keeps_recorded_entries_on_downgrade(desk, officer, second_leader):
    desk.close()
    _migrate(desk.path, "0019", down=True)  # empty: the tables go
    _migrate(desk.path, "heads")
    from dutydesk.services.core import open_desk

    reopened = open_desk(desk.path, desk.clock)
    record_absence(reopened, _draft(reopened), officer)
    reopened.close()
    _migrate(desk.path, "0019", down=True)  # an entry is never dropped
    with closing(sqlite3.connect(desk.path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM leader_absence").fetchone() == (1,)


def test_the_cli_records_the_absence_the_return_and_says_where_the_leader_is(cli_desk):
    cli = cli_desk
    assert add_person_cli(cli, "--name", "李强", "--role", "leader",
                          "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    assert "王建国在岗" in cli("shift", "status").output
    refused = cli("shift", "away", "--stands-in", "李强", "--where", "市政府")
    assert refused.exit_code != 0 and "--contact" in refused.output
    done = cli("shift", "away", "--stands-in", "李强", "--where", "市政府", "--contact",
               "13900001111", "--until", "16:00")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "至16:00" in done.output and "李强替岗" in done.output
    assert "联系13900001111" in cli("shift", "status").output
    english = cli("shift", "back", lang="en")
    assert english.exit_code == 0 and "王建国 is back" in english.output
    assert "王建国在岗" in cli("shift", "status").output


def test_an_absence_longer_than_the_office_setting_is_refused(desk, officer, second_leader):
    longest = desk.profile.roster.leader_away_max_hours
    assert longest == 24  # data/profiles/tianjin.toml [roster], an office setting
    with pytest.raises(ValidationFailed) as refused:
        record_absence(desk, _draft(desk, until=desk.now().add(hours=longest, minutes=1)), officer)
    [problem] = refused.value.problems
    assert (problem.field, problem.key) == ("absence_until", "roster.absence_too_long")
    assert leader_whereabouts(desk) is None  # nothing written
    away = record_absence(desk, _draft(desk, until=desk.now().add(hours=longest)), officer)
    assert leader_whereabouts(desk) == away


def test_the_end_shows_the_year_when_it_is_not_this_year(desk, clock):
    import pendulum

    from dutydesk.services.roster.absence import LeaderAway, describe_away

    clock.set(pendulum.datetime(2026, 12, 31, 22, 0, tz="Asia/Shanghai"))

    def shown(until):
        away = LeaderAway(1, "王建国", "李强", "市政府", "13900001111", "", desk.now(), until)
        return describe_away(desk, away)

    assert "至23:30" in shown(desk.now().add(minutes=90))
    assert "至2027-01-01 09:00" in shown(desk.now().add(hours=11))
    clock.set(pendulum.datetime(2026, 12, 30, 22, 0, tz="Asia/Shanghai"))
    assert "至12-31 09:00" in shown(desk.now().add(hours=11))
