"""Jurisdiction profiles: the rules of one set of duty regulations, as data in `data/profiles/`.

Each rule carries the article it comes from. A broken profile is refused with the file, the
field and the reason."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from dutydesk.errors import DutyError
from dutydesk.paths import profiles_dir
from dutydesk.profile_rules import ContactRules, DocumentRules, OrderRules
from dutydesk.profile_rules import StrictModel as _Strict
from dutydesk.profile_rules import check_hhmm as _check_hhmm

LEVELS = ("I", "II", "III", "IV")


class ProfileInfo(_Strict):
    id: str
    name_zh: str
    name_en: str
    timezone: str = "Asia/Shanghai"


class ShiftSlot(_Strict):
    code: str
    start: str
    end: str
    cite: str = Field(min_length=1)
    weekday: int | None = Field(default=None, ge=1, le=7)  # ISO weekday, weekly cycles only

    _start = field_validator("start", "end")(_check_hhmm)

    @property
    def start_hm(self) -> tuple[int, int]:
        hour, minute = self.start.split(":")
        return int(hour), int(minute)

    @property
    def end_hm(self) -> tuple[int, int]:
        hour, minute = self.end.split(":")
        return int(hour), int(minute)


class Shifts(_Strict):
    cycle: Literal["daily", "weekly"]
    cite: str = Field(min_length=1)
    slots: list[ShiftSlot] = Field(min_length=1)
    # The holiday shift (节假日班) starts at this time on the day before a statutory holiday; the
    # daily slots keep their times through the holiday (services/shifts.py, _holiday_shift).
    holiday_eve_start: str | None = None
    holiday_eve_cite: str | None = None
    # After a statutory holiday the handover is at this time on the first working day.
    after_holiday_handover: str | None = None
    after_holiday_cite: str | None = None
    # Duty officers per shift where the text requires two (双人值班), with its citation; None:
    # one officer, the text setting no number.
    officers_per_shift: Literal[1, 2] | None = None
    officers_cite: str | None = None

    @property
    def officers(self) -> int:
        return self.officers_per_shift or 1

    @field_validator("after_holiday_handover", "holiday_eve_start")
    @classmethod
    def _optional_hhmm(cls, value: str | None) -> str | None:
        return None if value is None else _check_hhmm(value)

    @model_validator(mode="after")
    def _slots_fit_cycle(self) -> Shifts:
        if self.cycle == "weekly":
            if len(self.slots) != 1 or self.slots[0].weekday is None:
                raise ValueError("a weekly cycle has exactly one slot with a weekday")
        else:
            starts = sorted(slot.start for slot in self.slots)
            if len(set(starts)) != len(starts):
                raise ValueError("two daily slots start at the same time")
        if self.officers_per_shift is not None and not self.officers_cite:
            raise ValueError("officers_per_shift needs officers_cite")
        if self.holiday_eve_start is not None:
            if not self.holiday_eve_cite:
                raise ValueError("holiday_eve_start needs holiday_eve_cite")
            if self.cycle != "daily" or self.holiday_eve_start not in {s.start for s in self.slots}:
                raise ValueError("holiday_eve_start must be the start of a daily slot")
        return self


class Eligibility(_Strict):
    staff_only: bool
    min_months_in_post: int = Field(ge=0)
    training_required: bool
    cite: str = Field(min_length=1)


class CallRules(_Strict):
    categories: list[str] = Field(min_length=1)
    categories_cite: str
    verify_identity_cite: str
    required_elements_cite: str
    retention_years: int = Field(ge=1)
    retention_cite: str


class DeadlineRule(_Strict):
    code: str
    # unit_report: how late a subordinate unit may report an incident to us (迟报 marking).
    applies_to: Literal["incident", "verification", "instruction", "roster", "unit_report"]
    channel: Literal["phone", "written", "report", "feedback"]
    counts_from: Literal["occurred_at", "received_at", "period_start"]
    cite: str = Field(min_length=1)
    levels: list[Literal["I", "II", "III", "IV"]] | None = None
    minutes: int | None = Field(default=None, gt=0)
    working_days: int | None = Field(default=None, gt=0)
    only_if_written_requested: bool = False

    @property
    def has_limit(self) -> bool:
        return self.minutes is not None or self.working_days is not None

    @model_validator(mode="after")
    def _clock_fits_subject(self) -> DeadlineRule:
        if self.applies_to == "roster":
            if self.counts_from != "period_start" or self.minutes is not None:
                raise ValueError("a roster rule counts working days from period_start")
            return self
        if self.working_days is not None or self.counts_from == "period_start":
            raise ValueError("only roster rules count working days from period_start")
        if self.applies_to in ("verification", "instruction") and self.counts_from != "received_at":
            raise ValueError(f"a {self.applies_to} rule counts from received_at")
        if self.applies_to == "unit_report" and self.minutes is None:
            raise ValueError("a unit_report rule needs minutes (no limit: leave the rule out)")
        if self.only_if_written_requested and self.applies_to != "verification":
            raise ValueError("only_if_written_requested is for verification rules")
        return self


INCIDENT_ELEMENTS = (
    "place",  # 地点
    "summary",  # 事件
    "casualties",  # 人员伤亡 (dead, injured, missing, trapped)
    "scope",  # 影响范围和危害程度
    "secondary_risk",  # 是否会发生次生灾害
    "measures",  # 已采取措施
    "source",  # 来源: caller and unit
    "reporter",  # 报告人 (written reports)
    "reviewer",  # 审核人 (written reports)
)


class IncidentRules(_Strict):
    """What an incident record must hold (要素齐全), each element with its article, and the
    countdown board's alert settings (office settings: the texts set none)."""

    elements: dict[Literal[INCIDENT_ELEMENTS], str] = Field(min_length=1)  # type: ignore[valid-type]  # mypy: no Literal from a tuple
    warning_minutes: int = Field(ge=0)  # "warning" this long before a deadline
    realert_minutes: int = Field(ge=1)  # re-alert an unacknowledged overdue item this often
    flash_seconds: int = Field(ge=0)  # an alerting row flashes this long on the board (0: never)
    alerts_cite: str = Field(min_length=1)
    # Re-grading (重新定级): the new level's deadlines count from the re-grade, as the level was
    # only known then; a report made before it is judged by the level in force when it was made.
    regrade_counts_from: Literal["regraded_at"] = "regraded_at"
    regrade_cite: str = Field(min_length=1)

    @field_validator("elements")
    @classmethod
    def _cited(cls, value: dict[str, str]) -> dict[str, str]:
        if any(not cite.strip() for cite in value.values()):
            raise ValueError("every element needs its citation")
        return value


