"""Opening a shift: who is on duty now, proposed from the roster (anyone else through a
substitution record, made on the spot with its reason and approver's PIN). Every record stores
who recorded it.

The people and the roster's proposal are read in a worker; the choices appear once both are
read, so no one is shown who is not proposed (QA #5: the first officers of the list were shown
for a second or two, then replaced by the rostered ones)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import cut, literal

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.errors import DutyError
    from dutydesk.services.core import Desk
    from dutydesk.services.roster.shift_roster import Approval, Proposal

NAME_WIDTH = 40  # cells of a name in the choice (the dialog is 70 wide)
SLOT_CHECK_SECONDS = 15  # how often an open dialog looks whether the slot has changed
SUBSTITUTION_FIELDS = ("reason", "approver", "pin", "override")
# the field each refusal names (screens/refusal_focus.py): the cursor goes there
REFUSAL_FIELDS = {
    "shift_roster.not_rostered": "#shift-sub-reason",  # a substitution record is asked for
    "shift_roster.not_rostered_empty": "#shift-sub-reason",
    "shift_substitution_reason": "#shift-sub-reason",
    "roster_change_reason": "#shift-sub-reason",
    "roster.bad_reason": "#shift-sub-reason",
    "roster.approver_not_leader": "#shift-sub-approver",
    "roster.self_approval": "#shift-sub-approver",
    "handover_pin.": "#shift-sub-pin",  # a wrong PIN names the approver: the PIN is meant
    "authority.first_pin": "#shift-sub-pin",
    "roster_rest.": "#shift-sub-override",
    "roster_rest_override": "#shift-sub-override",
    "shift.second_officer_needed": "#shift-second_officer",
}


@dataclass(frozen=True)
class Offered:
    """Who may sit the shift today, in the registry's order: (name, role)."""

    people: tuple[tuple[str, str], ...]

    def names(self, role: str) -> list[str]:
        return [name for name, their_role in self.people if their_role == role]


def on_duty_crew(desk: Desk) -> dict[str, str | None]:
    """Who sits the shift on duty now, by role (nobody when no shift is on duty)."""
    from dutydesk.services.roster import crew_names, current_shift

    shift = current_shift(desk)
    if shift is None or shift.id is None:
        return {}
    return dict(crew_names(desk, shift.id))


def offered_people(desk: Desk) -> Offered:
    """Everyone eligible to sit a shift today (an administrator sits none:
    services/shifts.refuse_administrator)."""
    from dutydesk.services.roster import ineligibilities, list_people

    today = desk.now().date()
    return Offered(tuple(
        (person.name, person.role) for person in list_people(desk)
        if person.role != "admin" and not ineligibilities(person, desk.profile.eligibility, today)
    ))  # fmt: skip


