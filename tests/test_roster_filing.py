"""Filing rosters (issue 17 item 3): due 3 working days before the roster starts by the
official calendar (across National Day and Spring Festival 2026), refused while a conflict
blocks it, recorded with when, to whom and how; the 值班表 read back from XLSX and DOCX cell by
cell; the board's filing_dues."""

from __future__ import annotations

import hashlib
from datetime import date

import pendulum
import pytest

from dutydesk.clock import FrozenClock
from dutydesk.errors import DutyError
from dutydesk.i18n import t
from dutydesk.services.core.desk import init_database
from dutydesk.services.roster import (
    FilingDue,
    assign,
    create_roster,
    file_roster,
    filing_due_at,
    filing_dues,
    generate_month,
    month_roster,
    month_roster_id,
    set_phone,
)
from dutydesk.services.roster.rosters import cells_of
from tests.roster_support import PLANNER, fill, rows, staff

ZONE = "Asia/Shanghai"


@pytest.fixture
def tianjin(tmp_path):
    clock = FrozenClock(pendulum.parse("2026-09-10T10:00:00+08:00"))  # type: ignore[arg-type]
    desk = init_database(tmp_path / "t.sqlite3", "测试值班室", "tianjin", clock)
    names = staff(desk, leaders=2, officers=3)
    yield desk, names, clock
    desk.close()


@pytest.mark.parametrize(
    ("starts", "due"),
    [
        (date(2026, 10, 1), date(2026, 9, 28)),  # National Day: Sep 28, 29, 30 are workdays
        (date(2026, 10, 8), date(2026, 9, 28)),  # after the holiday: counted back across it
        (date(2026, 11, 1), date(2026, 10, 28)),
        (date(2026, 2, 24), date(2026, 2, 12)),  # after Spring Festival (Feb 14 a workday)
        (date(2026, 3, 1), date(2026, 2, 26)),  # Feb 28, a Saturday, is a swapped workday
    ],
)
def test_the_filing_deadline_counts_official_working_days(tianjin, starts, due):
    desk, _names, _clock = tianjin
    assert filing_due_at(desk, starts) == pendulum.datetime(due.year, due.month, due.day, 23,
                                                            59, 59, tz=ZONE)  # fmt: skip


def test_filing_dues_name_each_roster_with_its_article(tianjin):
    desk, names, clock = tianjin
    october = month_roster_id(desk, 2026, 10, PLANNER)
    holiday = create_roster(desk, "holiday", date(2026, 10, 1), date(2026, 10, 7), "国庆节",
                            PLANNER)  # fmt: skip
    dues = filing_dues(desk, desk.now())
    assert all(isinstance(due, FilingDue) for due in dues)
    by_id = {due.roster_id: due for due in dues}
    assert by_id[october].label == t("roster.label_month", year=2026, month=10)
    assert by_id[october].due_at.date() == date(2026, 9, 28)
    assert by_id[october].cite == "Tianjin art. 13" and by_id[october].filed_at is None
    assert by_id[holiday.id].due_at.date() == date(2026, 9, 28)
    assert 0 not in by_id  # next month (October) has its roster
    generate_month(desk, 2026, 10, seed=1, by=PLANNER)
    fill(desk, holiday.id, cells_of(desk.profile, "holiday", holiday.starts_on,
                                    holiday.ends_on), names)  # fmt: skip
    clock.set(pendulum.parse("2026-09-29T09:00:00+08:00"))  # type: ignore[arg-type]
    filed = file_roster(desk, holiday.id, sent_to="市政府总值班室", channel="fax", by=PLANNER,
                        out_dir=desk.path.parent)  # fmt: skip
    assert filed.late  # due 09-28
    after = {due.roster_id: due for due in filing_dues(desk, desk.now())}
    assert after[holiday.id].filed_at == desk.now()
    assert after[october].filed_at is None


def test_next_month_without_a_roster_is_due_too(tianjin):
    desk, _names, _clock = tianjin
    dues = filing_dues(desk, desk.now())
    assert [(d.roster_id, d.label, d.due_at.date()) for d in dues] == [
        (0, t("roster.label_month_missing", year=2026, month=10), date(2026, 9, 28))
    ]


