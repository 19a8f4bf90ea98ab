"""The units to be checked: adding, listing, taking out of the draw, CSV import (all or
nothing, bad rows reported with their line numbers), the demo set."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.i18n import set_language
from dutydesk.services.spotcheck.units import (
    UnitDraft,
    add_demo_units,
    add_unit,
    import_units,
    list_units,
    set_active,
)
from tests.spotcheck_support import snapshot

GOOD_CSV = """名称,类别,值班电话,启用
城关镇,乡镇,0371-66001001,是
柳林镇,township,0371-66001002,

东关街道,街道,0371-66001003,yes
高新技术产业园区,园区,0371-66001004,1
区应急管理局,区直部门,0371-66001005,否
高铁站片区,key_area,0371-66001006,
"""


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "units.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_add_and_list_a_unit(desk):
    unit = add_unit(desk, UnitDraft("城关镇", "乡镇", "0371-66001001"))
    assert unit.kind == "township"  # the Chinese name of the kind is understood
    [view] = list_units(desk)
    assert (view.name, view.kind, view.duty_phone, view.active) == (
        "城关镇", "township", "0371-66001001", True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (UnitDraft("", "township", "0371-66001001"), "spotcheck_unit_name"),
        (UnitDraft("城关镇", "村委会", "0371-66001001"), "spotcheck_kind"),
        (UnitDraft("城关镇", "township", "值班室"), "spotcheck_duty_phone"),
        (UnitDraft("镇" * 101, "township", "0371-66001001"), "spotcheck_unit_name"),
    ],
)
def test_a_bad_unit_is_refused_and_nothing_written(desk, draft, field):
    before = snapshot(desk.path)
    with pytest.raises(ValidationFailed) as refused:
        add_unit(desk, draft)
    assert field in refused.value.fields
    assert snapshot(desk.path) == before


def test_a_unit_name_is_registered_once(desk):
    add_unit(desk, UnitDraft("城关镇", "township", "0371-66001001"))
    with pytest.raises(DutyError) as refused:
        add_unit(desk, UnitDraft("城关镇", "department", "0371-66009999"))
    assert refused.value.key == "spotcheck_units.exists"
    assert len(list_units(desk)) == 1


def test_taking_a_unit_out_of_the_draw_is_a_new_row(desk):
    add_unit(desk, UnitDraft("城关镇", "township", "0371-66001001"))
    with pytest.raises(ValidationFailed):
        set_active(desk, "城关镇", False, "")  # a reason is required
    view = set_active(desk, "城关镇", False, "撤并")
    assert (view.active, view.reason) == (False, "撤并")
    assert list_units(desk, active_only=True) == []
    with pytest.raises(DutyError) as refused:
        set_active(desk, "城关镇", False, "再次")
    assert refused.value.key == "spotcheck_units.already_inactive"
    assert set_active(desk, "城关镇", True).active
    with sqlite3.connect(desk.path) as conn:
        assert conn.execute("SELECT active FROM spotcheck_unit").fetchall() == [(1,)]
        assert conn.execute("SELECT active FROM spotcheck_unit_status").fetchall() == [(0,), (1,)]


def test_unknown_unit(desk):
    with pytest.raises(DutyError) as refused:
        set_active(desk, "不存在", False, "x")
    assert refused.value.key == "spotcheck_units.unknown"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_import(desk, tmp_path, encoding):
    added = import_units(desk, _write(tmp_path, GOOD_CSV, encoding))
    assert [unit.name for unit in added] == [
        "城关镇", "柳林镇", "东关街道", "高新技术产业园区", "区应急管理局", "高铁站片区",
    ]  # fmt: skip
    views = {view.name: view for view in list_units(desk)}
    assert views["东关街道"].kind == "subdistrict"
    assert views["高铁站片区"].kind == "key_area"
    assert views["区应急管理局"].active is False
    assert views["柳林镇"].active is True


def test_csv_import_with_english_columns_in_another_order(desk, tmp_path):
    text = "duty_phone,kind,name\n0371-66001001,township,城关镇\n"
    assert len(import_units(desk, _write(tmp_path, text))) == 1


BAD_FILES = [
    # (content, line reported, what the message names)
    ("名称,类别,值班电话\n城关镇,乡镇,0371-66001001\n柳林镇,村委会,0371-66001002\n", 3, "类别"),
    ("名称,类别,值班电话\n城关镇,乡镇,值班室\n", 2, "值班电话"),
    ("名称,类别,值班电话\n城关镇,乡镇,0371-66001001\n城关镇,乡镇,0371-66001009\n", 3, "第2行"),
    ("名称,类别,值班电话\n城关镇,乡镇\n", 2, "3列"),
    ("名称,类别,值班电话,启用\n城关镇,乡镇,0371-66001001,也许\n", 2, "也许"),
    ("名称,类别,值班电话\n,乡镇,0371-66001001\n", 2, "单位名称"),
    ("名称,类别,电话号码\n城关镇,乡镇,0371-66001001\n", 1, "电话号码"),
    ("名称,值班电话\n城关镇,0371-66001001\n", 1, "kind"),
    ("\n\n名称,类别,值班电话\n\n城关镇,乡镇,0371-66001001\n柳林镇,乡,x\n", 6, "第6行"),
]


@pytest.mark.parametrize(("content", "line", "named"), BAD_FILES)
def test_a_bad_csv_row_is_reported_with_its_line_and_nothing_is_imported(
    desk, tmp_path, content, line, named
):
    before = snapshot(desk.path)
    with pytest.raises(DutyError) as refused:
        import_units(desk, _write(tmp_path, content))
    message = refused.value.message()
    assert f"第{line}行" in message
    assert named in message
    assert "未导入任何单位" in message
    assert snapshot(desk.path) == before


def test_a_name_already_registered_refuses_the_file(desk, tmp_path):
    add_unit(desk, UnitDraft("柳林镇", "township", "0371-66001002"))
    before = snapshot(desk.path)
    with pytest.raises(DutyError) as refused:
        import_units(desk, _write(tmp_path, GOOD_CSV))
    assert "第3行" in refused.value.message() and "柳林镇" in refused.value.message()
    assert snapshot(desk.path) == before


def test_every_bad_row_is_counted_in_english_too(desk, tmp_path):
    set_language("en")
    text = "name,kind,duty_phone\nA,township,x\nB,nowhere,0371-66001001\nC,park,y\n"
    with pytest.raises(DutyError) as refused:
        import_units(desk, _write(tmp_path, text))
    message = refused.value.message()
    assert "line 2" in message and "2 more lines are wrong" in message


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("", "spotcheck_units.csv_empty"),
        ("名称,类别,值班电话\n", "spotcheck_units.csv_empty"),
        (None, "spotcheck_units.csv_unreadable"),
    ],
)
def test_empty_or_missing_files(desk, tmp_path, content, key):
    path = tmp_path / "units.csv" if content is None else _write(tmp_path, content)
    with pytest.raises(DutyError) as refused:
        import_units(desk, path)
    assert refused.value.key == key


def test_a_file_in_no_known_encoding(desk, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8 name,kind\n\x80\x81\xff")
    with pytest.raises(DutyError) as refused:
        import_units(desk, path)
    assert refused.value.key == "spotcheck_units.csv_encoding"


def test_the_unit_tables_are_append_only(desk):
    add_unit(desk, UnitDraft("城关镇", "township", "0371-66001001"))
    set_active(desk, "城关镇", False, "撤并")
    with sqlite3.connect(desk.path) as conn:
        for table in ("spotcheck_unit", "spotcheck_unit_status"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"UPDATE {table} SET id = id")
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(f"DELETE FROM {table}")


def test_every_unit_row_is_in_the_audit_chain(desk):
    add_unit(desk, UnitDraft("城关镇", "township", "0371-66001001"))
    set_active(desk, "城关镇", False, "撤并")
    with sqlite3.connect(desk.path) as conn:
        kinds = [row[0] for row in conn.execute("SELECT kind FROM audit_link ORDER BY seq")]
    assert kinds[-2:] == ["spotcheck_unit", "spotcheck_unit_status"]


def test_demo_units(desk):
    from dutydesk.services.demo.demo import UNITS

    added = add_demo_units(desk)
    views = list_units(desk)
    assert added == len(views) >= 20
    assert {view.name for view in views} >= set(UNITS)
    assert {view.kind for view in views} == {
        "township", "subdistrict", "park", "department", "key_area",
    }  # fmt: skip
    assert len({view.duty_phone for view in views}) == len(views)
    assert [view.name for view in views if not view.active] == ["临港物流园区"]
