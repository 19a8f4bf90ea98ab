"""Who may sign (issue 12, §4 and the lockout of §5): people and first or forgotten PINs only on
an administrator's authority, recorded and chained; PIN rules; no PIN hash in an archive; a
restored register's way back in; `--as` only for the shift; a lockout bounded from now."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pendulum
import pytest

from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.archive.verify import CHANGED, verify_register
from dutydesk.services.roster.authority import Authority, authorise, list_acts, restore_admin_pin
from dutydesk.services.roster.people import add_person, find_person, list_people
from dutydesk.services.roster.pins import has_pin, set_pin, verify_pin
from tests.conftest import OFFICE, add_person_cli, init_cli
from tests.support_people import ADMIN, ADMIN_PIN, authority_for
from tests.test_handover_cli import at_handover  # noqa: F401 - a fixture

LOOK_ALIKE = "李娜\u200b"  # 李娜 with a zero-width space: the second "person"


def count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def refused_with(key: str, call, *args, **kwargs) -> DutyError:  # noqa: ANN001
    with pytest.raises(DutyError) as caught:
        call(*args, **kwargs)
    assert caught.value.key == key, caught.value.key
    return caught.value


# ---------------------------------------------------------------- the two-person cheat


def test_nobody_is_added_or_given_a_first_pin_without_an_administrator(desk):
    people, pins = count(desk.path, "person"), count(desk.path, "person_pin")
    with pytest.raises(DutyError):  # the look-alike: refused (by the name checks, first)
        add_person(desk, LOOK_ALIKE, "officer", authority=None)
    refused_with("authority.needed", add_person, desk, "李娜", "officer", authority=None)
    forged = Authority(1, ADMIN, Path(desk.path).resolve(), desk.now())  # not from authorise
    refused_with("authority.invalid", add_person, desk, "李娜", "officer", authority=forged)
    refused_with("authority.first_pin", set_pin, desk, "王建国", "271828", "271828")
    refused_with("authority.invalid", set_pin, desk, "王建国", "271828", "271828",
                 authority=forged)  # fmt: skip
    assert (count(desk.path, "person"), count(desk.path, "person_pin")) == (people, pins)
    assert not has_pin(desk, "王建国")


def test_an_authority_is_good_only_on_its_own_register(desk, tmp_path, clock):
    from dutydesk.services.core.desk import init_database

    other = init_database(tmp_path / "other.sqlite3", OFFICE, "tianjin", clock)
    try:
        refused = refused_with("authority.invalid", add_person, other, "李娜", "officer",
                               authority=authority_for(desk))  # fmt: skip
        assert refused.key == "authority.invalid"
        assert list_people(other) == []  # nobody was added to the other register
    finally:
        other.close()


def test_the_cheat_from_the_command_line_is_refused_with_the_reason(cli_desk, db_path):
    people = count(db_path, "person")
    added = cli_desk("people", "add", "--name", "李娜", "--role", "officer")
    assert added.exit_code == 1 and added.stderr.strip() == t("authority.needed")
    assert cli_desk("people", "add", "--name", LOOK_ALIKE, "--role", "officer").exit_code == 1
    first = cli_desk.runner.invoke(
        cli_desk.app(),
        ["--db", str(db_path), "people", "set-pin", "王建国"],
        input="271828\n271828\n",
    )
    assert first.exit_code == 1
    assert first.stderr.strip() == t("authority.first_pin", name="王建国")
    assert count(db_path, "person") == people and count(db_path, "person_pin") == 1  # the admin's


def test_only_an_administrator_authorises_and_a_wrong_pin_counts_to_their_lockout(desk):
    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    attempts = count(desk.path, "pin_attempt")
    refused_with("authority.not_admin", authorise, desk, "张伟", "271828")
    assert count(desk.path, "pin_attempt") == attempts, "a non-administrator's PIN is not tried"
    for _ in range(4):
        refused_with("handover_pin.wrong", authorise, desk, ADMIN, "000111")
    refused_with("handover_pin.now_locked", authorise, desk, ADMIN, "000111")
    refused_with("handover_pin.locked", authorise, desk, ADMIN, ADMIN_PIN)


# ---------------------------------------------------------------- acts, chained


def test_each_act_is_recorded_naming_who_authorised_it_and_chained(desk):
    set_pin(desk, "王建国", "161803", "161803", authority=authority_for(desk))
    set_pin(desk, "王建国", "271828", "271828", authority=authority_for(desk))  # forgotten
    acts = [(a.kind, a.person, a.authorised_by) for a in list_acts(desk)]
    assert acts == [
        ("first_admin", ADMIN, None),
        ("first_pin", ADMIN, None),
        ("added", "张伟", ADMIN),
        ("added", "王建国", ADMIN),
        ("added", "赵磊", ADMIN),
        ("first_pin", "王建国", ADMIN),
        ("pin_reset", "王建国", ADMIN),
    ]
    assert list_acts(desk)[2].detail == {
        "role": "officer", "staff": True, "in_post_since": "2024-01-01", "trained": True,
    }  # fmt: skip
    assert verify_pin(desk, "王建国", "271828").name == "王建国"
    assert verify_register(desk.path).ok
    with closing(sqlite3.connect(desk.path)) as conn, conn:
        conn.execute("DROP TRIGGER person_act_no_update")
        conn.execute("UPDATE person_act SET authorised_by_id = NULL WHERE kind = 'pin_reset'")
    report = verify_register(desk.path)
    assert [(f.problem, f.table) for f in report.findings] == [(CHANGED, "person_act")]


def test_a_second_first_administrator_is_refused(desk):
    from dutydesk.services.roster.authority import create_first_admin

    admins = [person.name for person in list_people(desk) if person.role == "admin"]
    refused_with("authority.admin_exists", create_first_admin, desk, "钱主任", "135792", "135792")
    refused_with("people.unknown", find_person, desk, "钱主任")
    assert [person.name for person in list_people(desk) if person.role == "admin"] == admins


def test_a_register_upgraded_without_an_administrator_gets_its_first_from_the_cli(cli, db_path):
    from dutydesk.services.core.desk import init_database

    init_database(db_path, OFFICE, "tianjin").close()  # as a 0008 register would be
    cli.runner.feed("135792\n135792\n")
    made = cli("people", "add", "--name", "钱主任", "--role", "admin", "--pin-stdin")
    assert made.exit_code == 0, made.output
    again = cli("people", "add", "--name", "孙主任", "--role", "admin")
    assert again.exit_code == 1 and again.stderr.strip() == t("authority.needed")


# ---------------------------------------------------------------- PIN rules


@pytest.mark.parametrize(("pin", "key"), [
    ("12345", "handover_pin.bad_length"),
    ("1234", "handover_pin.bad_length"),
    ("12a456", "handover_pin.bad_characters"),
    ("１３５７９０", "handover_pin.bad_characters"),  # full-width digits
    ("111111", "handover_pin.one_digit"),
    ("123456", "handover_pin.straight_run"),
    ("654321", "handover_pin.straight_run"),
    ("012345", "handover_pin.straight_run"),
    ("543210", "handover_pin.straight_run"),
    ("3456789", "handover_pin.straight_run"),
    ("901234", "handover_pin.straight_run"),  # runs across 9 and 0
    ("890123", "handover_pin.straight_run"),
    ("432109", "handover_pin.straight_run"),
    ("098765", "handover_pin.straight_run"),
    ("121212", "handover_pin.repeated_block"),
    ("123123", "handover_pin.repeated_block"),
    ("12341234", "handover_pin.repeated_block"),
    ("000001", "handover_pin.one_odd_digit"),
    ("100000", "handover_pin.one_odd_digit"),
    ("770777", "handover_pin.one_odd_digit"),
])  # fmt: skip
def test_weak_pins_are_refused_and_nothing_is_written(desk, pin, key):
    grant = authority_for(desk)
    pins = count(desk.path, "person_pin")
    refused_with(key, set_pin, desk, "张伟", pin, pin, authority=grant)
    assert count(desk.path, "person_pin") == pins


@pytest.mark.parametrize(("pin", "key", "zh", "en"), [
    ("890123", "straight_run", "9 与 0 相接也算连续", "also across 9 and 0"),
    ("121212", "repeated_block", "一小段数字的重复", "a shorter block of digits repeated"),
    ("000001", "one_odd_digit", "只有一位不同", "a single other digit"),
])  # fmt: skip
def test_a_weak_pin_is_refused_saying_the_rule_in_both_languages(desk, pin, key, zh, en):
    from dutydesk.i18n import set_language

    error = refused_with(f"handover_pin.{key}", set_pin, desk, "张伟", pin, pin,
                         authority=authority_for(desk))  # fmt: skip
    assert zh in error.message() and pin in error.message()
    set_language("en")
    assert en in error.message() and pin in error.message()


@pytest.mark.parametrize("pin", ["000111", "550055", "135792", "112233", "271828", "246802"])
def test_pins_outside_the_rules_are_accepted(desk, pin):
    set_pin(desk, "张伟", pin, pin, authority=authority_for(desk))
    assert verify_pin(desk, "张伟", pin).name == "张伟"


def test_a_pin_from_the_old_rule_still_signs_and_asks_for_a_new_one(desk):
    _legacy_pin(desk, "张伟", "1234")
    signed = verify_pin(desk, "张伟", "1234")
    assert signed.name == "张伟" and signed.pin_outdated
    set_pin(desk, "张伟", "271828", "271828", current="1234")  # the change it is offered
    assert not verify_pin(desk, "张伟", "271828").pin_outdated
    refused_with("handover_pin.wrong", verify_pin, desk, "张伟", "1234")


def _legacy_pin(desk, name: str, pin: str) -> None:  # noqa: ANN001
    """A PIN row as version 0008 wrote it (4 digits were allowed then)."""
    import secrets

    from dutydesk.db import write_session
    from dutydesk.models import PersonPin
    from dutydesk.services.core import audit
    from dutydesk.services.roster import pins

    salt = secrets.token_bytes(pins.SALT_BYTES)
    with write_session(desk.engine) as session:
        row = PersonPin(person_id=find_person(desk, name).id, salt=salt.hex(), set_at=desk.now(),
                        pin_hash=pins._hash(pin, salt, pins.SCRYPT_N, pins.SCRYPT_R, pins.SCRYPT_P),
                        cost_n=pins.SCRYPT_N, cost_r=pins.SCRYPT_R, cost_p=pins.SCRYPT_P)  # fmt: skip
        session.add(row)
        session.flush()
        audit.append(session, "person_pin", row.id, desk.now())


# ---------------------------------------------------------------- lockout bounded from now


def test_a_clock_that_jumped_forward_and_back_locks_out_for_one_period_at_most(desk, clock):
    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    minutes = desk.profile.handover.pin_lockout_minutes
    now = clock.now()
    clock.set(now.add(years=72))  # the clock jumps forward...
    for _ in range(desk.profile.handover.pin_max_tries):
        with pytest.raises(DutyError):
            verify_pin(desk, "张伟", "000111")
    clock.set(now)  # ...and back
    locked = refused_with("handover_pin.locked", verify_pin, desk, "张伟", "271828")
    assert 1 <= locked.params["minutes"] <= minutes, "locked, but not for 72 years"
    clock.advance(minutes=minutes - 1)
    refused_with("handover_pin.locked", verify_pin, desk, "张伟", "271828")  # no extra tries
    clock.advance(minutes=1)
    assert verify_pin(desk, "张伟", "271828").name == "张伟"
    assert verify_register(desk.path).ok


def test_a_lockout_under_a_steady_clock_is_unchanged(desk, clock):
    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    minutes = desk.profile.handover.pin_lockout_minutes
    for _ in range(desk.profile.handover.pin_max_tries):
        with pytest.raises(DutyError):
            verify_pin(desk, "张伟", "000111")
    clock.advance(minutes=minutes - 1)
    assert refused_with("handover_pin.locked", verify_pin, desk, "张伟", "271828").params == {
        "name": "张伟", "minutes": 1,
    }  # fmt: skip
    clock.advance(minutes=1)
    assert verify_pin(desk, "张伟", "271828").name == "张伟"


# ---------------------------------------------------------------- archives hold no PIN hash


def test_an_archive_holds_no_pin_hash_and_still_verifies(desk, cli, monkeypatch):
    from dutydesk.services.archive.export import write_archive

    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    with closing(sqlite3.connect(desk.path)) as conn:
        secrets = [v for row in conn.execute("SELECT pin_hash, salt FROM person_pin") for v in row]
    archive = write_archive(desk, None)
    snapshot = archive / "database.sqlite3"
    data = snapshot.read_bytes()
    assert len(secrets) == 4 and not any(value.encode() in data for value in secrets)
    with closing(sqlite3.connect(snapshot)) as conn:
        assert conn.execute("SELECT DISTINCT pin_hash, salt FROM person_pin").fetchall() == [
            ("", "")
        ]
    report = verify_register(snapshot, archive=True)
    assert report.ok and report.redacted == 2
    assert not verify_register(snapshot).ok  # as a register, not vouched for by its manifest
    assert cli("verify", str(snapshot)).exit_code == 0  # a snapshot its manifest names
    checked = cli("verify", str(archive))
    assert checked.exit_code == 0 and checked.stdout.startswith("ok"), checked.output
    assert verify_register(desk.path).ok and verify_register(desk.path).redacted == 0


def test_a_blanked_pin_in_the_live_register_is_tampering(desk):
    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    with closing(sqlite3.connect(desk.path)) as conn, conn:
        conn.execute("DROP TRIGGER person_pin_no_update")
        conn.execute("UPDATE person_pin SET pin_hash = '', salt = '' WHERE id = 2")
    assert [f.problem for f in verify_register(desk.path).findings] == [CHANGED]


def test_a_restored_register_has_no_pins_until_an_administrator_sets_them(desk, tmp_path, clock):
    from dutydesk.services.archive.export import write_archive
    from dutydesk.services.archive.restore import restore_archive
    from dutydesk.services.core.desk import open_desk

    set_pin(desk, "张伟", "271828", "271828", authority=authority_for(desk))
    done = restore_archive(write_archive(desk, None), tmp_path / "restored.sqlite3")
    assert done.pins_removed
    restored = open_desk(done.target, clock)
    try:
        assert not has_pin(restored, "张伟") and not has_pin(restored, ADMIN)
        refused_with("handover_pin.not_set", verify_pin, restored, "张伟", "271828")
        refused_with("authority.not_admin", restore_admin_pin, restored, "张伟", "135792", "135792")
        restore_admin_pin(restored, ADMIN, "135792", "135792")  # the way back in
        refused_with("authority.restored_only", restore_admin_pin, restored, ADMIN,
                     "246802", "246802")  # fmt: skip
        grant = authorise(restored, ADMIN, "135792")
        set_pin(restored, "张伟", "318206", "318206", authority=grant)
        assert verify_pin(restored, "张伟", "318206").name == "张伟"
        assert [a.kind for a in list_acts(restored)][-2:] == ["restored_admin", "first_pin"]
        assert verify_register(done.target).ok
    finally:
        restored.close()


def test_restore_from_the_cli_says_pins_must_be_set_again(cli_desk, db_path, tmp_path):
    assert cli_desk("export").exit_code == 0
    archive = next((db_path.parent / "exports").iterdir())
    target = tmp_path / "back.sqlite3"
    result = cli_desk("restore", str(archive), "--to", str(target))
    assert result.exit_code == 0, result.output
    assert t("authority.restored_no_pins") in result.stdout
    cli_desk.runner.feed("135792\n135792\n")
    again = cli_desk("people", "set-pin", ADMIN, "--restored", "--pin-stdin", db=target)
    assert again.exit_code == 0, again.output


# ---------------------------------------------------------------- init and --as


def test_init_makes_the_first_administrator_from_stdin(cli, db_path):
    result = init_cli(cli)
    assert result.exit_code == 0, result.output
    assert ADMIN_PIN not in result.output
    people = [(p["name"], p["role"], p["pin_set"])
              for p in __import__("json").loads(cli("people", "list", "--json").stdout)]  # fmt: skip
    assert people == [(ADMIN, "admin", True)]


@pytest.mark.parametrize(("extra", "stdin", "key"), [
    ((), "", "authority.init_admin_missing"),
    (("--admin", ADMIN, "--pin-stdin"), "246813\n246812\n", "handover_pin.mismatch"),
    (("--admin", ADMIN, "--pin-stdin"), "123456\n123456\n", "handover_pin.straight_run"),
    (("--admin", ADMIN, "--pin-stdin"), "", "handover_pin.no_input"),
])  # fmt: skip
def test_init_without_a_good_administrator_creates_nothing(cli, db_path, extra, stdin, key):
    cli.runner.feed(stdin)
    result = cli("init", "--office", OFFICE, "--profile", "tianjin", *extra)
    assert result.exit_code == 1 and result.stderr.strip() == t(key, min=6, max=64)
    assert not db_path.exists()


def test_people_add_with_a_wrong_administrator_pin_adds_nobody(cli_desk, db_path):
    people = count(db_path, "person")
    cli_desk.runner.feed("000111\n")
    result = cli_desk("people", "add", "--name", "李娜", "--role", "officer",
                      "--by", ADMIN, "--pin-stdin")  # fmt: skip
    assert result.exit_code == 1 and "密码错误" in result.stderr
    assert count(db_path, "person") == people


def test_by_takes_the_administrators_name_as_other_lookups_do(cli_desk, db_path):
    """`--by '管理员甲 '` finds the administrator as `--as` and shift names are found (trimmed,
    NFC), instead of saying there is nobody of that name."""
    cli_desk.runner.feed(ADMIN_PIN + "\n")
    added = cli_desk("people", "add", "--name", "李娜", "--role", "officer", "--in-post-since",
                     "2024-01-01", "--by", f"{ADMIN} ", "--pin-stdin")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert f"经管理员{ADMIN}授权" in added.stdout
    cli_desk.runner.feed(f"{ADMIN_PIN}\n271828\n271828\n")
    pin = cli_desk("people", "set-pin", " 李娜", "--by", f"\u3000{ADMIN}", "--pin-stdin")
    assert pin.exit_code == 0, pin.stderr
    assert pin.stdout.startswith(t("handover_pin.set", name="李娜"))
    assert count(db_path, "person_pin") == 2


def test_a_pin_is_checked_for_a_name_typed_with_spaces(desk):
    set_pin(desk, "张伟 ", "271828", "271828", authority=authorise(desk, f" {ADMIN}", ADMIN_PIN))
    assert verify_pin(desk, "\u3000张伟", "271828").name == "张伟"
    assert has_pin(desk, "张伟 ")
    error = refused_with("handover_pin.wrong", verify_pin, desk, "张伟 ", "000111")
    assert error.params["name"] == "张伟"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_as_records_only_under_someone_on_the_current_shift(cli_desk, db_path, lang):
    assert add_person_cli(cli_desk, "--name", "李娜", "--role", "officer",
                          "--in-post-since", "2024-01-01").exit_code == 0  # fmt: skip
    call = ("calls", "add", "--caller", "李红", "--unit", "城关镇", "--phone", "110",
            "--summary", "积水")  # fmt: skip
    assert cli_desk(*call, "--as", "王建国").exit_code == 0  # the shift's leader
    calls = count(db_path, "call_record")
    result = cli_desk(*call, "--as", "李娜", lang=lang)
    assert result.exit_code == 1
    crew = "、".join(
        [f"{t('role.officer', lang=lang)} 张伟", f"{t('role.leader', lang=lang)} 王建国"]
    )
    assert result.stderr.strip() == t("people.as_not_on_shift", lang=lang, name="李娜", crew=crew)
    assert cli_desk(*call, "--as", ADMIN).exit_code == 1
    assert count(db_path, "call_record") == calls


def test_the_demo_makes_its_administrator_and_people_with_their_demo_pins(tmp_path):
    from dutydesk.services.core.desk import open_desk
    from dutydesk.services.demo.demo import demo_credentials, ensure_demo

    assert ensure_demo(tmp_path / "demo.sqlite3")
    desk = open_desk(tmp_path / "demo.sqlite3")
    try:
        for name, role, pin in demo_credentials():
            assert find_person(desk, name).role == role
            assert verify_pin(desk, name, pin).name == name
        assert authorise(desk, *demo_credentials()[0][::2]).admin_name == "周敏"
        # QA: the demo's orders could not get past the review, nobody held the confirming role
        confirm_role = desk.profile.orders.confirm_role
        assert any(role == confirm_role for _name, role, _pin in demo_credentials())
    finally:
        desk.close()


def test_migration_0009_downgrades_and_upgrades_again(desk, tmp_path):
    from alembic import command

    from dutydesk.db import alembic_config, make_engine
    from dutydesk.services.core.desk import init_database

    empty = init_database(tmp_path / "empty.sqlite3", OFFICE, "tianjin")
    empty.close()
    for path, kept in ((desk.path, True), (empty.path, False)):
        engine = make_engine(path)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0008")  # type: ignore[arg-type]
        with closing(sqlite3.connect(path)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0008",)
        assert ("person_act" in tables) is kept  # acts recorded are never deleted
        assert verify_register(path).ok
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "heads")  # type: ignore[arg-type]
        engine.dispose()
        assert verify_register(path).ok and count(path, "person_act") == (5 if kept else 0)


def test_in_post_since_is_kept_in_the_act(desk):
    person, _ = add_person(desk, "李娜", "standby", in_post_since=date(2025, 3, 1),
                           trained=False, authority=authority_for(desk))  # fmt: skip
    act = list_acts(desk)[-1]
    assert (act.kind, act.person, act.authorised_by) == ("added", "李娜", ADMIN)
    assert act.detail["in_post_since"] == "2025-03-01" and act.detail["trained"] is False
    assert act.at == pendulum.parse("2026-11-23T10:00:00+08:00")


def test_a_sign_off_from_the_cli_with_an_old_pin_stands_and_says_to_change_it(at_handover):  # noqa: F811
    from dutydesk.services.core.desk import open_desk
    from tests.test_handover_cli import _invoke, _tick_everything

    desk = open_desk(at_handover.db_path)
    try:
        _legacy_pin(desk, "李明", "5678")  # set under the 4-digit rule
    finally:
        desk.close()
    _tick_everything(at_handover)
    result = _invoke(at_handover, "handover", "sign", "--outgoing", "张伟", "--incoming", "李明",
                     input="271828\n5678\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "交接完成：张伟 → 李明" in result.stdout
    assert t("pin_rule.outdated_cli", name="李明") in result.stderr
    assert t("pin_rule.outdated_cli", name="张伟") not in result.stderr


def test_a_pin_typed_into_a_name_field_is_never_repeated_back(cli_desk):
    from dutydesk.errors import DutyError
    from dutydesk.i18n import set_language

    said = cli_desk("handover", "sign", "--outgoing", "258014", "--incoming", "张伟")
    assert said.exit_code != 0 and "258014" not in said.output
    assert "一串数字" in said.output
    set_language("en")
    assert "258014" not in DutyError("people.unknown", name=" 258014").message()
    assert "李四" in DutyError("people.unknown", name="李四").message()  # a name is still named


def test_a_person_added_is_told_to_have_a_pin_set_before_signing(cli_desk):
    from tests.conftest import add_person_cli

    added = add_person_cli(cli_desk, "--name", "李娜", "--role", "officer")
    assert added.exit_code == 0
    assert "李娜还没有签字密码" in added.stdout
    import shlex

    command = [
        "dutydesk",
        "--db",
        str(cli_desk.db_path),
        "people",
        "set-pin",
        "--by",
        ADMIN,
        "--",
        "李娜",
    ]
    assert shlex.join(command) in added.stdout  # for this register, by whom, pasteable


def test_the_set_pin_command_printed_works_pasted_for_an_awkward_name(cli_desk):
    """Breaker, session 11: for 'Anna Lee' or '-x' the printed command did not run."""
    import shlex

    from tests.conftest import add_person_cli

    added = add_person_cli(cli_desk, "--name", "-x Lee", "--role", "officer")
    assert added.exit_code == 0, added.output
    printed = added.stdout.splitlines()[-1].split("：", 1)[1]
    argv = shlex.split(printed)
    assert argv[:3] == ["dutydesk", "--db", str(cli_desk.db_path)]
    cli_desk.runner.feed(ADMIN_PIN + "\n271828\n271828\n")
    options_end = argv.index("--")  # the PINs from stdin here, as the tests give them
    pasted = [*argv[1:options_end], "--pin-stdin", *argv[options_end:]]
    done = cli_desk.runner.invoke(cli_desk.app(), pasted)
    assert done.exit_code == 0, done.output
