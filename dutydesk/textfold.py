"""Text folded as the calls' search indexes fold it, for SQL (`fold_for_search`, registered on
every connection of the store's engines as `dutydesk_fold`).

The trigram index folds letter case the Unicode way (ＡＢＣ and ａｂｃ, Ⅱ and ⅱ, Ж and ж alike);
the bigram index holds Python-lowered characters that its tokenizer (unicode61) folds again and
strips of their accents (é as e). SQLite's own lower() folds ASCII only, so the search's check of
the calls not yet indexed (services/core/search_catch_up) folds with this instead: a call is
found the same before and after upkeep writes it into the indexes (new officer and breaker,
session 20: ａｂｃ, Ⅱ级, école found only after)."""

from __future__ import annotations

import unicodedata


def fold_for_search(text: object, strip_accents: object = 0) -> str | None:
    """`text` lower-cased per character (as FTS5's case folding, one character to one), and
    with `strip_accents` without its combining marks; None for NULL."""
    if text is None:
        return None
    folded = "".join(_fold_char(char) for char in str(text))
    if not strip_accents:
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(_fold_char(char) for char in bare)  # İ bare is I


def _fold_char(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char  # İ lowers to two characters: FTS5 keeps one
