"""The phone list (常用电话号码表, Tianjin art. 9(5)): units' duty phones, principals with their
post and phones, and the upper offices. Append-only: a change (a principal's new post or number,
Henan 7(2)8) is a new row that replaces the one before (`replaces_id`), with the reason; a
contact taken off the list is a new row marked `withdrawn`."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp


class ContactKind(StrEnum):
    unit = "unit"  # a unit's duty phone (值班电话)
    principal = "principal"  # a unit's principal (主要负责人) with post and phones
    upper_office = "upper"  # an upper office (上级值班室)


class Contact(SQLModel, table=True):
    """One version of one entry in the phone list. The newest version of an entry (the row no
    other row replaces) is in force unless it is withdrawn."""

    __tablename__ = "contact"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # ContactKind
    name: str = Field(max_length=100, index=True)  # the unit, the person or the office
    unit: str = Field(default="", max_length=100)  # a principal's unit
    post: str = Field(default="", max_length=100)  # a principal's post (职务)
    phone: str = Field(default="", max_length=40)  # duty or office phone
    mobile: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=500)
    replaces_id: int | None = Field(default=None, foreign_key="contact.id", unique=True)
    reason: str = Field(default="", max_length=500)  # why it changed (for a replacing row)
    withdrawn: bool = False
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