class SpotCheckRules(_Strict):
    methods: list[str]
    methods_cite: str
    faults: list[str]
    faults_cite: str
    quota_cite: str
    rate: float | None = Field(default=None, gt=0, le=1)
    rounds_per_shift: int | None = Field(default=None, ge=1)
    unit_kinds: list[str] | None = None


class CallForwarding(_Strict):
    """Whether the duty landline is forwarded to the officer's own mobile, by time of day: the
    district (工作制度 三) forwards it in working hours and never outside them; Henan 6(1) and
    Tianjin art. 9(1) never. Working hours are working days (the official calendar) between
    `working_hours_start` and `working_hours_end`."""

    working_hours: Literal["forward_to_mobile", "never"]
    off_hours: Literal["never"]
    cite: str = Field(min_length=1)
    working_hours_start: str | None = None
    working_hours_end: str | None = None
    hours_cite: str | None = None

    @field_validator("working_hours_start", "working_hours_end")
    @classmethod
    def _optional_hhmm(cls, value: str | None) -> str | None:
        return None if value is None else _check_hhmm(value)

    @model_validator(mode="after")
    def _hours_when_they_matter(self) -> CallForwarding:
        if self.working_hours != self.off_hours:
            if not (self.working_hours_start and self.working_hours_end and self.hours_cite):
                raise ValueError(
                    "a rule that differs by time of day needs its hours and hours_cite"
                )
            if self.working_hours_start >= self.working_hours_end:
                raise ValueError("working hours must start before they end")
        return self

    @property
    def by_time_of_day(self) -> bool:
        return self.working_hours != self.off_hours

    def in_working_hours(self, hhmm: str) -> bool:
        """Whether a time of day (HH:MM) on a working day is within working hours."""
        assert self.working_hours_start and self.working_hours_end
        return self.working_hours_start <= hhmm < self.working_hours_end


class HandoverRules(_Strict):
    incoming_early_minutes: int = Field(ge=0)
    incoming_early_cite: str
    # The header warns this long before the handover is due, so the outgoing officer can prepare.
    warn_before_minutes: int = Field(ge=0)
    warn_before_cite: str = Field(min_length=1)
    report_to_leader_cite: str
    devices: list[str]
    devices_cite: str
    # A device whose article differs from devices_cite (Henan: 视频会商 is 6(5), not 五).
    device_cites: dict[str, str] = Field(default_factory=dict)
    desk_items: list[str]
    desk_items_cite: str
    pin_max_tries: int = Field(ge=1)
    pin_lockout_minutes: int = Field(ge=0)
    forms: list[str] | None = None
    forms_cite: str | None = None
    # The checklist's citations, one per section (handover issue).
    records_cite: str = Field(min_length=1)  # 整理值班记录
    pending_cite: str = Field(min_length=1)  # 待办事项: listed, carried, followed up
    deadlines_cite: str = Field(min_length=1)  # 重要紧急情况: open report deadlines
    situations_cite: str = Field(min_length=1)  # 重要情况 summary
    documents_cite: str = Field(min_length=1)  # 重要文件 handed over
    # Archives: a full snapshot at the first export, then at least this often (between them each
    # handover writes a pack of what changed). An office setting: the texts set none. Quarterly:
    # a weekly snapshot of the ten-year register made ~143 GB of archives a year; quarterly
    # makes ~11 GB, and a restore replays at most a quarter's packs (README, Performance).
    full_snapshot_days: int = Field(default=91, ge=1)
    full_snapshot_cite: str = "office setting (the rules set none; quarterly)"
    # An early handover never opens a shift shorter than this for the rest of the slot: the next
    # shift, started early, is opened instead (roster/schedule.incoming_window). An office
    # setting: the texts set none (QA: a 31-minute shift opened, itself due at once).
    shortest_shift_minutes: int = Field(default=60, ge=0)
    shortest_shift_cite: str = "office setting (the rules set none; an hour)"
    # The officer rostered on the next shift, handed over to at most this long before it is
    # due, takes that shift early; earlier than that (02:37 for the 08:30 day shift) it is a
    # substitution: the rest of the slot that holds now. An office setting: the texts set none.
    rostered_early_minutes: int = Field(default=120, ge=0)
    rostered_early_cite: str = "office setting (the rules set none; two hours)"
    call_forwarding: CallForwarding

    @model_validator(mode="after")
    def _device_cites_name_devices(self) -> HandoverRules:
        unknown = set(self.device_cites) - set(self.devices)
        if unknown:
            raise ValueError(f"device_cites names devices not listed: {sorted(unknown)}")
        return self


