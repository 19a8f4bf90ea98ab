"""Documents (收发文登记): about 30 a day, mostly incoming and in office hours, as
dutydesk.services.documents.register writes them; each incoming one passed on (交办) within its
urgency's time, some followed up (督办), closed days later; the last days' still open."""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

from bench.gen import calls
from bench.gen.timeline import Action, Events
from bench.gen.writer import Row, stamp

PER_DAY = 30
DAY_US = 86_400 * 1_000_000
MINUTE_US = 60 * 1_000_000
KEEP_OPEN_DAYS = 3  # documents younger than this at the end of the history stay open
TABLES = {
    "document": {"direction", "number", "party", "title", "kind", "urgency", "classified", "body",
                 "moved_at", "recorded_at", "recorded_by_id", "shift_id"},
    "document_routing": {"document_id", "routed_to", "routed_at", "channel", "note",
                         "recorded_at", "recorded_by_id"},
    "document_followup": {"document_id", "followed_at", "text", "recorded_at", "recorded_by_id"},
    "document_closure": {"document_id", "closed_at", "note", "recorded_at", "recorded_by_id"},
}  # fmt: skip
SENDERS = ["市政府办公室", "市应急管理局", "市委办公室", "市政府总值班室", "市气象局", "市水务局",
           "市公安局", "市卫健委", "区委办公室", "市委机要局"]  # fmt: skip
SUBJECTS = ["防汛工作", "寒潮大风天气防范", "节假日值班安排", "安全生产大检查", "森林防火",
            "地质灾害防范", "疫情防控", "信访维稳", "重大活动安保", "燃气安全排查"]  # fmt: skip
FORMS = ["关于做好{s}的通知", "关于进一步加强{s}的紧急通知", "关于报送{s}情况的函", "{s}工作提示"]
HANDLERS = ["综合科", "应急科", "值班科", "办公室秘书科", "区委办值班室"]
CHANNELS = ["电话", "传真", "当面", "机要交换"]
URGENCY = (["teji", "jiaji", "pingji", "putong"], [5, 15, 20, 60])
KIND = (["fax", "letter", "file", "telegram"], [40, 10, 48, 2])
ROUTE_MINUTES = {
    "teji": (3, 30),
    "jiaji": (5, 60),
    "pingji": (60, 20 * 60),
    "putong": (60, 20 * 60),
}


def document_times(rng: random.Random, start: int, end: int, tz: ZoneInfo) -> list[int]:
    """About PER_DAY moments a day in [start, end), by the calls' hours of the day."""
    count = PER_DAY * max(1, (end - start) // DAY_US)
    return calls.call_times(rng, count, start, end, tz)


def document_row(rng: random.Random, at: int, recorder: Row, shift: Row | None) -> Row:
    urgency = rng.choices(*URGENCY)[0]
    incoming = rng.random() < 0.85
    classified = incoming and rng.random() < 0.03
    refs = {"recorded_by_id": recorder} | ({"shift_id": shift} if shift is not None else {})
    year = 1970 + at // (365 * DAY_US + DAY_US // 4)
    return Row(
        "document",
        at,
        {
            "direction": "in" if incoming else "out",
            "number": f"{rng.choice(['市政办', '市应急', '区值', '机要'])}〔{year}〕{rng.randint(1, 300)}号",
            "party": rng.choice(SENDERS),
            "title": rng.choice(FORMS).format(s=rng.choice(SUBJECTS)),
            "kind": rng.choices(*KIND)[0],
            "urgency": urgency,
            "classified": 1 if classified else 0,
            "body": "",
            "moved_at": stamp(at - rng.randint(0, 10) * MINUTE_US),
            "recorded_at": stamp(at),
            "shift_id": None,
        },
        refs=refs,
    )


def plan(rng: random.Random, document: Row, events: Events, end: int) -> None:
    """The document's later steps, as events: passed on, followed up, closed."""
    if document.values["direction"] == "in":
        low, high = ROUTE_MINUTES[document.values["urgency"]]
        events.add(document.at + rng.randint(low, high) * MINUTE_US, _step(rng, document, "route"))
        if rng.random() < 0.3:
            events.add(document.at + rng.randint(1, 3) * DAY_US, _step(rng, document, "follow"))
    if document.at < end - KEEP_OPEN_DAYS * DAY_US:
        events.add(document.at + rng.randint(1, 10) * DAY_US, _step(rng, document, "close"))


def _step(rng: random.Random, document: Row, kind: str) -> Action:
    def write(at: int, shift: Row | None, recorder: Row) -> list[Row]:
        refs = {"document_id": document, "recorded_by_id": recorder}
        when = {"recorded_at": stamp(at)}
        if kind == "route":
            values = {"routed_to": rng.choice(HANDLERS), "routed_at": stamp(at),
                      "channel": rng.choice(CHANNELS), "note": ""}  # fmt: skip
            return [Row("document_routing", at, values | when, refs=refs)]
        if kind == "follow":
            values = {"followed_at": stamp(at), "text": "已电话督办，承办科室正在办理"}
            return [Row("document_followup", at, values | when, refs=refs)]
        values = {"closed_at": stamp(at), "note": rng.choice(["已办结", "已归档", ""])}
        return [Row("document_closure", at, values | when, refs=refs)]

    return write
