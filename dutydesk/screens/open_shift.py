"""Opening a shift: who is on duty now, proposed from the roster (anyone else through a
substitution record, made on the spot with its reason and approver's PIN). Every record stores
who recorded it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Label, Select, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import cut, literal

if TYPE_CHECKING:
    from pendulum import DateTime

    from dutydesk.services.roster.shift_roster import Approval, Proposal

NAME_WIDTH = 40  # cells of a name in the choice (the dialog is 70 wide)
SLOT_CHECK_SECONDS = 15  # how often an open dialog looks whether the slot has changed


class OpenShiftScreen(DeskModal[bool]):
    """Dismissed with True once a shift is opened."""

    DEFAULT_CSS = """
    #open-shift-box { max-height: 100%; }
    #open-shift-box .pick-label, #open-shift-box .substitution-label {
        margin-top: 1; text-style: bold;
    }
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

    def compose(self) -> ComposeResult:
        from dutydesk.services.roster import ineligibilities, list_people

        desk = self.desk
        today = desk.now().date()
        eligible = [  # an administrator sits no shift (services/shifts.refuse_administrator)
            person
            for person in list_people(desk)
            if person.role != "admin"
            and not ineligibilities(person, desk.profile.eligibility, today)
        ]
        options = [
            (literal(t("open_shift.person", name=cut(person.name, NAME_WIDTH),
                       role=t("role." + person.role))), person.name)
            for person in eligible
        ]  # fmt: skip
        self._offered = {person.name for person in eligible}
        by_role = {
            role: [p.name for p in eligible if p.role == role]
            for role in ("officer", "leader", "standby")
        }
        # the second officer (Henan 三(一) 双人专职): another officer by default, never blank
        by_role["second_officer"] = by_role["officer"][1:]
        with VerticalScroll(id="open-shift-box") as box:  # scrolls when the terminal is short
            box.border_title = literal(t("open_shift.title"))
            if not options:
                yield Static(
                    literal(t("open_shift.nobody")), id="open-shift-status", classes="error"
                )
            else:
                yield Static(literal(t("open_shift.explain")), id="open-shift-explain")
                for role in self._roles():
                    yield Label(literal(t("role." + role)), classes="pick-label")
                    default = by_role[role][0] if by_role[role] else Select.NULL
                    select: Select[str] = Select(
                        options,
                        value=default,
                        allow_blank=role not in ("officer", "second_officer"),
                        prompt=t("open_shift.nobody_selected"),
                        id=f"shift-{role}",
                    )
                    select.tooltip = t("role." + role)
                    yield select
                yield Static("", id="open-shift-roster")
                yield from self._substitution_fields()
                yield Static("", id="open-shift-status")
        yield Footer()

    def _substitution_fields(self) -> ComposeResult:
        """Someone not rostered sits the shift only through a substitution record (Tianjin art.
        12(5)): its reason and approver, made on the spot when the shift opens."""
        yield Label(literal(t("shift_roster.substitution")), classes="substitution-label")
        for name, password in (("reason", False), ("approver", False), ("pin", True)):
            field = DeskInput(password=password, id=f"shift-sub-{name}")
            field.border_title = literal(t(f"shift_roster.{name}"))
            yield field

    def on_mount(self) -> None:
        if self.query(Select):
            self.follow_slot()
            self.set_interval(SLOT_CHECK_SECONDS, self.follow_slot)

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
            plan = proposal(desk)
        self.app.call_from_thread(self._propose, plan, starts)

    def _propose(self, plan: Proposal, starts: DateTime) -> None:
        """The rostered people in their places, and a line saying so (or that none is). A
        choice the officer made by hand stays; one that was the previous slot's proposal
        follows the new slot's."""
        self._slot_start = starts
        shown = self.query_one("#open-shift-roster", Static)
        names = []
        for role in self._roles():
            name = plan.names.get(role)
            select = self.query_one(f"#shift-{role}", Select)
            earlier = self._proposed.get(role)
            if (
                name
                and name in self._offered
                and (role not in self._proposed or select.value == earlier)
            ):
                select.value = name
            elif (
                name is None
                and earlier is not None
                and select.value == earlier
                and not select.is_blank()
                and role not in ("officer", "second_officer")
            ):
                select.clear()  # the previous slot's leader or standby, not rostered now
            self._proposed[role] = name
            names.append(t("shift_roster.role_name", role=t("role." + role), name=name or "—"))
        if plan.rostered is None:
            shown.update(literal(t("shift_roster.no_roster")))
            return
        shown.update(literal(t("shift_roster.rostered", names=t("shift_roster.sep").join(names))))

    def _roles(self) -> tuple[str, ...]:
        """The roles asked for: a second officer where the profile requires two per shift."""
        if self.desk.profile.shifts.officers > 1:
            return ("officer", "second_officer", "leader", "standby")
        return ("officer", "leader", "standby")

    def action_later(self) -> None:
        self.dismiss(False)

    def action_open_shift(self) -> None:
        from dutydesk.services.roster.shift_roster import Approval

        selects = self.query(Select)
        if not selects:
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
            return
        values = {name: self.query_one(f"#shift-sub-{name}", Input).value
                  for name in ("reason", "approver", "pin")}  # fmt: skip
        approval = Approval(**values) if values["reason"].strip() else None
        self.app.run_worker(lambda: self._open(chosen, approval), thread=True, group="open-shift")

    def _open(self, chosen: dict[str, str | None], approval: Approval | None) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster.shift_roster import open_from_roster

        try:
            with thread_desk(self.desk) as desk:
                open_from_roster(desk, chosen, approval)
        except DutyError as error:
            self.app.call_from_thread(self.say, error.message())
            return
        self.app.call_from_thread(self.dismiss, True)
