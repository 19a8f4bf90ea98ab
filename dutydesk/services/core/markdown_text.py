"""Text someone typed, put into a Markdown form so that it reads as typed: no emphasis, link,
image, code, heading, list, quote, table split or HTML tag can come out of it.

Escaped everywhere (CommonMark lets any ASCII punctuation be backslash-escaped): the characters
that mean something in the middle of a line: \\ ` * _ [ ] < > & ~ | ! #. With [ and ] escaped
no link or image can form, so ( ) { } need nothing. The characters that only mean something at
the start of a line (- + = and the . or ) after digits: lists, setext headings, thematic breaks)
are escaped there. Leading spaces are dropped (four would start a code block in a list item).
Everything else is left as typed, so dates, times, phone numbers and articles such as
"Tianjin art. 14(2)" read the same in the raw file. A line break becomes `<br>` (added after
escaping, so it is the only tag), the one form that works both in a table cell and in a list
item."""

from __future__ import annotations

import re
from typing import Any

_INLINE = frozenset("\\`*_[]<>&~|!#")
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def _escape_start(text: str) -> str:
    return _LINE_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], text, count=1)


def md_text(value: Any) -> str:
    """`value` as literal Markdown inline text (one paragraph, table cell or list item)."""
    text = "" if value is None else str(value)
    escaped = "".join("\\" + char if char in _INLINE else char for char in text)
    lines = escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines[0] = lines[0].lstrip(" \t")
    return "<br>".join(_escape_start(lines[0]) if i == 0 else line for i, line in enumerate(lines))


def md_cell(value: Any) -> str:
    """`value` as the text of a Markdown table cell (never empty, so the row keeps its cells)."""
    return md_text(value) or " "
