"""PINs (签字密码) and signing in with them.

A PIN is kept only as a slow salted hash (hashlib.scrypt, a fresh salt per PIN); it is never
stored, returned or logged in clear. Every sign-in is recorded; after the profile's number of
wrong tries in a row the person is locked out for the profile's number of minutes, counted from
now at most: a clock that jumped forward and back cannot lock anyone out for longer.

A first PIN, or a forgotten one replaced, needs an administrator's authority (services/
authority.py); changing one's own PIN needs the current one. A PIN row whose hash is blank was
redacted in an archive's snapshot (services/export_snapshot.py): after a restore it counts as no
PIN, and verify accepts it only before the restore's chained record (services/restore_record.py)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError
from dutydesk.models import Person, PersonActKind, PersonPin, PinAttempt
from dutydesk.services.core import audit

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.services.core import Desk
    from dutydesk.services.roster.authority import Authority

# scrypt cost (RFC 7914's interactive setting, ~16 MiB and tens of milliseconds per try).
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PIN_MIN_LENGTH = 6
PIN_MAX_LENGTH = 64
PURPOSE_HANDOVER = "handover"
PURPOSE_SET_PIN = "set_pin"
PURPOSE_AUTHORISE = "authorise"
# Not a try: written when a lockout is found to end more than its period from now (the clock
# went back); the lockout then ends its period after this row.
PURPOSE_CLOCK_BACK = "clock_back"
# A table the archive's snapshot gets when its PIN hashes are blanked: verify of the snapshot
# (vouched for by its manifest) accepts a person_pin row with a blank hash and salt (see
# services/verify.py), and has_pin reads it as none. In a live register it proves nothing: there
# only a chained restore record does (services/restore_record.py).
REDACTION_MARK = "pin_redaction"


@dataclass(frozen=True)
class SignIn:
    """A person whose PIN was just checked: what a signature is made from."""

    person: Person
    at: DateTime
    pin_outdated: bool = False  # the PIN was set under an older, weaker rule: ask for a new one

    @property
    def name(self) -> str:
        return self.person.name


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> str:
    digest = hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=HASH_BYTES
    )
    return digest.hex()


def pin_weakness(pin: str) -> DutyError | None:
    """Why `pin` is not acceptable as a new PIN (None if it is): at least PIN_MIN_LENGTH ASCII
    digits; not all one digit; not a run up or down, also across 9-0 (123456, 654321, 890123,
    432109); not a shorter block repeated (121212, 123123); not one digit with a single other
    one (000001, 100000). Each is among the first PINs an attacker tries."""
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        return DutyError("handover_pin.bad_length", min=PIN_MIN_LENGTH, max=PIN_MAX_LENGTH)
    if not (pin.isascii() and pin.isdigit()):
        return DutyError("handover_pin.bad_characters")
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps == {0}:
        return DutyError("handover_pin.one_digit")
    if steps in ({1}, {9}):
        return DutyError("handover_pin.straight_run")
    if any(pin == pin[:size] * (len(pin) // size) for size in range(2, len(pin) // 2 + 1)):
        return DutyError("handover_pin.repeated_block")
    if len(set(pin)) == 2 and min(pin.count(digit) for digit in set(pin)) == 1:
        return DutyError("handover_pin.one_odd_digit")
    return None


def check_new_pin(pin: str, again: str) -> None:
    """A new PIN typed twice: the same both times, and not weak (pin_weakness)."""
    if pin != again:
        raise DutyError("handover_pin.mismatch")
    weakness = pin_weakness(pin)
    if weakness is not None:
        raise weakness


def _person(session: Session, name: str) -> Person:
    """The person a typed name means, found as every other lookup finds them (NFC, trimmed)."""
    from dutydesk.services.roster.people import person_named

    person = person_named(session, name)
    if person is None:
        raise DutyError("people.unknown", name=name)
    return person


def _current_pin(session: Session, person_id: int) -> PersonPin | None:
    statement = (
        select(PersonPin)
        .where(PersonPin.person_id == person_id)
        .order_by(col(PersonPin.id).desc())
        .limit(1)
    )
    row = session.exec(statement).first()
    return row if row is not None and row.pin_hash else None  # blank: redacted in an archive


def has_pin(desk: Desk, name: str) -> bool:
    with read_session(desk.engine) as session:
        person = _person(session, name)
        assert person.id is not None
        return _current_pin(session, person.id) is not None


def locked_until(
    session: Session, person_id: int, max_tries: int, lockout_minutes: int, now: DateTime
) -> DateTime | None:
    """When the person's lockout ends (None if not locked out), from their attempts in order:
    `max_tries` wrong PINs in a row lock them out; a right PIN or the end of a lockout starts
    the count again. Never later than `lockout_minutes` after `now`, whatever times are stored;
    a clock-back row (PURPOSE_CLOCK_BACK) ends the lockout its period after it was written."""
    attempts = session.exec(
        select(PinAttempt).where(PinAttempt.person_id == person_id).order_by(col(PinAttempt.id))
    ).all()
    wrong = 0
    until: DateTime | None = None
    for attempt in attempts:
        if until is not None and attempt.at >= until:
            until = None
        if attempt.purpose == PURPOSE_CLOCK_BACK:
            if until is not None:
                until = min(until, attempt.at.add(minutes=lockout_minutes))
            continue
        if attempt.ok:
            wrong = 0
            continue
        wrong += 1
        if wrong >= max_tries:
            until = attempt.at.add(minutes=lockout_minutes)
            wrong = 0
    if until is None or until <= now:
        return None
    return min(until, now.add(minutes=lockout_minutes))


def _stored_lock_too_long(
    session: Session, person_id: int, max_tries: int, lockout_minutes: int, now: DateTime
) -> bool:
    """A lockout stored to end more than its period from now: the clock went back."""
    far = now.add(minutes=lockout_minutes + 1)
    return locked_until(session, person_id, max_tries, lockout_minutes, far) is not None


def _record(session: Session, person_id: int, now: DateTime, ok: bool, purpose: str) -> None:
    attempt = PinAttempt(person_id=person_id, at=now, ok=ok, purpose=purpose)
    session.add(attempt)
    session.flush()
    assert attempt.id is not None
    audit.append(session, "pin_attempt", attempt.id, now)


def _wrong_in_a_row(session: Session, person_id: int) -> int:
    wrong = 0
    for attempt in session.exec(
        select(PinAttempt)
        .where(PinAttempt.person_id == person_id)
        .order_by(col(PinAttempt.id).desc())
    ):
        if attempt.purpose == PURPOSE_CLOCK_BACK:
            continue
        if attempt.ok:
            break
        wrong += 1
    return wrong


def verify_pin(desk: Desk, name: str, pin: str, purpose: str = PURPOSE_HANDOVER) -> SignIn:
    """Check `name`'s PIN. Raises (after recording the try) on a wrong PIN; refuses without
    trying while the person is locked out."""
    if not pin.strip():  # nothing typed: not a try (it would spend one of the few allowed)
        raise DutyError("handover_pin.empty", name=name)
    rules = desk.profile.handover
    now = desk.now()

    def _check() -> tuple[SignIn | None, DutyError | None]:
        with write_session(desk.engine) as session:
            person = _person(session, name)
            assert person.id is not None
            tries, minutes = rules.pin_max_tries, rules.pin_lockout_minutes
            until = locked_until(session, person.id, tries, minutes, now)
            if until is not None:
                if _stored_lock_too_long(session, person.id, tries, minutes, now):
                    _record(session, person.id, now, False, PURPOSE_CLOCK_BACK)
                left = max(1, -(-int((until - now).total_seconds()) // 60))
                return None, DutyError("handover_pin.locked", name=person.name, minutes=left)
            stored = _current_pin(session, person.id)
            if stored is None:
                return None, DutyError("handover_pin.not_set", name=person.name)
            candidate = _hash(pin, bytes.fromhex(stored.salt), stored.cost_n, stored.cost_r,
                              stored.cost_p)  # fmt: skip
            ok = hmac.compare_digest(candidate, stored.pin_hash)
            _record(session, person.id, now, ok, purpose)
            if ok:
                return SignIn(person, now, pin_weakness(pin) is not None), None
            until = locked_until(session, person.id, tries, minutes, now)
            if until is not None:
                return None, DutyError(
                    "handover_pin.now_locked", name=person.name, minutes=rules.pin_lockout_minutes
                )
            left = rules.pin_max_tries - _wrong_in_a_row(session, person.id) % rules.pin_max_tries
            return None, DutyError("handover_pin.wrong", name=person.name, left=left)

    # The attempt is committed before a wrong PIN is reported, so it counts towards the lockout.
    signed, error = with_lock_retry(_check, desk.path)
    if error is not None:
        raise error
    assert signed is not None
    return signed


def set_pin(
    desk: Desk,
    name: str,
    new_pin: str,
    again: str,
    current: str | None = None,
    *,
    authority: Authority | None = None,
) -> None:
    """Set `name`'s PIN (typed twice). Changing one's own PIN needs the current one; a first PIN,
    or replacing a forgotten one, needs an administrator's authority (and is recorded as their
    act), so nobody can give a colleague a PIN and sign in their place."""
    from dutydesk.services.roster.authority import check

    check_new_pin(new_pin, again)
    kind = None
    if authority is not None:
        check(desk, authority)
        kind = PersonActKind.pin_reset if has_pin(desk, name) else PersonActKind.first_pin
    elif has_pin(desk, name):
        if current is None:
            raise DutyError("handover_pin.current_needed", name=name)
        verify_pin(desk, name, current, purpose=PURPOSE_SET_PIN)
    else:
        raise DutyError("authority.first_pin", name=name)
    salt = secrets.token_bytes(SALT_BYTES)
    pin_hash = _hash(new_pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)

    def _save() -> None:
        from dutydesk.services.roster.authority import record_act

        with write_session(desk.engine) as session:
            person = _person(session, name)
            assert person.id is not None
            if kind is not None:  # first: a restore's grant holds only while no PIN was set since
                assert authority is not None
                record_act(session, desk, person, kind, authority)
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


def redact_pins(copy: sqlite3.Connection) -> None:
    """PIN hashes never leave the register: blank them in an archive's copy (export_snapshot.py;
    secure_delete overwrites the old bytes) and leave the mark by which verify of the snapshot
    accepts the blanked rows, whose links can no longer be recomputed, and has_pin reads them as
    no PIN (a restored register's PINs are set again by an administrator)."""
    copy.execute("PRAGMA secure_delete = ON")
    guard = copy.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'person_pin_no_update'"
    ).fetchone()
    if guard is not None:
        copy.execute("DROP TRIGGER person_pin_no_update")
    copy.execute("UPDATE person_pin SET pin_hash = '', salt = ''")
    if guard is not None:
        copy.execute(guard[0])
    copy.execute(f'CREATE TABLE IF NOT EXISTS "{REDACTION_MARK}" (note TEXT NOT NULL)')
    copy.execute(
        f'INSERT INTO "{REDACTION_MARK}" (note) VALUES (?)',
        ("PIN hashes blanked in this archive copy; an administrator resets PINs after a restore",),
    )
    copy.commit()
