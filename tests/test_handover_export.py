"""Archives: contents, the manifest chain, failure and retry, and verification of tampering."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from dutydesk.db import read_session
from dutydesk.models import ExportRecord
from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import (
    MANIFEST,
    SNAPSHOT,
    export_handover,
    retry_exports,
    sha256_file,
    unexported,
    write_archive,
)
from dutydesk.services.handover import handover_sources
from tests.support_people import authority_for
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


@pytest.fixture
def signed(ready):  # noqa: F811
    tick_all(ready)
    return _sign(ready, leader=True)


def test_the_archive_holds_snapshot_form_calls_and_a_manifest(ready, signed):  # noqa: F811
    result = export_handover(ready, signed.handover.id)
    assert result.ok, result.error
    folder = result.path
    assert folder.parent == ready.path.parent / "exports"
    assert folder.name.startswith("20261123-174500-day")
    manifest = _manifest(folder)
    names = {entry["name"]: entry for entry in manifest["files"]}
    assert {SNAPSHOT, "值班交接表.md", "电话记录.csv"} <= set(names)
    for name, entry in names.items():
        assert entry["sha256"] == sha256_file(folder / name)
    assert {p.name for p in folder.iterdir()} == {*names, MANIFEST, "manifest.sig"}  # desk_key.py
    # each register goes in as soon as it exists; until then the manifest says it is omitted
    written = {entry["role"] for entry in manifest["files"]}
    omitted = {entry["role"] for entry in manifest["omitted"]}
    assert written | omitted >= {"incident_register", "spotcheck_table"}
    assert not written & omitted
    assert [s["role"] for s in manifest["handover"]["signers"]] == [
        "outgoing",
        "incoming",
        "leader",
    ]
    assert manifest["profile"]["id"] == "tianjin" and manifest["program"]["version"]
    assert manifest["previous_manifest"] is None
    # the snapshot is a whole, consistent register that pins the audit chain head, in one
    # self-contained file (rollback journal, not WAL: header bytes 18-19 are 1, 1)
    with open(folder / SNAPSHOT, "rb") as handle:
        assert handle.read(100)[18:20] == b"\x01\x01"
    snapshot = sqlite3.connect(folder / SNAPSHOT)
    assert snapshot.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    seq, digest = snapshot.execute("SELECT seq, hash FROM audit_link ORDER BY seq DESC").fetchone()
    assert manifest["audit_chain_head"] == {"seq": seq, "hash": digest}
    assert snapshot.execute("SELECT COUNT(*) FROM handover").fetchone()[0] == 1
    snapshot.close()
    raw = (folder / "电话记录.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert (
        rows[0][0] == "登记号"
        and rows[1][0] == "2026-000001"
        and rows[1][rows[0].index("内容")] == "积水待复查"
    )
    form = (folder / "值班交接表.md").read_text(encoding="utf-8-sig")
    assert (
        "值班交接表" in form
        and "张伟" in form
        and "李明" in form
        and "天津规定第十四条第（二）项" in form
    )
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".tmp-")]


def test_exports_form_a_chain(ready, signed):  # noqa: F811
    first = export_handover(ready, signed.handover.id).path
    second = write_archive(ready)  # an export at any time, into the same folder
    link = _manifest(second)["previous_manifest"]
    assert link == sha256_file(first / MANIFEST)
    assert _manifest(second)["previous_archive"] == first.name
    assert _manifest(second)["kind"] == "on_demand"
    report = verify_archives(first.parent)
    assert report.ok and len(report.archives) == 2


def test_registers_that_exist_go_into_the_archive(ready, signed, monkeypatch):  # noqa: F811
    table = handover_sources.Table(["单位", "时间", "方式"], [["城关镇", "10:05", "电话"]])
    monkeypatch.setattr(handover_sources, "spotcheck_table", lambda desk, shift: table)
    folder = export_handover(ready, signed.handover.id).path
    rows = list(csv.reader((folder / "值班抽查表.csv").read_text("utf-8-sig").splitlines()))
    assert rows == [["单位", "时间", "方式"], ["城关镇", "10:05", "电话"]]
    assert "spotcheck_table" not in {o["role"] for o in _manifest(folder)["omitted"]}


def test_a_failed_export_keeps_the_sign_off_and_retry_finishes_it(ready, signed, tmp_path):  # noqa: F811
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")  # a file where the folder should be: fails even for root
    failed = export_handover(ready, signed.handover.id, blocker / "exports")
    assert not failed.ok and str(blocker) in failed.error
    assert unexported(ready) == [(signed.handover.id, str(blocker / "exports"))]
    assert ready.now() and signed.handover.id  # the sign-off stands
    assert retry_exports(ready)[0].ok is False, "still no folder there"
    good = tmp_path / "usb"
    good.mkdir()
    [done] = retry_exports(ready, good)
    assert done.ok and done.path.parent == good.resolve()
    assert unexported(ready) == [] and retry_exports(ready) == []
    assert verify_archives(good).ok
    with read_session(ready.engine) as session:
        records = session.exec(select(ExportRecord).order_by(ExportRecord.id)).all()
    assert [r.ok for r in records] == [False, False, True]


def test_a_missing_export_folder_is_not_created_behind_the_users_back(ready, tmp_path):  # noqa: F811
    from dutydesk.errors import DutyError

    with pytest.raises(DutyError) as missing:
        write_archive(ready, tmp_path / "typo")
    assert missing.value.key == "handover_export.missing_dir"
    assert not (tmp_path / "typo").exists()


@pytest.fixture
def two_archives(ready, signed):  # noqa: F811
    first = export_handover(ready, signed.handover.id).path
    second = write_archive(ready)
    return first, second


def _resign(archive: Path) -> None:
    """Sign an edited manifest again, as an insider holding the key file beside the register
    would (these tests are about the checks after the signature's)."""
    from dutydesk.services.archive.desk_key import sign_manifest

    key = next(archive.parent.parent.glob("*.key"))
    sign_manifest(key.with_suffix(""), archive, (archive / MANIFEST).read_bytes())


def _problems(path: Path) -> list[str]:
    return [problem.message() for problem in verify_archives(path).problems]


def test_one_changed_byte_is_reported(two_archives):
    first, _second = two_archives
    form = first / "值班交接表.md"
    data = bytearray(form.read_bytes())
    data[-2] ^= 0x01
    form.write_bytes(bytes(data))
    problems = _problems(first.parent)
    assert len(problems) == 1 and "值班交接表.md" in problems[0] and "改动" in problems[0]


def test_a_deleted_or_added_file_is_reported(two_archives):
    first, second = two_archives
    (second / "电话记录.csv").unlink()
    (first / "extra.txt").write_text("x")
    problems = _problems(first.parent)
    assert any("电话记录.csv" in p and "缺失" in p for p in problems)
    assert any("extra.txt" in p for p in problems)


def test_a_broken_chain_is_reported(two_archives):
    first, second = two_archives
    manifest = _manifest(first)
    manifest["office"] = "另一个值班室"
    (first / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _resign(first)
    problems = _problems(first.parent)
    broken = [p for p in problems if "链断开" in p]
    assert len(broken) == 1 and second.name in broken[0]
    # and the edited field itself, against the archive's own rows (archive_identity)
    assert [p for p in problems if p not in broken] == [
        p for p in problems if first.name in p and "office" in p and "另一个值班室" in p
    ]
    assert len(problems) == 2


def test_a_removed_archive_breaks_the_chain(two_archives):
    import shutil

    first, second = two_archives
    shutil.rmtree(first)
    problems = _problems(second.parent)
    assert len(problems) == 1 and first.name in problems[0]
    assert verify_archives(second).ok, "one archive alone: the link is noted, not failed"


def test_a_damaged_snapshot_is_reported_even_with_a_matching_hash(two_archives):
    _first, second = two_archives
    data_file = "pack.sqlite3"  # the second archive is a pack: its data is checked alike
    snapshot = second / data_file
    data = bytearray(snapshot.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096] = 0x7F  # an impossible b-tree page type on every page but the first
    snapshot.write_bytes(bytes(data))
    manifest = _manifest(second)
    for entry in manifest["files"]:
        if entry["name"] == data_file:
            entry["sha256"] = sha256_file(snapshot)  # a forger who also fixed the hash
    (second / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    _resign(second)
    problems = _problems(second)
    assert len(problems) == 1 and data_file in problems[0] and "完整性" in problems[0]


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_archive_holds_a_printable_a4_form_with_signers_and_articles(ready, clock):  # noqa: F811
    from docx import Document
    from docx.oxml.ns import qn

    from dutydesk.services.handover.handover import sign_off
    from dutydesk.services.roster.pins import verify_pin
    from tests.test_handover_domain import tick_all as tick

    tick(ready)
    outgoing = verify_pin(ready, "张伟", "271828")
    clock.advance(minutes=1)
    incoming = verify_pin(ready, "李明", "314159")
    clock.advance(minutes=1)
    leader = verify_pin(ready, "王建国", "161803")
    signed = sign_off(ready, outgoing, incoming, leader)
    folder = export_handover(ready, signed.handover.id).path
    path = folder / "值班交接表.docx"
    entry = next(e for e in _manifest(folder)["files"] if e["name"] == path.name)
    assert entry["role"] == "handover_form_docx" and entry["sha256"] == sha256_file(path)
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert min(section.left_margin.cm, section.right_margin.cm, section.top_margin.cm) >= 1.9
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "宋体"
    text = _docx_text(path)
    assert "值班交接表" in text and "测试区人民政府总值班室" in text
    for name, time in (("张伟", "17:45"), ("李明", "17:46"), ("王建国", "17:47")):
        assert name in text and f"2026-11-23 {time}" in text
    signers = document.tables[-1]
    assert [c.text for c in signers.rows[2].cells[:3]] == ["接班人", "李明", "2026-11-23 17:46"]
    # a checklist item with its article and result
    devices = [row for table in document.tables for row in table.rows
               if row.cells[1].text == "传真机"]  # fmt: skip
    assert [c.text for c in devices[0].cells[2:4]] == ["天津规定第九条", "正常"]
    assert (
        "积水待复查" in text and "天津规定第十四条第（一）项、第十四条第（三）项" in text
    )  # carried-over item
    assert verify_archives(folder).ok


def test_a_not_done_item_and_its_reason_appear_in_the_docx(ready):  # noqa: F811
    from dutydesk.services.handover.handover import mark

    tick_all(ready)
    mark(ready, "documents", "not_done", "文件柜钥匙在综合科")
    folder = export_handover(ready, _sign(ready).handover.id).path
    text = _docx_text(folder / "值班交接表.docx")
    assert "未完成（已说明）" in text and "文件柜钥匙在综合科" in text


def test_a_changed_docx_is_reported_by_name(two_archives):
    first, _second = two_archives
    form = first / "值班交接表.docx"
    data = bytearray(form.read_bytes())
    data[len(data) // 2] ^= 0x01
    form.write_bytes(bytes(data))
    problems = _problems(first.parent)
    assert len(problems) == 1 and "值班交接表.docx" in problems[0]


def test_sections_left_out_of_the_form_do_not_leave_gaps_in_the_numbering(desk, clock):
    """No pending item: the 待办事项 section is left out, and the sections that are there are
    numbered 一、二、三… without a gap, in the Markdown and in the DOCX."""
    from dutydesk.i18n import t
    from dutydesk.services.handover.handover_checklist import SECTIONS, build_checklist
    from dutydesk.services.roster.people import add_person
    from dutydesk.services.roster.pins import set_pin

    add_person(
        desk, "李明", "officer", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    for name, pin in (("张伟", "271828"), ("李明", "314159")):
        set_pin(desk, name, pin, pin, authority=authority_for(desk))
    clock.advance(hours=7, minutes=45)
    assert not [i for i in build_checklist(desk).items if i.section == "pending"]
    tick_all(desk)
    folder = export_handover(desk, _sign(desk).handover.id).path
    markdown = (folder / "值班交接表.md").read_text(encoding="utf-8")
    numbered = [
        line[3:] for line in markdown.splitlines() if line.startswith("## ") and "、" in line
    ]
    assert numbered == ["一、值班记录", "二、值班抽查", "三、重要情况", "四、文电",
                        "五、设备和值班台物品", "六、接班人到岗"]  # fmt: skip
    numerals = t("handover_form.section_numerals").split()
    assert len(numerals) >= len(SECTIONS)  # a numeral for every section there can be
    docx = _docx_text(folder / "值班交接表.docx")
    assert all(line in docx for line in numbered)
