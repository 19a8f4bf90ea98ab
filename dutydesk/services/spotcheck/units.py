"""The units to be spot-checked (被抽查对象): 乡镇, 街道, 园区, 区直部门, 重点区域, with their duty
phones. Units are never changed or removed: taking one out of the draw is a status row.

CSV import (`dutydesk units import FILE.csv`), for the README:
    The first row names the columns, in any order (English or Chinese names):
      name        | 名称, 单位名称   the unit's name, up to 100 characters (required, unique)
      kind        | 类别, 单位类别   township 乡镇 | subdistrict 街道 | park 园区 |
                                     department 区直部门 | key_area 重点区域 (required)
      duty_phone  | 值班电话, 电话   the duty desk's phone (required)
      active      | 启用             yes/no, 是/否, 1/0 (optional; empty means yes)
    UTF-8 (with or without BOM) or GB18030 (as saved by Excel on Chinese Windows). Blank lines
    are skipped. If any row is wrong (missing field, unknown kind, bad phone, a name that is
    already registered or appears twice), the first bad row is reported with its line number and
    nothing is imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import col, select

from dutydesk.db import read_session, with_lock_retry, write_session
from dutydesk.errors import DutyError, FieldProblem, ValidationFailed
from dutydesk.i18n import LANGUAGES, t
from dutydesk.models import SpotcheckUnit, SpotcheckUnitStatus, UnitKind
from dutydesk.services.core import audit, check_name, check_phone, check_text, lookup_name, name_key
from dutydesk.services.core.validation import ascii_phone

if TYPE_CHECKING:
    from sqlmodel import Session

    from dutydesk.profiles import Profile
    from dutydesk.services.core import Desk

NAME_MAX = 100
REASON_MAX = 500
COLUMNS = {
    "name": ("name", "名称", "单位名称"),
    "kind": ("kind", "类别", "单位类别"),
    "duty_phone": ("duty_phone", "值班电话", "电话"),
    "active": ("active", "启用"),
}
REQUIRED_COLUMNS = ("name", "kind", "duty_phone")
TRUE_WORDS = ("", "yes", "y", "true", "1", "是", "启用")
FALSE_WORDS = ("no", "n", "false", "0", "否", "停用")


@dataclass(frozen=True)
class UnitView:
    id: int
    name: str
    kind: str
    duty_phone: str
    active: bool
    reason: str = ""  # why the unit was last taken out of (or put back into) the draw


@dataclass(frozen=True)
class UnitDraft:
    name: str
    kind: str
    duty_phone: str
    active: bool = True


def unit_kinds(profile: Profile) -> tuple[str, ...]:
    """The kinds of unit the profile checks (all kinds if it names none)."""
    return tuple(profile.spotcheck.unit_kinds or [kind.value for kind in UnitKind])


def parse_kind(profile: Profile, text: str) -> str | None:
    """A kind from its code or its name in either language (乡镇, township ...)."""
    value = text.strip()
    for kind in unit_kinds(profile):
        if value.lower() == kind or any(
            value == t(f"spotcheck_kind.{kind}", lang) for lang in LANGUAGES
        ):
            return kind
    return None


def validate(desk: Desk, draft: UnitDraft) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    check_name(problems, "spotcheck_unit_name", draft.name, required=True, max_length=NAME_MAX)
    if parse_kind(desk.profile, draft.kind) is None:
        choices = ", ".join(
            f"{kind} {t('spotcheck_kind.' + kind)}" for kind in unit_kinds(desk.profile)
        )
        problems.append(FieldProblem("spotcheck_kind", "problem.bad_choice", choices=choices))
    phone = ascii_phone(draft.duty_phone)  # checked as it is stored (０３７１－… typed full-width)
    check_phone(problems, "spotcheck_duty_phone", phone, required=True)
    return problems


def _active_states(session: Session) -> dict[int, tuple[bool, str]]:
    """Each unit's latest status row, if it has one: (active, reason)."""
    latest = select(func.max(SpotcheckUnitStatus.id)).group_by(col(SpotcheckUnitStatus.unit_id))
    rows = session.exec(select(SpotcheckUnitStatus).where(col(SpotcheckUnitStatus.id).in_(latest)))
    return {row.unit_id: (row.active, row.reason) for row in rows}


def unit_views(session: Session) -> list[UnitView]:
    states = _active_states(session)
    views = []
    for unit in session.exec(select(SpotcheckUnit).order_by(col(SpotcheckUnit.id))):
        assert unit.id is not None
        active, reason = states.get(unit.id, (unit.active, ""))
        views.append(UnitView(unit.id, unit.name, unit.kind, unit.duty_phone, active, reason))
    return views


