"""Sign-off on one terminal: the outgoing officer types name and PIN, then the incoming officer,
then (optionally) the shift leader; the incoming standby (值守人员) is named in its own field, as
`handover sign --standby` does (no PIN: the standby does not sign). PINs are masked. The handover is written here; the handover
screen then writes its archive in a worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static

from dutydesk.i18n import t
from dutydesk.screens.base import DeskModal
from dutydesk.widgets.bindings import Key, bindings
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal, visible

if TYPE_CHECKING:
    from dutydesk.services.roster import SignIn

STEPS = ("outgoing", "incoming", "leader")
# where the profile requires two officers per shift (Henan 三(一) 双人专职), both sign each side
TWO_OFFICER_STEPS = ("outgoing", "out_second", "incoming", "in_second", "leader")


@dataclass(frozen=True)
class SignOutcome:
    outgoing: str
    incoming: str
    handover_id: int  # the signed handover, whose archive is still to be written
    runs: str = ""  # which shift the incoming officer holds, and until when (said on signing)


class SignOffScreen(DeskModal["SignOutcome | None"]):
    """Dismissed with the outcome once signed, or None if cancelled."""

    DEFAULT_CSS = "#sign-box { max-height: 100%; }"
    STATUS_LINE = "#sign-status"
    BINDINGS = bindings([Key("escape", "cancel", "handover_screen.sign_cancel")])

    def __init__(self, outgoing_name: str) -> None:
        super().__init__()
        self.outgoing_name = outgoing_name
        self.step = 0
        self.steps: tuple[str, ...] = STEPS
        self.signed: dict[str, SignIn] = {}
        # (name, PIN) of signers whose PIN predates the current rule: offered a new one after
        # the sign-off; the PIN is kept in memory only until then
        self.outdated: list[tuple[str, str]] = []
        self._standby_refused = False  # the status line says the standby was refused

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="sign-box") as box:  # scrolls when the terminal is short
            box.border_title = literal(t("handover_screen.sign_title"))
            yield Static(literal(t("handover_screen.sign_explain")), id="sign-explain")
            yield Static("", id="sign-step")
            # selected when the cursor comes back to it: a name refused is typed over
            name = DeskInput(
                value=visible(self.outgoing_name), id="sign-name", select_on_focus=True
            )
            name.border_title = literal(t("handover_screen.sign_name"))
            yield name
            pin = DeskInput(password=True, id="sign-pin")
            pin.border_title = literal(t("handover_screen.sign_pin"))
            yield pin
            standby = DeskInput(
                id="sign-standby", placeholder=t("handover_screen.sign_standby_hint")
            )
            standby.border_title = literal(t("handover_screen.sign_standby"))
            yield standby
            yield Static("", id="sign-done")
            yield Static("", id="sign-status")
        yield Footer()

    def on_mount(self) -> None:
        if self.desk.profile.shifts.officers > 1:
            self.steps = TWO_OFFICER_STEPS
        self._show_step()
        self.run_worker(self._read_early_warning, thread=True)

    def _read_early_warning(self) -> None:
        """An early sign-off is said before anyone signs: how long before it is due."""
        from dutydesk.errors import DutyError
        from dutydesk.services.roster import early_handover_warning

        try:
            warning = early_handover_warning(self.desk)
        except DutyError:
            return
        if warning:
            self.app.call_from_thread(self._show_early_warning, warning)

    def _show_early_warning(self, warning: str) -> None:
        explain = self.query_one("#sign-explain", Static)
        explain.update(literal(t("handover_screen.sign_explain") + "\n" + warning))

    def _show_step(self) -> None:
        step = self.steps[self.step]
        self.query_one("#sign-step", Static).update(literal(t(f"handover_screen.sign_step_{step}")))
        name = self.query_one("#sign-name", Input)
        if step != "outgoing":
            name.value = ""
        pin = self.query_one("#sign-pin", Input)
        pin.value = ""
        # a prefilled name is kept: the PIN is typed straight away, not over the name
        (pin if name.value.strip() else name).focus()

    def _typed_name(self) -> str:
        """The name field, stripped. The outgoing officer's name is prefilled as `visible()`
        shows it; left as it was, it stands for the stored name."""
        name = self.query_one("#sign-name", Input).value.strip()
        if self.steps[self.step] == "outgoing" and name == visible(self.outgoing_name).strip():
            return self.outgoing_name.strip()
        return name

    def _name_ok(self, name: str) -> bool:
        """Whether `name` may sign at this step (on shift, not the same person, eligible, a
        leader); if not, says why. Run on Enter, on leaving the field and before the PIN."""
        from dutydesk.errors import DutyError
        from dutydesk.services.handover import check_outgoing_second, check_signs_once, handover

        step = self.steps[self.step]
        try:
            if step in ("outgoing", "out_second"):
                handover.check_outgoing(self.desk, name)
                if step == "out_second":
                    check_outgoing_second(self.desk, self.signed["outgoing"].name, name)
            elif step in ("incoming", "in_second"):
                handover.check_incoming(self.desk, name, self.signed["outgoing"].name)
            else:
                signers = (self.signed["outgoing"].name, self.signed["incoming"].name)
                handover.check_leader(self.desk, name, signers)
            check_signs_once(
                self.desk, name, [s.name for role, s in self.signed.items() if role != step]
            )
        except DutyError as error:
            self.say(error.message())
            return False
        self.say("")
        return True

    @on(Input.Submitted, "#sign-name")
    def _name_entered(self, event: Input.Submitted) -> None:
        name = self._typed_name()
        if self.steps[self.step] == "leader" and not name:
            self._finish()
            return
        if self._name_ok(name):
            self.query_one("#sign-pin", Input).focus()

    @on(Input.Blurred, "#sign-name")
    def _name_left(self, event: Input.Blurred) -> None:
        """Tab (or a click) past the name: say at once if this person cannot sign here."""
        if not self.is_current:
            return
        name = self._typed_name()
        if name:
            self._name_ok(name)

    @on(Input.Changed, "#sign-name")
    @on(Input.Changed, "#sign-standby")  # QA, session 12: Tab from the PIN, then the PIN typed
    def _digits_to_pin(self, event: Input.Changed) -> None:
        """A name has no digits (validation.person_name): digits reaching the name field are a
        PIN typed ahead of a Tab that went astray or after a refusal put the cursor back on the
        name. They are moved to the hidden PIN field at once, never left on screen."""
        typed = event.input.value  # as it is now: keys may have reached it since the event
        if not any(char.isdigit() for char in typed):
            return
        event.input.value = "".join(char for char in typed if not char.isdigit())
        pin = self.query_one("#sign-pin", Input)
        pin.value += "".join(char for char in typed if char.isdigit())
        pin.cursor_position = len(pin.value)
        pin.focus()
        self.say(t("handover_screen.sign_digits_moved"))

    def _standby(self) -> str | None:
        return self.query_one("#sign-standby", Input).value.strip() or None

    def _standby_ok(self) -> bool:
        """The standby named, if any, is on the people register; if not, says so."""
        from dutydesk.errors import DutyError
        from dutydesk.services.roster import find_person

        standby = self._standby()
        try:
            if standby is not None:
                find_person(self.desk, standby)
        except DutyError as error:
            self.say(error.message())
            self._standby_refused = True
            return False
        return True

    def say(self, message: str) -> None:
        super().say(message)
        self._standby_refused = False  # the status line no longer holds the standby's refusal

    @on(Input.Blurred, "#sign-standby")
    def _standby_left(self, event: Input.Blurred) -> None:
        """Leaving the standby: a name not on the register is said at once; only a refusal of
        the standby, now put right, is cleared (not what Enter there has just said)."""
        if self.is_current and self._standby_ok() and self._standby_refused:
            self.say("")

    @on(Input.Submitted, "#sign-standby")
    def _standby_entered(self, event: Input.Submitted) -> None:
        """The standby is the dialog's last field: Enter in it signs as Enter in the PIN field
        does (the house's "Enter in the last field saves"), with the same checks and messages.
        The standby named is checked first: refused, nothing is signed and no PIN is tried.
        Once every signature is given (the sign-off refused the standby), it signs off."""
        if not self._standby_ok():
            return
        if self.steps[self.step] in self.signed:
            self._finish()
            return
        self._sign_step(self.query_one("#sign-pin", Input).value)

    @on(Input.Submitted, "#sign-pin")
    def _pin_entered(self, event: Input.Submitted) -> None:
        self._sign_step(event.value)

    def _sign_step(self, pin: str) -> None:
        """The current step's signature with the name typed and `pin` (emptied from its field):
        checked, then the next step, or the sign-off after the leader's."""
        from dutydesk.errors import DutyError
        from dutydesk.services.roster import verify_pin

        name_input = self.query_one("#sign-name", Input)
        name = self._typed_name()
        pin_input = self.query_one("#sign-pin", Input)
        pin_input.value = ""
        step = self.steps[self.step]
        if step == "leader" and not name:
            self._finish()  # no leader's name: the acknowledgement is skipped, as on Enter
            return
        if not self._name_ok(name):  # the name may never have been entered with Enter
            name_input.focus()
            return
        if not pin:
            self.say(t("handover_screen.sign_pin_needed"))  # not a try: no lockout count
            pin_input.focus()
            return
        try:
            self.signed[step] = verify_pin(self.desk, name, pin)
        except DutyError as error:
            self.say(error.message())
            pin_input.focus()
            return
        self.say("")
        if self.signed[step].pin_outdated:
            self.outdated.append((self.signed[step].name, pin))
        if step != "leader":
            done = self.query_one("#sign-done", Static)
            done.update(
                literal(
                    "\n".join(
                        t(f"handover_screen.sign_done_{role}", name=sign_in.name)
                        for role, sign_in in self.signed.items()
                    )
                )
            )
        if step == "leader":
            self._finish()
            return
        self.step += 1
        self._show_step()

    def _finish(self) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.handover import sign_off
        from dutydesk.services.roster import incoming_runs

        if not self._standby_ok():
            self.query_one("#sign-standby", Input).focus()
            return
        try:
            result = sign_off(
                self.desk,
                self.signed["outgoing"],
                self.signed["incoming"],
                self.signed.get("leader"),
                self._standby(),
                outgoing_second=self.signed.get("out_second"),
                incoming_second=self.signed.get("in_second"),
            )
        except DutyError as error:
            from dutydesk.screens.refusal_focus import focus_refused

            self.say(error.message())
            focus_refused(self, error, {})  # the field holding the name it refuses
            return
        assert result.handover.id is not None
        outcome = SignOutcome(
            self.signed["outgoing"].name,
            self.signed["incoming"].name,
            result.handover.id,
            incoming_runs(self.desk, result.incoming_shift),  # an early one may be the next
        )
        self._offer_new_pins(outcome)

    def _offer_new_pins(self, outcome: SignOutcome) -> None:
        """Signed: each signer whose PIN predates the current rule is asked for a new one
        (Escape leaves it to the next sign-off), then the dialog closes with the outcome."""
        from dutydesk.screens.people_dialogs import NewPinDialog

        if not self.outdated:
            self.dismiss(outcome)
            return
        name, pin = self.outdated.pop(0)
        self.app.push_screen(
            NewPinDialog(name, pin), callback=lambda _said: self._offer_new_pins(outcome)
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
