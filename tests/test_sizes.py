"""No module over 400 lines and no function over 60 (migrations' DDL excepted): the house stays
easy to move in. A function is measured from its first statement to its last: a command's
signature is its declared options (typer), one per line, not code."""

from __future__ import annotations

import ast
from pathlib import Path

import dutydesk

PACKAGE = Path(dutydesk.__file__).parent
MODULE_LINES = 400
FUNCTION_LINES = 60


def _sources() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _sources()
        if (n := p.read_text(encoding="utf-8").count("\n")) > MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.body[0].lineno + 1
                if length > FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = length
    assert long == {}
