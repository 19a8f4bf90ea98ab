"""Issue 16 (QA #10): a head read off the printed 值班交接表 and typed wrong is a usage error in
the user's language (exit 2, nothing verified), never a report of tampering; a well-formed head
that differs from the register says so and asks to re-read the paper first (exit 1)."""

from __future__ import annotations

import pytest

from tests.support_reliability import scalar
from tests.test_anchors import _paper_head
from tests.test_handover_domain import _sign, ready, tick_all  # noqa: F401  (fixture)

USAGE = 2
TAMPERING_WORDS = ("changed", "deleted", "recomputed")


@pytest.fixture
def paper(ready):  # noqa: F811
    """A signed register, closed, and the head printed on its form."""
    from dutydesk.services.archive.export import export_handover

    tick_all(ready)
    signed = _sign(ready, leader=True)
    head = _paper_head(export_handover(ready, signed.handover.id).path)
    ready.close()
    return ready.path, head


@pytest.mark.parametrize(
    "typed",
    [
        "{seq}:{hex15}",  # a digit left out
        "{seq}:{hex16}0",  # one too many
        "{seq}:{hex15}g",  # not hex
        "0:{hex16}",  # there is no link 0
    ],
)
def test_a_malformed_paper_head_is_a_usage_error(cli, paper, typed):
    path, head = paper
    seq, digits = head.split(":")
    text = typed.format(seq=seq, hex15=digits[:15], hex16=digits)
    result = cli("verify", "--db", str(path), "--head", text, lang="en")
    assert result.exit_code == USAGE, result.output
    assert "SEQ:HEX" in result.stderr and "Nothing was verified" in result.stderr
    assert not any(word in result.output for word in TAMPERING_WORDS)
    assert result.stdout == ""  # no verdict on the register


def test_a_wrong_length_head_is_said_in_chinese(cli, paper):
    path, head = paper
    result = cli("verify", "--db", str(path), "--head", head[:-1])
    assert result.exit_code == USAGE
    assert "15 位十六进制数" in result.stderr and "未进行核验" in result.stderr


def test_a_sequence_past_the_end_of_the_chain_asks_to_re_read_it(cli, paper):
    path, head = paper
    links = scalar(path, "SELECT MAX(seq) FROM audit_link")
    misread = f"{links + 10}:{head.split(':')[1]}"
    result = cli("verify", "--db", str(path), "--head", misread, lang="en")
    assert result.exit_code == USAGE
    assert f"has {links} links, so it has no link {links + 10}" in result.stderr
    assert "Re-read the sequence number" in result.stderr
    zh = cli("verify", "--db", str(path), "--head", misread)
    assert zh.exit_code == USAGE and "请重新核对纸质交接表上的序号" in zh.stderr


def test_a_whole_hash_is_taken_as_well_as_the_printed_sixteen_digits(cli, paper):
    path, head = paper
    seq = int(head.split(":")[0])
    whole = scalar(path, f"SELECT hash FROM audit_link WHERE seq = {seq}")
    result = cli("verify", "--db", str(path), "--head", f"{seq}:{whole.upper()}", lang="en")
    assert result.exit_code == 0, result.output


def test_a_misread_digit_says_the_head_differs_and_asks_to_re_read_the_paper(cli, paper):
    path, head = paper
    seq, digits = head.split(":")
    misread = f"{seq}:{digits[:-1]}{'8' if digits[-1] != '8' else '0'}"
    result = cli("verify", "--db", str(path), "--head", misread, lang="en")
    assert result.exit_code == 1
    assert f"Link {seq} of the register is {digits}…" in result.stdout
    assert "Re-read the paper first" in result.stdout
    zh = cli("verify", "--db", str(path), "--head", misread)
    assert zh.exit_code == 1 and "请先重新核对纸质表" in zh.stdout


def test_a_misread_digit_is_not_headlined_as_a_change_outside_the_desk(cli, paper):
    """QA #11: the first line said "changed outside DutyDesk" before the advice to re-read
    the paper; with nothing else wrong, the headline says only that the head differs."""
    path, head = paper
    seq, digits = head.split(":")
    misread = f"{seq}:{digits[:-1]}{'8' if digits[-1] != '8' else '0'}"
    en = cli("verify", "--db", str(path), "--head", misread, lang="en")
    first = en.stdout.splitlines()[0]
    assert en.exit_code == 1 and first.startswith("NOT OK")
    assert "outside" not in first and "paper" in first
    zh = cli("verify", "--db", str(path), "--head", misread)
    assert "之外被改动" not in zh.stdout.splitlines()[0] and "纸质" in zh.stdout.splitlines()[0]