def test_filing_is_refused_with_every_empty_seat_named(tianjin):
    desk, names, _clock = tianjin
    roster = month_roster_id(desk, 2026, 10, PLANNER)
    generate_month(desk, 2026, 10, seed=3, by=PLANNER)
    assign(desk, roster, date(2026, 10, 5), "night", "officer", None, by=PLANNER)
    for slot in ("day", "night"):  # the 6th has no leader on either shift
        assign(desk, roster, date(2026, 10, 6), slot, "leader", None, by=PLANNER)
    assign(desk, roster, date(2026, 10, 7), "night", "leader", None, by=PLANNER)
    before = rows(desk, "roster_filing")
    with pytest.raises(DutyError) as refused:
        file_roster(desk, roster, sent_to="市政府总值班室", channel="fax", by=PLANNER,
                    out_dir=desk.path.parent)  # fmt: skip
    assert refused.value.key == "roster.empty_seats"
    message = refused.value.message()
    assert "2026-10-05 夜班 值班员" in message
    assert "2026-10-06 全天 带班领导" in message
    # Tianjin art. 12 sets one leader a day: the 7th's day-shift leader covers its night
    assert "2026-10-07" not in message and refused.value.params["count"] == 2
    assert "Tianjin art. 10, 11, 12(2), 12(3), 12(4)" in message and "Tianjin art. 11；" in message
    assert "night" not in message and "leader" not in message  # no codes in the zh message
    assert rows(desk, "roster_filing") == before
    for bad, key in (({"channel": "pigeon"}, "roster.bad_channel"),
                     ({"sent_to": " "}, "roster.bad_sent_to")):  # fmt: skip
        args = {"sent_to": "市政府总值班室", "channel": "fax"} | bad
        with pytest.raises(DutyError) as wrong:
            file_roster(desk, roster, by=PLANNER, out_dir=desk.path.parent, **args)
        assert wrong.value.key == key


def test_where_each_shift_needs_its_leader_a_shift_without_one_is_an_empty_seat(tmp_path):
    clock = FrozenClock(pendulum.parse("2026-09-10T10:00:00+08:00"))  # type: ignore[arg-type]
    desk = init_database(tmp_path / "d.sqlite3", "测试值班室", "district", clock)
    try:
        staff(desk, leaders=4, officers=6, standbys=4)
        generated = generate_month(desk, 2026, 10, seed=5, by=PLANNER)
        cells = cells_of(desk.profile, "month", date(2026, 10, 1), date(2026, 10, 31))
        cell = cells[3]
        assign(desk, generated.roster_id, cell.day, cell.slot_code, "leader", None, by=PLANNER)
        with pytest.raises(DutyError) as refused:
            file_roster(desk, generated.roster_id, sent_to="市政府总值班室", channel="fax",
                        by=PLANNER, out_dir=tmp_path)  # fmt: skip
        slot = t("shift." + cell.slot_code)
        assert refused.value.params["count"] == 1
        assert f"{cell.day.isoformat()} {slot} 带班领导" in refused.value.message()
        assert "区值班工作制度第一条" in refused.value.message()  # the cite in Chinese
    finally:
        desk.close()


def _filed_month(desk, names):
    generate_month(desk, 2026, 10, seed=9, by=PLANNER)
    set_phone(desk, names["leader"][0], "13800000001")
    set_phone(desk, names["officer"][0], "+86 13800000002")  # a spreadsheet reads + as a formula
    roster = month_roster_id(desk, 2026, 10, PLANNER)
    filed = file_roster(desk, roster, sent_to="市政府总值班室", channel="system", by=PLANNER,
                        out_dir=desk.path.parent)  # fmt: skip
    return roster, filed


