"""How a report deadline is shown and judged in time, without the store: the view of one
deadline, its status at a given time (ok, warning, overdue, asap; met or late once closed),
the countdown text, re-alerting, JSON. The board re-evaluates these every tick for free."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pendulum import DateTime

from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.profiles import Profile

OPEN_STATES = ("ok", "warning", "overdue", "asap")
ALERT_STATES = ("warning", "overdue")


@dataclass(frozen=True)
class DeadlineView:
    id: int
    subject: str  # incident | verification | instruction
    subject_id: int
    label: str  # the subject as shown, e.g. "事件#3 Ⅲ级（较大） 事故灾难 人民路"
    rule_code: str
    channel: str  # phone | written | report | feedback
    cite: str
    counts_from: str  # occurred_at | received_at
    clock_at: DateTime  # the time it counts from
    occurred_at: DateTime | None  # incidents only
    received_at: DateTime
    minutes: int | None
    due_at: DateTime | None  # None: "尽快", no fixed limit
    done_at: DateTime | None
    late_minutes: int | None
    acked_at: DateTime | None  # the latest acknowledgement
    acked_status: str | None  # the state it acknowledged: warning | overdue
    status: str  # ok | warning | overdue | asap | met | late | superseded
    seconds_left: int | None  # to due_at from the time evaluated; negative when overdue
    superseded_at: DateTime | None = None  # replaced by a re-grading of its incident
    # Set by a re-grading (counts_from "regraded_at"): the due time the rule's own clock (the
    # event) would give, shown beside the one in force ("按事件时间 10:20 / 按定级时间 11:25").
    event_due_at: DateTime | None = None
    full_label: str = ""  # the label with its typed text uncut, where `label` cuts it

    @property
    def full_what(self) -> str:
        """`what` with the subject's full text (the handover form)."""
        return f"{self.kind_label} · {self.full_label or self.label}"

    @property
    def kind_label(self) -> str:
        return t(f"deadline_what.{self.subject}_{self.channel}")

    @property
    def what(self) -> str:
        return f"{self.kind_label} · {self.label}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.superseded_at is None

    @property
    def minutes_left(self) -> int | None:
        return None if self.seconds_left is None else math.floor(self.seconds_left / 60)


def late_minutes(due_at: DateTime | None, done_at: DateTime) -> int:
    """Whole minutes late, rounded up (a report 20 s late is 1 minute late); 0 when on time."""
    if due_at is None or done_at <= due_at:
        return 0
    return math.ceil((done_at - due_at).total_seconds() / 60)


def countdown(
    due_at: DateTime | None, done_at: DateTime | None, at: DateTime, warning_minutes: int
) -> tuple[str, int | None]:
    """(status, seconds left) of a deadline at time `at`. Due exactly now is not yet overdue."""
    if done_at is not None:
        late = due_at is not None and done_at > due_at
        return ("late" if late else "met"), None
    if due_at is None:
        return "asap", None
    left = math.floor(due_at.timestamp() - at.timestamp())  # no pendulum Interval: ticks 500/s
    return open_status(left, warning_minutes), left


def open_status(seconds_left: int, warning_minutes: int) -> str:
    """ok, warning or overdue, for an open deadline with this many whole seconds left."""
    if seconds_left < 0:
        return "overdue"
    if seconds_left <= warning_minutes * 60:
        return "warning"
    return "ok"


def realert_due(
    view: DeadlineView, at: DateTime, last_alert_at: DateTime | None, profile: Profile
) -> bool:
    """Whether the board should ring again for an overdue item: not acknowledged as overdue,
    and the profile's re-alert interval has passed since the last alert."""
    if view.status != "overdue" or view.acked_status == "overdue":
        return False
    if last_alert_at is None:
        return True
    return (at - last_alert_at).total_seconds() >= profile.incidents.realert_minutes * 60


# A dated item due further off than this sorts below the "尽快" ones: an unreported incident
# "as soon as possible" matters before a roster filing due in weeks (QA).
FAR_OFF_SECONDS = 24 * 3600


def sort_key(view: DeadlineView) -> tuple[int, DateTime, int]:
    """Soonest first: dated items due within a day (overdue ones included) by due time, then the
    "尽快" ones, oldest first, then the items due further off."""
    if view.due_at is None:
        return (1, view.clock_at, view.id)
    far_off = view.seconds_left is not None and view.seconds_left > FAR_OFF_SECONDS
    return (2 if far_off else 0, view.due_at, view.id)


def reevaluate(view: DeadlineView, at: DateTime, profile: Profile) -> DeadlineView:
    """The same deadline's status at another time, without the store (for a ticking board)."""
    if view.superseded_at is not None:
        return view
    status, left = countdown(view.due_at, view.done_at, at, profile.incidents.warning_minutes)
    return replace(view, status=status, seconds_left=left)


def deadline_to_json(view: DeadlineView, timezone: str) -> dict[str, Any]:
    def iso(value: DateTime | None) -> str | None:
        return None if value is None else value.in_timezone(timezone).isoformat()

    return {
        "id": view.id,
        "kind": view.channel,
        "what": view.what,
        "subject": view.subject,
        "subject_id": view.subject_id,
        "due_at": iso(view.due_at),
        "asap": view.due_at is None,
        "counts_from": view.counts_from,
        "clock_at": iso(view.clock_at),
        "occurred_at": iso(view.occurred_at),
        "received_at": iso(view.received_at),
        "minutes": view.minutes,
        "rule": view.cite,
        "rule_code": view.rule_code,
        "status": view.status,
        "minutes_left": view.minutes_left,
        "done_at": iso(view.done_at),
        "late_minutes": view.late_minutes,
        "acknowledged_at": iso(view.acked_at),
        "superseded_at": iso(view.superseded_at),
        "event_due_at": iso(view.event_due_at),
    }


def due_label(view: DeadlineView, timezone: str, fmt: str = "MM-DD HH:mm") -> str:
    """The due time as shown; for a deadline set by a re-grading both clocks, by the event and
    by the re-grade (the one in force)."""
    if view.due_at is None:
        return "—"
    due = view.due_at.in_timezone(timezone).format(fmt)
    if view.event_due_at is None:
        return due
    event = view.event_due_at.in_timezone(timezone).format(fmt)
    return t("deadline_due.both_clocks", event=event, regrade=due)


def _span(seconds: int) -> str:
    """mm:ss under an hour, else hours and minutes."""
    if seconds < 3600:
        return t("deadline_remaining.mmss", mm=f"{seconds // 60:02d}", ss=f"{seconds % 60:02d}")
    hours, rest = divmod(seconds // 60, 60)
    return t("deadline_remaining.hours", h=hours, m=f"{rest:02d}")


def remaining_label(view: DeadlineView) -> str:
    """The countdown as shown: "剩 12:34", "剩 3小时05分", "已超时 02:10", "尽快", "按时完成"."""
    if view.status == "superseded":
        return t("deadline_remaining.superseded")
    if view.status == "met":
        return t("deadline_remaining.met")
    if view.status == "late":
        return t("deadline_remaining.late", minutes=view.late_minutes)
    if view.seconds_left is None:
        return t("deadline_remaining.asap")
    if view.seconds_left < 0:
        return t("deadline_remaining.overdue", span=_span(-view.seconds_left))
    return t("deadline_remaining.left", span=_span(view.seconds_left))
