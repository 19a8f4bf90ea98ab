"""Issue 14 item 9: the duty phone's checklist item follows the profile's call-forwarding rule by
time of day. District 工作制度 三: in working hours the duty landline is forwarded to the
officer's own mobile, outside them never; Henan 6(1) and Tianjin art. 9(1): never."""

from __future__ import annotations

from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.profiles import load_profile
from dutydesk.services.core.desk import init_database
from dutydesk.services.handover.handover_checklist import build_checklist, duty_phone_item
from dutydesk.services.roster.people import add_person
from dutydesk.services.roster.shifts import open_shift
from tests.support_people import authority_for

ZONE = "Asia/Shanghai"


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=ZONE)  # type: ignore[return-value]


@pytest.fixture
def make(tmp_path):
    made = []

    def _make(profile: str, now: str):
        clock = FrozenClock(at(now))
        desk = init_database(tmp_path / f"{profile}{len(made)}.sqlite3", "测试", profile, clock)
        made.append(desk)
        for name in ("张伟", "李娜"):
            add_person(desk, name, "officer", in_post_since=date(2024, 1, 1),
                       authority=authority_for(desk))  # fmt: skip
        second = "李娜" if profile == "henan" else None  # Henan 三(一): two officers a shift
        open_shift(desk, "张伟", second_officer=second)
        return desk, clock

    yield _make
    for desk in made:
        desk.close()


def _phone(desk):
    return build_checklist(desk).item("device:duty_phone")


def test_the_profiles_state_the_rule_by_time_of_day_with_its_citation():
    district = load_profile("district").handover.call_forwarding
    assert (district.working_hours, district.off_hours) == ("forward_to_mobile", "never")
    assert district.cite == "District Duty Work Rules 3"
    assert (district.working_hours_start, district.working_hours_end) == ("08:30", "18:00")
    assert district.hours_cite.startswith("office setting")
    for name, cite in (("henan", "Henan 6(1)"), ("tianjin", "Tianjin art. 9(1)")):
        rule = load_profile(name).handover.call_forwarding
        assert (rule.working_hours, rule.off_hours, rule.cite) == ("never", "never", cite)


def test_the_district_weekly_handover_in_working_hours_asks_for_forwarding(make):
    desk, clock = make("district", "2026-11-25T10:00")
    clock.set(at("2026-11-30T08:30"))  # Monday, the weekly handover on time
    phone = _phone(desk)
    assert phone.label() == (
        "值班专用电话（交接时 11-30 08:30 为工作时间：已设呼叫转移至值班人员本人手机，保持畅通）"
    )
    assert "District Duty Work Rules 3" in phone.cite and "office setting" in phone.cite
    assert "未设呼叫转移" not in phone.label()


def test_a_district_handover_outside_working_hours_asks_for_no_forwarding(make):
    desk, clock = make("district", "2026-11-25T10:00")
    clock.set(at("2026-11-30T18:30"))  # handed over late, after working hours
    phone = _phone(desk)
    assert phone.label() == (
        "值班专用电话（交接时 11-30 18:30 为非工作时间：未设呼叫转移，固定电话和手机均不得转移）"
    )


def test_an_early_handover_at_night_asks_for_no_forwarding(make):
    """Judged when the phone is handed over, not at the handover's due time (QA: an early
    sign-off at 02:39 on a Wednesday was told the phone is forwarded, as at Monday 08:30)."""
    desk, clock = make("district", "2026-11-25T10:00")
    clock.set(at("2026-11-26T02:39"))
    phone = _phone(desk)
    assert phone.label_key == "handover_device.duty_phone_off_hours"
    assert "11-26 02:39" in phone.label()


@pytest.mark.parametrize(
    ("when", "key"),
    [
        ("2026-11-30T08:30", "handover_device.duty_phone_forwarded"),  # Monday, opening time
        ("2026-11-30T17:59", "handover_device.duty_phone_forwarded"),
        ("2026-11-30T18:00", "handover_device.duty_phone_off_hours"),  # closing time
        ("2026-11-30T08:29", "handover_device.duty_phone_off_hours"),
        ("2026-11-28T10:00", "handover_device.duty_phone_off_hours"),  # Saturday
        ("2026-10-01T10:00", "handover_device.duty_phone_off_hours"),  # National Day, Thursday
        ("2026-02-14T10:00", "handover_device.duty_phone_forwarded"),  # swapped working Saturday
        ("2031-03-03T10:00", "handover_device.duty_phone_unknown_hours"),  # past the calendar
    ],
)
def test_the_district_rule_by_time_of_day(make, when, key):
    desk, _ = make("district", "2026-11-25T10:00")
    assert duty_phone_item(desk, at(when)).label_key == key


@pytest.mark.parametrize("profile", ["henan", "tianjin"])
@pytest.mark.parametrize("when", ["2026-11-30T10:00", "2026-11-30T22:00"])
def test_henan_and_tianjin_never_forward(make, profile, when):
    desk, _ = make(profile, "2026-11-25T10:00")
    phone = duty_phone_item(desk, at(when))
    assert phone.label() == "值班专用电话（录音，未设呼叫转移）"
    cite = {"henan": "Henan 6(1)", "tianjin": "Tianjin art. 9(1)"}[profile]
    assert cite in phone.cite
