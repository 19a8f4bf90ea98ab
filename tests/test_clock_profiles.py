"""The one clock, the jurisdiction profiles, and the shift each profile says it is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pendulum
import pytest
from pydantic import BaseModel

from dutydesk.clock import FrozenClock, SystemClock, default_clock
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.paths import profiles_dir
from dutydesk.profiles import available_profiles, load_profile, load_profile_file
from dutydesk.services.roster.shifts import shift_window

SHIPPED = ("district", "henan", "tianjin")


def at(text: str) -> pendulum.DateTime:
    parsed = pendulum.parse(text)
    assert isinstance(parsed, pendulum.DateTime)
    return parsed


# ---------------------------------------------------------------- clock


def test_frozen_clock_is_aware_in_the_office_zone_and_moves_only_when_told():
    clock = FrozenClock("2026-11-23T10:00:00+08:00")
    first = clock.now()
    assert first.tzinfo is not None and first.timezone_name == "Asia/Shanghai"
    assert clock.now() == first  # stands still
    moved = clock.advance(minutes=90)
    assert moved == clock.now() == at("2026-11-23T11:30:00+08:00")
    clock.set(at("2026-11-23T00:00:00Z"))
    assert clock.now().timezone_name == "Asia/Shanghai"
    assert clock.now().hour == 8


def test_frozen_clock_reads_naive_text_in_its_zone_and_refuses_naive_times():
    assert FrozenClock("2026-11-23 10:00").now() == at("2026-11-23T10:00:00+08:00")
    with pytest.raises(ValueError):
        FrozenClock(pendulum.naive(2026, 11, 23, 10))


def test_system_clock_is_aware_and_now():
    now = SystemClock().now()
    assert now.tzinfo is not None and now.timezone_name == "Asia/Shanghai"
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)
    assert SystemClock("UTC").now().timezone_name == "UTC"


def test_default_clock_is_the_system_clock_whatever_the_environment(monkeypatch):
    monkeypatch.setenv("DUTYDESK_FROZEN_AT", "2026-11-23T10:00:00+08:00")
    clock = default_clock()
    assert isinstance(clock, SystemClock)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_desk_now_comes_from_the_injected_clock(bare_desk, clock):
    assert bare_desk.now() == clock.now()
    clock.advance(hours=3)
    assert bare_desk.now() == at("2026-11-23T13:00:00+08:00")
    assert bare_desk.now().timezone_name == "Asia/Shanghai"


# ---------------------------------------------------------------- shipped profiles


def _cites(model: BaseModel, where: str = "") -> dict[str, str | None]:
    """Every citation field, by dotted path. An optional rule's citation (`<rule>_cite`) may be
    left out only together with the rule (every `<rule>...` field of the same table unset)."""
    found: dict[str, str | None] = {}
    values = dict(model)
    for name, value in values.items():
        path = f"{where}{name}"
        if isinstance(value, BaseModel):
            found.update(_cites(value, path + "."))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found.update(_cites(item, f"{path}.{index}."))
        elif name == "cite" or name.endswith("_cite"):
            rule = name.removesuffix("_cite").removesuffix("cite")
            companions = [
                other
                for other in values
                if rule and other != name and other.startswith(rule) and values[other] is not None
            ]
            if value is not None or companions:
                found[path] = value
    return found


@pytest.mark.parametrize("profile_id", SHIPPED)
def test_each_shipped_profile_loads_and_every_rule_cites_its_article(profile_id):
    assert profile_id in available_profiles()
    profile = load_profile(profile_id)
    assert profile.id == profile_id
    assert profile.profile.timezone == "Asia/Shanghai"
    assert profile.name("zh") and profile.name("en")
    assert profile.calls.categories and profile.shifts.slots
    cites = _cites(profile)
    assert "shifts.cite" in cites and "eligibility.cite" in cites
    for field, cite in cites.items():
        assert cite and cite.strip(), f"{profile_id}: {field} has no citation"


def test_unknown_profile_is_refused_naming_the_known_ones():
    with pytest.raises(DutyError) as refused:
        load_profile("beijing")
    assert refused.value.key == "profile.unknown"
    assert refused.value.params["name"] == "beijing"
    for known in SHIPPED:
        assert known in refused.value.params["known"]


# ---------------------------------------------------------------- broken profiles


def _broken(tmp_path: Path, old: str, new: str, name: str = "tianjin") -> Path:
    text = (profiles_dir() / "tianjin.toml").read_text(encoding="utf-8")
    assert old in text, f"the test's anchor {old!r} is no longer in tianjin.toml"
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _refusal(path: Path) -> DutyError:
    with pytest.raises(DutyError) as refused:
        load_profile_file(path)
    return refused.value


def test_the_unbroken_copy_loads(tmp_path):
    path = _broken(tmp_path, "[profile]", "[profile]")
    assert load_profile_file(path).id == "tianjin"


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        ('start = "08:30"', 'start = "25:00"', "shifts.slots.0.start", "HH:MM"),
        ('cite = "Tianjin art. 6"\n', "", "eligibility.cite", "required"),
        ('name_en = "', 'colour = "red"\nname_en = "', "profile.colour", "not permitted"),
        ("min_months_in_post = 3", "min_months_in_post = -1", "eligibility.min_months_in_post", ""),
        ('cycle = "daily"', 'cycle = "hourly"', "shifts.cycle", ""),
        ('code = "night"      # 夜班, to 08:30 the next day\nstart = "18:00"',
         'code = "night"\nstart = "08:30"', "shifts", "same time"),
    ],
)  # fmt: skip
def test_a_broken_profile_is_refused_with_file_field_and_reason(tmp_path, old, new, field, reason):
    path = _broken(tmp_path, old, new)
    error = _refusal(path)
    assert error.key == "profile.invalid"
    assert error.params["file"] == str(path)
    assert error.params["field"] == field
    assert reason in error.params["reason"]
    for lang in ("zh", "en"):
        message = t(error.key, lang=lang, **error.params)
        assert str(path) in message and field in message and error.params["reason"] in message


def test_a_profile_whose_id_is_not_its_file_name_is_refused(tmp_path):
    path = _broken(tmp_path, "[profile]", "[profile]", name="tianjin_copy")
    error = _refusal(path)
    assert (error.key, error.params["field"]) == ("profile.invalid", "profile.id")
    assert "tianjin_copy" in error.params["reason"]


def test_a_profile_that_is_not_toml_or_not_there_is_refused(tmp_path):
    path = _broken(tmp_path, "[profile]", "[profile")
    error = _refusal(path)
    assert error.key == "profile.invalid" and error.params["file"] == str(path)
    missing = _refusal(tmp_path / "nowhere.toml")
    assert missing.key == "profile.unreadable"
    assert missing.params["file"] == str(tmp_path / "nowhere.toml")


# ---------------------------------------------------------------- shift windows


@pytest.mark.parametrize(
    ("profile_id", "now", "code", "start", "end"),
    [
        ("tianjin", "2026-11-23T10:00:00+08:00", "day", "2026-11-23T08:30", "2026-11-23T18:00"),
        ("tianjin", "2026-11-23T08:30:00+08:00", "day", "2026-11-23T08:30", "2026-11-23T18:00"),
        ("tianjin", "2026-11-23T17:59:59+08:00", "day", "2026-11-23T08:30", "2026-11-23T18:00"),
        ("tianjin", "2026-11-23T18:00:00+08:00", "night", "2026-11-23T18:00", "2026-11-24T08:30"),
        ("tianjin", "2026-11-23T23:59:00+08:00", "night", "2026-11-23T18:00", "2026-11-24T08:30"),
        ("tianjin", "2026-11-24T00:00:00+08:00", "night", "2026-11-23T18:00", "2026-11-24T08:30"),
        ("tianjin", "2026-11-24T08:29:59+08:00", "night", "2026-11-23T18:00", "2026-11-24T08:30"),
        # a UTC time is placed in Beijing time: 2026-11-23 01:00Z is 09:00 there
        ("tianjin", "2026-11-23T01:00:00+00:00", "day", "2026-11-23T08:30", "2026-11-23T18:00"),
        # the night across the new year (Tianjin's is the holiday night: New Year's Eve)
        ("henan", "2027-01-01T02:00:00+08:00", "night", "2026-12-31T18:00", "2027-01-01T08:30"),
        ("henan", "2026-11-23T12:00:00+08:00", "day", "2026-11-23T08:30", "2026-11-23T18:00"),
        ("henan", "2026-11-24T03:00:00+08:00", "night", "2026-11-23T18:00", "2026-11-24T08:30"),
        # the district's weekly shift: Monday 08:30 to the next Monday 08:30
        ("district", "2026-11-23T08:30:00+08:00", "week", "2026-11-23T08:30", "2026-11-30T08:30"),
        ("district", "2026-11-25T14:00:00+08:00", "week", "2026-11-23T08:30", "2026-11-30T08:30"),
        ("district", "2026-11-29T23:59:00+08:00", "week", "2026-11-23T08:30", "2026-11-30T08:30"),
        ("district", "2026-11-30T08:29:00+08:00", "week", "2026-11-23T08:30", "2026-11-30T08:30"),
        ("district", "2026-11-23T08:29:00+08:00", "week", "2026-11-16T08:30", "2026-11-23T08:30"),
        ("district", "2026-12-31T20:00:00+08:00", "week", "2026-12-28T08:30", "2027-01-04T08:30"),
    ],
)
def test_shift_window(profile_id, now, code, start, end):
    profile = load_profile(profile_id)
    window = shift_window(profile, at(now))
    assert window.code == code
    assert window.starts_at == pendulum.parse(start, tz="Asia/Shanghai")
    assert window.ends_at == pendulum.parse(end, tz="Asia/Shanghai")
    assert window.starts_at.timezone_name == "Asia/Shanghai"
    assert window.starts_at <= at(now) < window.ends_at
    assert window.cite in {slot.cite for slot in profile.shifts.slots if slot.code == code}


def test_shift_windows_cite_their_articles():
    day = shift_window(load_profile("tianjin"), at("2026-11-23T10:00:00+08:00"))
    assert day.cite == "Tianjin art. 12"
    week = shift_window(load_profile("district"), at("2026-11-25T10:00:00+08:00"))
    assert week.cite == "District Duty Work Rules 6"
    night = shift_window(load_profile("henan"), at("2026-11-25T22:00:00+08:00"))
    assert night.cite.startswith("office setting")  # the Henan norms set no shift times