def test_the_xlsx_reads_back_cell_by_cell(tianjin):
    from openpyxl import load_workbook

    desk, names, _clock = tianjin
    roster, filed = _filed_month(desk, names)
    assert not filed.late and filed.filing.sent_to == "市政府总值班室"
    assert filed.filing.xlsx_sha256 == hashlib.sha256(filed.xlsx.read_bytes()).hexdigest()
    sheet = load_workbook(filed.xlsx).active
    values = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == t("roster_file.title", office="测试值班室",
                             label="2026-10")  # fmt: skip
    assert values[1] == [t("roster_file.col_" + c) for c in
                         ("date", "weekday", "slot", "leader", "officer", "standby", "phones")]  # fmt: skip
    grid = month_roster(desk, 2026, 10)
    cells = [c for d in grid.days for c in d.cells]
    assert len(values) == 2 + len(cells) == 2 + 62
    for row, cell in zip(values[2:], cells, strict=True):
        assert row[0] == cell.day.isoformat()
        assert row[1] == t(f"roster_file.weekday_{cell.day.isoweekday()}")
        assert row[2] == t("shift." + cell.slot_code)
        assert row[3] == cell.leader and row[4] == cell.officers[0]
        phones = [f"{n} 13800000001" if n == names["leader"][0] else f"{n} +86 13800000002"
                  for n in (cell.leader, cell.officers[0])
                  if n in (names["leader"][0], names["officer"][0])]  # fmt: skip
        assert row[6] == "；".join(phones)
    assert values[2][1] == t("roster_file.weekday_4")  # 2026-10-01 was a Thursday


def test_the_docx_reads_back_cell_by_cell(tianjin):
    from docx import Document

    desk, names, _clock = tianjin
    _roster, filed = _filed_month(desk, names)
    document = Document(str(filed.docx))
    assert document.paragraphs[0].text == t("roster_file.title", office="测试值班室",
                                            label="2026-10")  # fmt: skip
    [table] = document.tables
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    grid = month_roster(desk, 2026, 10)
    cells = [c for d in grid.days for c in d.cells]
    assert texts[0][3] == t("roster_file.col_leader") and len(texts) == 1 + len(cells)
    for row, cell in zip(texts[1:], cells, strict=True):
        assert row[:5] == [cell.day.isoformat(), t(f"roster_file.weekday_{cell.day.isoweekday()}"),
                           t("shift." + cell.slot_code), cell.leader, cell.officers[0]]  # fmt: skip


def test_a_filed_roster_is_changed_only_by_a_swap(tianjin):
    desk, names, _clock = tianjin
    roster, _filed = _filed_month(desk, names)
    with pytest.raises(DutyError) as refused:
        assign(desk, roster, date(2026, 10, 2), "day", "officer", names["officer"][1], by=PLANNER)
    assert refused.value.key == "roster.filed_use_change"
    with pytest.raises(DutyError) as again:
        generate_month(desk, 2026, 10, seed=2, by=PLANNER)
    assert again.value.key == "roster.filed_use_change"


def test_typed_text_in_the_xlsx_never_runs_as_a_formula():
    from io import BytesIO

    from openpyxl import load_workbook

    from dutydesk.services.roster.roster_files import RosterSheet, xlsx_bytes

    sheet = RosterSheet('=HYPERLINK("x")', ["a", "b"], [["+86 1", "@SUM(A1)"]], [])
    values = [
        [c.value for c in row]
        for row in load_workbook(BytesIO(xlsx_bytes(sheet))).active.iter_rows()
    ]
    assert values[0][0] == '\'=HYPERLINK("x")'
    assert values[2][:2] == ["'+86 1", "'@SUM(A1)"]


