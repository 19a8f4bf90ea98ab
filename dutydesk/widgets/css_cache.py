"""Parsed stylesheets kept between starts, the way Python keeps bytecode: in a `__pycache__`
folder beside the package, and simply not kept where that folder cannot be written.

Textual parses every stylesheet at each start (the app's dutydesk.tcss and each widget class's
DEFAULT_CSS, ~25,000 characters for the first screen): ~45 ms of CPU, three times the minimal
Textual app's, measured (session 10). Each source's rules are kept here once parsed, keyed by
everything the parse depends on (the text, where it was read from, its kind and scope, the
theme's variables, Python's and Textual's CSS code), and read back in a few milliseconds.

Textual's own per-stylesheet cache is asked first; a source whose rules have errors is never
kept (Textual then reports them as it always does). The file is trusted as bytecode is: it sits
in the package's own `__pycache__`, written by the app."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import textual.css
from textual.css.stylesheet import Stylesheet

if TYPE_CHECKING:
    from textual.css.model import RuleSet
    from textual.css.types import CSSLocation

FORMAT = 1  # bump when what is stored changes
CACHE_DIR = Path(__file__).resolve().parents[1] / "__pycache__" / "tcss"

_textual_parse_rules = Stylesheet._parse_rules


@cache
def _code_key() -> bytes:
    """Python's version and Textual's CSS code (names, sizes, change times): a new Textual, or
    one patched, parses afresh."""
    digest = hashlib.sha1(f"{FORMAT}:{sys.version}:{pickle.HIGHEST_PROTOCOL}".encode())
    for path in sorted(Path(textual.css.__file__).parent.glob("*.py")):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.digest()


def _place(stylesheet: Stylesheet, key: tuple[Any, ...]) -> Path:
    digest = hashlib.sha1(_code_key())
    digest.update(repr(key).encode())
    digest.update(repr(sorted(stylesheet._variables.items())).encode())
    return CACHE_DIR / f"{digest.hexdigest()}.pickle"


def _load(place: Path, css: str) -> list[RuleSet] | None:
    """The kept rules, or None to parse afresh (and keep anew): missing, partly written, from
    other code, not rule sets, or none kept for a stylesheet that has some text (breaker,
    session 10: a list of ints stopped the start; an empty list left the app unstyled)."""
    from textual.css.model import RuleSet

    try:
        rules = pickle.loads(place.read_bytes())
    except Exception:
        return None
    if not isinstance(rules, list) or not all(isinstance(rule, RuleSet) for rule in rules):
        return None
    return rules if rules or not css.strip() else None


def _keep(place: Path, rules: list[RuleSet]) -> None:
    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        place.parent.mkdir(parents=True, exist_ok=True)
        partial = place.with_name(f"{place.name}.{os.getpid()}.part")
        partial.write_bytes(pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, place)


def _parse_rules(
    self: Stylesheet,
    css: str,
    read_from: CSSLocation,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    """Textual's Stylesheet._parse_rules, with the rules kept between starts."""
    key = (css, read_from, is_default_rules, tie_breaker, scope)
    if key in self._parse_cache:
        return self._parse_cache[key]
    place = _place(self, key)
    rules = _load(place, css)
    if rules is None:
        rules = _textual_parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):
            _keep(place, rules)
        return rules
    self._parse_cache[key] = rules
    return rules


def keep_parsed_stylesheets() -> None:
    """From now on, every stylesheet of this process is read from its kept rules if any."""
    setattr(Stylesheet, "_parse_rules", _parse_rules)  # noqa: B010 (replaces a method)
