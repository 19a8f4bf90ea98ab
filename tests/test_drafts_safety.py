"""Draft files beside the register: a symlink planted where a draft is written or read is never
followed, the text is 0600 from the first byte, and a save killed half way leaves the previous
draft whole."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dutydesk.services.core.drafts import discard_draft, draft_path, load_draft, save_draft

FORM = "calls"
VICTIM_TEXT = '{"secret": "not yours"}'
PLANTED_TOKEN = "0123456789abcdef"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite3"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    path = outside / "important.json"
    path.write_text(VICTIM_TEXT, encoding="utf-8")
    return path


def _plant_links(register: Path, victim: Path, monkeypatch) -> list[Path]:
    """Symlinks at every name a save may write through: the old fixed temp name, and the first
    random one (made predictable here, as an attacker who guessed it would have it)."""
    target = draft_path(register, FORM)
    tokens = iter([PLANTED_TOKEN])
    real = secrets.token_hex
    monkeypatch.setattr(secrets, "token_hex", lambda n=None: next(tokens, None) or real(n))
    links = [target.with_name(target.name + ".tmp"),
             target.with_name(f".{target.name}.{PLANTED_TOKEN}.tmp")]  # fmt: skip
    for link in links:
        link.symlink_to(victim)
    return links


def test_a_symlink_at_the_temp_path_is_not_followed(register, victim, monkeypatch):
    links = _plant_links(register, victim, monkeypatch)
    assert save_draft(register, FORM, {"summary": "积水"}) is True
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert all(link.is_symlink() for link in links)  # left alone, not written through
    assert load_draft(register, FORM) == {"summary": "积水"}
    saved = draft_path(register, FORM)
    assert not saved.is_symlink() and (saved.stat().st_mode & 0o777) == 0o600


def test_a_dangling_symlink_at_the_temp_path_creates_nothing(register, tmp_path, monkeypatch):
    nowhere = tmp_path / "elsewhere-new.json"
    for link in _plant_links(register, nowhere, monkeypatch):
        assert link.is_symlink()
    save_draft(register, FORM, {"summary": "x"})
    assert not nowhere.exists()


def test_a_symlink_at_the_final_path_is_neither_read_nor_written_through(register, victim):
    target = draft_path(register, FORM)
    target.symlink_to(victim)
    assert load_draft(register, FORM) is None  # someone else's file is not shown in the form
    assert save_draft(register, FORM, {"summary": "停电"}) is True
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert not target.is_symlink() and load_draft(register, FORM) == {"summary": "停电"}
    discard_draft(register, FORM)
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT and not target.exists()


def test_the_draft_is_0600_from_the_first_byte(register, monkeypatch):
    modes: list[int] = []
    real_fsync = os.fsync

    def watching_fsync(fd: int) -> None:
        modes.append(os.fstat(fd).st_mode & 0o777)  # the text is already in the file here
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", watching_fsync)
    previous = os.umask(0o022)
    try:
        assert save_draft(register, FORM, {"summary": "涉密内容"}) is True
    finally:
        os.umask(previous)
    assert modes and set(modes) == {0o600}
    assert (draft_path(register, FORM).stat().st_mode & 0o777) == 0o600


KILLED_SAVE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from dutydesk.services.core.drafts import save_draft

    register = Path(sys.argv[1])
    assert save_draft(register, "calls", {"summary": "第一稿"})
    os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # killed with the text written
    os.umask(0o022)
    save_draft(register, "calls", {"summary": "第二稿，写到一半"})
    """
)


def test_a_save_killed_half_way_leaves_the_previous_draft(register):
    run = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(register)], timeout=60)
    assert run.returncode == -signal.SIGKILL
    assert load_draft(register, FORM) == {"summary": "第一稿"}
    leftovers = [p for p in register.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers, "the killed save left its temp file"
    for leftover in leftovers:  # half-written text is not readable by others either
        assert (leftover.stat().st_mode & 0o777) == 0o600
    other = draft_path(register.with_name("other.sqlite3"), FORM)
    theirs = other.with_name(f".{other.name}.{'a' * 16}.tmp")  # another register's leftover
    theirs.write_text("{}", encoding="utf-8")
    discard_draft(register, FORM)
    assert [p for p in register.parent.iterdir() if p.name.endswith(".tmp")] == [theirs]
    assert load_draft(register, FORM) is None
