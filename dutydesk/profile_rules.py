"""Profile rules of the later registers (documents, orders, the phone list) and the strict base
every profile section shares; `dutydesk.profiles` reads them as part of a Profile."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_hhmm(value: str) -> str:
    if not _HHMM.match(value):
        raise ValueError("time must be HH:MM (24-hour)")
    return value


# ---------------------------------------------------------------- documents (issue 18)
DOCUMENT_URGENCIES = ("teji", "jiaji", "pingji", "putong")  # 特急 加急 平急 普通


class DocumentUrgency(StrictModel):
    """How long a document of one urgency may wait before it is passed on (交办): `minutes` from
    its receipt (急件: at once), or by `by_time` of the next working day (普通件: 次日)."""

    minutes: int | None = Field(default=None, gt=0)
    by_time: str | None = None
    cite: str = Field(min_length=1)

    _by = field_validator("by_time")(lambda value: None if value is None else check_hhmm(value))

    @model_validator(mode="after")
    def _one_limit(self) -> DocumentUrgency:
        if (self.minutes is None) == (self.by_time is None):
            raise ValueError("an urgency sets either minutes or by_time (next working day)")
        return self


class DocumentClosing(StrictModel):
    """Whether a document received but never passed on (交办) may be closed (办结): by default
    not (its 交办 deadline would vanish); a profile may allow it with the reason stated."""

    unrouted_with_reason: bool = False
    cite: str = "common practice (上级来文运转流程: a document received is passed on)"


class DocumentRules(StrictModel):
    register_cite: str = Field(min_length=1)  # 收发文登记
    classified_cite: str = Field(min_length=1)  # 涉密: metadata only
    closing: DocumentClosing = DocumentClosing()
    urgencies: dict[Literal[DOCUMENT_URGENCIES], DocumentUrgency]  # type: ignore[valid-type]  # mypy: no Literal from a tuple

    @field_validator("urgencies")
    @classmethod
    def _every_urgency(cls, value: dict[str, DocumentUrgency]) -> dict[str, DocumentUrgency]:
        missing = set(DOCUMENT_URGENCIES) - set(value)
        if missing:
            raise ValueError(f"urgencies missing: {sorted(missing)}")
        return value


# issue 18: orders after the district flow chart, the phone list


class OrderRules(StrictModel):
    """Orders (应急指令): who confirms a draft, by which channels an order goes out, and the time
    limits (None: the text sets none, shown as "尽快"). Each with its article."""

    confirm_role: Literal["director", "leader"]
    confirm_cite: str = Field(min_length=1)
    confirm_minutes: int | None = Field(default=None, gt=0)  # draft to decision
    dispatch_minutes: int | None = Field(default=None, gt=0)  # decision to first dispatch
    feedback_minutes: int | None = Field(default=None, gt=0)  # dispatch to reported back
    limits_cite: str = Field(min_length=1)
    channels: list[str] = Field(min_length=1)
    channels_cite: str = Field(min_length=1)


class ContactRules(StrictModel):
    """The phone list on the desk (常用电话号码表) and reporting its changes."""

    list_cite: str = Field(min_length=1)
    changes_cite: str = Field(min_length=1)
