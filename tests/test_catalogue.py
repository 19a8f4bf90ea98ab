"""The message catalogue: both languages hold the same keys with the same placeholders, every key
the code asks for exists, and the screens carry no Chinese literal of their own."""

from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path

import pytest

import dutydesk
from dutydesk.i18n import LANGUAGES, catalogue
from dutydesk.models import Direction, Role
from dutydesk.profiles import available_profiles, load_profile
from dutydesk.services.calls.calls import AMENDABLE

PACKAGE = Path(dutydesk.__file__).parent
LOCALES = PACKAGE / "locales"
SOURCES = sorted(
    path for path in PACKAGE.rglob("*.py") if "migrations" not in path.relative_to(PACKAGE).parts
)
TUI_SOURCES = sorted(
    path
    for folder in ("screens", "widgets")
    if (PACKAGE / folder).is_dir()
    for path in (PACKAGE / folder).rglob("*.py")
) + ([PACKAGE / "app.py"] if (PACKAGE / "app.py").exists() else [])
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
KEY_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# Calls whose first argument (or, for FieldProblem, second) is a catalogue key.
KEY_ARGUMENT = {"t": 0, "has": 0, "DutyError": 0, "Ineligibility": 0, "FieldProblem": 1, "Key": 2}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literal_keys(expr: ast.expr) -> tuple[set[str], set[str]]:
    """(whole keys, prefixes of keys built at run time) in one argument expression."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}, set()
    if isinstance(expr, ast.IfExp):
        body, body_prefixes = _literal_keys(expr.body)
        other, other_prefixes = _literal_keys(expr.orelse)
        return body | other, body_prefixes | other_prefixes
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        left = expr.left
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            return set(), {left.value}
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return set(), {first.value}
    return set(), set()


def _keys_used() -> tuple[dict[str, str], dict[str, str]]:
    """Catalogue keys named in dutydesk's source: {key: where} and {prefix: where}."""
    keys: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            position = KEY_ARGUMENT.get(_call_name(node) or "")
            if position is None or len(node.args) <= position:
                continue
            found, built = _literal_keys(node.args[position])
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            for key in found:
                keys.setdefault(key, where)
            for prefix in built:
                prefixes.setdefault(prefix, where)
    return keys, prefixes


@pytest.fixture(scope="module")
def messages() -> dict[str, dict[str, str]]:
    return {lang: catalogue(lang) for lang in LANGUAGES}


def test_both_languages_exist_and_are_not_empty(messages):
    assert set(LANGUAGES) == {"zh", "en"}
    for lang in LANGUAGES:
        assert len(messages[lang]) > 50, lang


def test_every_key_exists_in_both_languages(messages):
    only_zh = sorted(set(messages["zh"]) - set(messages["en"]))
    only_en = sorted(set(messages["en"]) - set(messages["zh"]))
    assert not only_zh, f"missing in en: {only_zh}"
    assert not only_en, f"missing in zh: {only_en}"


def test_each_catalogue_file_has_its_counterpart_with_the_same_keys():
    """Keys are kept in step file by file (locales/zh/<area>.toml ~ locales/en/<area>.toml)."""
    files = {lang: {p.name for p in (LOCALES / lang).glob("*.toml")} for lang in LANGUAGES}
    assert files["zh"] == files["en"]
    for name in files["zh"]:
        tables = {}
        for lang in LANGUAGES:
            with open(LOCALES / lang / name, "rb") as handle:
                tables[lang] = tomllib.load(handle)
        assert _flat_keys(tables["zh"]) == _flat_keys(tables["en"]), name


def _flat_keys(table: dict, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in table.items():
        if isinstance(value, dict):
            keys |= _flat_keys(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def test_placeholders_match_between_languages(messages):
    different = {
        key: (sorted(_placeholders(text)), sorted(_placeholders(messages["en"][key])))
        for key, text in messages["zh"].items()
        if key in messages["en"] and _placeholders(text) != _placeholders(messages["en"][key])
    }
    assert not different, f"placeholders differ (zh, en): {different}"


def test_every_message_formats(messages):
    """No stray brace: each text formats with its own placeholders filled in."""
    broken = []
    for lang, texts in messages.items():
        for key, text in texts.items():
            try:
                text.format(**dict.fromkeys(_placeholders(text), "x"))
            except (ValueError, IndexError, KeyError):
                broken.append((lang, key))
    assert not broken


def test_the_key_finder_finds_keys():
    keys, prefixes = _keys_used()
    assert {"db.locked", "problem.required", "calls.no_change", "init.done"} <= set(keys)
    assert {"direction.", "role.", "field."} <= set(prefixes)


def test_every_key_used_in_the_source_exists(messages):
    keys, prefixes = _keys_used()
    for lang in LANGUAGES:
        missing = {key: where for key, where in keys.items() if key not in messages[lang]}
        assert not missing, f"{lang}: keys used but not in the catalogue: {missing}"
        orphans = {
            prefix: where
            for prefix, where in prefixes.items()
            if not any(key.startswith(prefix) for key in messages[lang])
        }
        assert not orphans, f"{lang}: no key starts with {orphans}"


def test_dotted_key_literals_in_the_screens_exist(messages):
    """Screens pass keys around in tables (labels, columns): every literal shaped like a key of
    a known section must be one."""
    sections = {key.split(".")[0] for key in messages["zh"]}
    missing: dict[str, str] = {}
    for path in TUI_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and KEY_SHAPE.match(node.value)
                and not node.value.endswith("_")  # a prefix, completed at run time
                and node.value.split(".")[0] in sections
                and node.value not in messages["zh"]
            ):
                missing[node.value] = f"{path.name}:{node.lineno}"
    assert not missing, missing


def test_keys_built_at_run_time_exist(messages):
    needed = {f"direction.{d.value}" for d in Direction} | {f"role.{r.value}" for r in Role}
    needed |= {f"field.{name}" for name in AMENDABLE}
    needed |= {f"field.{name}" for name in ("reason", "name", "role", "in_post_since", "office",
                                           "profile", "officer", "note", "number")}  # fmt: skip
    for profile_id in available_profiles():
        profile = load_profile(profile_id)
        needed |= {f"shift.{slot.code}" for slot in profile.shifts.slots}
        needed |= {f"eligibility.{why}" for why in ("non_staff", "new_in_post", "untrained")}
    for lang in LANGUAGES:
        assert not sorted(needed - set(messages[lang])), lang


@pytest.mark.parametrize("profile_id", available_profiles())
def test_every_call_category_has_a_label(messages, profile_id):
    categories = load_profile(profile_id).calls.categories
    for lang in LANGUAGES:
        missing = [code for code in categories if f"category.{code}" not in messages[lang]]
        assert not missing, f"{lang}: {profile_id} categories without a label: {missing}"


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def test_no_chinese_literal_in_the_screens():
    """Every text a screen shows comes from the catalogue (comments and docstrings may explain
    a term in Chinese)."""
    found: list[str] = []
    for path in TUI_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and CJK.search(node.value)
            ):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.value!r}")
    assert not found, found


def test_the_chinese_literal_check_sees_a_literal(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""文档"""\nx = "保存"\n', encoding="utf-8")
    tree = ast.parse(sample.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in docstrings
    ]
    assert literals == ["保存"]
