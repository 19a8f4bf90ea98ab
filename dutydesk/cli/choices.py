"""Options whose value is one of a set of codes (a report's kind, a unit's kind, a role...): the
code or its name in either language is accepted (首报, 续报, First report), and --help lists
every code with its name in the user's language.

    kind: str | None = choice_option(None, "--kind", section="report_kind", help="...opt_kind")

The codes' names are the catalogue's `<section>.<code>` texts. A value that names no code is
passed on unchanged, for the service to refuse with its own message and the list."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import typer

from dutydesk.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalogue, t

HELP_PREFIX = "choices:"  # a help "key" that names the choices (see support._translate)
_PARAMS = re.compile(r"\{[^}]*\}")
_REGISTRY: dict[str, Choices] = {}


@dataclass(frozen=True)
class Choices:
    """The codes of `section` a value may take; `words` maps the word typed on the command
    line to its catalogue code where they differ (handover mark's `ack` is `acknowledged`)."""

    section: str
    words: tuple[tuple[str, str], ...]

    def name(self, code: str, lang: str | None = None) -> str:
        return _PARAMS.sub("", t(f"{self.section}.{code}", lang=lang)).strip()

    def code(self, value: str) -> str:
        typed = value.strip().casefold()
        for word, code in self.words:
            if typed in (word.casefold(), *self._names(code)):
                return word
        return value

    def _names(self, code: str) -> Iterator[str]:
        """Every way a code's name may be typed: the whole name in each language, the name
        before a bracket (Ⅰ级 of Ⅰ级（特别重大）), each part of a name with slashes."""
        for lang in LANGUAGES:
            name = self.name(code, lang).casefold()
            yield name
            yield re.split(r"[（(]", name)[0].strip()
            yield from (part.strip() for part in name.split("/"))

    def listing(self) -> str:
        items = [t("choices.item", code=word, name=self.name(code)) for word, code in self.words]
        return t("choices.separator").join(items)


Codes = Sequence[str] | Mapping[str, str] | None  # None: every code of the section


def choices(section: str, codes: Codes = None) -> Choices:
    if codes is None:
        prefix = section + "."
        codes = [
            key.removeprefix(prefix)
            for key in catalogue(DEFAULT_LANGUAGE)
            if key.startswith(prefix)
        ]
    words = codes.items() if isinstance(codes, Mapping) else ((code, code) for code in codes)
    return Choices(section, tuple(words))


def choice_option(
    default: Any,
    *declarations: str,
    section: str,
    codes: Codes = None,
    help: str,
) -> Any:
    """typer.Option for one of `codes`, names accepted, --help listing them."""
    accepted = choices(section, codes)
    return typer.Option(
        default, *declarations, help=_registered(accepted, help), parser=accepted.code
    )


def choice_argument(default: Any, *, section: str, codes: Codes = None, help: str) -> Any:
    accepted = choices(section, codes)
    return typer.Argument(default, help=_registered(accepted, help), parser=accepted.code)


def _registered(accepted: Choices, help_key: str) -> str:
    marker = f"{HELP_PREFIX}{accepted.section}:{help_key}:{len(_REGISTRY)}"
    _REGISTRY[marker] = accepted
    return marker


def registered(marker: str) -> Choices:
    """The choices of the option whose help `marker` choice_option made."""
    return _REGISTRY[marker]


def choices_help(marker: str) -> str:
    """The help text of an option declared with choice_option, in the current language."""
    accepted = registered(marker)
    help_key = marker.removeprefix(HELP_PREFIX).split(":")[1]
    return t("choices.help", help=t(help_key), values=accepted.listing())
