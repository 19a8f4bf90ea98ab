"""The message catalogue: every user-facing text, in Chinese (default) and English."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from dutydesk.citations import cite_text

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_CATALOGUE_DIR = Path(__file__).parent / "locales"
_current = DEFAULT_LANGUAGE


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All of a language's messages: every `locales/<lang>/*.toml` file (one per area), or
    their compiled copy when it is of these very files (catalogue_cache.py)."""
    from dutydesk import catalogue_cache

    sources = sorted((_CATALOGUE_DIR / lang).glob("*.toml"))
    kept = catalogue_cache.load(_CATALOGUE_DIR, lang, sources)
    if kept is not None:
        return kept
    messages: dict[str, str] = {}
    for path in sources:
        with open(path, "rb") as handle:
            for key, value in _flatten(tomllib.load(handle)).items():
                if key in messages:
                    raise ValueError(f"message key {key!r} defined twice ({path.name})")
                messages[key] = value
    catalogue_cache.keep(_CATALOGUE_DIR, lang, sources, messages)
    return messages


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang


def language() -> str:
    return _current


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """The text for `key` in the current language, with `{params}` filled in; a `cite`
    parameter (a rule's citation) is rendered in the language's style (citations.py)."""
    messages = catalogue(lang or _current)
    text = messages.get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE).get(key, key)
    if isinstance(params.get("cite"), str):  # a rule's citation, in the language's style
        params["cite"] = cite_text(params["cite"], lang or _current)
    return text.format(**params) if params else text


def cite(text: str) -> str:
    """A rule's citation as shown in the current language."""
    return cite_text(text, _current)


def has(key: str, lang: str | None = None) -> bool:
    return key in catalogue(lang or _current)
