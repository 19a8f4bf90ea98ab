"""Property tests (hypothesis) over the domain's inputs: every field of a call, a person, a time.
Arbitrary Unicode (CJK, emoji, control characters, RTL and other invisible marks, lone
surrogates), empty and very long strings, SQL-looking text, odd times and zones. For each: never
a crash; either a ValidationFailed/DutyError and nothing written, or the record stored exactly as
typed (read back and compared). Well over 10,000 generated cases in total in the deep run
(`pytest --hypothesis-profile=deep`: the counts below), a fifth of them in the everyday suite
(tests/support_hypothesis.py); one register per test function, not one per example."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.calls.calls import CallDraft, get_call, save_call, validate
from dutydesk.services.core.desk import Desk, init_database
from dutydesk.services.core.timeparse import parse_date, parse_time
from dutydesk.services.roster.people import add_person, find_person
from tests.conftest import T0
from tests.support_hypothesis import examples
from tests.support_people import authority_for

SETTINGS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

# ---------------------------------------------------------------- strategies

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
INVISIBLE = st.sampled_from(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # LTR/RTL marks
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u3000\u00a0\u2028\u2029\u0301\ufe0f"
)
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
CONTROL = st.characters(categories=["Cc"])
SURROGATE = st.characters(categories=["Cs"])
PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)

SQL_LIKE = st.sampled_from(
    [
        "'; DROP TABLE call_record; --",
        "Robert'); DELETE FROM audit_link; --",
        '" OR 1=1 --',
        "1' OR '1'='1",
        "%",
        "_",
        "\\",
        "NULL",
        "null",
        "*",
        "' UNION SELECT hash FROM audit_link --",
        "积水'); UPDATE person SET name='x'; --",
        'MATCH "a" OR b*',
        '"',
        "''",
        "$1",
        "?",
        ":name",
    ]
)
BLANK = st.sampled_from(["", " ", "\t", "\n", "\u3000", "  \u3000 ", "\u200b"])


def _sized(sizes: list[int]) -> st.SearchStrategy[str]:
    """Strings of exactly the sizes around a limit, cheaply (a repeated pattern)."""
    pattern = st.text(alphabet=st.one_of(CJK, EMOJI, PRINTABLE), min_size=1, max_size=3)
    return st.builds(lambda n, p: (p * n)[:n], st.sampled_from(sizes), pattern)


# Text a person could type: any script, invisible marks, no control characters.
TYPED = st.text(
    alphabet=st.one_of(CJK, EMOJI, INVISIBLE, ARABIC, PRINTABLE,
                       st.characters(exclude_categories=["Cc", "Cs"])),
    min_size=1, max_size=60,
)  # fmt: skip
# Anything at all, control characters and lone surrogates included.
HOSTILE = st.text(
    alphabet=st.one_of(CJK, EMOJI, INVISIBLE, CONTROL, SURROGATE, st.characters()), max_size=60
)
LIMITS = [39, 40, 41, 49, 50, 51, 99, 100, 101, 499, 500, 501, 3999, 4000, 4001, 10_000]
FIELD = st.one_of(
    TYPED,
    HOSTILE,
    SQL_LIKE,
    BLANK,
    _sized(LIMITS),
    st.builds(lambda a, b: a + b, TYPED, SQL_LIKE),
)
PHONE = st.one_of(
    st.from_regex(r"\A\+?[0-9]{3,15}(-[0-9]{1,8})?( ?转[0-9]{1,4})?\Z"),
    FIELD,
)
ZONES = ["Asia/Shanghai", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu",
         "America/St_Johns", "Pacific/Chatham", "Europe/London", "America/Caracas"]  # fmt: skip
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
AWARE = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.one_of(OFFSETS, st.sampled_from(ZONES).map(pendulum.timezone)),
)


# ---------------------------------------------------------------- one register per test


class Register(tuple):
    """(desk, officer), shown briefly in hypothesis's reports."""

    def __repr__(self) -> str:
        return "Register()"


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Desk, object]]:
    """A register, its duty officer, on a frozen clock. Durability is the crash harness's
    business: here only the data matters, so the file is not synced on every save."""
    from sqlalchemy import event

    path = tmp_path_factory.mktemp("properties") / "desk.sqlite3"
    desk = init_database(path, "属性测试值班室", "tianjin", FrozenClock(pendulum.parse(T0)))  # type: ignore[arg-type]
    officer, _ = add_person(
        desk, "张伟", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    desk.engine.dispose()

    @event.listens_for(desk.engine, "connect")
    def _fast(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    yield Register((desk, officer))
    desk.close()


def counts(desk: Desk) -> tuple[int, ...]:
    """Rows that any save could add: calls, pending items, links, people, numbers used."""
    with desk.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT (SELECT COUNT(*) FROM call_record), (SELECT COUNT(*) FROM pending_item), "
            "(SELECT COUNT(*) FROM audit_link), (SELECT COUNT(*) FROM person), "
            "(SELECT COALESCE(SUM(last_value), 0) FROM register_sequence)"
        ).one()
        conn.rollback()
    return tuple(row)


def assert_stored_exactly(desk: Desk, number: str, draft: CallDraft) -> None:
    view, history = get_call(desk, number)
    assert len(history) == 1
    for name in ("caller", "unit", "phone", "summary", "handling", "direction", "category",
                 "verified", "follow_up"):  # fmt: skip
        assert getattr(view, name) == getattr(draft, name), name
    if draft.received_at is not None:  # the same moment (compared in UTC: wall times in a
        # daylight-saving gap or fold never compare equal across zones)
        assert view.received_at.astimezone(UTC) == draft.received_at.astimezone(UTC)
    assert view.received_at.tzinfo is not None


def save_or_refuse(desk: Desk, officer, draft: CallDraft) -> bool:
    """Save the draft; on refusal check nothing was written. True if it was saved."""
    before = counts(desk)
    try:
        record = save_call(desk, draft, officer)
    except ValidationFailed as refused:
        assert refused.problems and counts(desk) == before
        assert refused.message()  # the message can be said
        return False
    except DutyError as refused:
        assert counts(desk) == before
        assert refused.message()
        return False
    after = counts(desk)
    added = 2 if draft.follow_up else 1
    assert after == (before[0] + 1, before[1] + added - 1, before[2] + added, before[3],
                     before[4] + 1)  # fmt: skip
    assert_stored_exactly(desk, record.number, draft)
    return True


# ---------------------------------------------------------------- calls


@settings(max_examples=examples(2500), **SETTINGS)
@given(
    caller=FIELD,
    unit=FIELD,
    phone=PHONE,
    summary=FIELD,
    handling=st.one_of(st.just(""), FIELD),
    direction=st.one_of(st.sampled_from(["in", "out"]), FIELD),
    category=st.one_of(st.sampled_from(["other", "inquiry", "incident"]), FIELD),
    verified=st.booleans(),
    follow_up=st.booleans(),
)
def test_any_call_is_stored_exactly_or_refused_whole(register, caller, unit, phone, summary,
                                                     handling, direction, category, verified,
                                                     follow_up):  # fmt: skip
    desk, officer = register
    draft = CallDraft(caller=caller, unit=unit, phone=phone, summary=summary, handling=handling,
                      direction=direction, category=category, verified=verified,
                      follow_up=follow_up)  # fmt: skip
    saved = save_or_refuse(desk, officer, draft)
    assert saved == (validate(desk, draft) == [])


@settings(max_examples=examples(800), **SETTINGS)
@given(
    caller=TYPED,
    unit=st.one_of(TYPED, st.builds(lambda a, b: a + b, TYPED, SQL_LIKE)),
    summary=st.one_of(TYPED, _sized([1, 100, 3999, 4000]), SQL_LIKE),
    handling=st.one_of(
        st.just(""), TYPED, st.text(alphabet=st.one_of(CJK, st.sampled_from("\n\t")))
    ),
    phone=st.from_regex(r"\A\+?[0-9]{3,15}(-[0-9]{1,8})?\Z"),
)
def test_typed_text_in_any_script_is_stored_exactly(
    register, caller, unit, summary, handling, phone
):
    """Text a person can type (no control characters) in every script, with marks and emoji,
    within the limits: stored as typed unless it is blank, or a name (caller, unit) that is not
    clean, or free text holding a bidi override or an invisible space."""
    desk, officer = register
    draft = CallDraft(caller=caller, unit=unit, phone=phone, summary=summary, handling=handling)
    saved = save_or_refuse(desk, officer, draft)
    blank = any(not value.strip() for value in (caller, unit, summary))
    too_long = len(caller) > 100 or len(unit) > 100
    clean = all(map(_clean_name, (caller, unit))) and all(map(_clean_text, (summary, handling)))
    assert saved == (not blank and not too_long and clean)


# Free text never holds these: bidi embeddings, overrides and isolates; zero-width space, word
# joiner, invisible operators, deprecated format marks, byte-order mark, annotation marks.
_NEVER_IN_TEXT = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\u2061"
    "\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb"
)


