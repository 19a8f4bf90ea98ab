"""`dutydesk calendar import` and `calendar show` (issue 14, item 1): the notice stored in the
register on confirmation, chained and verified, winning over the package's data."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.services.core.calendar import use_register_years
from dutydesk.services.core.desk import init_database, open_desk
from tests.conftest import add_person_cli, init_cli

FIXTURES = Path(__file__).parent / "fixtures" / "calendar"
NOTICE_2017 = str(FIXTURES / "notice-2017.txt")
NOTICE_2026 = str(FIXTURES / "notice-2026.txt")
BEFORE_2026 = "2025-12-20T10:00:00+08:00"  # a notice changing 2026's days is entered in time


@pytest.fixture
def desk_in_2025(cli):  # noqa: ANN001, ANN201
    """cli_desk's register, begun on 2025-12-20: a notice changing 2026's days comes in time."""
    cli.at(BEFORE_2026)
    assert init_cli(cli).exit_code == 0
    for name, role in (("张伟", "officer"), ("王建国", "leader")):
        added = add_person_cli(cli, "--name", name, "--role", role, "--in-post-since", "2024-01-01")
        assert added.exit_code == 0, added.output
    assert cli("shift", "open", "--officer", "张伟", "--leader", "王建国").exit_code == 0
    return cli


@pytest.fixture(autouse=True)
def _package_calendar_after() -> Iterator[None]:
    yield
    use_register_years(())


def _one_day_new_year(tmp_path: Path) -> str:
    """The 2026 notice with 元旦 one day only (01-02 then a working day): differs from the
    package, so which one counts can be seen."""
    text = (
        (FIXTURES / "notice-2026.txt")
        .read_text(encoding="utf-8")
        .replace(
            "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。",
            "一、元旦：1月1日（周四）放假，共1天。",
        )
    )
    path = tmp_path / "notice-2026-changed.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_import_shows_what_it_read_and_stores_only_when_confirmed(cli_desk):
    refused = cli_desk("calendar", "import", NOTICE_2017)  # no answer: nothing stored
    assert refused.exit_code == 1
    assert "2017-01-27（星期五）至 2017-02-02（星期四）" in refused.output
    assert "2017-01-22（星期日）上班，春节调休" in refused.output
    assert "逐日核对：一致" in refused.output and "未录入" in refused.output
    assert _rows(cli_desk.db_path, "SELECT count(*) FROM calendar_year") == [(0,)]
    declined = cli_desk.runner.invoke(
        cli_desk.app(),
        ["--db", str(cli_desk.db_path), "calendar", "import", NOTICE_2017],
        input="n\n",
    )
    assert declined.exit_code == 1 and "未录入" in declined.output
    done = cli_desk("calendar", "import", NOTICE_2017, "--yes")
    assert done.exit_code == 0, done.output
    assert "已录入 2017 年的放假安排（登记簿记录 #1，录入人：张伟）" in done.output
    entered = "SELECT year, person.name FROM calendar_year JOIN person ON person.id = entered_by_id"
    assert _rows(cli_desk.db_path, entered) == [(2017, "张伟")]
    assert "ok" in cli_desk("verify").output


def test_import_speaks_english_and_names_who_entered_it(cli_desk):
    done = cli_desk("calendar", "import", NOTICE_2026, "--as", "王建国", "--yes", lang="en")
    assert done.exit_code == 0, done.output
    assert "2026-02-15 (Sunday) to 2026-02-23 (Monday)" in done.output
    assert "entered by 王建国" in done.output


def test_a_malformed_notice_is_refused_naming_the_line_and_nothing_is_stored(cli_desk, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(
        (FIXTURES / "notice-2026.txt").read_text(encoding="utf-8").replace("共9天", "共8天"),
        encoding="utf-8",
    )
    result = cli_desk("calendar", "import", str(bad), "--yes")
    assert result.exit_code == 1
    assert "第 9 行" in result.output and "共8天，实计9天" in result.output
    assert _rows(cli_desk.db_path, "SELECT count(*) FROM calendar_year") == [(0,)]
    missing = cli_desk("calendar", "import", str(tmp_path / "none.txt"), "--yes")
    assert missing.exit_code == 1 and "无法读取放假通知" in missing.output


def test_the_registers_year_wins_and_a_second_import_supersedes_the_first(desk_in_2025, tmp_path):
    cli_desk = desk_in_2025
    assert "休息日" in cli_desk("workdays", "check", "2026-01-02").output  # the package
    changed = cli_desk("calendar", "import", _one_day_new_year(tmp_path), "--yes")
    assert changed.exit_code == 0 and "有 2 天不同（如 2026-01-02）" in changed.output
    check = cli_desk("workdays", "check", "2026-01-02")
    assert "工作日" in check.output and "国务院办公厅关于2026年" in check.output
    assert cli_desk("workdays", "add", "2025-12-31", "1").output.strip() == "2026-01-02"
    again = cli_desk("calendar", "import", NOTICE_2026, "--yes")
    assert "登记簿中已有 2026 年（记录 #1" in again.output and again.exit_code == 0
    assert "休息日" in cli_desk("workdays", "check", "2026-01-02").output
    rows = _rows(cli_desk.db_path, "SELECT id, supersedes_id FROM calendar_year ORDER BY id")
    assert rows == [(1, None), (2, 1)]  # a new row; the first is kept as it was
    shown = cli_desk("calendar", "show", "2026").output
    assert "#1" in shown and "（已被取代）" in shown and "#2" in shown and "（现行）" in shown
    assert "登记簿记录 #2" in shown.splitlines()[0]
    assert "ok" in cli_desk("verify").output


def test_the_register_is_append_only_for_calendar_years(cli_desk):
    assert cli_desk("calendar", "import", NOTICE_2017, "--yes").exit_code == 0
    with sqlite3.connect(cli_desk.db_path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE calendar_year SET year = 2018")
    with sqlite3.connect(cli_desk.db_path) as conn:  # behind DutyDesk's back, triggers dropped
        conn.execute("DROP TRIGGER calendar_year_no_update")
        conn.execute("UPDATE calendar_year SET days_off = '{}'")
    result = cli_desk("verify")
    assert result.exit_code != 0 and "calendar_year" in result.output


def test_show_prints_the_month_grid_with_marks_and_legend(cli_desk):
    assert cli_desk("calendar", "import", NOTICE_2017, "--yes").exit_code == 0
    lines = cli_desk("calendar", "show", "2017").output.splitlines()
    assert lines[0].startswith("依据：国务院办公厅关于2017年部分节假日安排的通知")
    header = next(line for line in lines if line.startswith("一"))
    assert header.split()[:7] == ["一", "二", "三", "四", "五", "六", "日"]  # Monday first
    assert sum("年" in line and "月" in line and "#" not in line for line in lines) >= 4
    january_week_one = lines[lines.index(header) + 1]
    assert january_week_one.split()[0] == "1休"  # 2017-01-01, a Sunday, in the last column
    joined = "\n".join(lines)
    assert "22班" in joined and "4班" in joined and "27休" in joined
    assert "图例：休 = 法定节假日放假；班 = 调休上班" in joined
    english = cli_desk("calendar", "show", "2026", lang="en").output
    assert "Mo   Tu   We   Th   Fr   Sa   Su" in english and "14W  15H" in english
    assert "Source: chinese-calendar" in english.splitlines()[0]
    assert "Legend: H = statutory holiday" in english


def test_show_refuses_a_year_without_data_and_a_bad_year(cli_desk):
    result = cli_desk("calendar", "show", "2027")
    assert result.exit_code == 1 and "超出已知的官方节假日安排" in result.output
    assert "dutydesk calendar import" in result.output
    bad = cli_desk("calendar", "show", "27")
    assert bad.exit_code == 1 and "年份须为四位数字" in bad.output


def test_show_json_lists_every_day_of_the_year(cli_desk):
    import json

    data = json.loads(cli_desk("calendar", "show", "2026", "--json").output)
    assert len(data["days"]) == 365 and data["records"] == []
    by_date = {d["date"]: d for d in data["days"]}
    assert by_date["2026-02-14"]["reason"] == "swapped_workday"
    assert by_date["2026-10-01"]["holiday"] == "national_day"


def test_shift_status_warns_30_days_before_the_data_ends(tmp_path):
    """What `shift status` prints (calendar_warning), on a clock at 2026-12-01 and 11-30."""
    from dutydesk.cli.calendar import calendar_warning

    clock = FrozenClock(pendulum.parse("2026-12-01T09:00:00+08:00"))  # type: ignore[arg-type]
    desk = init_database(tmp_path / "d.sqlite3", "测试值班室", "tianjin", clock)
    warning = calendar_warning(desk)
    assert warning is not None and "节假日数据只到 2026-12-31（还有 30 天）" in warning
    clock.set(pendulum.parse("2026-11-30T09:00:00+08:00"))  # type: ignore[arg-type]
    assert calendar_warning(desk) is None
    desk.close()


def test_shift_status_says_nothing_while_the_data_reaches_far_enough(cli_desk):
    result = cli_desk("shift", "status")  # 2026-11-23: 38 days of data left
    assert result.exit_code == 0 and "节假日数据只到" not in result.output


def test_a_register_opened_counts_with_its_own_years(tmp_path, desk_in_2025):
    from dutydesk.services.core import calendar

    cli_desk = desk_in_2025
    imported = cli_desk("calendar", "import", _one_day_new_year(tmp_path), "--yes")
    assert imported.exit_code == 0, imported.output
    use_register_years(())
    desk = open_desk(cli_desk.db_path)
    assert calendar.is_workday(date(2026, 1, 2))  # from the register, not the package
    desk.close()
    other = init_database(tmp_path / "other.sqlite3", "另一值班室", "tianjin")
    assert not calendar.is_workday(date(2026, 1, 2))  # another register: the package again
    other.close()


def test_migration_0010_downgrades_and_the_chain_still_verifies(cli_desk):
    from alembic import command

    from dutydesk.db import alembic_config, make_engine
    from dutydesk.services.archive.verify import verify_register

    assert cli_desk("calendar", "import", NOTICE_2017, "--yes").exit_code == 0
    added = add_person_cli(cli_desk, "--name", "赵磊", "--role", "standby")  # a link after it
    assert added.exit_code == 0
    engine = make_engine(cli_desk.db_path)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")  # type: ignore[arg-type]
    tables = {row[0] for row in _rows(cli_desk.db_path, "SELECT name FROM sqlite_master")}
    assert "calendar_year" not in tables and "calendar_year_no_update" not in tables
    kinds = {row[0] for row in _rows(cli_desk.db_path, "SELECT kind FROM audit_link")}
    assert "calendar_year" not in kinds and {"shift", "person"} <= kinds
    seqs = [row[0] for row in _rows(cli_desk.db_path, "SELECT seq FROM audit_link ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    assert verify_register(cli_desk.db_path).ok
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "heads")  # type: ignore[arg-type]
    engine.dispose()
    assert verify_register(cli_desk.db_path).ok
    assert cli_desk("calendar", "import", NOTICE_2017, "--yes").exit_code == 0


def test_migration_0010_downgrade_never_rehashes_a_damaged_chain(cli_desk):
    from alembic import command

    from dutydesk.db import alembic_config, make_engine

    assert cli_desk("calendar", "import", NOTICE_2017, "--yes").exit_code == 0
    with sqlite3.connect(cli_desk.db_path) as conn:  # a person's row changed behind our back
        conn.execute("DROP TRIGGER person_no_update")
        conn.execute("UPDATE person SET name = '李四' WHERE name = '王建国'")
    engine = make_engine(cli_desk.db_path)
    with pytest.raises(RuntimeError, match="does not verify"), engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")  # type: ignore[arg-type]
    engine.dispose()
    tables = {row[0] for row in _rows(cli_desk.db_path, "SELECT name FROM sqlite_master")}
    assert "calendar_year" in tables  # rolled back: nothing dropped, the chain as it was
    assert "person" in cli_desk("verify").output


NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：2026年12月31日（周四）至2027年1月3日（周日）放假调休，共4天。
二、春节：2月6日至12日放假调休，共7天。
三、清明节：4月3日至5日放假，共3天。
四、劳动节：5月1日至5日放假调休，共5天。
五、端午节：6月9日至11日放假，共3天。
六、中秋节、国庆节：9月15日至17日放假；10月1日至7日放假调休，共10天。
"""  # made up for the tests, with the right weekdays: 2027's notice is not out yet


