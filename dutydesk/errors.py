"""Domain errors carry a message-catalogue key, never a literal, so every front end can say
them in the user's language."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Characters that could break a message in two or reorder or restyle the terminal line it is
# shown on (control characters, format marks such as RTL overrides, line separators).
_UNSHOWN = ("Cc", "Cf", "Cs", "Zl", "Zp")


def shown(value: Any) -> Any:
    """A parameter as it can be shown safely: text the user typed keeps every visible character,
    the rest are written as escapes (\\n, \\x1b, \\u202e)."""
    if not isinstance(value, str):
        return value
    return "".join(
        ascii(char)[1:-1] if unicodedata.category(char) in _UNSHOWN else char for char in value
    )


class DutyError(Exception):
    """An error the user can act on. `key` is a message-catalogue key."""

    exit_code = 1  # what a command exits with when this error stops it

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> str:
        from dutydesk.i18n import t

        if self.key == "people.unknown":
            name = self.params.get("name")
            if _looks_like_a_pin(name):
                return t("people.unknown_digits")  # never echo a PIN typed into a name field
            if isinstance(name, str) and not name.strip():
                return t("people.name_missing")  # not: the roster has no “”
        return t(self.key, **{name: shown(value) for name, value in self.params.items()})


def _looks_like_a_pin(value: Any) -> bool:
    """Four digits in a row anywhere (李娜258014: the Tab between name and PIN forgotten)."""
    return isinstance(value, str) and re.search(r"\d{4}", value) is not None


class RefusedInput(DutyError):
    """Input the command cannot use (a missing extra, a bad file name): a usage error, exit 2."""

    exit_code = 2


class FieldProblem:
    __slots__ = ("field", "key", "params")

    def __init__(self, field: str, key: str, **params: Any) -> None:
        self.field = field
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"FieldProblem({self.field!r}, {self.key!r})"


class ValidationFailed(DutyError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("error.validation")
        self.problems = problems

    @property
    def fields(self) -> list[str]:
        return [p.field for p in self.problems]

    def problem_list(self) -> str:
        """Every problem, joined: "电话必须填写；内容必须填写"."""
        from dutydesk.i18n import t

        parts = [
            t(
                "error.field",
                field=t(f"field.{p.field}"),
                problem=t(p.key, **{k: shown(v) for k, v in p.params.items()}),
            )
            for p in self.problems
        ]
        return t("error.separator").join(parts)

    def message(self) -> str:
        from dutydesk.i18n import t

        return t("error.validation", problems=self.problem_list())
