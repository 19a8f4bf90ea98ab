"""The 首报 as a 突发事件信息报告: a 文号 per year given once, every element in the document, the
officer's text escaped in the XML; and the 报告情况 of the incident register."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree

import pytest

from dutydesk.errors import DutyError, ValidationFailed
from dutydesk.services.archive.verify import verify_register
from dutydesk.services.incidents import (
    deadlines,
    record_report,
    register_table,
    reports_made,
    save_first_report,
)
from dutydesk.services.incidents.incidents import IncidentDraft, record_incident
from dutydesk.services.roster.shifts import current_shift

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HOSTILE = "<w:p>x</w:p> & ]]> [bold]粗[/bold] <script>"


def _incident(desk, officer, minutes_ago: int = 0, **fields):
    values = {"place": "人民路", "summary": "燃气管道破裂", "measures": "疏散群众",
              "next_steps": "继续抢修", "scope": "周边三栋楼", "dead": 0, "injured": 2,
              "missing": 0, "trapped": 0, "secondary_risk": "存在危化品泄漏风险",
              **fields}  # fmt: skip
    draft = IncidentDraft(type="accident", level="III",
                          occurred_at=desk.now().subtract(minutes=minutes_ago), **values)  # fmt: skip
    return record_incident(desk, draft, officer)


def _paragraphs(docx_path) -> list[str]:
    with zipfile.ZipFile(docx_path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))  # parses: well-formed
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def test_numbers_go_up_per_year_and_an_incident_keeps_its_number(desk, officer, tmp_path):
    first, second = _incident(desk, officer), _incident(desk, officer, place="解放路")
    one = save_first_report(desk, first.id, officer, folder=tmp_path)
    two = save_first_report(desk, second.id, officer, folder=tmp_path)
    again = save_first_report(desk, first.id, officer, folder=tmp_path)
    year = desk.now().year
    assert (one.number, two.number) == (f"〔{year}〕1号", f"〔{year}〕2号")
    assert again.number == one.number and again.docx_path == one.docx_path
    assert f"〔{year}〕2号" in _paragraphs(two.docx_path)
    assert verify_register(desk.path).ok  # the numbers are chained records


def test_the_document_has_every_element_and_the_layout_lines(desk, officer, tmp_path):
    row = _incident(desk, officer, reviewer="王建国", reporter="张伟")
    saved = save_first_report(desk, row.id, officer, phone="022-23456789", folder=tmp_path)
    text = "\n".join(_paragraphs(saved.docx_path))
    for expected in ("突发事件信息报告", "报告单位：", "签发人：王建国", "报告时间：",
                     "一、事发时间：", "二、事发地点：人民路", "三、事件情况：燃气管道破裂",
                     "四、人员伤亡：", "2人受伤", "五、影响范围和危害程度：周边三栋楼",
                     "六、次生灾害风险：存在危化品泄漏风险",  # the 要素 QA found left out
                     "七、已采取措施：疏散群众", "八、下一步工作：继续抢修",
                     "联系人：张伟", "联系电话：022-23456789"):  # fmt: skip
        assert expected in text, expected
    plain = saved.text_path.read_text("utf-8")
    assert "二、事发地点：人民路" in plain and saved.number in plain
    assert saved.docx_path.name.isascii() and saved.text_path.parent == tmp_path


def test_a_missing_element_is_marked_to_be_verified(desk, officer, tmp_path):
    row = _incident(desk, officer, measures="", scope="")
    text = "\n".join(
        _paragraphs(save_first_report(desk, row.id, officer, folder=tmp_path).docx_path)
    )
    assert "七、已采取措施：【待核实：已采取措施】" in text
    assert "五、影响范围和危害程度：【待核实：影响范围和危害程度】" in text


def test_hostile_text_is_escaped_in_the_xml(desk, officer, tmp_path):
    row = _incident(desk, officer, place=HOSTILE, summary=HOSTILE)
    saved = save_first_report(desk, row.id, officer, signer="李<娜>", folder=tmp_path)
    with zipfile.ZipFile(saved.docx_path) as archive:
        raw = archive.read("word/document.xml").decode("utf-8")
    assert "<w:p>x</w:p> &" not in raw and "&lt;w:p&gt;x&lt;/w:p&gt; &amp; ]]&gt;" in raw
    assert "<script>" not in raw
    assert any(HOSTILE in p for p in _paragraphs(saved.docx_path))  # shown as typed
    assert any("签发人：李<娜>" in p for p in _paragraphs(saved.docx_path))


def test_bad_signature_text_gives_no_number(desk, officer, tmp_path):
    row = _incident(desk, officer)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationFailed):
        save_first_report(desk, row.id, officer, contact="张\x1b[31m伟", folder=out)
    assert list(out.iterdir()) == []
    assert save_first_report(desk, row.id, officer, folder=out).number.endswith("〕1号")


def test_unknown_incident_is_refused(desk, officer, tmp_path):
    with pytest.raises(DutyError) as refused:
        save_first_report(desk, 99, officer, folder=tmp_path)
    assert refused.value.key == "incident.unknown"


def test_the_register_shows_each_report_with_channel_time_recipient_and_lateness(
    desk, officer, clock
):
    row = _incident(desk, officer, minutes_ago=41)  # Tianjin: phone within 30 min: 11 late
    record_report(desk, row.id, "first", officer, to_whom="市应急管理局", phoned_at=desk.now())
    made = reports_made(desk, row.id)
    local = desk.now().in_timezone(desk.timezone).format("HH:mm")
    assert made == f"首报 电话{local} 报市应急管理局，迟报11分钟"
    header, rows = register_table(desk, current_shift(desk))
    assert rows[0][header.index("报告情况")] == made


def test_a_deadline_closed_by_hand_shows_its_reason(desk, officer):
    row = _incident(desk, officer)
    written = [v for v in deadlines.open_deadlines(desk) if v.channel == "written"][0]
    deadlines.close_deadline(desk, written.id, officer, reason="已由局办公室直接报送")
    assert "已由局办公室直接报送" in reports_made(desk, row.id)
    assert "书面报告未登记报告" in reports_made(desk, row.id)


def test_an_acknowledgement_or_hand_closing_without_a_reason_is_refused(desk, officer, clock):
    _incident(desk, officer, minutes_ago=25)  # phone due in 5 minutes: warning
    phone = deadlines.open_deadlines(desk)[0]
    for attempt in (deadlines.acknowledge, deadlines.close_deadline):
        for reason in ("", "  "):
            with pytest.raises(ValidationFailed) as refused:
                attempt(desk, phone.id, officer, reason=reason)
            assert refused.value.fields == ["deadline_reason"]
    view = deadlines.get_deadline(desk, phone.id)
    assert view.acked_at is None and view.is_open
