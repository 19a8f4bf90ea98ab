"""A spot-check round whose shift has been handed over (交接班) is final: no result, retry or
closing can be recorded in it any more, from the service or from the command line."""

from __future__ import annotations

from datetime import date

import pytest

from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.handover.handover import mark, sign_off
from dutydesk.services.handover.handover_checklist import build_checklist
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.pins import set_pin, verify_pin
from dutydesk.services.spotcheck.spotcheck import close_round, record_outcome, start_round
from dutydesk.services.spotcheck.units import UnitDraft, add_unit
from tests.spotcheck_support import snapshot
from tests.support_people import authority_for

UNITS = ("城关镇", "新华街道", "柳林镇")
STATES = {"check": "done", "device": "ok", "ack": "acknowledged", "arrival": "done"}


def _tick_all(desk) -> None:
    for item in build_checklist(desk).items:
        if item.kind == "text":
            mark(desk, item.key, "done", "无重大情况")
        elif item.kind in STATES:
            mark(desk, item.key, STATES[item.kind])


@pytest.fixture
def handed_over(desk, clock, officer):
    """A round of the day shift with one unit checked, then the shift handed over to 李明."""
    add_person(
        desk, "李明", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    for name in ("张伟", "李明"):
        set_pin(desk, name, "271828", "271828", authority=authority_for(desk))
    for index, name in enumerate(UNITS):
        add_unit(desk, UnitDraft(name, "township", f"0371-6600{index:04d}"))
    view = start_round(desk, officer)
    record_outcome(desk, view.id, UNITS[0], officer, method="phone", answered=False)
    clock.advance(hours=7, minutes=45)  # 17:45, the day shift ends at 18:00 (Tianjin)
    _tick_all(desk)
    sign_off(desk, verify_pin(desk, "张伟", "271828"), verify_pin(desk, "李明", "271828"))
    return view


def test_recording_retrying_or_closing_in_a_handed_over_shift_is_refused(
    desk, officer, handed_over
):
    before = snapshot(desk.path)
    attempts = [
        lambda: record_outcome(
            desk,
            handed_over.id,
            UNITS[1],
            officer,
            method="phone",
            answered=True,
            answered_by="李红",
        ),  # fmt: skip
        lambda: record_outcome(
            desk,
            handed_over.id,
            UNITS[0],
            officer,
            method="video",
            answered=True,
            name_not_asked=True,
        ),  # a retry of the unit not answering  # fmt: skip
        lambda: close_round(
            desk, handed_over.id, officer, {UNITS[1]: "线路故障", UNITS[2]: "线路故障"}
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DutyError) as refused:
            attempt()
        assert refused.value.key == "spotcheck.shift_closed"
        message = refused.value.message()
        assert f"第{handed_over.id}号抽查" in message and "交接班" in message
        assert "2026-11-23 17:45" in message
    assert snapshot(desk.path) == before


def test_the_message_reads_in_both_languages():
    zh = t("spotcheck.shift_closed", "zh", id=3, at="2026-11-23 17:45")
    en = t("spotcheck.shift_closed", "en", id=3, at="2026-11-23 17:45")
    assert "第3号抽查" in zh and "已于 2026-11-23 17:45 交接班" in zh
    assert "spot check 3 was handed over at 2026-11-23 17:45" in en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_record_command_is_refused_and_adds_no_row(desk, handed_over, cli, lang):
    cli.at("2026-11-23T18:10:00+08:00")
    before = snapshot(desk.path)
    result = cli("spotcheck", "record", str(handed_over.id), UNITS[1], "--method", "phone",
                 "--answered", "--by", "李红", lang=lang)  # fmt: skip
    assert result.exit_code != 0 and result.stdout == ""
    expected = t("spotcheck.shift_closed", lang, id=handed_over.id, at="2026-11-23 17:45")
    assert expected in result.stderr
    assert snapshot(desk.path) == before
    closing = cli("spotcheck", "close", str(handed_over.id), "--reason", f"{UNITS[1]}=线路故障",
                  lang=lang)  # fmt: skip
    assert closing.exit_code != 0 and expected in closing.stderr
    assert snapshot(desk.path) == before
