"""Verification requests (核报) with their replies, leaders' instructions (领导批示) with their
feedback, acknowledgements of overdue deadlines and incident re-gradings, as
dutydesk.services.incidents.verifications, instructions, deadlines.acknowledge and
incident_regrade write them. The deadlines come from the profile's rules (deadlines.rules_for);
a reply or feedback closes the deadlines it meets as close_matching does, most on time, some
late, and a late one is often acknowledged (with a reason) before it is met.

Not generated: the deadlines a re-grading would supersede or add (deadline_supersession), the
reply time a requester asks for (reply_within), links from requests to incidents."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bench.gen import calls, vocab
from bench.gen.timeline import Events
from bench.gen.writer import Row, stamp, to_us
from dutydesk.profiles import Profile
from dutydesk.services.incidents import deadlines

VERIFICATIONS = 12_000  # over the full run's 1,000,000 calls (about 3 a day)
INSTRUCTIONS = 4_000  # about one a day
REGRADE_SHARE = 0.03  # incidents re-graded once
WRITTEN_SHARE = 0.25  # verifications asking for a written reply (Tianjin art. 23)
LATE_SHARE = 0.1
ACK_SHARE = 0.7  # late deadlines acknowledged before they are met
MINUTE_US = 60 * 1_000_000
VERIFICATION_COLUMNS = {
    "received_at", "subject", "requested_by", "written_requested", "incident_id", "recorded_at",
    "recorded_by_id", "shift_id", "reply_within", "reply_channel",
}  # fmt: skip
REPLY_COLUMNS = {
    "verification_id", "channel", "replied_at", "content", "by_whom", "recorded_at",
    "recorded_by_id",
}  # fmt: skip
INSTRUCTION_COLUMNS = {
    "received_at", "leader", "text", "passed_to", "incident_id", "recorded_at", "recorded_by_id",
    "shift_id",
}  # fmt: skip
FEEDBACK_COLUMNS = {
    "instruction_id", "fed_back_at", "text", "recorded_at", "recorded_by_id"
}  # fmt: skip
ACK_COLUMNS = {"deadline_id", "status", "acked_at", "acked_by_id", "reason"}
REGRADE_COLUMNS = {
    "incident_id", "old_level", "new_level", "reason", "regraded_at", "recorded_by_id", "shift_id"
}  # fmt: skip
TABLES = {
    "verification": VERIFICATION_COLUMNS,
    "verification_reply": REPLY_COLUMNS,
    "instruction": INSTRUCTION_COLUMNS,
    "instruction_feedback": FEEDBACK_COLUMNS,
    "deadline_ack": ACK_COLUMNS,
    "incident_regrade": REGRADE_COLUMNS,
}
REQUESTERS = ["市政府总值班室", "市应急管理局", "市委总值班室", "省政府总值班室"]
SUBJECTS = [
    "请核实{place}是否发生{what}，伤亡及处置情况",
    "网传{place}发生{what}，请核实并反馈",
    "请核报{place}{what}的最新进展",
]
WHATS = ["火情", "道路塌陷", "交通事故", "燃气泄漏", "积水内涝", "群众聚集", "停电", "人员被困"]
REPLIES = ["经核实，{place}确有此事，已妥善处置，无人员伤亡", "经核实，网传情况不属实",
           "经核实，现场已处置完毕，交通已恢复"]  # fmt: skip
LEADERS = ["张市长", "李副市长", "王秘书长", "赵副秘书长"]
ORDERS = [
    "请{unit}立即核实情况，全力做好处置工作，及时报告进展",
    "请{unit}加强值班值守，做好{what}防范应对",
    "请{unit}举一反三，开展隐患排查整治",
]
FEEDBACKS = ["{unit}已按批示要求部署落实，现场处置完毕", "{unit}已组织排查，未发现新的隐患"]
ACK_REASONS = ["正在与属地核实，尚未取得准确信息", "属地尚未反馈，已再次催报", "领导正在审核"]
REGRADE_REASONS = ["伤亡人数增加，按规定调整事件等级", "经核实伤亡人数少于首报，调整事件等级"]
LEVEL_ORDER = ["IV", "III", "II", "I"]
Deed = Callable[[int, Row | None, Row], list[Row]]


def _us(minutes: float) -> int:
    return int(minutes * MINUTE_US)


def _late(due: int | None, done: int) -> int:
    return 0 if due is None or done <= due else math.ceil((done - due) / MINUTE_US)


def share_of(total_calls: int, target: int) -> int:
    return max(1, round(target * total_calls / 1_000_000))


class Requests:
    def __init__(self, rng: random.Random, profile: Profile, events: Events) -> None:
        self.rng, self.profile, self.events = rng, profile, events

    def schedule(self, total_calls: int, start: int, end: int, tz: ZoneInfo) -> None:
        rng = self.rng
        for received in calls.call_times(rng, share_of(total_calls, VERIFICATIONS), start, end, tz):
            written = rng.random() < WRITTEN_SHARE
            self._later(received, rng.uniform(1, 5), self._verification(received, written))
        for received in calls.call_times(rng, share_of(total_calls, INSTRUCTIONS), start, end, tz):
            self._later(received, rng.uniform(2, 15), self._instruction(received))

    def _later(self, moment: int, minutes: float, deed: Deed) -> None:
        self.events.add(moment + _us(minutes), deed)

    def _opened(self, subject: str, ref: Row, at: int, received: int, shift: Row | None,
                written: bool = False) -> list[Row]:  # fmt: skip
        """create_deadlines: one deadline per rule of the profile for the subject."""
        rows = []
        for rule in deadlines.rules_for(self.profile, subject, None, written):
            due = received + rule.minutes * MINUTE_US if rule.minutes else None
            values = {
                "subject": subject, "incident_id": None, "verification_id": None,
                "instruction_id": None, "rule_code": rule.code, "channel": rule.channel,
                "cite": rule.cite, "counts_from": rule.counts_from, "clock_at": stamp(received),
                "minutes": rule.minutes, "due_at": None if due is None else stamp(due),
                "created_at": stamp(at), "shift_id": None,
            }  # fmt: skip
            refs = {f"{subject}_id": ref} | ({"shift_id": shift} if shift is not None else {})
            rows.append(Row("deadline", at, values, refs=refs))
        return rows

    def _verification(self, received: int, written: bool) -> Deed:
        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            rng = self.rng
            what, place = rng.choice(WHATS), vocab.place(rng)
            values = {
                "received_at": stamp(received),
                "subject": rng.choice(SUBJECTS).format(place=place, what=what),
                "requested_by": rng.choice(REQUESTERS), "written_requested": int(written),
                "incident_id": None, "recorded_at": stamp(at), "shift_id": None,
                "reply_within": None, "reply_channel": None,
            }  # fmt: skip
            refs = {"recorded_by_id": recorder} | ({"shift_id": shift} if shift else {})
            row = Row("verification", at, values, refs=refs)
            opened = self._opened("verification", row, at, received, shift, written)
            self._plan_replies(row, received, opened, place, written)
            return [row, *opened]

        return record

    def _plan_replies(
        self, request: Row, received: int, opened: list[Row], place: str, written: bool
    ) -> None:
        rng = self.rng
        for deadline in opened:
            channel, limit = deadline.values["channel"], deadline.values["minutes"] or 60
            if channel == "written" or (channel == "phone" and not written):
                late = rng.random() < LATE_SHARE
                lead = rng.uniform(1.05, 2.5) if late else rng.uniform(0.3, 0.95)
                replied = received + _us(limit * lead)
                self._plan_ack(deadline, replied)
                content = rng.choice(REPLIES).format(place=place)
                self._later(replied, rng.uniform(0, 4),
                            self._reply(request, channel, replied, content, opened))  # fmt: skip
            elif channel == "phone":  # a written reply is coming: a phone one first, on time
                replied = received + _us(limit * rng.uniform(0.3, 0.95))
                self._later(replied, rng.uniform(0, 4),
                            self._reply(request, channel, replied, "已电话初步反馈", opened))  # fmt: skip

    def _plan_ack(self, deadline: Row, done: int) -> None:
        """acknowledge(): a deadline overdue before `done` is, most often, acknowledged."""
        due = _due(deadline)
        if due is None or due >= done or self.rng.random() >= ACK_SHARE:
            return
        acked = due + int((done - due) * self.rng.uniform(0.1, 0.8))
        self.events.add(acked, self._ack(deadline, acked))

    def _ack(self, deadline: Row, acked: int) -> Deed:
        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            values = {"status": "overdue", "acked_at": stamp(at),
                      "reason": self.rng.choice(ACK_REASONS)}  # fmt: skip
            return [Row("deadline_ack", at, values,
                        refs={"deadline_id": deadline, "acked_by_id": recorder})]  # fmt: skip

        return record

    def _reply(self, request: Row, channel: str, replied: int, content: str,
               opened: list[Row]) -> Deed:  # fmt: skip
        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            values = {"channel": channel, "replied_at": stamp(replied), "content": content,
                      "by_whom": recorder.values["name"], "recorded_at": stamp(at)}  # fmt: skip
            reply = Row("verification_reply", at, values,
                        refs={"verification_id": request, "recorded_by_id": recorder})  # fmt: skip
            phoned, written = (replied, None) if channel == "phone" else (None, replied)
            times = deadlines.done_times(phoned, written)  # type: ignore[arg-type]  # µs work too
            closures = _close(opened, times, at, recorder, "verification_reply", reply)
            return [reply, *closures]

        return record

    def _instruction(self, received: int) -> Deed:
        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            rng = self.rng
            unit = rng.choice(vocab.UNITS)
            values = {
                "received_at": stamp(received), "leader": rng.choice(LEADERS),
                "text": rng.choice(ORDERS).format(unit=unit, what=rng.choice(WHATS)),
                "passed_to": unit, "incident_id": None, "recorded_at": stamp(at),
                "shift_id": None,
            }  # fmt: skip
            refs = {"recorded_by_id": recorder} | ({"shift_id": shift} if shift else {})
            row = Row("instruction", at, values, refs=refs)
            opened = self._opened("instruction", row, at, received, shift)
            limit = max((d.values["minutes"] or 1440) for d in opened) if opened else 1440
            late = rng.random() < LATE_SHARE
            fed = received + _us(
                limit * (rng.uniform(1.02, 1.6) if late else rng.uniform(0.1, 0.9))
            )
            for deadline in opened:
                self._plan_ack(deadline, fed)
            self._later(fed, rng.uniform(0, 10), self._feedback(row, fed, unit, opened))
            return [row, *opened]

        return record

    def _feedback(self, instruction: Row, fed: int, unit: str, opened: list[Row]) -> Deed:
        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            values = {"fed_back_at": stamp(fed), "recorded_at": stamp(at),
                      "text": self.rng.choice(FEEDBACKS).format(unit=unit)}  # fmt: skip
            row = Row("instruction_feedback", at, values,
                      refs={"instruction_id": instruction, "recorded_by_id": recorder})  # fmt: skip
            closures = _close(opened, {"feedback": fed}, at, recorder, "instruction_feedback", row)
            return [row, *closures]

        return record

    def regrade_later(self, incident: Row, recorded: int) -> None:
        """A few incidents are re-graded hours later, one level up or down."""
        rng = self.rng
        if rng.random() >= REGRADE_SHARE:
            return
        old = incident.values["level"]
        index = LEVEL_ORDER.index(old)
        new = LEVEL_ORDER[
            index + 1 if index == 0 or (index < 3 and rng.random() < 0.7) else index - 1
        ]
        reason = REGRADE_REASONS[0 if LEVEL_ORDER.index(new) > index else 1]

        def record(at: int, shift: Row | None, recorder: Row) -> list[Row]:
            values = {"old_level": old, "new_level": new, "reason": reason,
                      "regraded_at": stamp(at), "shift_id": None}  # fmt: skip
            refs = {"incident_id": incident, "recorded_by_id": recorder}
            return [Row("incident_regrade", at, values,
                        refs=refs | ({"shift_id": shift} if shift else {}))]  # fmt: skip

        self._later(recorded, rng.uniform(60, 720), record)


def _close(opened: list[Row], times: dict, at: int, recorder: Row, kind: str,
           source: Row) -> list[Row]:  # fmt: skip
    """close_matching: the still open deadlines whose channel `times` meets."""

    def by_source(row: Row) -> None:
        row.values["source"] = f"{kind}:{source.id}"

    rows = []
    for deadline in opened:
        done = times.get(deadline.values["channel"])
        if done is None:
            continue
        values = {"done_at": stamp(done), "late_minutes": _late(_due(deadline), done),
                  "closed_at": stamp(at), "reason": None}  # fmt: skip
        rows.append(
            Row("deadline_closure", at, values,
                refs={"deadline_id": deadline, "closed_by_id": recorder},
                finish=by_source)
        )  # fmt: skip
    for row in rows:
        opened.remove(row.refs["deadline_id"])  # closed: no later reply closes it again
    return rows


def _due(deadline: Row) -> int | None:
    minutes = deadline.values["minutes"]
    if not minutes:
        return None
    clock = datetime.fromisoformat(deadline.values["clock_at"])
    return to_us(clock) + minutes * MINUTE_US
