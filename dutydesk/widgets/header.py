"""The header on every screen: office, current shift, who is on duty, the next handover (with a
warning as it nears and when it is overdue), open deadlines, and a live clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from dutydesk.i18n import t
from dutydesk.widgets.desk_app import DeskApp, ShiftStatus
from dutydesk.widgets.literal import cut, literal, one_line

if TYPE_CHECKING:
    from dutydesk.services.core import Desk


DEADLINES_REFRESH_S = 5.0  # deadlines and the handover are read this often, not every tick
HANDOVER_CLASSES = ("warning", "alert")  # the nearing and the overdue handover
CLOCK_FORMAT = "YYYY-MM-DD HH:mm:ss"
OFFICE_WIDTH = 32  # cells: a long office name must leave the shift and who is on duty in sight
NAME_WIDTH = 20  # cells of each name on duty


def _calendar_ends_soon(desk: Desk) -> str | None:
    """Said DATA_WARNING_DAYS ahead: the calendar's data ends soon (a new notice is due)."""
    from dutydesk.services.core import data_ends_soon

    ends = data_ends_soon(desk.now().date())
    if ends is None:
        return None
    if ends[1] < 0:
        return t("header.calendar_beyond")
    return t("calendar_view.header_soon", last=ends[0].isoformat(), days=ends[1])


class HeaderClock(Widget):
    """The live clock. Repainted in place each second: Static.update() would re-run the whole
    screen's layout every second (bench: most of an idle screen's CPU)."""

    DEFAULT_CSS = "HeaderClock { width: 21; padding: 0 1; }"  # the format's 19 columns + padding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Text:
        return Text(self.text)


class HeaderLabel(Static):
    """A header label updated only when its text changes: each update re-runs the layout."""

    shown: str | None = None

    def show(self, text: str) -> None:
        if text != self.shown:
            self.shown = text
            self.update(literal(one_line(text)))


class DutyHeader(Vertical):
    """Office name · shift · on duty · clock, then next handover · deadlines. The clock is refreshed
    each second from the app's clock; the handover and the deadlines every few seconds."""

    app = getters.app(DeskApp)
    _shown_status: ShiftStatus | None = None  # what refresh_info last painted

    def compose(self) -> ComposeResult:
        # Two lines: in one, 120 columns cut the leader's name and the nearest deadline short.
        with Horizontal(classes="header-line"):
            yield Static(literal(t("app.title")), id="header-office")
            yield Static("", id="header-shift")
            yield Static("", id="header-duty")
            yield HeaderClock(id="header-clock")
        with Horizontal(classes="header-line"):
            yield HeaderLabel(id="header-handover")
            yield HeaderLabel(id="header-deadlines")
            yield HeaderLabel(id="header-calendar")

    def on_mount(self) -> None:
        self.refresh_info()
        self.set_interval(1.0, self.tick)
        self.set_interval(DEADLINES_REFRESH_S, self.refresh_periodic)

    def refresh_periodic(self) -> None:
        self.refresh_handover()
        self.refresh_deadlines()

    def refresh_handover(self) -> None:
        """The next handover's time; a warning word (not colour alone) within the profile's
        warning window, and "overdue" once its time has passed and it is not handed over."""
        from dutydesk.services.roster import handover_alert, span_label

        desk = self.app.desk
        if desk is None:
            return
        label = self.query_one("#header-handover", HeaderLabel)
        alert = handover_alert(desk)
        if alert is None:
            label.show("")
            label.remove_class(*HANDOVER_CLASSES)
            return
        due = alert.due_at.in_timezone(desk.timezone)
        shown = due.format("HH:mm" if due.date() == desk.now().date() else "MM-DD HH:mm")
        if alert.state == "overdue" and alert.minutes == 0:
            key = "header.handover_due_now"  # its very minute: nothing "past" to count yet
        else:
            key = {"upcoming": "header.handover", "warning": "header.handover_warning",
                   "overdue": "header.handover_overdue"}[alert.state]  # fmt: skip
        label.show(t(key, due=shown, span=span_label(alert.minutes)))
        label.set_class(alert.state == "warning", "warning")
        label.set_class(alert.state == "overdue", "alert")

    def refresh_deadlines(self) -> None:
        """Open deadlines and the nearest one, on every screen (read every few seconds, not
        every tick: the board itself counts each second)."""
        from dutydesk.services.incidents import header_summary, remaining_label

        desk = self.app.desk
        if desk is None:
            return
        count, nearest = header_summary(desk)
        label = self.query_one("#header-deadlines", HeaderLabel)
        if nearest is None:
            label.show("")
            return
        label.show(
            t(
                "header.deadlines",
                count=count,
                what=nearest.kind_label,
                left=remaining_label(nearest),
            ),
        )
        label.set_class(nearest.status in ("warning", "overdue"), "alert")

    def tick(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        now = desk.now()
        self.query_one(HeaderClock).show(now.format(CLOCK_FORMAT))
        status = self.app.shift_status
        if status is not None and now >= status.window.ends_at:
            self.app.refresh_shift()
        if self.app.shift_status is not self._shown_status:
            self.refresh_info()  # re-read on another screen (a handover signed on F5)

    def refresh_info(self) -> None:
        self._shown_status = self.app.shift_status
        desk = self.app.desk
        if desk is None:
            self.query_one("#header-shift", Static).update(literal(t("app.loading")))
            return
        office = literal(desk.office.name, width=OFFICE_WIDTH)
        self.query_one("#header-office", Static).update(office)
        status = self.app.shift_status
        if status is not None:
            from dutydesk.services.roster import shift_heading

            window = status.window
            # the shift on duty until its due handover, as `shift status` names it (after an
            # early handover it is the next slot, not the one the clock is in)
            heading = shift_heading(desk, window, status.duty.shift if status.duty else None)
            code, starts, ends = heading.code, heading.starts_at, heading.ends_at
            spans_days = ends.diff(starts).in_hours() > 24
            time_format = "MM-DD HH:mm" if spans_days else "HH:mm"
            shift = t(
                "header.shift",
                shift=t("shift." + code),
                start=starts.format(time_format),
                end=ends.format(time_format),
            )
            beyond = window.calendar == "beyond_data"  # a holiday shift cannot be told apart
            warning = t("header.calendar_beyond") if beyond else _calendar_ends_soon(desk)
            label = self.query_one("#header-shift", Static)
            label.update(literal(shift))
            label.set_class(beyond, "warning")
            # on the second line: on the first it pushed the names on duty off a 120-column screen
            calendar = self.query_one("#header-calendar", HeaderLabel)
            calendar.show(warning or "")
            calendar.set_class(bool(warning), "warning")
            duty = status.duty
            self.query_one("#header-duty", Static).update(
                literal(
                    t(
                        "header.on_duty",
                        officer=cut(duty.officer, NAME_WIDTH),
                        leader=cut(duty.leader, NAME_WIDTH) if duty.leader else "—",
                    )
                    if duty
                    else t("header.no_shift")
                )
            )
        self.tick()
        self.refresh_periodic()
