"""The header on every screen: office, current shift, who is on duty, the next handover (with a
warning as it nears and when it is overdue), open deadlines, and a live clock.

Everything it shows comes from the app's live state (widgets/desk_app.py), loaded in a worker and
shared with the deadline board: the header never reads the register itself. Each second it only
recomputes, from memory, the clock, the handover's countdown and the nearest deadline's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from dutydesk.i18n import t
from dutydesk.widgets.desk_app import DeskApp, LiveState
from dutydesk.widgets.literal import cut, literal, one_line

if TYPE_CHECKING:
    from dutydesk.widgets.live_state import ShiftStatus


HANDOVER_CLASSES = ("warning", "alert")  # the nearing and the overdue handover
CLOCK_FORMAT = "YYYY-MM-DD HH:mm:ss"
CLOCK_WIDTH = 21  # the format's 19 columns + padding
SHORT_CLOCK_FORMAT = "MM-DD HH:mm:ss"  # where the names on duty would not fit beside the full one
SHORT_CLOCK_WIDTH = 16
OFFICE_WIDTH = 32  # cells: a long office name must leave the shift and who is on duty in sight
MIN_OFFICE_WIDTH = 8  # cells of an office name cut with "…" to fit: it never leaves the header
NAME_WIDTH = 20  # cells of each name on duty, at most
MIN_NAME_WIDTH = 6  # a name is never cut shorter than this to fit a narrow screen
PADDING = 2  # each label's padding, left and right


class HeaderClock(Widget):
    """The live clock. Repainted in place each second: Static.update() would re-run the whole
    screen's layout every second (bench: most of an idle screen's CPU)."""

    DEFAULT_CSS = f"HeaderClock {{ width: {CLOCK_WIDTH}; padding: 0 1; }}"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.format = CLOCK_FORMAT

    def set_short(self, short: bool) -> None:
        self.format = SHORT_CLOCK_FORMAT if short else CLOCK_FORMAT
        self.styles.width = SHORT_CLOCK_WIDTH if short else CLOCK_WIDTH

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


def crew_parts(status: ShiftStatus | None, name_width: int = NAME_WIDTH) -> list[str]:
    """Who is on duty, as the header names them: officer and leader, then the second officer
    and the standby when the shift has them (names cut to `name_width` cells)."""
    duty = status.duty if status else None
    if duty is None:
        return [t("header.no_shift")]
    leader = cut(duty.leader, name_width) if duty.leader else "—"
    parts = [t("header.on_duty", officer=cut(duty.officer, name_width), leader=leader)]
    crew = status.crew if status else {}
    if crew.get("second_officer"):
        parts.append(t("header.second_officer", name=cut(crew["second_officer"], name_width)))
    if crew.get("standby"):
        parts.append(t("header.standby", name=cut(crew["standby"], name_width)))
    return parts


class DutyHeader(Vertical):
    """Office name · shift · on duty · clock, then next handover · deadlines; on a narrow screen
    the second officer and the standby move to a line of their own, then the office name is cut
    with "…" (never out of sight: QA), and only then are names cut (never the officer or the
    leader out of sight)."""

    app = getters.app(DeskApp)
    _shown: LiveState | None = None  # the live state last painted
    _office_shown: tuple[str, int] | None = None  # the office name and the width it was cut to

    def __init__(self, first_look: tuple[str, str] | None = None) -> None:
        """`first_look`: the office and who is on duty from the start-up's first look
        (screens/first_calls.py), before the register is open; show_live takes over once it is.
        Composed with them, the first frame has them (set after, they came a layout later)."""
        super().__init__()
        self._first_look = first_look

    def compose(self) -> ComposeResult:
        office, duty = literal(t("app.title")), literal("")
        if self._first_look is not None:
            office, duty = self._first_look_texts(*self._first_look)
        with Horizontal(classes="header-line"):
            yield Static(office, id="header-office")
            yield Static("", id="header-shift")
            yield Static(duty, id="header-duty")
            yield HeaderClock(id="header-clock")
        with Horizontal(classes="header-line", id="header-crew-line"):
            yield HeaderLabel(id="header-crew")
        with Horizontal(classes="header-line"):
            yield HeaderLabel(id="header-handover")
            yield HeaderLabel(id="header-deadlines")
        with Horizontal(classes="header-line", id="header-leader-line"):
            yield HeaderLabel(id="header-leader")
        with Horizontal(classes="header-line", id="header-calendar-line"):
            yield HeaderLabel(id="header-calendar")

    def on_mount(self) -> None:
        self.query_one("#header-crew-line").display = False
        self.query_one("#header-leader-line").display = False
        self.app.live_changed.subscribe(self, self.show_live, immediate=True)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self.show_live(self.app.live)
        # ticked on the app's change check (no timer of its own: one wake-up more a second);
        # a header out of sight (another mode's screen, one built ahead) does nothing then
        self.app.tick_each_second(self)

    def on_unmount(self) -> None:
        self.app.stop_ticking(self)

    def _screen_changed(self, screen: object) -> None:
        # in sight also below a dialog (a modal screen over it): only another mode's screen,
        # or one covered by a whole screen, hides it
        if self.screen.is_current:  # back in sight: the clock and countdowns at once
            self.tick()

    def show_live(self, state: LiveState | None) -> None:
        """Repaint everything from `state` (the app's latest load), at once."""
        self._shown = state
        self.refresh_info()

    def on_resize(self) -> None:
        self._fit_duty()
        desk = self.app.desk
        if desk is not None:  # the clock in the format this width chose, not next second
            clock = self.query_one(HeaderClock)
            clock.show(desk.now().format(clock.format))

    def _first_look_texts(self, office: str, duty: str) -> tuple[Text, Text]:
        width = self.size.width or self.app.size.width
        room = width - cell_len(duty) - CLOCK_WIDTH - 3 * PADDING  # as _fit_duty decides
        fits = max(MIN_OFFICE_WIDTH, min(room, OFFICE_WIDTH))
        return literal(office, width=fits), literal(duty)

    def refresh_periodic(self) -> None:
        """The handover's and the nearest deadline's countdowns, from memory."""
        self.refresh_handover()
        self.refresh_deadlines()

    def refresh_handover(self) -> None:
        """The next handover's time; a warning word (not colour alone) within the profile's
        warning window, and "overdue" once its time has passed and it is not handed over."""
        from dutydesk.services.roster import alert_at, span_label

        desk, state = self.app.desk, self._shown
        label = self.query_one("#header-handover", HeaderLabel)
        if desk is None or state is None or state.handover_due is None:
            label.show("")
            label.remove_class(*HANDOVER_CLASSES)
            return
        now = desk.now()
        alert = alert_at(state.handover_due, now, desk.profile.handover)
        due = alert.due_at.in_timezone(desk.timezone)
        shown = due.format("HH:mm" if due.date() == now.date() else "MM-DD HH:mm")
        if alert.state == "overdue" and alert.minutes == 0:
            key = "header.handover_due_now"  # its very minute: nothing "past" to count yet
        else:
            key = {"upcoming": "header.handover", "warning": "header.handover_warning",
                   "overdue": "header.handover_overdue"}[alert.state]  # fmt: skip
        label.show(t(key, due=shown, span=span_label(alert.minutes)))
        label.set_class(alert.state == "warning", "warning")
        label.set_class(alert.state == "overdue", "alert")

    def refresh_deadlines(self) -> None:
        """Open deadlines and the nearest one: the board's own list (the same load), its first
        row counted down to now."""
        from dutydesk.services.incidents import reevaluate, remaining_label

        desk, state = self.app.desk, self._shown
        label = self.query_one("#header-deadlines", HeaderLabel)
        if desk is None or state is None or not state.deadlines:
            label.show("")
            label.remove_class("alert")
            return
        nearest = reevaluate(state.deadlines[0], desk.now(), desk.profile)
        count = len(state.deadlines)
        what, left = nearest.kind_label, remaining_label(nearest)
        label.show(t("header.deadlines", count=count, what=what, left=left))
        label.set_class(nearest.status in ("warning", "overdue"), "alert")

    def tick(self) -> None:
        desk = self.app.desk
        if desk is None or not self.screen.is_current:
            return  # a screen out of sight (another mode's) ticks again when it is back
        if self.app.live is not self._shown:
            self.show_live(self.app.live)  # published while this screen was not attached
            return
        clocks = self.query(HeaderClock)
        if not clocks:  # ticked by the app while being mounted or removed: nothing to show yet
            return
        clock = clocks.first()
        clock.show(desk.now().format(clock.format))
        self.refresh_periodic()  # the next slot is read by the app (LiveState.stale_at)

    def refresh_info(self) -> None:
        desk = self.app.desk
        if desk is None:
            if self._first_look is None:  # a first look's names stand until the register opens
                self.query_one("#header-shift", Static).update(literal(t("app.loading")))
            return
        status = self._shown.status if self._shown else None
        if status is None:  # no one to place yet: the office name as it is (_fit_duty cuts it)
            self._office_shown = None
            office = literal(desk.office.name, width=OFFICE_WIDTH)
            self.query_one("#header-office", Static).update(office)
        else:
            self._show_shift(status)
        self._show_leader(status)
        self._fit_duty()
        self.tick()

    def _show_shift(self, status: ShiftStatus) -> None:
        heading = status.heading
        if heading is None:
            return
        spans_days = heading.ends_at.diff(heading.starts_at).in_hours() > 24
        time_format = "MM-DD HH:mm" if spans_days else "HH:mm"
        shift = t(
            "header.shift",
            shift=t("shift." + heading.code),
            start=heading.starts_at.format(time_format),
            end=heading.ends_at.format(time_format),
        )
        label = self.query_one("#header-shift", Static)
        label.update(literal(shift))
        label.set_class(status.window.calendar == "beyond_data", "warning")
        # on a line of its own: on the first it pushed the names on duty off a 120-column
        # screen, and on the last 80 columns cut it
        warning = self._shown.calendar_warning if self._shown else None
        calendar = self.query_one("#header-calendar", HeaderLabel)
        calendar.show(warning or "")
        calendar.set_class(bool(warning), "warning")
        self.query_one("#header-calendar-line").display = bool(warning)

    def _show_leader(self, status: ShiftStatus | None) -> None:
        """Where the shift leader is (Tianjin art. 16(2)): a line of its own, marked, while the
        leader is recorded as away (where, contact, until when, who stands in)."""
        from dutydesk.services.roster import describe_away

        desk = self.app.desk
        away = status.leader_away if status is not None else None
        label = self.query_one("#header-leader", HeaderLabel)
        label.show(describe_away(desk, away) if desk is not None and away is not None else "")
        label.set_class(away is not None, "warning")
        self.query_one("#header-leader-line").display = away is not None

    def _fit_duty(self) -> None:
        """Lay out who is on duty for this width (see the class's docstring)."""
        status = self._shown.status if self._shown else None
        desk = self.app.desk
        if desk is None or status is None:
            return
        width = self.size.width or 10_000  # before the first layout: as wide as need be
        shift = cell_len(str(self.query_one("#header-shift", Static).render())) + PADDING
        office = min(cell_len(one_line(desk.office.name)), OFFICE_WIDTH)
        parts = crew_parts(status)
        whole, first, rest = " · ".join(parts), parts[0], " · ".join(parts[1:])
        clock = self.query_one(HeaderClock)
        for clock_width in (CLOCK_WIDTH, SHORT_CLOCK_WIDTH):
            fixed = shift + clock_width + 2 * PADDING  # the office's padding too
            clock.set_short(clock_width == SHORT_CLOCK_WIDTH)
            if fixed + office + cell_len(whole) <= width:
                return self._place_duty(whole, "", office)
            if fixed + office + cell_len(first) <= width:
                return self._place_duty(first, rest, office)
            room = width - fixed - cell_len(first)
            if room >= MIN_OFFICE_WIDTH:  # the office name cut, never gone (QA)
                return self._place_duty(first, rest, min(room, office))
        # names whole and the office too short to show: the office gives way (never the
        # officer's or the leader's name for it), and only then are names cut
        room = width - fixed + PADDING
        name_width = NAME_WIDTH
        while name_width > MIN_NAME_WIDTH and cell_len(crew_parts(status, name_width)[0]) > room:
            name_width -= 1
        parts = crew_parts(status, name_width)
        return self._place_duty(parts[0], " · ".join(parts[1:]), 0)

    def _place_duty(self, duty: str, crew: str, office_width: int) -> None:
        desk = self.app.desk
        self.query_one("#header-office").display = office_width > 0
        if (
            desk is not None
            and office_width
            and (desk.office.name, office_width) != self._office_shown
        ):
            self._office_shown = (desk.office.name, office_width)  # each update lays out again
            office = literal(desk.office.name, width=office_width)
            self.query_one("#header-office", Static).update(office)
        self.query_one("#header-duty", Static).update(literal(duty))
        self.query_one("#header-crew", HeaderLabel).show(crew)
        self.query_one("#header-crew-line").display = bool(crew)
