"""Spot checks (值班抽查) of the subordinate units' duty desks: the units, each round drawn, the
outcome of each check and the closing of a round. All append-only: a unit's activation
changes, a retry and a closure are new rows."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class UnitKind(StrEnum):
    township = "township"  # 乡镇
    subdistrict = "subdistrict"  # 街道
    park = "park"  # 园区
    department = "department"  # 区直部门
    key_area = "key_area"  # 重点区域


class SpotcheckUnit(SQLModel, table=True):
    """A unit to be checked (被抽查对象) and its duty phone, as first registered."""

    __tablename__ = "spotcheck_unit"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: str = Field(max_length=20)
    duty_phone: str = Field(max_length=40)  # 值班电话
    active: bool = True  # as registered; later changes are SpotcheckUnitStatus rows
    created_at: Timestamp = Field(sa_type=AwareDateTime)


class SpotcheckUnitStatus(SQLModel, table=True):
    """A unit taken out of (or put back into) the draw. The latest row for a unit is in force."""

    __tablename__ = "spotcheck_unit_status"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="spotcheck_unit.id", index=True)
    active: bool
    reason: str = Field(default="", max_length=500)
    changed_at: Timestamp = Field(sa_type=AwareDateTime)


class SpotcheckRound(SQLModel, table=True):
    """One draw (一次抽查): the seed and the inputs it was drawn from, so it can be replayed."""

    __tablename__ = "spotcheck_round"

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", index=True)
    drawn_at: Timestamp = Field(sa_type=AwareDateTime)
    drawn_by_id: int = Field(foreign_key="person.id")
    seed: int
    rate: float | None = None  # the quota rate in force; None: the profile sets none
    required: int  # the fewest units the quota allowed (ceil(rate x active units))
    active_units: int  # how many units were active at the draw
    inputs: str  # sampling.SampleInputs as JSON
    drawn: str  # JSON list of unit ids, in the order drawn


class SpotcheckOutcome(SQLModel, table=True):
    """The result of checking one drawn unit. A retry after no answer is a new row; the latest
    one counts. An answered result is not recorded again: a correction is a new row linked to
    the one it replaces by a SpotcheckCorrection."""

    __tablename__ = "spotcheck_outcome"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="spotcheck_round.id", index=True)
    unit_id: int = Field(foreign_key="spotcheck_unit.id", index=True)
    method: str = Field(max_length=10)  # phone | video | radio | onsite
    checked_at: Timestamp = Field(sa_type=AwareDateTime)
    answered: bool
    answered_by: str = Field(default="", max_length=50)  # 接听人
    on_roster: bool | None = None  # whether that person is the one on the unit's roster
    faults: str = Field(default="[]", max_length=400)  # JSON list of fault codes (profile)
    note: str = Field(default="", max_length=1000)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class SpotcheckClosure(SQLModel, table=True):
    """A round closed; `unreached` gives the reason for each drawn unit left without outcome."""

    __tablename__ = "spotcheck_closure"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="spotcheck_round.id", unique=True)
    closed_at: Timestamp = Field(sa_type=AwareDateTime)
    closed_by_id: int = Field(foreign_key="person.id")
    unreached: str = Field(default="{}")  # JSON {unit id: reason}


class SpotcheckCorrection(SQLModel, table=True):
    """A recorded outcome put right (更正): `outcome_id` is the new outcome row, written in the
    same transaction, that takes the place of `corrects_id`, with the reason. An outcome is
    corrected at most once; a correction of a correction corrects the newer row."""

    __tablename__ = "spotcheck_correction"

    id: int | None = Field(default=None, primary_key=True)
    outcome_id: int = Field(foreign_key="spotcheck_outcome.id", unique=True)
    corrects_id: int = Field(foreign_key="spotcheck_outcome.id", unique=True)
    reason: str = Field(max_length=500)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
