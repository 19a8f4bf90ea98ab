"""Checking a spot-check outcome as typed, before it touches the store: the method and faults
(by code or by label in either language), who answered, the note and the time of the check."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from pendulum import DateTime

from dutydesk.errors import FieldProblem, ValidationFailed
from dutydesk.i18n import t
from dutydesk.services.core.timeparse import check_record_time
from dutydesk.services.core.validation import check_name, check_text

if TYPE_CHECKING:
    from dutydesk.profiles import Profile
    from dutydesk.services.core.desk import Desk

ANSWERED_BY_MAX = 50
NOTE_MAX = 1000


def _choice(profile_codes: list[str], prefix: str, text: str) -> str | None:
    """A code from its code or its label in either language."""
    from dutydesk.i18n import LANGUAGES

    value = text.strip()
    for code in profile_codes:
        if value.lower() == code or any(value == t(f"{prefix}.{code}", lang) for lang in LANGUAGES):
            return code
    return None


def parse_method(profile: Profile, text: str) -> str | None:
    return _choice(profile.spotcheck.methods, "spotcheck_method", text)


def parse_fault(profile: Profile, text: str) -> str | None:
    return _choice(profile.spotcheck.faults, "spotcheck_fault", text)


def _labels(codes: list[str], prefix: str) -> str:
    return ", ".join(f"{code} {t(prefix + '.' + code)}" for code in codes)


def _check_answerer(
    problems: list[FieldProblem],
    answered: bool,
    answered_by: str,
    on_roster: bool | None,
    name_not_asked: bool,
) -> None:
    named = bool(answered_by.strip())
    if not answered:
        if named or on_roster is not None or name_not_asked:
            problems.append(FieldProblem("spotcheck_answered_by", "spotcheck.by_without_answer"))
    elif named and name_not_asked:
        problems.append(FieldProblem("spotcheck_answered_by", "spotcheck.name_and_not_asked"))
    elif not named and not name_not_asked:
        problems.append(FieldProblem("spotcheck_answered_by", "spotcheck.answerer_required"))


def check_outcome(
    desk: Desk,
    method: str,
    faults: Iterable[str],
    answered: bool,
    answered_by: str,
    on_roster: bool | None,
    note: str,
    checked_at: DateTime | None,
    *,
    name_not_asked: bool = False,
) -> tuple[str, list[str], DateTime]:
    """The method's code, the fault codes (each once, in the order typed) and the time of the
    check; every problem found at once, refused together. An answered check names who
    answered, or says the name was not asked (`name_not_asked`): an empty name is never taken
    for 未问姓名 by itself."""
    rules = desk.profile.spotcheck
    problems: list[FieldProblem] = []
    method_code = parse_method(desk.profile, method)
    if method_code is None:
        problems.append(
            FieldProblem("spotcheck_method", "problem.bad_choice",
                         choices=_labels(rules.methods, "spotcheck_method"))
        )  # fmt: skip
    fault_codes = []
    for fault in faults:
        code = parse_fault(desk.profile, fault)
        if code is None:
            problems.append(
                FieldProblem("spotcheck_fault", "problem.bad_choice",
                             choices=_labels(rules.faults, "spotcheck_fault"))
            )  # fmt: skip
            break
        if code not in fault_codes:
            fault_codes.append(code)
    check_name(problems, "spotcheck_answered_by", answered_by, required=False,
               max_length=ANSWERED_BY_MAX)  # fmt: skip
    _check_answerer(problems, answered, answered_by, on_roster, name_not_asked)
    check_text(problems, "note", note, required=False, max_length=NOTE_MAX, multiline=True)
    when = checked_at or desk.now()
    check_record_time(problems, desk, "spotcheck_checked_at", when, ahead=timedelta(0))
    if problems:
        raise ValidationFailed(problems)
    assert method_code is not None  # refused above when None
    return method_code, fault_codes, when
