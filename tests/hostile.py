"""Hostile text, and the helpers to look for it on a Textual screen.

Two groups. MARKUP: text the desk accepts and must show exactly as typed (Rich/Textual markup of
every kind, brackets, dollars, emoji, mixed scripts, backslashes, a 2,000+ character line).
REFUSED: characters the domain validation refuses (terminal escapes, bidi overrides, zero-width
characters); a register written by an older version may still hold them, so the screens must
show them harmlessly."""

from __future__ import annotations

from typing import Any

CLOSING_TAG = "[/bold]"
CLOSE_ALL = "张[/]"
STYLED = "[bold red]张伟[/]"
LINK = "[link=file:///etc/passwd]y[/]"
CLICK = "[@click=app.quit]z[/]"
INDEXED = "数组[i]"
UNCLOSED = "[red"
ESCAPED = "\\[escaped]"
UNBALANCED = "]][[x[/][[y"
DOLLARS = "$HOME ${office} $$1"
EMOJI = "🚒🔥✅ 火警"
MIXED = "張三Zhang三 テスト 한국 ①②"
BACKSLASHES = "C:\\值班\\new\\t\\\\"
VARIABLE = "[$accent]变量[/$accent]"
LONG = "长" * 1100 + "x" * 1000  # 2,100 characters and no space to break at

MARKUP = (CLOSING_TAG, CLOSE_ALL, STYLED, LINK, CLICK, INDEXED, UNCLOSED, ESCAPED, UNBALANCED,
          DOLLARS, EMOJI, MIXED, BACKSLASHES, VARIABLE)  # fmt: skip

SGR = "\x1b[31m红\x1b[0m"
CLEAR = "\x1b[2J清屏"
BELL = "铃\x07"
RLO = "abc\u202edef"
ZWSP = "李\u200b娜"
BOM = "\ufeff张"
REFUSED = (SGR, CLEAR, BELL, RLO, ZWSP, BOM)
RAW = ("\x1b", "\x07", "\u202e", "\u200b", "\ufeff")  # none of these may reach the screen


def screen_lines(app: Any) -> list[str]:
    """The text of the screen as painted now, one str per line (modal screens with the screens
    beneath them)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return ["".join(segment.text for segment in strip) for strip in update.strips]


def screen_text(app: Any) -> str:
    return "\n".join(screen_lines(app))


def position_of(app: Any, text: str) -> tuple[int, int] | None:
    """(x, y) in cells of the first character of `text` on the screen, or None."""
    from rich.cells import cell_len

    for y, line in enumerate(screen_lines(app)):
        index = line.find(text)
        if index >= 0:
            return cell_len(line[:index]), y
    return None


def insert_copy(desk: Any, model: type, row_id: int, **changes: Any) -> int:
    """A new row of `model`, a copy of row `row_id` with `changes` (validation bypassed, as a
    register written by an older version may hold it), chained like any record. Its id."""
    from dutydesk.db import write_session
    from dutydesk.services.core import audit

    with write_session(desk.engine) as session:
        original = session.get(model, row_id)
        assert original is not None
        values = original.model_dump()
        values.update(changes, id=None)
        row = model(**values)
        session.add(row)
        session.flush()
        assert row.id is not None
        audit.append(session, model.__tablename__, row.id, desk.now())
        return row.id
