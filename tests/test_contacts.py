"""Issue 18 item 4: the phone list. A change is a record (a new row replacing the one in force,
Henan 7(2)8); the XLSX export reads back cell by cell; an import with one bad row writes nothing."""

from __future__ import annotations

import sqlite3

import pytest
from openpyxl import Workbook, load_workbook

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.documents import (
    ContactInput,
    add_contact,
    change_contact,
    contact_history,
    contacts_xlsx,
    current_contacts,
    import_contacts,
    known_phones,
    withdraw_contact,
)

TOWN = ContactInput("unit", "城关镇政府值班室", phone="0371-6688001")
HEAD = ContactInput("principal", "李明", unit="城关镇政府", post="镇长", phone="0371-6688002",
                    mobile="13800000001")  # fmt: skip


def _count(desk) -> int:
    with sqlite3.connect(desk.path) as conn:
        return conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0]


def test_a_principals_change_is_a_new_linked_row_and_the_old_one_stays(desk, officer):
    first = add_contact(desk, officer, HEAD)
    moved = ContactInput(**{**HEAD.__dict__, "post": "镇党委书记", "mobile": "13800000009"})
    second = change_contact(desk, first.id, officer, moved, reason="任职变动")
    assert second.replaces_id == first.id and second.reason == "任职变动"
    [shown] = current_contacts(desk)
    assert (shown.id, shown.post, shown.mobile) == (second.id, "镇党委书记", "13800000009")
    assert [row.post for row in contact_history(desk, first.id)] == ["镇长", "镇党委书记"]
    with pytest.raises(DutyError) as stale:  # the old version is no longer the one to change
        change_contact(desk, first.id, officer, moved, reason="x")
    assert stale.value.key == "contact.replaced"
    with pytest.raises(DutyError) as same:
        change_contact(desk, second.id, officer, moved, reason="x")
    assert same.value.key == "contact.same"
    withdraw_contact(desk, second.id, officer, reason="调离")
    assert current_contacts(desk) == []
    assert _count(desk) == 3 and verify_register(desk.path).ok


def test_bad_entries_and_duplicates_are_refused(desk, officer):
    with pytest.raises(ValidationFailed) as bad:
        add_contact(desk, officer, ContactInput("office", "", phone="abc"))
    assert bad.value.fields == ["contact_kind", "contact_name", "contact_phone"]
    add_contact(desk, officer, TOWN)
    with pytest.raises(DutyError) as twice:
        add_contact(desk, officer, TOWN)
    assert twice.value.key == "contact.exists"
    assert _count(desk) == 1


def test_known_phones_give_the_call_form_the_number(desk, officer):
    add_contact(desk, officer, TOWN)
    add_contact(desk, officer, HEAD)
    phones = known_phones(desk)
    assert phones["城关镇政府值班室"] == "0371-6688001"
    assert phones["李明"] == phones["城关镇政府 李明"] == "0371-6688002 / 13800000001"


def test_the_xlsx_export_reads_back_cell_by_cell(desk, officer, tmp_path):
    add_contact(desk, officer, TOWN)
    add_contact(desk, officer, ContactInput("upper", "市政府总值班室", phone="022-23456789",
                                            note="=HYPERLINK(1)"))  # fmt: skip
    out = tmp_path / "phones.xlsx"
    assert contacts_xlsx(desk, out) == 2
    rows = [list(r) for r in load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == ["类别", "名称", "单位", "职务", "电话", "手机", "备注"]
    assert rows[1] == [
        "单位",
        "城关镇政府值班室",
        None,
        None,
        "0371-6688001",
        None,
        None,
    ]
    assert rows[2][:2] == ["上级值班室", "市政府总值班室"]
    assert rows[2][6] == "'=HYPERLINK(1)"  # typed text never runs as a formula
    # and the exported file imports back as the same list (nothing new, nothing changed)
    result = import_contacts(desk, officer, out)
    assert (result.added, result.changed, result.same) == (0, 0, 2)


def test_an_import_with_one_bad_row_writes_nothing(desk, officer, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("kind,name,unit,post,phone,mobile,note\n"
                    "unit,城关镇政府值班室,,,0371-6688001,,\n"
                    "principal,李明,城关镇政府,镇长,0371-6688002,13800000001,\n",
                    encoding="utf-8")  # fmt: skip
    bad = tmp_path / "bad.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["类别", "名称", "电话"])
    sheet.append(["单位值班电话", "东城街道值班室", "0371-1234567"])
    sheet.append(["单位值班电话", "西城街道值班室", "电话坏了"])
    sheet.append(["科室", "南城街道", "0371-7654321"])
    book.save(bad)
    with pytest.raises(DutyError) as refused:
        import_contacts(desk, officer, bad)
    assert refused.value.key == "contact.file_problems"
    message = refused.value.message()
    assert "第 3 行" in message and "第 4 行" in message and "第 2 行" not in message
    assert _count(desk) == 0
    result = import_contacts(desk, officer, good)
    assert (result.added, result.changed) == (2, 0)
    changed = tmp_path / "changed.csv"
    changed.write_text("kind,name,unit,post,phone,mobile,note\n"
                       "principal,李明,城关镇政府,镇党委书记,0371-6688002,13800000001,\n",
                       encoding="utf-8")  # fmt: skip
    assert import_contacts(desk, officer, changed).changed == 1
    assert [row.post for row in current_contacts(desk, "李明")] == ["镇党委书记"]
    assert _count(desk) == 3


def test_a_file_that_is_not_a_phone_list_is_refused(desk, officer, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(DutyError) as unreadable:
        import_contacts(desk, officer, junk)
    assert unreadable.value.key == "contact.file_unreadable"
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DutyError) as header:
        import_contacts(desk, officer, other)
    assert header.value.key == "contact.file_header"
    assert _count(desk) == 0


def test_formula_cells_in_an_xlsx_are_refused_by_row_and_column(desk, officer, tmp_path):
    """QA: a formula cell (a file saved with no computed values) was stored as empty text."""
    path = tmp_path / "formulas.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["类别", "名称", "电话"])
    sheet.append(["单位", "东城街道值班室", "0371-1234567"])
    sheet.append(["单位", "西城街道值班室", '=CONCATENATE("0371-","7654321")'])
    book.save(path)
    before = len(current_contacts(desk))
    with pytest.raises(DutyError) as refused:
        import_contacts(desk, officer, path)
    assert refused.value.key == "contact.file_formulas"
    assert "第3行C列" in refused.value.message()
    assert len(current_contacts(desk)) == before
