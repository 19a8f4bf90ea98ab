"""Text someone typed, put into a Markdown form so that it reads as typed: no emphasis, link,
image, code, heading, list, quote or HTML tag can come out of it. Every ASCII character Markdown
gives a meaning to is backslash-escaped (CommonMark lets any ASCII punctuation be), so `**x**`,
`<b>y</b>`, `[a](b)` or a leading `# ` are shown literally. A line break becomes `<br>` (added
after escaping, so it is the only tag), the one form that works both in a table cell and in a
list item."""

from __future__ import annotations

from typing import Any

# \ ` * _ { } [ ] ( ) # + - . ! | < > as the usual list, with ~ (strikethrough) and & (entities)
_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~&")


def md_text(value: Any) -> str:
    """`value` as literal Markdown inline text (one paragraph, table cell or list item)."""
    text = "" if value is None else str(value)
    escaped = "".join("\\" + char if char in _SPECIAL else char for char in text)
    lines = escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # leading spaces would make an indented code block at the start of a list item
    return "<br>".join(line.lstrip(" \t") if index == 0 else line for index, line in
                       enumerate(lines))  # fmt: skip


def md_cell(value: Any) -> str:
    """`value` as the text of a Markdown table cell (never empty, so the row keeps its cells)."""
    return md_text(value) or " "
