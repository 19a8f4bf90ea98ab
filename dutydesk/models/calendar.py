from __future__ import annotations

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class CalendarYear(SQLModel, table=True):
    """A year's official calendar from the State Council's notice, as imported into the register
    (`dutydesk calendar import`). Append-only: importing the year again adds a row that
    supersedes this one; the newest row of a year is the one in force."""

    __tablename__ = "calendar_year"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    notice_title: str = Field(max_length=300)
    # Sorted JSON objects {"YYYY-MM-DD": HolidayCode}: the days off and the swapped working days.
    days_off: str = Field(max_length=20000)
    workdays: str = Field(max_length=20000)
    notice_text: str = Field(max_length=50000)  # the notice as read, kept with the record
    supersedes_id: int | None = Field(default=None, foreign_key="calendar_year.id")
    entered_by_id: int = Field(foreign_key="person.id")
    entered_at: Timestamp = Field(sa_type=AwareDateTime)