def _clean_text(value: str) -> bool:
    """Multi-line free text: \\n and \\t, no other control character or line separator."""
    return not any(
        char in _NEVER_IN_TEXT
        or (unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") and char not in "\n\t")
        for char in value
    )


# Default-ignorable letters and marks: they show as nothing, so a name may not hold them.
_IGNORABLE = {"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0",
              *map(chr, range(0xFE00, 0xFE10)), *map(chr, range(0xE0100, 0xE01F0))}  # fmt: skip


def _clean_name(value: str) -> bool:
    """A name: NFC, no control or format character or line separator, no edge space, no stray
    combining mark, one alphabet at most beside Han, kana and Hangul."""
    return (
        value == value.strip()
        and unicodedata.normalize("NFC", value) == value
        and not any(
            unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp") or char in _IGNORABLE
            for char in value
        )  # fmt: skip
        and _marks_on_their_own_letters(value)
        and len(_alphabets(value)) <= 1
    )


def _script(char: str) -> str:
    """The script a character's Unicode name begins with (TIBETAN, ARABIC, COMBINING ...)."""
    return unicodedata.name(char, "?").split()[0]


def _marks_on_their_own_letters(value: str) -> bool:
    """Every combining mark (Mn, Me) sits after a character of its own script; a generic one
    (COMBINING ACUTE ACCENT ...) never does."""
    for index, char in enumerate(value):
        if unicodedata.category(char) not in ("Mn", "Me"):
            continue
        bases = [c for c in value[:index] if unicodedata.category(c) not in ("Mn", "Me")]
        if not bases or _script(bases[-1]) != _script(char) or _script(char) == "COMBINING":
            return False
    return True


def _alphabets(value: str) -> set[str]:
    """Which alphabets the letters of `value` are in (a compatibility form such as the micro
    sign counts as the letter it stands for); Han, kana, Hangul and modifier letters sit beside
    any one alphabet and are not counted."""
    found = set()
    for char in value:
        category = unicodedata.category(char)
        if category.startswith("L") and category != "Lm":
            words = unicodedata.name(unicodedata.normalize("NFKC", char)[0], "").split()[:2]
            look_alike = {"LATIN", "CYRILLIC", "GREEK"} & set(words)
            east_asian = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "BOPOMOFO"}
            if look_alike:
                found |= look_alike
            elif words and words[0] not in east_asian:
                found.add(words[0])
    return found