# ---------------------------------------------------------------- roster (issue 17)


class RosterRules(_Strict):
    """The duty roster's rules (排班): who each cell needs, the rest rules the generator keeps,
    when a roster is filed and whether a change after filing is told to the upper office.
    Each rule cites its article, or says it is an office setting or common practice."""

    # Leader coverage: one leader for each day (Tianjin 12(2)-(4)), for each shift (district:
    # 24小时领导带班), or none required.
    leader_per: Literal["day", "shift", "none"]
    leader_cite: str = Field(min_length=1)
    min_officers: int = Field(ge=1, le=4)
    officers_cite: str = Field(min_length=1)
    standby: Literal["required", "optional", "none"]
    standby_cite: str = Field(min_length=1)
    # A role is held by someone registered in it: a substitute is of the same level (12(5)).
    roles_cite: str = Field(min_length=1)
    # Rest: nobody on two night shifts in a row; hours off between two of one person's shifts.
    no_consecutive_nights: bool
    min_rest_hours: int = Field(ge=0, le=72)
    rest_cite: str = Field(min_length=1)
    # Filing with the upper office (报备): working days before the roster starts.
    filing_working_days: int = Field(ge=0, le=30)
    filing_cite: str = Field(min_length=1)
    # A holiday roster's own slots (a weekly desk keeps daily shifts through a holiday); None:
    # the profile's daily slots.
    holiday_slots: list[ShiftSlot] | None = None
    holiday_cite: str = Field(min_length=1)
    sensitive_cite: str = Field(min_length=1)
    # A change after filing: who approves it, and whether the upper office is told before the
    # changed shift starts.
    change_cite: str = Field(min_length=1)
    change_tell_upper: bool
    change_tell_cite: str = Field(min_length=1)
    hours_cite: str = Field(min_length=1)  # 补休和值班补贴 (the duty-hours tally)
    # The longest a shift leader may be recorded away (None: no limit); a longer absence is a
    # 替岗 in the roster instead.
    leader_away_max_hours: int | None = Field(default=None, ge=1, le=24 * 31)
    leader_away_cite: str = "office setting"
    whereabouts_cite: str = "common practice (the text sets no rule on the leader's whereabouts)"


# ---------------------------------------------------------------- leader rest (issue 17 QA)


class LeaderRest(_Strict):
    """A day leader's rest: the days off between two of one leader's duty days (1: never two
    days in a row). The texts set none: an office setting or common practice, cited so."""

    days_off: int = Field(ge=0, le=7)
    cite: str = Field(min_length=1)


class Profile(_Strict):
    profile: ProfileInfo
    shifts: Shifts
    eligibility: Eligibility
    calls: CallRules
    deadlines: list[DeadlineRule] = Field(default_factory=list)
    incidents: IncidentRules
    spotcheck: SpotCheckRules
    handover: HandoverRules
    roster: RosterRules | None = None  # issue 17; None: a profile from before rosters
    leader_rest: LeaderRest | None = None  # None: day leaders are not rest-checked
    documents: DocumentRules
    orders: OrderRules
    contacts: ContactRules

    @property
    def id(self) -> str:
        return self.profile.id

    def name(self, lang: str) -> str:
        return self.profile.name_zh if lang == "zh" else self.profile.name_en


def available_profiles() -> list[str]:
    return sorted(path.stem for path in profiles_dir().glob("*.toml"))


def load_profile_file(path: Path) -> Profile:
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise DutyError(
            "profile.unreadable", file=str(path), reason=exc.strerror or str(exc)
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DutyError("profile.invalid", file=str(path), field="-", reason=str(exc)) from exc
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "-"
        raise DutyError(
            "profile.invalid", file=str(path), field=field, reason=first["msg"]
        ) from exc
    if profile.id != path.stem:
        raise DutyError(
            "profile.invalid", file=str(path), field="profile.id", reason=f"must be {path.stem!r}"
        )
    return profile


@cache
def load_profile(profile_id: str) -> Profile:
    if profile_id not in available_profiles():
        raise DutyError("profile.unknown", name=profile_id, known=", ".join(available_profiles()))
    return load_profile_file(profiles_dir() / f"{profile_id}.toml")
