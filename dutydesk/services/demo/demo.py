"""A demo register with realistic Chinese sample data: a district office, its people, some
weeks of calls, and a shift open now. Deterministic (seeded)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING

from dutydesk.clock import FrozenClock, SystemClock
from dutydesk.db import SchemaState, schema_state
from dutydesk.services.calls import CallDraft, save_call
from dutydesk.services.core import Desk, catch_up
from dutydesk.services.roster import add_person, authorise, init_with_admin, open_shift, set_pin
from dutydesk.services.spotcheck import DEMO_UNITS

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.models import Person

DEMO_OFFICE = "东城区人民政府总值班室"
DEMO_PROFILE = "district"
DEMO_DAYS = 21
DEMO_HISTORY_DAYS = 200  # people and units are added this long before the calls
DEMO_SEED = 20261123

UNITS = DEMO_UNITS
PEOPLE = [
    ("王建国", "leader"), ("李明华", "leader"), ("张伟", "officer"), ("刘洋", "officer"),
    ("陈静", "officer"), ("赵磊", "standby"), ("孙丽", "standby"),
    ("刘主任", "director"),  # confirms orders (the district flow chart's 区应急办主任)
]  # fmt: skip
# Demo only, printed by `dutydesk demo`: a real register's PINs are chosen by each person.
DEMO_ADMIN = ("周敏", "260917")
DEMO_PINS = {"王建国": "318206", "张伟": "402719", "刘洋": "517304", "陈静": "629051",
             "刘主任": "735148"}  # fmt: skip
CALLERS = ["李红", "周涛", "吴敏", "郑强", "冯雪", "何军", "高峰", "马丽", "罗斌", "梁晨"]
POSTS = ["值班员", "办公室主任", "副镇长", "值班科长", "带班领导"]
EVENTS = [
    ("incident", "{unit}辖区内{place}发生道路积水，深约30厘米，已设置警示标志，交警现场疏导。"),
    ("incident", "{unit}{place}一处民房因线路老化起火，消防已到场扑灭，无人员伤亡。"),
    ("incident", "{unit}{place}燃气管道被施工挖破，已关阀断气，疏散群众约40人。"),
    ("incident", "{unit}报告{place}发生两车相撞，2人轻伤送医，道路单向通行。"),
    ("notice", "{unit}报送本周值班安排表，带班领导及值班人员已确认。"),
    ("notice", "市政府总值班室通知：明日起强降雨，请各单位加强值守，做好防汛准备。"),
    ("inquiry", "群众来电咨询{place}停电原因及恢复时间，已告知供电所联系电话。"),
    ("inquiry", "{unit}询问节假日值班表报备时限，已答复须提前3个工作日报送。"),
    ("verification", "市政府总值班室要求核实{unit}{place}网传塌方信息，已电话联系属地核实。"),
    ("instruction", "区领导批示：请{unit}立即核查{place}积水点并报告处置情况。"),
    ("document", "收到{unit}传真《关于做好近期安全生产工作的通知》，已登记并转综合科。"),
    ("other", "{unit}反映值班电话线路故障，已通知电信维修。"),
]
PLACES = ["人民路与建设路交叉口", "幸福小区", "河滨公园", "工业大道", "老城区菜市场", "火车站广场"]
HANDLING = ["已报带班领导", "已通知属地核实", "已转相关部门办理", "已答复", "已登记备查"]


def ensure_demo(path: Path) -> bool:
    """Create the demo register at `path` unless one is there. Returns True if created."""
    if schema_state(path) is SchemaState.current:
        return False
    from dutydesk.clock import default_clock
    from dutydesk.profiles import load_profile

    zone = load_profile(DEMO_PROFILE).profile.timezone
    clock = default_clock(zone)
    # Records are refused before their register existed: the demo's begins with its history.
    began = FrozenClock(clock.now().subtract(days=DEMO_DAYS + DEMO_HISTORY_DAYS), zone)
    admin, pin = DEMO_ADMIN
    desk = init_with_admin(path, DEMO_OFFICE, DEMO_PROFILE, admin, pin, pin, clock=began)
    desk.clock = clock
    try:
        fill_demo(desk)
    finally:
        desk.close()
    return True


def demo_credentials() -> list[tuple[str, str, str]]:
    """(name, role, PIN) of the demo's administrator and of the people with a demo PIN."""
    roles = dict(PEOPLE)
    admin, pin = DEMO_ADMIN
    return [(admin, "admin", pin)] + [(name, roles[name], p) for name, p in DEMO_PINS.items()]


def fill_demo(desk: Desk, days: int = DEMO_DAYS, seed: int = DEMO_SEED) -> int:
    """The demo's people (entered, and given their demo PINs, on the demo administrator's
    authority), its units and some weeks of calls."""
    rng = random.Random(seed)
    real_clock = desk.clock
    now = real_clock.now()
    start = now.subtract(days=days)
    clock = FrozenClock(start.subtract(days=DEMO_HISTORY_DAYS), desk.timezone)
    desk.clock = clock
    authority = authorise(desk, *DEMO_ADMIN)
    people = {}
    for name, role in PEOPLE:
        people[name], _ = add_person(
            desk, name, role, in_post_since=clock.now().subtract(years=2).date(),
            authority=authority,
        )  # fmt: skip
    for name, pin in DEMO_PINS.items():
        set_pin(desk, name, pin, pin, authority=authority)
    from dutydesk.services.spotcheck import add_demo_units

    add_demo_units(desk)
    officers = [people[name] for name, role in PEOPLE if role == "officer"]
    saved = 0
    moment = start
    while moment < now.subtract(hours=2):
        moment = moment.add(minutes=rng.randint(25, 180))
        if moment >= now:
            break
        clock.set(moment.add(minutes=rng.randint(1, 6)))
        _save_random_call(desk, rng, moment, rng.choice(officers))
        saved += 1
    desk.clock = real_clock if isinstance(real_clock, SystemClock) else clock
    if isinstance(real_clock, SystemClock):
        open_shift(desk, "张伟", leader="王建国", standby="赵磊")
        for _ in range(4):
            desk.clock = FrozenClock(desk.now(), desk.timezone)
            _save_random_call(desk, rng, desk.now().subtract(minutes=rng.randint(5, 90)), None)
            saved += 1
        desk.clock = real_clock
    catch_up(desk)  # the calls into the search indexes, as the app's upkeep would
    return saved


def _save_random_call(
    desk: Desk, rng: random.Random, at: DateTime, recorder: Person | None
) -> None:
    from dutydesk.services.roster import resolve_recorder

    category, template = rng.choice(EVENTS)
    unit = rng.choice(UNITS)
    draft = CallDraft(
        caller=rng.choice(CALLERS) + "（" + rng.choice(POSTS) + "）",
        unit=unit,
        phone=f"0371-{rng.randint(60000000, 69999999)}"
        if rng.random() < 0.6
        else f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
        summary=template.format(unit=unit, place=rng.choice(PLACES)),
        direction="in" if rng.random() < 0.8 else "out",
        category=category,
        verified=rng.random() < 0.7,
        handling=rng.choice(HANDLING),
        follow_up=category in ("instruction", "verification") and rng.random() < 0.5,
        received_at=at,
    )
    save_call(desk, draft, recorder or resolve_recorder(desk, None))