@settings(max_examples=examples(1000), **SETTINGS)
@given(received_at=AWARE)
def test_any_time_received_is_stored_exactly_or_refused(register, received_at):
    desk, officer = register
    draft = CallDraft(
        "来电人", "城关镇", "12345", "时间测试", received_at=pendulum.instance(received_at)
    )
    saved = save_or_refuse(desk, officer, draft)
    if not saved:
        assert validate(desk, draft) != []


@settings(max_examples=examples(2500), **SETTINGS)
@given(draft=st.builds(
    CallDraft,
    caller=FIELD, unit=FIELD, phone=PHONE, summary=FIELD, handling=FIELD,
    direction=FIELD, category=FIELD, verified=st.booleans(), follow_up=st.booleans(),
    received_at=st.one_of(st.none(), AWARE.map(pendulum.instance),
                          st.datetimes().map(pendulum.instance)),  # naive ones too
))  # fmt: skip
def test_validation_never_crashes_and_says_every_problem(register, draft):
    desk, _officer = register
    problems = validate(desk, draft)
    for problem in problems:
        assert problem.field in {"caller", "unit", "phone", "summary", "handling", "direction",
                                 "category", "received_at"}  # fmt: skip
    if problems:
        assert ValidationFailed(problems).message()
    else:
        for value in (draft.caller, draft.unit, draft.phone, draft.summary):
            assert value.strip()


# ---------------------------------------------------------------- people


@settings(max_examples=examples(1200), **SETTINGS)
@given(
    name=FIELD,
    role=st.one_of(st.sampled_from(["officer", "leader", "standby"]), FIELD),
    staff=st.booleans(),
    trained=st.booleans(),
    since=st.one_of(st.none(), st.dates()),
)
def test_any_person_is_stored_exactly_or_refused_whole(register, name, role, staff, trained, since):
    desk, _officer = register
    grant = authority_for(desk)  # the administrator is made and signs in before counting
    before = counts(desk)
    try:
        person, reasons = add_person(desk, name, role, staff=staff, in_post_since=since,
                                     trained=trained, authority=grant)  # fmt: skip
    except DutyError as refused:
        assert counts(desk) == before and refused.message()
        return
    assert counts(desk)[2:4] == (before[2] + 2, before[3] + 1)  # the person and the act, chained
    stored = find_person(desk, name)
    assert (stored.name, stored.role, stored.staff, stored.trained, stored.in_post_since) == (
        name, role, staff, trained, since,
    )  # fmt: skip
    assert person.id == stored.id
    assert all(reason.cite for reason in reasons)


