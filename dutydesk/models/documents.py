"""The document register (收发文登记): documents received and sent (District 值班工作职责 一,
Tianjin art. 16(3)), where each was passed on (交办), its follow-up (督办) and its closing. All
append-only: a routing, a follow-up entry or the closing is a new row linked to the document."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from dutydesk.models.types import AwareDateTime, Timestamp

DIRECTIONS = ("in", "out")  # 收文 | 发文
KINDS = ("fax", "letter", "file", "telegram")  # 传真 | 信函 | 文件 | 电报
URGENCIES = ("teji", "jiaji", "pingji", "putong")  # 特急 | 加急 | 平急 | 普通


class Document(SQLModel, table=True):
    """One document as registered. A classified (涉密) one holds its metadata only: its body is
    always empty (Henan 6(7): nothing classified on an unclassified computer)."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    direction: str = Field(max_length=3)  # in | out
    number: str = Field(default="", max_length=100)  # 文号, e.g. 津政办发〔2026〕12号
    party: str = Field(max_length=200)  # from whom (incoming) or to whom (outgoing)
    title: str = Field(max_length=500)
    kind: str = Field(max_length=10)
    urgency: str = Field(max_length=10)
    classified: bool = False
    body: str = Field(default="", max_length=4000)
    # received (incoming) or sent (outgoing): the time its handling deadline counts from
    moved_at: Timestamp = Field(sa_type=AwareDateTime, index=True)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
    shift_id: int | None = Field(default=None, foreign_key="shift.id")


class DocumentRouting(SQLModel, table=True):
    """Passed on (交办): to whom, when and how (phone, fax, by hand...)."""

    __tablename__ = "document_routing"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    routed_to: str = Field(max_length=200)
    routed_at: Timestamp = Field(sa_type=AwareDateTime)
    channel: str = Field(max_length=50)
    note: str = Field(default="", max_length=1000)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class DocumentFollowup(SQLModel, table=True):
    """A follow-up entry (督办): what was asked or learned of the handling, and when."""

    __tablename__ = "document_followup"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    followed_at: Timestamp = Field(sa_type=AwareDateTime)
    text: str = Field(max_length=2000)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")


class DocumentClosure(SQLModel, table=True):
    """The document's handling is finished (办结). At most one per document."""

    __tablename__ = "document_closure"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True)
    closed_at: Timestamp = Field(sa_type=AwareDateTime)
    note: str = Field(default="", max_length=1000)
    recorded_at: Timestamp = Field(sa_type=AwareDateTime)
    recorded_by_id: int = Field(foreign_key="person.id")
