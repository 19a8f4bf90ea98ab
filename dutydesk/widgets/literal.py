"""The one way user text reaches the screen: shown exactly as typed, never interpreted.

Textual and Rich read `[...]` in a plain str as markup: `[/bold]` raises, `[@click=app.quit]z[/]`
runs an action when clicked, `[red]x[/]` is coloured, `数组[i]` loses its brackets. Anything shown
here is a `rich.text.Text` built without markup, so Textual neither parses nor styles it.

Characters that would act on the terminal or on the order of the text are made visible instead
of being sent to it: C0 controls (but newline and tab) and DEL as their control pictures (ESC as
␛), C1 controls, format characters (bidi overrides and isolates, zero-width spaces, the BOM...),
line and paragraph separators and lone surrogates as `<U+XXXX>`. Registers written before names
were validated can hold such characters; they are shown, never obeyed."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from textual import events

CONTROL_PICTURES = 0x2400  # U+2400 ␀ ... U+241F ␟: the picture of C0 control n is 0x2400 + n
DELETE_PICTURE = "\u2421"  # ␡
KEPT = frozenset("\n\t")
NEUTRALISED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


@lru_cache(maxsize=4096)
def _shown_char(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(CONTROL_PICTURES + code)
    if code == 0x7F:
        return DELETE_PICTURE
    return f"<U+{code:04X}>"


def _needs_care(char: str) -> bool:
    return char not in KEPT and unicodedata.category(char) in NEUTRALISED_CATEGORIES


def visible(text: object) -> str:
    """`text` as a str in which no character can move the cursor, clear the screen, ring the
    bell or reorder what follows. Everything else is unchanged (markup is not touched: pass the
    result to a widget as a `literal()` Text, or to notify(markup=False))."""
    text = "" if text is None else str(text)
    if text.isprintable():  # the common case, without a per-character walk
        return text
    text = text.replace("\r\n", "\n")  # a line break typed on Windows is a line break
    return "".join(_shown_char(char) if _needs_care(char) else char for char in text)


def one_line(text: object) -> str:
    """`visible(text)` on one line: line breaks and tabs become spaces (for cells and titles)."""
    return visible(text).replace("\n", " ").replace("\t", " ")


def literal(text: object, *, width: int | None = None, style: str = "") -> Text:
    """User text as a Text shown literally. With `width`, one line cut to that many terminal
    cells, ending in "…" when cut (a table cell or a title)."""
    if width is None:
        return Text(visible(text), style=style, end="")
    shown = Text(one_line(text), style=style, end="", no_wrap=True, overflow="ellipsis")
    if shown.cell_len > width:
        shown.truncate(width, overflow="ellipsis")
    return shown


def cut(text: object, width: int) -> str:
    """`text` on one line, made visible and cut to `width` cells with "…" (a name put into a
    sentence that has a fixed place, such as the header)."""
    return literal(text, width=width).plain


__all__ = ["cut", "literal", "one_line", "visible"]


def typed_text(keys: Sequence[events.Key]) -> str:
    """What `keys` typed: their characters, any other key by its name (李明‹tab›城关)."""
    return "".join(key.character if key.is_printable and key.character else f"‹{key.key}›"
                   for key in keys)  # fmt: skip