# ---------------------------------------------------------------- times


@settings(max_examples=examples(2000), **SETTINGS)
@given(
    text=st.one_of(
        HOSTILE,
        SQL_LIKE,
        st.from_regex(r"\A\d{1,3}:\d{1,3}\Z"),
        st.from_regex(r"\A\d{1,2}-\d{1,2} \d{1,2}:\d{2}\Z"),
        st.from_regex(r"\A\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?([+-]\d{2}:?\d{2}|Z)?\Z"),
        st.from_regex(r"\A[0-9T:+\-Z. W]{1,30}\Z"),
    ),
    zone=st.sampled_from(ZONES),
    now=AWARE.map(pendulum.instance),
)
def test_parsing_any_time_text_never_crashes(text, zone, now):
    try:
        parsed = parse_time(text, zone, now=now)
    except DutyError as refused:
        assert refused.key in ("time_input.unreadable", "time_input.bad_offset")
        assert refused.message()
        return
    assert isinstance(parsed, pendulum.DateTime) and parsed.tzinfo is not None


@settings(max_examples=examples(1500), **SETTINGS)
@given(moment=AWARE, zone=st.sampled_from(ZONES), seconds=st.booleans())
def test_an_iso_time_with_any_offset_reads_back_as_the_same_moment(moment, zone, seconds):
    assume(moment.utcoffset().seconds % 60 == 0)  # local mean time (+08:05:43) is not typed
    moment = moment.replace(microsecond=0) if seconds else moment
    parsed = parse_time(moment.isoformat(), zone, now=pendulum.parse(T0))
    assert parsed.astimezone(UTC) == moment.astimezone(UTC)
    assert parsed.utcoffset() == moment.utcoffset()


@settings(max_examples=examples(1000), **SETTINGS)
@given(text=st.one_of(HOSTILE, SQL_LIKE, st.dates().map(date.isoformat),
                      st.from_regex(r"\A\d{1,4}-\d{1,2}-\d{1,2}\Z")))  # fmt: skip
def test_parsing_any_date_text_never_crashes(text):
    try:
        parsed = parse_date(text)
    except DutyError as refused:
        assert refused.key == "problem.bad_date" and refused.message()
        return
    assert isinstance(parsed, date)


def test_the_register_is_intact_after_all_that(register):
    """Run last in this module: whatever was saved above, the chain verifies."""
    from dutydesk.services.archive.verify import verify_register

    desk, _officer = register
    report = verify_register(Path(desk.path))
    assert report.ok, report.to_json()["first_broken"]


# ---------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def app():
    from dutydesk.cli import build_app
    from dutydesk.clock import FrozenClock
    from dutydesk.i18n import set_language

    set_language("en")
    return build_app(FrozenClock(T0))


ARG = st.one_of(TYPED, HOSTILE.filter(lambda text: "\x00" not in text), SQL_LIKE, BLANK,
                _sized([100, 101, 4000, 4001]))  # fmt: skip


@settings(max_examples=examples(100), **SETTINGS)
@given(caller=ARG, unit=ARG, phone=st.one_of(PHONE, ARG), summary=ARG,
       received_at=st.one_of(st.none(), ARG, st.from_regex(r"\A\d{1,2}:\d{2}\Z")))  # fmt: skip
def test_the_command_line_stores_exactly_or_says_one_line(register, app, caller, unit, phone,
                                                          summary, received_at):  # fmt: skip
    from typer.testing import CliRunner

    desk, _officer = register
    args = ["--db", str(desk.path), "--lang", "en", "calls", "add", f"--caller={caller}",
            f"--unit={unit}", f"--phone={phone}", f"--summary={summary}", "--as", "张伟"]  # fmt: skip
    if received_at is not None:
        args.append(f"--received-at={received_at}")
    before = counts(desk)
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code == 1 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert counts(desk) == before
        return
    number = result.stdout.strip()
    assert_stored_exactly(desk, number, CallDraft(caller=caller, unit=unit, phone=phone,
                                                  summary=summary))  # fmt: skip