def _write(tmp_path: Path, text: str, name: str = "notice.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_new_year_run_into_the_previous_year_is_shown_as_a_change_to_it(cli_desk, tmp_path):
    done = cli_desk("calendar", "import", _write(tmp_path, NOTICE_2027), "--yes")
    assert done.exit_code == 0, done.output
    assert "本通知也改变 2026 年的 1 天：2026-12-31" in done.output
    assert "休息日" in cli_desk("workdays", "check", "2026-12-31").output
    header = cli_desk("calendar", "show", "2026").output.splitlines()[:2]
    assert header[0].startswith("依据：chinese-calendar")
    assert header[1] == "其中 2026-12-31 依据：国务院办公厅关于2027年部分节假日安排的通知"


def test_a_notice_changing_days_already_past_is_refused_naming_them(cli_desk, tmp_path):
    """QA 5: on 2026-11-23, a 2026 notice giving 元旦 one day turns 01-02 and 01-04 over."""
    result = cli_desk("calendar", "import", _one_day_new_year(tmp_path), "--yes")
    assert result.exit_code == 1
    assert "已经过去的日子：2026-01-02、2026-01-04（今天是 2026-11-23）" in result.output
    assert _rows(cli_desk.db_path, "SELECT count(*) FROM calendar_year") == [(0,)]
    assert "休息日" in cli_desk("workdays", "check", "2026-01-02").output


def test_the_first_import_of_a_year_already_begun_may_set_its_past_days(cli_desk):
    """Nobody knew 2027 before: its days up to today had no status to change. Imported again,
    they have one."""
    from sqlmodel import select

    from dutydesk.db import read_session
    from dutydesk.errors import DutyError
    from dutydesk.models import Person
    from dutydesk.services.core.calendar_notice import parse_notice
    from dutydesk.services.core.calendar_register import import_notice

    clock = FrozenClock(pendulum.parse("2027-03-01T10:00:00+08:00"))  # type: ignore[arg-type]
    desk = open_desk(cli_desk.db_path, clock)
    with read_session(desk.engine) as session:
        who = session.exec(select(Person).where(Person.name == "张伟")).one()
        session.expunge(who)
    run_into_2026 = "2026年12月31日（周四）至2027年1月3日（周日）放假调休，共4天"
    with pytest.raises(DutyError) as refused:  # 2026-12-31 had a status: a working day
        import_notice(desk, parse_notice(NOTICE_2027), who)
    assert "2026-12-31" in refused.value.message()
    first = NOTICE_2027.replace(run_into_2026, "1月1日（周五）至3日（周日）放假，共3天")
    assert import_notice(desk, parse_notice(first), who).year == 2027
    changed = first.replace("2月6日至12日放假调休，共7天", "2月6日至11日放假调休，共6天")
    with pytest.raises(DutyError) as refused:
        import_notice(desk, parse_notice(changed), who)
    assert "2027-02-12" in refused.value.message()  # a Friday off, now a working day
    desk.close()
    assert _rows(cli_desk.db_path, "SELECT count(*) FROM calendar_year") == [(1,)]


def test_workdays_count_with_the_registers_calendar_in_a_new_process(cli_desk, tmp_path):
    """QA 8: `workdays check/add` open the register, as every other command does."""
    assert cli_desk("calendar", "import", _write(tmp_path, NOTICE_2027), "--yes").exit_code == 0
    use_register_years(())  # as a new process starts: only the package's data
    check = cli_desk("workdays", "check", "2027-02-08")
    assert check.exit_code == 0, check.output
    assert "春节" in check.output and "国务院办公厅关于2027年" in check.output
    use_register_years(())
    assert cli_desk("workdays", "add", "2027-02-05", "1").output.strip() == "2027-02-15"


def test_a_file_too_big_or_not_a_regular_file_is_refused_before_reading(cli_desk, tmp_path):
    import os

    big = tmp_path / "big.txt"
    big.write_text(NOTICE_2027 + "\n" * 1_000_001, encoding="utf-8")
    result = cli_desk("calendar", "import", str(big), "--yes")
    assert result.exit_code == 1 and "超过 1000000 字节" in result.output
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever
    result = cli_desk("calendar", "import", str(fifo), "--yes")
    assert result.exit_code == 1 and "不是普通文件" in result.output
    result = cli_desk("calendar", "import", str(tmp_path), "--yes")
    assert result.exit_code == 1 and "不是普通文件" in result.output
    if Path("/dev/zero").exists():
        result = cli_desk("calendar", "import", "/dev/zero", "--yes")
        assert result.exit_code == 1 and "不是普通文件" in result.output
    assert _rows(cli_desk.db_path, "SELECT count(*) FROM calendar_year") == [(0,)]


def test_only_the_notices_own_lines_are_stored_and_control_characters_refused(cli_desk, tmp_path):
    from dutydesk.errors import FieldProblem
    from dutydesk.services.core.validation import check_text

    escaped = NOTICE_2027.replace("三、清明节", "\x1b[2J\u202e三、清明节")
    result = cli_desk("calendar", "import", _write(tmp_path, escaped), "--yes")
    assert result.exit_code == 1 and "第 4 行" in result.output and "U+001B" in result.output
    assert "\x1b" not in result.output
    page = "首页 > 政策\n" + NOTICE_2027 + "\n国务院办公厅\n2026年11月1日\n" + "广告栏\n" * 500
    assert cli_desk("calendar", "import", _write(tmp_path, page, "p.txt"), "--yes").exit_code == 0
    [(stored,)] = _rows(cli_desk.db_path, "SELECT notice_text FROM calendar_year")
    assert stored.splitlines()[0] == "国务院办公厅关于2027年部分节假日安排的通知"
    assert len(stored.splitlines()) == 7 and "广告栏" not in stored and "首页" not in stored
    problems: list[FieldProblem] = []
    check_text(problems, "notice", stored, required=True, max_length=50000, multiline=True)
    assert problems == []