def _insert(session: Session, desk: Desk, draft: UnitDraft) -> SpotcheckUnit:
    unit = SpotcheckUnit(
        name=draft.name.strip(),
        kind=parse_kind(desk.profile, draft.kind) or draft.kind,
        duty_phone=ascii_phone(draft.duty_phone).strip(),
        active=draft.active,
        created_at=desk.now(),
    )
    session.add(unit)
    session.flush()
    assert unit.id is not None
    audit.append(session, "spotcheck_unit", unit.id, desk.now())
    return unit


def refuse_known_name(name: str, known: dict[str, str]) -> None:
    """Refuse a unit name already in `known` (name_key -> name), or one a reader could not
    tell from one that is (spaces, width, case, invisible marks, look-alike letters)."""
    existing = known.get(name_key(name))
    if existing == name:
        raise DutyError("spotcheck_units.exists", name=name)
    if existing is not None:
        raise DutyError("spotcheck_units.lookalike", name=name, existing=existing)


def known_names(session: Session) -> dict[str, str]:
    """Every unit's name by its name_key."""
    names = session.exec(select(SpotcheckUnit.name).order_by(col(SpotcheckUnit.id)))
    return {name_key(name): name for name in reversed(list(names))}


def add_unit(desk: Desk, draft: UnitDraft) -> SpotcheckUnit:
    problems = validate(desk, draft)
    if problems:
        raise ValidationFailed(problems)

    def _save() -> SpotcheckUnit:
        with write_session(desk.engine) as session:
            refuse_known_name(draft.name.strip(), known_names(session))
            return _insert(session, desk, draft)

    return with_lock_retry(_save, desk.path)


def list_units(desk: Desk, active_only: bool = False) -> list[UnitView]:
    with read_session(desk.engine) as session:
        views = unit_views(session)
    return [view for view in views if view.active or not active_only]


def find_unit(session: Session, name: str | int) -> UnitView:
    """A unit by name, or by id when given an int."""
    for view in unit_views(session):
        if view.id == name or view.name == (lookup_name(name) if isinstance(name, str) else None):
            return view
    raise DutyError("spotcheck_units.unknown", name=name)


def set_active(desk: Desk, name: str, active: bool, reason: str = "") -> UnitView:
    """Take a unit out of the draw (a reason is required) or put it back."""
    problems: list[FieldProblem] = []
    check_text(problems, "spotcheck_reason", reason, required=not active, max_length=REASON_MAX)
    if problems:
        raise ValidationFailed(problems)

    def _save() -> UnitView:
        with write_session(desk.engine) as session:
            view = find_unit(session, name)
            if view.active == active:
                key = (
                    "spotcheck_units.already_active"
                    if active
                    else "spotcheck_units.already_inactive"
                )
                raise DutyError(key, name=view.name)
            status = SpotcheckUnitStatus(
                unit_id=view.id, active=active, reason=reason.strip(), changed_at=desk.now()
            )
            session.add(status)
            session.flush()
            assert status.id is not None
            audit.append(session, "spotcheck_unit_status", status.id, desk.now())
            return find_unit(session, view.id)

    return with_lock_retry(_save, desk.path)


def unit_to_json(view: UnitView) -> dict[str, object]:
    return {
        "id": view.id,
        "name": view.name,
        "kind": view.kind,
        "duty_phone": view.duty_phone,
        "active": view.active,
        "reason": view.reason,
    }


# ---------------------------------------------------------------- CSV import


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DutyError("spotcheck_units.csv_encoding", file=str(path))


def _header(cells: list[str], path: Path, line: int) -> list[str]:
    names = []
    for cell in cells:
        label = cell.strip().lower()
        column = next((key for key, aliases in COLUMNS.items() if label in aliases), None)
        if column is None or column in names:
            raise DutyError("spotcheck_units.csv_header", file=str(path), line=line, column=cell)
        names.append(column)
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        raise DutyError(
            "spotcheck_units.csv_missing", file=str(path), line=line, columns=", ".join(missing)
        )
    return names


def _row_problem(desk: Desk, draft: UnitDraft) -> str | None:
    problems = validate(desk, draft)
    if not problems:
        return None
    return ValidationFailed(problems).problem_list()


