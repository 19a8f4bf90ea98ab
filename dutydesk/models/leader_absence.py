"""Where the shift leader is (Tianjin art. 16(2): 清楚带班领导所在位置). A leader who leaves the
post is recorded as away, with where they are, how to reach them, who of the same level stands
in (art. 12(5)) and until when; an early return is a new row. Both append-only and chained."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class LeaderAbsence(SQLModel, table=True):
    """A shift leader away from the post from `starts_at` until `until`. A later entry for the
    same leader (an extension, a new place) takes over from the earlier one."""

    __tablename__ = "leader_absence"

    id: int | None = Field(default=None, primary_key=True)
    shift_id: int = Field(foreign_key="shift.id")  # the shift on duty when it was recorded
    leader_id: int = Field(foreign_key="person.id", index=True)  # 带班领导 away
    stands_in_id: int = Field(foreign_key="person.id")  # 替岗: a leader of the same level
    whereabouts: str = Field(max_length=200)  # 所在位置
    contact: str = Field(max_length=40)  # how to reach the leader while away
    reason: str = Field(default="", max_length=200)
    starts_at: Timestamp = Field(sa_type=AwareDateTime)
    until: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)


class LeaderReturn(SQLModel, table=True):
    """The leader back at the post before the absence's `until`: the absence ends here."""

    __tablename__ = "leader_return"

    id: int | None = Field(default=None, primary_key=True)
    absence_id: int = Field(foreign_key="leader_absence.id", unique=True)
    returned_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
