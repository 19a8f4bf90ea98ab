"""How the incident, verification, instruction and deadline commands read ids and times and
show deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutydesk.i18n import cite, t

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.models import DeadlineClosure
    from dutydesk.services.core import Desk
    from dutydesk.services.incidents import DeadlineView


def id_number(value: str, field: str) -> int:
    from dutydesk.services.incidents import whole_number

    number = whole_number(value, field)
    assert number is not None
    return number


def desk_time(desk: Desk, value: str | None) -> DateTime | None:
    """A record's time; a short one ahead of now may be the day before's, within the shift."""
    from dutydesk.services.roster import typed_record_time

    return None if value is None else typed_record_time(desk, value)


def moment(desk: Desk, value: str | None) -> DateTime | None:
    """A moment to look at (the board at 18:00): a short form is today's, even later today."""
    from dutydesk.services.core import parse_desk_time

    return None if value is None else parse_desk_time(desk, value)


def local_time(desk: Desk, value: DateTime | None, fmt: str = "MM-DD HH:mm") -> str:
    return "—" if value is None else value.in_timezone(desk.timezone).format(fmt)


def deadline_line(desk: Desk, view: DeadlineView) -> str:
    from dutydesk.services.board import board_key
    from dutydesk.services.incidents import due_label, remaining_label

    due = due_label(view, desk.timezone) if view.due_at else t("deadline_remaining.asap")
    counts_from = t(f"deadline_counts_from.{view.counts_from}")
    received = local_time(desk, view.received_at)
    clock = (
        t("deadlines_cli.clock_received", counts_from=counts_from, received=received)
        if view.occurred_at is None
        else t(
            "deadlines_cli.clock",
            counts_from=counts_from,
            occurred=local_time(desk, view.occurred_at),
            received=received,
        )
    )
    return (
        f"#{board_key(view)}  {t('deadline_status.' + view.status)}  {remaining_label(view)}  "
        f"{view.what}  {t('deadlines_cli.due', due=due)}  {cite(view.cite)}  {clock}"
    )


def closure_lines(desk: Desk, closures: list[DeadlineClosure]) -> list[str]:
    from dutydesk.services.incidents import get_deadline

    lines = []
    for closure in closures:
        view = get_deadline(desk, closure.deadline_id)
        if closure.late_minutes:
            lines.append(t("deadlines_cli.done_late", what=view.what, minutes=closure.late_minutes))
        else:
            lines.append(t("deadlines_cli.done_on_time", what=view.what))
    return lines
