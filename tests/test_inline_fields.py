"""Every text field of the screens and widgets keeps its editing keys in order (QA: fast typing
with Backspace; Textual issue #6605): none of them may build a plain Textual Input or TextArea,
whose Backspace runs only after the characters typed behind it. They use DeskInput and
DeskTextArea from widgets/inline_keys.py instead. The scan reads the source (AST), so a field
added later in any screen or widget module is caught too."""

from __future__ import annotations

import ast
from pathlib import Path

import dutydesk

PACKAGE = Path(dutydesk.__file__).parent
SCANNED = [PACKAGE / "screens", PACKAGE / "widgets"]
PLAIN_FIELDS = {"Input", "TextArea"}
ALLOWED_HOME = PACKAGE / "widgets" / "inline_keys.py"


def _plain_field_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names bound to textual's Input/TextArea, and names bound to textual.widgets."""
    fields: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("textual.widgets", "textual"):
            for alias in node.names:
                if node.module == "textual.widgets" and alias.name in PLAIN_FIELDS:
                    fields.add(alias.asname or alias.name)
                if node.module == "textual" and alias.name == "widgets":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "textual.widgets":
                    modules.add(alias.asname or alias.name)
    return fields, modules


def _names_plain_field(node: ast.expr, fields: set[str], modules: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in fields
    if isinstance(node, ast.Attribute) and node.attr in PLAIN_FIELDS:
        return ast.unparse(node.value) in modules
    return False


def plain_fields_in(path: Path) -> list[str]:
    """`file:line what` for every plain Input/TextArea built or subclassed in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    fields, modules = _plain_field_names(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _names_plain_field(node.func, fields, modules):
            found.append((node.lineno, f"{ast.unparse(node.func)}(...)"))
        if isinstance(node, ast.ClassDef):
            found.extend(
                (node.lineno, f"class {node.name}({ast.unparse(base)})")
                for base in node.bases
                if _names_plain_field(base, fields, modules)
            )
    return [f"{path.name}:{line} {what}" for line, what in sorted(found)]


def test_the_scan_sees_a_plain_field(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from textual.widgets import Input as Field, TextArea\n"
        "import textual.widgets as tw\n"
        "a = Field(id='x')\n"
        "class Notes(TextArea):\n    pass\n"
        "b = tw.Input()\n"
        "c = Field.Changed\n",
        encoding="utf-8",
    )
    assert plain_fields_in(sample) == [
        "sample.py:3 Field(...)",
        "sample.py:4 class Notes(TextArea)",
        "sample.py:6 tw.Input(...)",
    ]


def test_no_screen_or_widget_builds_a_plain_text_field():
    modules = sorted(path for folder in SCANNED for path in folder.rglob("*.py"))
    assert len(modules) > 20
    found = [hit for path in modules if path != ALLOWED_HOME for hit in plain_fields_in(path)]
    assert found == []