class OpenShiftScreen(DeskModal[bool]):
    """Dismissed with True once a shift is opened."""

    DEFAULT_CSS = """
    #open-shift-box { max-height: 100%; }
    #open-shift-picks, #open-shift-substitution { height: auto; }
    #open-shift-box .pick-label, #open-shift-box .substitution-label {
        margin-top: 1; text-style: bold;
    }
    #open-shift-roster { margin-top: 1; }
    """
    STATUS_LINE = "#open-shift-status"
    KEYS = [
        Key("ctrl+s", "open_shift", "open_shift.confirm", priority=True),
        Key("escape", "later", "open_shift.later"),
    ]
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self._slot_start: DateTime | None = None  # the slot whose proposal is shown
        self._proposed: dict[str, str | None] = {}  # role -> the name proposed for it
        self._offered: Offered | None = None  # read with the first proposal

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="open-shift-box") as box:  # scrolls when the terminal is short
            box.border_title = literal(t("open_shift.title"))
            box.can_focus = False  # a Tab stop that showed nothing and took keys (breaker)
            yield Static(literal(t("open_shift.explain")), id="open-shift-explain")
            # the roster's line first: in sight at 36 rows with four seats (QA #5)
            yield Static(literal(t("open_shift.reading")), id="open-shift-roster")
            yield Vertical(id="open-shift-picks")  # the seats' choices, once read
            with Vertical(id="open-shift-substitution"):
                yield from self._substitution_fields()
            yield Static("", id="open-shift-status")
        yield Footer()

    def _substitution_fields(self) -> ComposeResult:
        """Someone not rostered sits the shift only through a substitution record (Tianjin art.
        12(5)): its reason and approver, made on the spot when the shift opens; and, as in the
        roster's 替岗 dialog, the reason it stands if it breaks a rest rule."""
        yield Label(literal(t("shift_roster.substitution")), classes="substitution-label")
        for name in SUBSTITUTION_FIELDS:
            field = DeskInput(password=name == "pin", id=f"shift-sub-{name}")
            label = "roster_rest.field" if name == "override" else f"shift_roster.{name}"
            field.border_title = literal(t(label))
            yield field

    def on_mount(self) -> None:
        self.follow_slot()

    def follow_slot(self) -> None:
        """Read the roster's proposal for the slot that holds now, if it is not the one shown
        (the dialog may stay open across a change of slot)."""
        self.run_worker(self._read_roster, thread=True, group="open-shift", exclusive=True)

    def _read_roster(self) -> None:
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster import shift_window
        from dutydesk.services.roster.shift_roster import proposal

        with thread_desk(self.desk) as desk:
            starts = shift_window(desk.profile, desk.now()).starts_at
            if starts == self._slot_start:
                return
            offered = self._offered or offered_people(desk)
            plan = proposal(desk)
            if plan.rostered is None:  # no roster: the shift on duty's crew, or nobody
                sitting: dict[str, str | None] = {
                    role: name for role, name in on_duty_crew(desk).items() if name
                }
                plan = dataclasses.replace(plan, names=plan.names | sitting)
        self.app.call_from_thread(self._propose, plan, starts, offered)

    def _propose(self, plan: Proposal, starts: DateTime, offered: Offered) -> None:
        """The rostered people in their places, and a line saying so (or that none is)."""
        if not self.is_attached:
            return
        if self._offered is None:
            self._offered = offered
            if not offered.people:
                self._nobody()
                return
            self._show_choices(plan, offered)
            self.set_interval(SLOT_CHECK_SECONDS, self.follow_slot)
        else:
            self._follow(plan)
        self._slot_start = starts
        names = [t("shift_roster.role_name", role=t("role." + role), name=plan.names.get(role) or "—")
                 for role in self._roles()]  # fmt: skip
        if plan.rostered is not None:
            line = t("shift_roster.rostered", names=t("shift_roster.sep").join(names))
        elif plan.names.get("officer"):  # the crew on duty, proposed as it sits
            line = t("open_shift.no_roster_on_duty", names=t("shift_roster.sep").join(names))
        else:
            line = t("open_shift.no_roster_nobody")
        self.query_one("#open-shift-roster", Static).update(literal(line))

    def _nobody(self) -> None:
        self.query_one("#open-shift-roster", Static).display = False
        self.query_one("#open-shift-substitution").display = False
        status = self.query_one("#open-shift-status", Static)
        status.update(literal(t("open_shift.nobody")))
        status.add_class("error")

    def _show_choices(self, plan: Proposal, offered: Offered) -> None:
        """A choice per seat, set to the rostered person; with no roster, to who sits the shift
        on duty; else to nobody (QA: the register's first officer and leader were proposed,
        people on no shift at all, and seated by a single Ctrl+S). Ctrl+S without an officer
        says one is needed; the second officer is never the officer again."""
        options = [
            (literal(t("open_shift.person", name=cut(name, NAME_WIDTH),
                       role=t("role." + role))), name)
            for name, role in offered.people
        ]  # fmt: skip
        offered_names = {name for name, _role in offered.people}
        widgets: list[Label | Select[str]] = []
        for role in self._roles():
            name = plan.names.get(role)
            if role == "second_officer" and name == plan.names.get("officer"):
                name = None
            self._proposed[role] = name
            if name not in offered_names:
                name = None
            widgets.append(Label(literal(t("role." + role)), classes="pick-label"))
            select: Select[str] = DeskSelect(
                options,
                value=name if name is not None else Select.NULL,
                allow_blank=True,
                prompt=t("open_shift.nobody_selected"),
                id=f"shift-{role}",
            )
            select.tooltip = t("role." + role)
            widgets.append(select)
        picks = self.query_one("#open-shift-picks", Vertical)
        picks.mount_all(widgets)
        focused = self.focused  # the box or the empty reason field: nothing chosen by hand
        if (
            focused is None
            or focused.id == "open-shift-box"
            or (isinstance(focused, Input) and not focused.value)
        ):
            picks.call_after_refresh(self._focus_first_seat, widgets[1])

    def _focus_first_seat(self, seat: Widget) -> None:
        """Focused, then brought into view once laid out: focusing it as it mounts scrolled the
        box to it or not, by timing (snapshot, session 14)."""
        seat.focus(scroll_visible=False)
        self.call_after_refresh(seat.scroll_visible, animate=False)

    def _follow(self, plan: Proposal) -> None:
        """The slot changed: a choice the officer made by hand stays; one that was the
        previous slot's proposal follows the new slot's."""
        assert self._offered is not None
        offered_names = {name for name, _role in self._offered.people}
        for role in self._roles():
            name = plan.names.get(role)
            select = self.query_one(f"#shift-{role}", Select)
            earlier = self._proposed.get(role)
            if name and name in offered_names and select.value == earlier:
                select.value = name
            elif (
                name is None
                and earlier is not None
                and select.value == earlier
                and not select.is_blank()
            ):
                select.clear()  # the previous slot's person, not rostered now
            self._proposed[role] = name

    def _roles(self) -> tuple[str, ...]:
        """The roles asked for: a second officer where the profile requires two per shift."""
        if self.desk.profile.shifts.officers > 1:
            return ("officer", "second_officer", "leader", "standby")
        return ("officer", "leader", "standby")

    def say(self, message: str) -> None:
        super().say(message)  # the status line is last: brought into sight when it speaks
        status = self.query_one(self.STATUS_LINE)
        self.call_after_refresh(status.scroll_visible, animate=False)

    def action_later(self) -> None:
        self.dismiss(False)

    def action_open_shift(self) -> None:
        from dutydesk.services.roster.shift_roster import Approval

        if self._offered is None:  # Ctrl+S before the roster is read: nothing chosen yet
            self.say(t("open_shift.reading"))
            return
        if not self._offered.people:
            return
        chosen = {
            role: (
                value
                if isinstance(value := self.query_one(f"#shift-{role}", Select).value, str)
                else None
            )
            for role in self._roles()
        }
        if chosen["officer"] is None:
            self.say(t("open_shift.need_officer"))
            self.query_one("#shift-officer", Select).focus()
            return
        values = {name: self.query_one(f"#shift-sub-{name}", Input).value
                  for name in SUBSTITUTION_FIELDS}  # fmt: skip
        override = values.pop("override")
        approval = (Approval(**values, rest_override=override)
                    if values["reason"].strip() else None)  # fmt: skip
        self.app.run_worker(lambda: self._open(chosen, approval), thread=True, group="open-shift")

    def _open(self, chosen: dict[str, str | None], approval: Approval | None) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster.shift_roster import open_from_roster

        try:
            with thread_desk(self.desk) as desk:
                open_from_roster(desk, chosen, approval)
        except DutyError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self.dismiss, True)

    def _refused(self, error: DutyError) -> None:
        from dutydesk.screens.refusal_focus import focus_refused

        self.say(error.message())
        focus_refused(self, error, REFUSAL_FIELDS)
