"""The phone list (常用电话号码表, Tianjin art. 9(5)): units' duty phones, principals with their
post and phones, the upper offices. A change is a record (Henan 7(2)8: a principal's new post or
number is reported): a new row replacing the one in force, with the reason; a withdrawal is a new
row marked withdrawn. The newest row of each entry that is not withdrawn is the list."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem
from dutydesk.i18n import t
from dutydesk.models import Contact, ContactKind, Person
from dutydesk.services.core import audit, check_choice, check_name, check_phone, check_text
from dutydesk.services.core.validation import ascii_phone
from dutydesk.services.incidents.incident_common import raise_if

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk

KINDS = tuple(kind.value for kind in ContactKind)
FIELDS = ("kind", "name", "unit", "post", "phone", "mobile", "note")


@dataclass(frozen=True)
class ContactInput:
    kind: str
    name: str
    unit: str = ""
    post: str = ""
    phone: str = ""
    mobile: str = ""
    note: str = ""

    def cleaned(self) -> ContactInput:
        """Each field trimmed; the phones in ASCII (０３７１－… typed full-width), as stored."""
        kept = {f.name: getattr(self, f.name).strip() for f in fields(self)}
        return ContactInput(**kept | {n: ascii_phone(kept[n]).strip() for n in ("phone", "mobile")})

    @classmethod
    def of(cls, row: Contact) -> ContactInput:
        return cls(**{name: getattr(row, name) for name in FIELDS})


def check_contact(data: ContactInput) -> list[FieldProblem]:
    """What is wrong with an entry as typed (or read from a file), each field once."""
    problems: list[FieldProblem] = []
    check_choice(problems, "contact_kind", data.kind, KINDS)
    check_name(problems, "contact_name", data.name, required=True, max_length=100)
    check_name(problems, "contact_unit", data.unit, required=False, max_length=100)
    check_text(problems, "contact_post", data.post, required=False, max_length=100)
    check_phone(problems, "contact_phone", data.phone, required=False)
    check_phone(problems, "contact_mobile", data.mobile, required=False)
    check_text(problems, "contact_note", data.note, required=False, max_length=500)
    if not data.phone.strip() and not data.mobile.strip():
        problems.append(FieldProblem("contact_phone", "problem.required"))
    return problems


def _current_query() -> SelectOfScalar[Contact]:
    replaced = select(Contact.replaces_id).where(col(Contact.replaces_id).is_not(None))
    return select(Contact).where(col(Contact.id).not_in(replaced))


def same_entry(session: Session, data: ContactInput) -> Contact | None:
    """The entry in force for the same kind, name and unit, if any (withdrawn ones are not)."""
    statement = _current_query().where(
        Contact.kind == data.kind, Contact.name == data.name, Contact.unit == data.unit,
        col(Contact.withdrawn).is_(False),
    )  # fmt: skip
    row: Contact | None = session.exec(statement).first()
    return row


def insert_contact(session: Session, desk: Desk, recorder: Person, data: ContactInput, *,
                   replaces: int | None = None, reason: str = "",
                   withdrawn: bool = False) -> Contact:  # fmt: skip
    row = Contact(**{name: getattr(data, name) for name in FIELDS}, replaces_id=replaces,
                  reason=reason.strip(), withdrawn=withdrawn, recorded_at=desk.now(),
                  recorded_by_id=recorder.id)  # type: ignore[arg-type]  # fmt: skip
    session.add(row)
    session.flush()
    assert row.id is not None
    audit.append(session, "contact", row.id, desk.now())
    return row


def add_contact(desk: Desk, recorder: Person, data: ContactInput) -> Contact:
    """Put a new entry on the list; an entry already there is changed, not added twice."""
    data = data.cleaned()
    raise_if(check_contact(data))

    def _save() -> Contact:
        with write_session(desk.engine) as session:
            existing = same_entry(session, data)
            if existing is not None:
                raise DutyError("contact.exists", name=data.name, id=existing.id)
            return insert_contact(session, desk, recorder, data)

    return with_lock_retry(_save, desk.path)


def _in_force(session: Session, contact_id: int) -> Contact:
    row = session.get(Contact, contact_id)
    if row is None:
        raise DutyError("contact.unknown", id=contact_id)
    newer = session.exec(select(Contact.id).where(Contact.replaces_id == contact_id)).first()
    if newer is not None:
        raise DutyError("contact.replaced", id=contact_id, by=newer)
    if row.withdrawn:
        raise DutyError("contact.withdrawn", id=contact_id)
    return row


def change_contact(desk: Desk, contact_id: int, recorder: Person, data: ContactInput,
                   reason: str) -> Contact:  # fmt: skip
    """Record a change of an entry in force (new post, new number): a new row replacing it."""
    data = data.cleaned()
    problems = check_contact(data)
    check_text(problems, "contact_reason", reason, required=True, max_length=500)
    raise_if(problems)

    def _save() -> Contact:
        with write_session(desk.engine) as session:
            old = _in_force(session, contact_id)
            if ContactInput.of(old) == data:
                raise DutyError("contact.same", id=contact_id)
            return insert_contact(session, desk, recorder, data, replaces=contact_id,
                                  reason=reason)  # fmt: skip

    return with_lock_retry(_save, desk.path)


def withdraw_contact(desk: Desk, contact_id: int, recorder: Person, reason: str) -> Contact:
    problems: list[FieldProblem] = []
    check_text(problems, "contact_reason", reason, required=True, max_length=500)
    raise_if(problems)

    def _save() -> Contact:
        with write_session(desk.engine) as session:
            old = _in_force(session, contact_id)
            return insert_contact(session, desk, recorder, ContactInput.of(old),
                                  replaces=contact_id, reason=reason, withdrawn=True)  # fmt: skip

    return with_lock_retry(_save, desk.path)


def current_contacts(desk: Desk, query: str = "") -> list[Contact]:
    """The list in force, by kind then name; `query` filters on name, unit, post and phones."""
    order = {kind: index for index, kind in enumerate(KINDS)}
    with read_session(desk.engine) as session:
        statement = _current_query().where(col(Contact.withdrawn).is_(False))
        text = query.strip()
        if text:
            like = f"%{text}%"
            statement = statement.where(
                col(Contact.name).like(like) | col(Contact.unit).like(like)
                | col(Contact.post).like(like) | col(Contact.phone).like(like)
                | col(Contact.mobile).like(like)
            )  # fmt: skip
        rows = list(session.exec(statement))
    return sorted(rows, key=lambda row: (order.get(row.kind, 99), row.unit, row.name))


def contact_history(desk: Desk, contact_id: int) -> list[Contact]:
    """Every version of the entry `contact_id` belongs to, oldest first."""
    with read_session(desk.engine) as session:
        row = session.get(Contact, contact_id)
        if row is None:
            raise DutyError("contact.unknown", id=contact_id)
        chain = [row]
        while chain[0].replaces_id is not None:
            earlier = session.get(Contact, chain[0].replaces_id)
            assert earlier is not None  # a foreign key
            chain.insert(0, earlier)
        while True:
            later = session.exec(select(Contact).where(Contact.replaces_id == chain[-1].id)).first()
            if later is None:
                return chain
            chain.append(later)


def known_phones(desk: Desk) -> dict[str, str]:
    """Name → the phones the list holds for it, for the call form's completion: a unit's and
    an upper office's duty phone, a principal's (under their name and "unit name")."""
    known: dict[str, str] = {}
    for row in current_contacts(desk):
        phones = " / ".join(p for p in (row.phone, row.mobile) if p)
        known.setdefault(row.name, phones)
        if row.kind == ContactKind.principal.value and row.unit:
            known.setdefault(f"{row.unit} {row.name}", phones)
    return known


def contact_to_json(row: Contact, desk: Desk) -> dict[str, Any]:
    return {
        "id": row.id,
        **{name: getattr(row, name) for name in FIELDS},
        "kind_label": t(f"contact_kind.{row.kind}"),
        "replaces": row.replaces_id,
        "reason": row.reason,
        "withdrawn": row.withdrawn,
        "recorded_at": row.recorded_at.in_timezone(desk.timezone).isoformat(),
    }
