"""PINs (签字密码) and signing in with them.

A PIN is kept only as a slow salted hash (hashlib.scrypt, a fresh salt per PIN); it is never
stored, returned or logged in clear. Every sign-in is recorded; after the profile's number of
wrong tries in a row the person is locked out for the profile's number of minutes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.models import Person, PersonPin, PinAttempt
from dutydesk.services import audit

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.desk import Desk

# scrypt cost (RFC 7914's interactive setting, ~16 MiB and tens of milliseconds per try).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 64
PURPOSE_HANDOVER = "handover"
PURPOSE_SET_PIN = "set_pin"


@dataclass(frozen=True)
class SignIn:
    """A person whose PIN was just checked: what a signature is made from."""

    person: Person
    at: DateTime

    @property
    def name(self) -> str:
        return self.person.name


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> str:
    digest = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=HASH_BYTES
    )
    return digest.hex()


def check_new_pin(pin: str, again: str) -> None:
    """A new PIN typed twice: the same both times, long enough, digits and letters only."""
    if pin != again:
        raise DutyError("handover_pin.mismatch")
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        raise DutyError("handover_pin.bad_length", min=PIN_MIN_LENGTH, max=PIN_MAX_LENGTH)
    if not pin.isascii() or not pin.isalnum():
        raise DutyError("handover_pin.bad_characters")


def _person(session: Session, name: str) -> Person:
    person = session.exec(select(Person).where(Person.name == name)).first()
    if person is None:
        raise DutyError("people.unknown", name=name)
    return person


def _current_pin(session: Session, person_id: int) -> PersonPin | None:
    statement = (
        select(PersonPin)
        .where(PersonPin.person_id == person_id)
        .order_by(PersonPin.id.desc())  # type: ignore[union-attr]
        .limit(1)
    )
    return session.exec(statement).first()


def has_pin(desk: Desk, name: str) -> bool:
    with read_session(desk.engine) as session:
        person = _person(session, name)
        assert person.id is not None
        return _current_pin(session, person.id) is not None


def locked_until(session: Session, person_id: int, max_tries: int, lockout_minutes: int):
    """When the person's lockout ends (None if not locked out), from their attempts in order:
    `max_tries` wrong PINs in a row lock them out; a right PIN or the end of a lockout starts
    the count again."""
    attempts = session.exec(
        select(PinAttempt).where(PinAttempt.person_id == person_id).order_by(PinAttempt.id)  # type: ignore[arg-type]
    ).all()
    wrong = 0
    until: DateTime | None = None
    for attempt in attempts:
        if until is not None and attempt.at >= until:
            until = None
        if attempt.ok:
            wrong = 0
            continue
        wrong += 1
        if wrong >= max_tries:
            until = attempt.at.add(minutes=lockout_minutes)
            wrong = 0
    return until


def _wrong_in_a_row(session: Session, person_id: int) -> int:
    wrong = 0
    for attempt in session.exec(
        select(PinAttempt).where(PinAttempt.person_id == person_id).order_by(PinAttempt.id.desc())  # type: ignore[union-attr]
    ):
        if attempt.ok:
            break
        wrong += 1
    return wrong


def verify_pin(desk: Desk, name: str, pin: str, purpose: str = PURPOSE_HANDOVER) -> SignIn:
    """Check `name`'s PIN. Raises (after recording the try) on a wrong PIN; refuses without
    trying while the person is locked out."""
    rules = desk.profile.handover
    now = desk.now()

    def _check() -> tuple[SignIn | None, DutyError | None]:
        with write_session(desk.engine) as session:
            person = _person(session, name)
            assert person.id is not None
            until = locked_until(session, person.id, rules.pin_max_tries, rules.pin_lockout_minutes)
            if until is not None and now < until:
                minutes = max(1, -(-int((until - now).total_seconds()) // 60))
                return None, DutyError("handover_pin.locked", name=name, minutes=minutes)
            stored = _current_pin(session, person.id)
            if stored is None:
                return None, DutyError("handover_pin.not_set", name=name)
            candidate = _hash(pin, bytes.fromhex(stored.salt), stored.cost_n, stored.cost_r,
                              stored.cost_p)  # fmt: skip
            ok = hmac.compare_digest(candidate, stored.pin_hash)
            attempt = PinAttempt(person_id=person.id, at=now, ok=ok, purpose=purpose)
            session.add(attempt)
            session.flush()
            assert attempt.id is not None
            audit.append(session, "pin_attempt", attempt.id, now)
            if ok:
                return SignIn(person, now), None
            until = locked_until(session, person.id, rules.pin_max_tries, rules.pin_lockout_minutes)
            if until is not None and now < until:
                return None, DutyError(
                    "handover_pin.now_locked", name=name, minutes=rules.pin_lockout_minutes
                )
            left = rules.pin_max_tries - _wrong_in_a_row(session, person.id) % rules.pin_max_tries
            return None, DutyError("handover_pin.wrong", name=name, left=left)

    # The attempt is committed before a wrong PIN is reported, so it counts towards the lockout.
    signed, error = with_lock_retry(_check, desk.path)
    if error is not None:
        raise error
    assert signed is not None
    return signed


def set_pin(desk: Desk, name: str, new_pin: str, again: str, current: str | None = None) -> None:
    """Set `name`'s PIN (typed twice). Changing an existing PIN needs the current one, so
    nobody can reset a colleague's PIN and sign in their place."""
    check_new_pin(new_pin, again)
    if has_pin(desk, name):
        if current is None:
            raise DutyError("handover_pin.current_needed", name=name)
        verify_pin(desk, name, current, purpose=PURPOSE_SET_PIN)
    salt = secrets.token_bytes(SALT_BYTES)
    pin_hash = _hash(new_pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)

    def _save() -> None:
        with write_session(desk.engine) as session:
            person = _person(session, name)
            assert person.id is not None
            row = PersonPin(
                person_id=person.id,
                pin_hash=pin_hash,
                salt=salt.hex(),
                cost_n=SCRYPT_N,
                cost_r=SCRYPT_R,
                cost_p=SCRYPT_P,
                set_at=desk.now(),
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            audit.append(session, "person_pin", row.id, desk.now())

    with_lock_retry(_save, desk.path)
