"""The 收发文登记簿 in each archive: a CSV (UTF-8 with BOM, formula-safe cells) of the shift's
documents and every one still open, read back here; the printable form lists each open document
the incoming officer acknowledged; verify renders the CSV again from the archive's own rows."""

from __future__ import annotations

import csv

import pytest

from dutydesk.services.archive.archive_verify import verify_archives
from dutydesk.services.archive.export import export_handover
from dutydesk.services.documents import add_document, close_document, route_document
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)

CSV_NAME = "收发文登记簿.csv"


@pytest.fixture
def with_documents(ready, officer, clock):  # noqa: F811
    routed = add_document(ready, officer, direction="in", party="市政府办公室", kind="fax",
                          title="关于做好寒潮防范工作的紧急通知", urgency="teji",
                          number="市政办电〔2026〕88号", moved_at=clock.now().subtract(hours=2))  # fmt: skip
    route_document(ready, officer, routed.id, routed_to="综合科刘洋", channel="电话")
    waiting = add_document(ready, officer, direction="in", party="=HYPERLINK(1)",
                           title="=1+1 的通知", kind="file", urgency="putong", classified=True)  # fmt: skip
    done = add_document(ready, officer, direction="out", party="市政府总值班室",
                        title="值班表报送", kind="file", urgency="putong")  # fmt: skip
    close_document(ready, officer, done.id, note="已报送")
    return ready, (routed.id, waiting.id, done.id)


def test_the_archive_holds_the_document_register_as_csv(with_documents):
    desk, (routed, waiting, done) = with_documents
    tick_all(desk)
    signed = _sign(desk, leader=True)
    result = export_handover(desk, signed.handover.id)
    assert result.ok, result.error
    raw = (result.path / CSV_NAME).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["编号", "收发", "文号"]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_id) == {str(routed), str(waiting), str(done)}
    first = by_id[str(routed)]
    assert first["文号"] == "市政办电〔2026〕88号" and first["缓急"] == "特急"
    assert "综合科刘洋" in first["交办情况"] and "电话" in first["交办情况"]
    assert first["交办时限"] and not first["办结时间"]
    odd = by_id[str(waiting)]
    assert odd["密级"] == "涉密"
    assert not odd["标题"].startswith("=") and "=1+1 的通知" in odd["标题"]  # never a formula
    assert not odd["来文/发往单位"].startswith("=")
    assert by_id[str(done)]["办结时间"] and by_id[str(done)]["收发"] == "发文"
    form = (result.path / "值班交接表.md").read_text(encoding="utf-8-sig")
    assert "未办结文电" in form and "市政办电〔2026〕88号" in form
    report = verify_archives(result.path.parent)
    assert report.ok, report


def test_a_changed_document_register_csv_is_caught(with_documents):
    desk, _ids = with_documents
    tick_all(desk)
    result = export_handover(desk, _sign(desk, leader=True).handover.id)
    path = result.path / CSV_NAME
    path.write_bytes(path.read_bytes().replace("综合科刘洋".encode(), "办公室".encode()))
    assert not verify_archives(result.path.parent).ok
