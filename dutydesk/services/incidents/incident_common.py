"""What the incident, verification, instruction and deadline services share: inserting a row
with its audit link, the shift open at a time, checks of times typed by the officer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.models import Person, Shift
from dutydesk.services.core import audit, check_record_time
from dutydesk.services.roster import shift_covering

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

SHORT_LABEL = 24  # characters of a text shown in a one-line label


class _Row(Protocol):
    id: int | None


RowT = TypeVar("RowT", bound=_Row)


def add_row(session: Session, desk: Desk, row: RowT, table: str) -> RowT:
    """Insert `row` and append its audit link, in the caller's transaction."""
    session.add(row)
    session.flush()
    assert row.id is not None  # flushed: the store has given it its id
    audit.append(session, table, row.id, desk.now())
    return row


def shift_at(session: Session, at: DateTime) -> Shift | None:
    """The shift on duty at `at`, read inside the caller's transaction (the one rule in
    services/roster/shifts.shift_covering)."""
    return shift_covering(session, at)


def check_time(
    problems: list[FieldProblem],
    desk: Desk,
    field: str,
    value: DateTime | None,
    *,
    required: bool = True,
    not_before: DateTime | None = None,
    not_before_field: str = "",
    since_register: bool = True,
) -> None:
    """A time the officer typed: present if required, not in the future, not before the
    register was created unless `since_register` is False (when an event happened), not before
    `not_before` (e.g. a reply before the request came)."""
    if value is None:
        if required:
            problems.append(FieldProblem(field, "problem.required"))
        return
    if not check_record_time(problems, desk, field, value, since_register=since_register):
        return
    # Officers type times to the minute: a time in the same minute as `not_before` (a reply
    # phoned at 20:55 to a request logged at 20:55:40) is not earlier.
    if not_before is not None and value < not_before.replace(second=0, microsecond=0):
        from dutydesk.i18n import t

        problems.append(
            FieldProblem(
                field,
                "incident_problem.before",
                other=t(f"field.{not_before_field}"),
                at=not_before.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm"),
            )
        )


def raise_if(problems: list[FieldProblem]) -> None:
    if problems:
        raise ValidationFailed(problems)


def person_name(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return person.name if person else "?"


def short(text: str, limit: int = SHORT_LABEL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def whole_number(value: str | None, field: str) -> int | None:
    """A count or an id typed by the user (None stays None), refused in the user's language."""
    if value is None:
        return None
    text = value.strip()
    if not text.isdecimal():
        raise DutyError("incident_problem.not_a_number", field=_field(field), value=value)
    return int(text)


def _field(field: str) -> str:
    from dutydesk.i18n import t

    return t(f"field.{field}")


LARGEST_ID = 2**63 - 1  # SQLite's largest INTEGER: a larger number is no row's id


def storable_id(row_id: int) -> bool:
    """Whether `row_id` can be any row's id: larger than SQLite's INTEGER, looking it up raised
    OverflowError, and the board's Ctrl+G with 99999999999999999999 closed the app (breaker)."""
    return 0 < row_id <= LARGEST_ID


def get_row(desk: Desk, model: type[RowT], row_id: int, unknown_key: str) -> RowT:
    """One row by id, or a DutyError naming it."""
    from dutydesk.db import read_session

    if not storable_id(row_id):
        raise DutyError("db.no_such_record")  # as the command line says it (db.translate)
    with read_session(desk.engine) as session:
        row = session.get(model, row_id)
    if row is None:
        raise DutyError(unknown_key, id=row_id)
    return row


class _Received(Protocol):
    id: int | None
    received_at: DateTime


ReceivedT = TypeVar("ReceivedT", bound=_Received)


def newest_rows(desk: Desk, model: type[ReceivedT], limit: int, max_limit: int) -> list[ReceivedT]:
    """The newest rows by time received (then id), at most `limit` (clamped to 1..max_limit)."""
    from dutydesk.db import read_session

    limit = max(1, min(limit, max_limit))
    with read_session(desk.engine) as session:
        statement = (
            select(model).order_by(col(model.received_at).desc(), col(model.id).desc()).limit(limit)
        )
        return list(session.exec(statement))


def children(desk: Desk, model: type[RowT], parent_column: int, parent_id: int) -> list[RowT]:
    """The rows of `model` linked to one parent, oldest first. `parent_column` is the model's
    column (e.g. `VerificationReply.verification_id`), which SQLModel types as its value."""
    from dutydesk.db import read_session

    with read_session(desk.engine) as session:
        statement = select(model).where(parent_column == parent_id).order_by(col(model.id))
        return list(session.exec(statement))