def test_a_refiling_writes_its_own_numbered_files_and_never_overwrites(tianjin, tmp_path):
    from dutydesk.services.roster.roster_attachments import filed_folder

    desk, names, _clock = tianjin
    out = tmp_path / "out"
    out.mkdir()
    roster = month_roster_id(desk, 2026, 10, PLANNER)
    generate_month(desk, 2026, 10, seed=9, by=PLANNER)
    first = file_roster(desk, roster, sent_to="市政府总值班室", channel="fax", by=PLANNER,
                        out_dir=out)  # fmt: skip
    kept = {path: path.read_bytes() for path in (first.xlsx, first.docx)}
    set_phone(desk, names["leader"][0], "13800000009")  # the 值班表 differs the second time
    second = file_roster(desk, roster, sent_to="市政府总值班室", channel="system", by=PLANNER,
                         out_dir=out)  # fmt: skip
    assert (first.xlsx.name, second.xlsx.name) == ("roster-1-2026-10-01-1.xlsx",
                                                   "roster-1-2026-10-01-2.xlsx")  # fmt: skip
    assert second.docx.name == "roster-1-2026-10-01-2.docx"
    assert all(path.read_bytes() == data for path, data in kept.items())  # untouched
    for filed in (first, second):  # each row holds its own files' SHA-256
        row = filed.filing
        assert row.xlsx_sha256 == hashlib.sha256(filed.xlsx.read_bytes()).hexdigest()
        assert row.docx_sha256 == hashlib.sha256(filed.docx.read_bytes()).hexdigest()
        copy = filed_folder(desk.path) / f"roster-filing-{row.id}.xlsx"
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == row.xlsx_sha256
    assert first.filing.xlsx_sha256 != second.filing.xlsx_sha256
    blocker = out / "roster-1-2026-10-01-3.docx"
    blocker.write_bytes(b"someone else's file")
    before = rows(desk, "roster_filing")
    with pytest.raises(DutyError) as refused:
        file_roster(desk, roster, sent_to="市政府总值班室", channel="fax", by=PLANNER,
                    out_dir=out)  # fmt: skip
    assert refused.value.key == "roster.file_exists"
    assert rows(desk, "roster_filing") == before
    assert blocker.read_bytes() == b"someone else's file"
    assert not (out / "roster-1-2026-10-01-3.xlsx").exists()  # nothing half written


def test_a_roster_made_after_its_month_started_is_a_late_filing_on_the_board(tianjin):
    """QA #3: generating the current month makes its filing overdue at once. It stays overdue
    (the rule is not bent) and the board item says why: made when the month had started, 补报,
    with the article; a roster made after its deadline but before it starts says so too."""
    from dutydesk.services.board.board import roster_filings

    desk, _names, clock = tianjin  # 2026-09-10: September has started
    september = month_roster_id(desk, 2026, 9, PLANNER)
    october = month_roster_id(desk, 2026, 10, PLANNER)  # due 09-28: in time
    dues = {due.roster_id: due for due in filing_dues(desk, desk.now())}
    cite = dues[september].cite
    assert cite == "Tianjin art. 13"
    assert dues[september].label == t("roster.label_late_started",
                                      label=t("roster.label_month", year=2026, month=9),
                                      made="2026-09-10", cite=cite)  # fmt: skip
    assert "补报" in dues[september].label and "第十三条" in dues[september].label
    assert dues[october].label == t("roster.label_month", year=2026, month=10)
    items = {item.subject_id: item for item in roster_filings(desk, desk.now())}
    assert items[september].status == "overdue" and items[september].label == dues[september].label
    clock.set(pendulum.parse("2026-09-29T09:00:00+08:00"))  # past October's deadline (09-28)
    holiday = create_roster(desk, "holiday", date(2026, 10, 1), date(2026, 10, 8), "国庆节",
                            PLANNER)  # fmt: skip
    late = {due.roster_id: due for due in filing_dues(desk, desk.now())}[holiday.id]
    assert late.label == t("roster.label_late_made",
                           label=t("roster.label_holiday", label="国庆节"), made="2026-09-29",
                           cite=cite)  # fmt: skip


def test_a_register_made_after_next_months_deadline_does_not_open_on_it_overdue(tmp_path):
    """QA session 10: a fresh register opened with an overdue roster-filing deadline (next
    month's roster, due before the register existed)."""
    clock = FrozenClock(pendulum.parse("2026-09-29T10:00:00+08:00"))  # type: ignore[arg-type]
    desk = init_database(tmp_path / "late.sqlite3", "测试值班室", "tianjin", clock)
    try:
        assert filing_dues(desk, desk.now()) == []  # October's was due 09-28
        clock.set(pendulum.parse("2026-10-02T10:00:00+08:00"))  # type: ignore[arg-type]
        dues = filing_dues(desk, desk.now())  # November's falls due in this register's time
        assert [(d.roster_id, d.due_at.date()) for d in dues] == [(0, date(2026, 10, 28))]
    finally:
        desk.close()
