from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class Role(StrEnum):
    leader = "leader"  # 带班领导
    officer = "officer"  # 值班员
    standby = "standby"  # 值守人员
    director = "director"  # 区应急办主任: confirms orders (district flow chart)
    admin = "admin"  # 管理员: keeps the people register and PINs; sits no shift in that role


class PersonActKind(StrEnum):
    """What an administrator authorised (or what made the first administrator)."""

    added = "added"  # a person entered in the register, with role and eligibility
    first_pin = "first_pin"  # a first PIN for someone who had none
    pin_reset = "pin_reset"  # a forgotten PIN replaced
    first_admin = "first_admin"  # the register's first administrator (at init), unauthorised
    restored_admin = "restored_admin"  # an administrator's PIN set when restoring an archive
    office_changed = "office_changed"  # the office's name, time zone, profile or tolerance


class Person(SQLModel, table=True):
    """Someone who may sit a shift. Eligibility follows Tianjin art. 6."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    role: str = Field(max_length=10)
    staff: bool = True  # 在编
    in_post_since: date | None = None
    trained: bool = True
    created_at: Timestamp = Field(sa_type=AwareDateTime)


class Shift(SQLModel, table=True):
    """One shift (班次) as opened at the desk: who was on duty, from when to when."""

    __tablename__ = "shift"

    id: int | None = Field(default=None, primary_key=True)
    slot_code: str = Field(max_length=20)
    starts_at: Timestamp = Field(sa_type=AwareDateTime, index=True)
    ends_at: Timestamp = Field(sa_type=AwareDateTime)
    officer_id: int = Field(foreign_key="person.id")  # 值班员
    leader_id: int | None = Field(default=None, foreign_key="person.id")  # 带班领导
    standby_id: int | None = Field(default=None, foreign_key="person.id")  # 值守人员
    opened_at: Timestamp = Field(sa_type=AwareDateTime)


class ShiftSecondOfficer(SQLModel, table=True):
    """The second duty officer (第二值班员) of a shift, where the profile requires two officers
    per shift (Henan 三(一): 双人专职24小时值班). Written with the shift, never changed."""

    __tablename__ = "shift_second_officer"

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id", unique=True)
    person_id: int = Field(foreign_key="person.id")
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)


class PersonAct(SQLModel, table=True):
    """One authorised act on the people register, naming the administrator who authorised it
    (None only for the first administrator at init and for the PIN set at a restore)."""

    __tablename__ = "person_act"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # whom the act concerns
    kind: str = Field(max_length=20)
    authorised_by_id: int | None = Field(default=None, foreign_key="person.id")
    detail: str = Field(default="", max_length=400)  # e.g. the role and eligibility (JSON)
    at: Timestamp = Field(sa_type=AwareDateTime)
