"""QA (session 10) on the data paths: the duty-hours and central XLSX written 0600 as the other
exports; full-width phones (０３７１－６６１２３４５６) accepted and stored in ASCII in the
phone list, the spot-check units, the roster's phones and a leader's absence contact; F9's
terms out of their quotes as the calls search takes them; anchors.read_manifest reads regular
files within the cap only; `dutydesk verify` notes a change of the desk's signing key."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest

from dutydesk.i18n import t

FULL_WIDTH = "０３７１－６６１２３４５６"
ASCII = "0371-66123456"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_duty_hours_sheet_is_written_0600(desk, tmp_path):
    from dutydesk.services.roster import write_hours_xlsx

    target = tmp_path / "hours.xlsx"
    write_hours_xlsx(desk, 2026, 11, target)
    assert _mode(target) == 0o600


def test_the_central_report_sheet_is_written_0600_its_names_as_text(tmp_path):
    from openpyxl import load_workbook

    from dutydesk.services.central.report import DeskFigures, Report, UnitFigures
    from dutydesk.services.central.report_xlsx import write_xlsx

    report = Report("2026-11-01", "2026-11-30", [DeskFigures("=HYPERLINK(1)", "chain:x", 3)],
                    [UnitFigures("=1+1", 2)])  # fmt: skip
    target = write_xlsx(report, tmp_path / "central.xlsx")
    assert _mode(target) == 0o600
    book = load_workbook(target)
    assert book.worksheets[0].cell(3, 1).value == "'=HYPERLINK(1)"
    assert book.worksheets[1].cell(2, 1).value == "'=1+1"


def test_a_full_width_contact_phone_is_stored_in_ascii(desk, officer):
    from dutydesk.services.documents import ContactInput, add_contact

    row = add_contact(desk, officer, ContactInput("unit", "城关镇", phone=FULL_WIDTH,
                                                  mobile="１３８ ０００ ００００"))  # fmt: skip
    assert (row.phone, row.mobile) == (ASCII, "138 000 0000")


def test_a_full_width_unit_duty_phone_is_stored_in_ascii(desk):
    from dutydesk.services.spotcheck import UnitDraft, add_unit
    from dutydesk.services.spotcheck.units import unit_kinds

    unit = add_unit(desk, UnitDraft("城关镇", unit_kinds(desk.profile)[0], FULL_WIDTH))
    assert unit.duty_phone == ASCII


def test_a_full_width_roster_phone_is_stored_in_ascii(desk, officer):
    from dutydesk.services.roster import set_phone

    assert set_phone(desk, officer.name, FULL_WIDTH).phone == ASCII


@pytest.mark.parametrize("typed", ['"积水"', "“积水”", "「积水」", "'积水潭'"])
def test_f9_finds_what_is_inside_quotes(desk, officer, typed):
    from dutydesk.services.documents import ContactInput, add_contact
    from dutydesk.services.lookup import search_all

    add_contact(desk, officer, ContactInput("unit", "积水潭街道", phone=ASCII))
    hits = search_all(desk, typed, registers=("contacts",))
    assert [hit.title for hit in hits] == ["积水潭街道"]


@pytest.fixture
def manifest(desk, officer) -> Path:
    from dutydesk.services.archive.anchors import MANIFEST
    from dutydesk.services.archive.export import write_archive
    from tests.support_reliability import fill

    fill(desk, officer)
    return write_archive(desk) / MANIFEST


def test_read_manifest_reads_only_a_regular_file(manifest, tmp_path):
    from dutydesk.services.archive.anchors import read_manifest

    assert read_manifest(manifest) is not None
    linked = tmp_path / "linked.json"
    linked.symlink_to(manifest)
    assert read_manifest(linked) is None


def test_read_manifest_refuses_one_over_the_cap(manifest, monkeypatch):
    from dutydesk.services.archive import anchors

    monkeypatch.setattr(anchors, "MANIFEST_CAP", manifest.stat().st_size - 1)
    assert anchors.read_manifest(manifest) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_verify_notes_the_change_of_signing_key(cli, desk, officer, lang):
    from dutydesk.services.archive.desk_key import fingerprint, key_path, public_key
    from dutydesk.services.archive.export import write_archive
    from tests.support_reliability import fill

    fill(desk, officer)
    write_archive(desk)
    before = fingerprint(public_key(desk.path))
    key_path(desk.path).unlink()  # lost: the next export makes a new key, and says so
    write_archive(desk)
    now = fingerprint(public_key(desk.path))
    desk.close()
    result = cli("verify", db=desk.path, lang=lang)
    assert result.exit_code == 0, result.output  # a note, not a fault
    note = t("verify_anchor.signer_changed", lang=lang, number=2, before=before, now=now)
    assert note in result.output
    assert before != now


def test_a_full_width_absence_contact_is_stored_in_ascii(desk, officer):
    from dutydesk.services.roster import record_absence
    from dutydesk.services.roster.people import add_person
    from tests.support_people import authority_for
    from tests.test_leader_absence import _draft

    add_person(
        desk, "李强", "leader", in_post_since=date(2024, 1, 1), authority=authority_for(desk)
    )
    away = record_absence(desk, _draft(desk, contact=FULL_WIDTH), officer)
    assert away.contact == ASCII
