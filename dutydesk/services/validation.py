"""Field checks shared by every form and command. Each problem is a catalogue key."""

from __future__ import annotations

import re
import unicodedata

from dutydesk.errors import FieldProblem

_PHONE = re.compile(r"^[0-9+\-() #*,转xX]+$")


def _bad_characters(value: str, multiline: bool) -> bool:
    for char in value:
        if multiline and char in "\n\t":
            continue
        category = unicodedata.category(char)
        if category == "Cc" or category == "Cs":  # control characters, lone surrogates
            return True
    return False


def check_text(
    problems: list[FieldProblem],
    field: str,
    value: str | None,
    *,
    required: bool,
    max_length: int,
    multiline: bool = False,
) -> None:
    if value is None or not value.strip():
        if required:
            problems.append(FieldProblem(field, "problem.required"))
        return
    if len(value) > max_length:
        problems.append(
            FieldProblem(field, "problem.too_long", limit=max_length, length=len(value))
        )
    if _bad_characters(value, multiline):
        problems.append(FieldProblem(field, "problem.bad_characters"))


def check_phone(
    problems: list[FieldProblem], field: str, value: str | None, required: bool
) -> None:
    before = len(problems)
    check_text(problems, field, value, required=required, max_length=40)
    if len(problems) > before or not value or not value.strip():
        return
    digits = sum(char.isdigit() for char in value)
    if not _PHONE.match(value) or digits < 3:
        problems.append(FieldProblem(field, "problem.bad_phone"))


def check_choice(
    problems: list[FieldProblem],
    field: str,
    value: str | None,
    choices: list[str] | tuple[str, ...],
) -> None:
    if value not in choices:
        problems.append(FieldProblem(field, "problem.bad_choice", choices=", ".join(choices)))
