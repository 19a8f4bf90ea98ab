"""Issue 14 items 3 and 4: a report meets the deadline of its channel whatever its kind (the
first on each channel counts), and re-grading never turns an on-time report late: the new
level's deadlines count from the re-grade, with the event clock shown beside them."""

from __future__ import annotations

from datetime import date

import pytest

from dutydesk.clock import FrozenClock
from dutydesk.i18n import set_language
from dutydesk.services.core.desk import init_database
from dutydesk.services.incidents import deadlines
from dutydesk.services.incidents.deadline_views import due_label, realert_due
from dutydesk.services.incidents.incident_regrade import regrade_incident
from dutydesk.services.incidents.incident_reports import record_report
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.people import add_person, find_person
from tests.support_people import authority_for
from tests.timing_cases import CASES, ZONE, at, run_case


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_timing_case(case, tmp_path):
    assert run_case(case, tmp_path) == case.expected


@pytest.fixture
def make(tmp_path):
    made = []

    def _make(profile: str, level: str, occurred: str):
        clock = FrozenClock(at(occurred))
        desk = init_database(tmp_path / f"{profile}{len(made)}.sqlite3", "测试值班室", profile,
                             clock)  # fmt: skip
        made.append(desk)
        add_person(desk, "张伟", "officer", in_post_since=date(2024, 1, 1),
                   authority=authority_for(desk))  # fmt: skip
        person = find_person(desk, "张伟")
        draft = IncidentDraft(type="accident", level=level, occurred_at=at(occurred),
                              place="人民路", summary="燃气管道爆炸")  # fmt: skip
        return desk, clock, person, record_incident(desk, draft, person)

    yield _make
    for desk in made:
        desk.close()


def test_a_written_final_report_stops_the_re_alerting(make):
    desk, clock, person, incident = make("tianjin", "III", "10:00")
    clock.set(at("10:20"))
    record_report(desk, incident.id, "first", person, to_whom="市政府总值班室",
                  phoned_at=at("10:20"))  # fmt: skip
    clock.set(at("11:20"))
    (written,) = deadlines.open_deadlines(desk)
    assert (written.rule_code, written.status) == ("incident_written", "overdue")
    assert realert_due(written, desk.now(), at("11:10"), desk.profile)  # rings every 5 minutes
    clock.set(at("11:30"))
    made = record_report(desk, incident.id, "final", person, to_whom="市政府总值班室",
                         written_at=at("11:30"))  # fmt: skip
    assert [(c.deadline_id, c.late_minutes) for c in made.closures] == [(written.id, 30)]
    clock.set(at("12:30"))
    assert deadlines.open_deadlines(desk) == []
    after = deadlines.get_deadline(desk, written.id)
    assert after.status == "late" and not realert_due(after, desk.now(), None, desk.profile)


def test_the_board_shows_both_clocks_after_a_regrade(make):
    desk, clock, person, incident = make("henan", "III", "10:00")
    clock.set(at("11:05"))
    done = regrade_incident(desk, incident.id, "重大", "死亡人数升至 3 人", person)
    phone = next(v for v in done.created if v.rule_code == "incident_phone")
    assert due_label(phone, ZONE, "HH:mm") == "按事件时间 10:20 / 按定级时间 11:25"
    set_language("en")
    assert due_label(phone, ZONE, "HH:mm") == "by the event 10:20 / by the re-grading 11:25"
    set_language("zh")
    (superseded,) = done.superseded  # a deadline not set by a re-grading shows one time
    assert due_label(superseded, ZONE, "HH:mm") == "11:00"
    assert phone.counts_from == "regraded_at" and phone.clock_at == at("11:05")


def test_the_profiles_state_the_regrade_rule():
    from dutydesk.profiles import load_profile

    for name in ("henan", "tianjin", "district"):
        rules = load_profile(name).incidents
        assert rules.regrade_counts_from == "regraded_at"
        assert rules.regrade_cite.startswith("common practice")


async def test_the_board_row_of_a_regraded_deadline_shows_both_clocks(make):
    from datetime import date

    from dutydesk.app import make_app
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.shifts import open_shift
    from dutydesk.widgets.countdown_table import CountdownTable
    from tests.support_people import authority_for

    desk, clock, person, incident = make("henan", "III", "10:00")
    clock.set(at("11:05"))
    add_person(desk, "李娜", "officer", in_post_since=date(2024, 1, 1),
               authority=authority_for(desk))  # fmt: skip
    open_shift(desk, "张伟", second_officer="李娜")  # Henan 三(一): two officers a shift
    regrade_incident(desk, incident.id, "重大", "死亡人数升至 3 人", person)
    app = make_app(desk.path, clock=clock)
    async with app.run_test(size=(160, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        board = app.screen.query_one("#board", CountdownTable)
        dues = [board.cell_text(row, "due") for row in range(board.row_count)]
    assert dues == [
        "按事件时间 10:20 / 按定级时间 11:25",  # due today: times only, so both fit (QA)
        "按事件时间 10:40 / 按定级时间 11:45",
    ]
