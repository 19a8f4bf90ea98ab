"""Issue 19: `verify` on every core (services/archive/verify_parallel.py) gives the verdict of the
one pass, link for link: the chain cut into ranges of three links here, so that every kind of
fault lands on a join between two ranges as well as inside one."""

from __future__ import annotations

import pytest

from dutydesk.services.archive import verify_parallel
from dutydesk.services.archive.verify import verify_register
from tests.support_reliability import fill, tamper
from tests.support_template import desk_fixture, template_fixture

template = pytest.fixture(scope="module")(template_fixture)
desk = pytest.fixture(desk_fixture)


@pytest.fixture
def filled(desk, officer):
    fill(desk, officer)
    desk.close()
    return desk.path


@pytest.fixture
def ranged(monkeypatch):
    """Verify in ranges of three links on two processes; returns the outcomes they gave (None:
    the one pass decided)."""
    outcomes = []
    real = verify_parallel.finish

    def recorded(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        outcomes.append(real(*args, **kwargs))
        return outcomes[-1]

    monkeypatch.setattr(verify_parallel, "RANGE_LINKS", 3)
    monkeypatch.setattr(verify_parallel, "finish", recorded)
    monkeypatch.setattr(verify_parallel, "wanted", lambda links: True)
    return outcomes


def one_pass(path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(verify_parallel, "wanted", lambda links: False)
        return verify_register(path).to_json()


def test_an_intact_register_and_its_clock_steps_as_in_one_pass(filled, ranged, monkeypatch):
    assert verify_register(filled).to_json() == one_pass(filled, monkeypatch)
    assert ranged[-1] is not None and ranged[-1].count >= 9  # checked in ranges, not in one
    tamper(filled, "DROP TRIGGER audit_link_no_update",
           "UPDATE audit_link SET written_at = '2020-01-01T00:00:00.000000+00:00'"
           " WHERE seq IN (4, 8)")  # fmt: skip  # the first link of a range, one inside one
    report = verify_register(filled)
    assert ranged[-1] is not None
    assert [w.args["seq"] for w in report.warnings if w.code == "clock_back"] == [4, 8]
    assert report.to_json() == one_pass(filled, monkeypatch)


def test_changed_rows_and_breaks_as_in_one_pass(filled, ranged, monkeypatch):
    tamper(filled, "DROP TRIGGER call_record_no_update", "UPDATE call_record SET phone = '110'",
           "DROP TRIGGER audit_link_no_update",
           "UPDATE audit_link SET prev_hash = 'x' WHERE seq IN (4, 8)")  # fmt: skip
    report = verify_register(filled)
    assert ranged[-1] is not None
    assert {"changed", "break"} == set(report.counts)
    assert report.to_json() == one_pass(filled, monkeypatch)


@pytest.mark.parametrize(
    "statements",
    [
        (
            "DROP TRIGGER person_no_delete",
            "PRAGMA foreign_keys = OFF",
            "DELETE FROM person WHERE id = 3",
        ),
        (
            "INSERT INTO pending_item (created_at, text, call_id, created_by_id, shift_id)"
            " SELECT created_at, text, call_id, created_by_id, shift_id FROM pending_item LIMIT 1",
        ),
        ("DROP TRIGGER audit_link_no_delete", "DELETE FROM audit_link WHERE seq = 5"),
    ],  # fmt: skip
    ids=["deleted", "inserted", "link-deleted"],
)
def test_a_row_deleted_or_inserted_is_judged_by_one_pass(filled, ranged, monkeypatch, statements):
    tamper(filled, *statements)
    report = verify_register(filled)
    assert ranged[-1] is None and not report.ok  # the ranges gave way to the one pass
    assert report.to_json() == one_pass(filled, monkeypatch)