def parse_csv(desk: Desk, text: str, path: Path, known: dict[str, str]) -> list[UnitDraft]:
    """Every row as a draft; any bad row refuses the whole file (first bad line reported).
    `known`: the names already registered, by name_key (known_names)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: list[str] | None = None
    drafts: list[UnitDraft] = []
    lines: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns = _header(cells, path, line)
                continue
            if len(cells) != len(columns):
                detail = t("spotcheck_units.csv_cells", expected=len(columns), found=len(cells))
                errors.append((line, detail))
                continue
            values = dict(zip(columns, cells, strict=True))
            active_word = values.get("active", "").strip().lower()
            if active_word not in TRUE_WORDS + FALSE_WORDS:
                errors.append((line, t("spotcheck_units.csv_active", value=values["active"])))
                continue
            draft = UnitDraft(
                values["name"].strip(),
                values["kind"].strip(),
                values["duty_phone"].strip(),
                active_word in TRUE_WORDS,
            )
            problem = _row_problem(desk, draft)
            if problem is None and name_key(draft.name) in lines:
                problem = t("spotcheck_units.csv_twice", name=draft.name,
                            line=lines[name_key(draft.name)])  # fmt: skip
            if problem is None:
                try:
                    refuse_known_name(draft.name, known)
                except DutyError as known_already:
                    problem = known_already.message()
            if problem is not None:
                errors.append((line, problem))
                continue
            lines[name_key(draft.name)] = line
            drafts.append(draft)
    except csv.Error as exc:  # Python's English text is not shown: say it in the user's language
        limit = csv.field_size_limit()
        too_long = f"({limit})" in str(exc)
        why = t("fault.csv_field_too_long", limit=f"{limit:,}") if too_long else None
        errors.append((reader.line_num, why or t("fault.csv_malformed")))
    if errors:
        line, detail = errors[0]
        more = t("spotcheck_units.csv_more", count=len(errors) - 1) if len(errors) > 1 else ""
        raise DutyError(
            "spotcheck_units.csv_bad_row", file=str(path), line=line, detail=detail, more=more
        )
    if not drafts:
        raise DutyError("spotcheck_units.csv_empty", file=str(path))
    return drafts


def import_units(desk: Desk, path: Path) -> list[SpotcheckUnit]:
    """Import every unit of a CSV file, or none (see the module docstring for the columns)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DutyError(
            "spotcheck_units.csv_unreadable", file=str(path), reason=exc.strerror or str(exc)
        ) from exc
    text = _decode(raw, path)
    with read_session(desk.engine) as session:
        known = known_names(session)
    drafts = parse_csv(desk, text, path, known)

    def _save() -> list[SpotcheckUnit]:
        with write_session(desk.engine) as session:
            registered = known_names(session)
            for draft in drafts:  # a unit added meanwhile by another terminal
                refuse_known_name(draft.name, registered)
            return [_insert(session, desk, draft) for draft in drafts]

    return with_lock_retry(_save, desk.path)


# ---------------------------------------------------------------- demo data

# Two 重点区域 besides demo.UNITS, so the demo shows every kind of unit.
DEMO_KEY_AREAS = ["高铁站片区", "滨河风景区"]
DEMO_INACTIVE = {"临港物流园区": "园区整合，暂停抽查"}
DEMO_PHONE_SEED = 20261124


def _demo_kind(name: str) -> str:
    if name.endswith(("镇", "乡")):
        return UnitKind.township.value
    if name.endswith("街道"):
        return UnitKind.subdistrict.value
    if name.endswith("园区"):
        return UnitKind.park.value
    if name in DEMO_KEY_AREAS:
        return UnitKind.key_area.value
    return UnitKind.department.value


# 乡镇, 街道, 园区, 区直部门: the units a district office hears from and spot-checks.
DEMO_UNITS = [
    "城关镇", "柳林镇", "石桥镇", "河口乡", "双河乡", "东关街道", "西城街道", "北苑街道",
    "南湖街道", "新华街道", "高新技术产业园区", "临港物流园区", "区应急管理局", "区公安分局",
    "区卫生健康委", "区住房和城乡建设局", "区交通运输局", "区水利局", "区消防救援大队",
    "区气象局", "区市场监管局", "区生态环境分局", "区教育局", "区民政局",
]  # fmt: skip


def add_demo_units(desk: Desk) -> int:
    """The demo register's units (the lead's demo.py calls this). Returns how many were added."""
    import random

    rng = random.Random(DEMO_PHONE_SEED)
    added = 0
    for name in [*DEMO_UNITS, *DEMO_KEY_AREAS]:
        phone = f"0371-{rng.randint(60000000, 69999999)}"
        add_unit(desk, UnitDraft(name, _demo_kind(name), phone))
        added += 1
    for name, reason in DEMO_INACTIVE.items():
        set_active(desk, name, False, reason)
    return added
