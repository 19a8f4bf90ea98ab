"""Domain errors carry a message-catalogue key, never a literal, so every front end can say
them in the user's language."""

from __future__ import annotations

from typing import Any


class DutyError(Exception):
    """An error the user can act on. `key` is a message-catalogue key."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self) -> str:
        from dutydesk.i18n import t

        return t(self.key, **self.params)


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

    def message(self) -> str:
        from dutydesk.i18n import t

        parts = [
            t("error.field", field=t(f"field.{p.field}"), problem=t(p.key, **p.params))
            for p in self.problems
        ]
        return t("error.validation") + " " + t("error.separator").join(parts)
