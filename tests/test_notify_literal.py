"""Every notification the app raises is shown literally: its text carries paths, names and
reasons a person typed or chose (a register under /data/a[/b]/ made Textual's markup parser
raise, a `[bold]` in a folder name vanished; review, session 11). Textual parses notify()'s
text as markup unless told not to, so every call says markup=False."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dutydesk"


def _notify_calls() -> list[tuple[str, int, bool]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "notify"):  # fmt: skip
                literal = any(
                    k.arg == "markup"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value is False
                    for k in node.keywords
                )
                found.append((str(path.relative_to(PACKAGE)), node.lineno, literal))
    return found


def test_every_notification_is_shown_literally():
    calls = _notify_calls()
    assert len(calls) >= 5  # the scan sees them
    assert [(path, line) for path, line, literal in calls if not literal] == []
