"""The header on every screen: office, current shift, who is on duty, and a live clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from dutydesk.i18n import t

if TYPE_CHECKING:
    from dutydesk.app import DutyDeskApp


DEADLINES_REFRESH_S = 5.0


class DutyHeader(Horizontal):
    """Office name · shift · on duty · clock. Refreshed each second from the app's clock."""

    def compose(self) -> ComposeResult:
        yield Static(t("app.title"), id="header-office")
        yield Static("", id="header-shift")
        yield Static("", id="header-duty")
        yield Static("", id="header-deadlines")
        yield Static("", id="header-clock")

    def on_mount(self) -> None:
        self.refresh_info()
        self.set_interval(1.0, self.tick)
        self.set_interval(DEADLINES_REFRESH_S, self.refresh_deadlines)

    def refresh_deadlines(self) -> None:
        """Open deadlines and the nearest one, on every screen (read every few seconds, not
        every tick: the board itself counts each second)."""
        from dutydesk.services.deadline_views import remaining_label
        from dutydesk.services.deadlines import header_summary

        desk = self.duty_app.desk
        if desk is None:
            return
        count, nearest = header_summary(desk)
        label = self.query_one("#header-deadlines", Static)
        if nearest is None:
            label.update("")
            return
        label.update(
            t(
                "header.deadlines",
                count=count,
                what=nearest.kind_label,
                left=remaining_label(nearest),
            )
        )
        label.set_class(nearest.status in ("warning", "overdue"), "alert")

    @property
    def duty_app(self) -> DutyDeskApp:
        return self.app  # type: ignore[return-value]

    def tick(self) -> None:
        desk = self.duty_app.desk
        if desk is None:
            return
        now = desk.now()
        self.query_one("#header-clock", Static).update(now.format("YYYY-MM-DD HH:mm:ss"))
        status = self.duty_app.shift_status
        if status is not None and now >= status.window.ends_at:
            self.duty_app.refresh_shift()

    def refresh_info(self) -> None:
        desk = self.duty_app.desk
        if desk is None:
            self.query_one("#header-shift", Static).update(t("app.loading"))
            return
        self.query_one("#header-office", Static).update(desk.office.name)
        status = self.duty_app.shift_status
        if status is not None:
            window = status.window
            spans_days = window.ends_at.diff(window.starts_at).in_hours() > 24
            time_format = "MM-DD HH:mm" if spans_days else "HH:mm"
            self.query_one("#header-shift", Static).update(
                t(
                    "header.shift",
                    shift=t("shift." + window.code),
                    start=window.starts_at.format(time_format),
                    end=window.ends_at.format(time_format),
                )
            )
            duty = status.duty
            self.query_one("#header-duty", Static).update(
                t("header.on_duty", officer=duty.officer, leader=duty.leader or "—")
                if duty
                else t("header.no_shift")
            )
        self.tick()
        self.refresh_deadlines()
