"""Changes after filing, from the roster screen: a substitution (替岗, Tianjin art. 12(5)) or a
swap (调班) on the seat under the cursor, with the reason and the approver's PIN (the service
refuses an approver who is not a shift leader or administrator, or who is part of the change);
and reporting a change to the upper office (district 制度一) where the profile says it must be
told, which clears its item on the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, Static

from dutydesk.i18n import t
from dutydesk.screens.roster_dialogs import DIALOG_CSS, RosterDialog, field
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskInput
from dutydesk.widgets.literal import literal

if TYPE_CHECKING:
    from dutydesk.services.core import Desk
    from dutydesk.services.roster import ChangeView

CHANGE_KINDS = ("substitution", "swap")


@dataclass(frozen=True)
class SeatAt:
    """The seat a change is made on: its roster, shift and seat, and who sits it now."""

    roster_id: int
    day: date
    slot_code: str
    role: str
    seat: int
    label: str  # the seat's name in the grid (带班领导, 值班员2, ...)
    holder: str


class ChangeDialog(RosterDialog):
    """调班/替岗 on one seat. Dismissed with the line to say (and when the upper office must be
    told, by when), else None."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "ChangeDialog")
    FIELDS: ClassVar[dict[str, str]] = {
        "handover_pin.": "#change-pin",  # a wrong PIN names the approver: the PIN is meant
        "authority.first_pin": "#change-pin",
        "roster_change.no_approver": "#change-approver",
        "roster.approver_not_leader": "#change-approver",
        "roster.self_approval": "#change-approver",
        "roster.bad_reason": "#change-reason",
        "roster_change_reason": "#change-reason",
        "roster_rest_override": "#change-override",
        "roster_change.no_with": "#change-with",
        "roster_change.no_to": "#change-to",
        "roster.same_person": "#change-to",
        "roster.wrong_level": "#change-to",
        "roster.two_roles": "#change-to",
        "roster_rest.": "#change-override",
    }

    def __init__(self, at: SeatAt, same_level: list[str], approvers: list[str]) -> None:
        super().__init__()
        self.at = at
        self.same_level = same_level
        self.approvers = approvers

    def compose(self) -> ComposeResult:
        from dutydesk.services.roster.rosters import roster_rules

        at = self.at
        rules = roster_rules(self.desk.profile)
        tell = (t("roster_change.tell_yes", cite=rules.change_tell_cite)
                if rules.change_tell_upper else t("roster_change.tell_no"))  # fmt: skip
        with VerticalScroll() as box:
            box.border_title = literal(t("roster_change.title", day=at.day.strftime("%m-%d"),
                                         slot=t("shift." + at.slot_code), seat=at.label))  # fmt: skip
            yield Static(literal(t("roster_change.explain", holder=at.holder,
                                   cite=rules.change_cite)))  # fmt: skip
            yield Label(literal(t("roster_change.kind")), classes="pick-label")
            options = [(literal(t(f"roster_change.kind_{kind}")), kind) for kind in CHANGE_KINDS]
            yield DeskSelect(options, value="substitution", allow_blank=False, id="change-kind")
            to = field(DeskInput(id="change-to"), "roster_change.to")
            to.suggester = SuggestFromList(self.same_level, case_sensitive=False)
            yield to
            yield field(DeskInput(id="change-with", placeholder=at.day.isoformat()),
                        "roster_change.with_date")  # fmt: skip
            yield field(DeskInput(id="change-reason"), "roster_change.reason")
            approver = field(DeskInput(id="change-approver"), "roster_change.approver")
            approver.suggester = SuggestFromList(self.approvers, case_sensitive=False)
            yield approver
            yield field(
                DeskInput(password=True, id="change-pin", classes="pin"), "roster_change.pin"
            )
            # Last: only a change that breaks a rest rule needs it (refused without it).
            yield field(DeskInput(id="change-override"), "roster_rest.field")
            yield Static(literal(tell), id="change-tell")
            yield Static("", classes="dialog-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#change-to", Input).focus()

    def collect(self) -> dict[str, str]:
        return {name: self.value(f"change-{name}") for name in
                ("to", "with", "reason", "override", "approver", "pin")} | {
                    "kind": self.choice("change-kind")}  # fmt: skip

    def work(self, desk: Desk, job: dict[str, str]) -> str:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import parse_date
        from dutydesk.services.roster import Spot, substitute, swap

        at = self.at
        spot = Spot(at.day, at.slot_code, at.role, at.seat)
        approver = job["approver"].strip()
        if not approver:
            raise DutyError("roster_change.no_approver")
        if job["kind"] == "swap":
            if not job["with"].strip():
                raise DutyError("roster_change.no_with")
            other = Spot(parse_date(job["with"]), at.slot_code, at.role, at.seat)
            change = swap(desk, at.roster_id, spot, other, reason=job["reason"], approver=approver,
                          pin=job["pin"], rest_override=job["override"])[0]  # fmt: skip
        else:
            if not job["to"].strip():
                raise DutyError("roster_change.no_to")
            change = substitute(desk, at.roster_id, spot, job["to"].strip(), reason=job["reason"],
                                approver=approver, pin=job["pin"],
                                rest_override=job["override"])  # fmt: skip
        said = t("roster_change.done", kind=t(f"roster_change.kind_{job['kind']}"),
                 day=at.day.strftime("%m-%d"), slot=t("shift." + at.slot_code))  # fmt: skip
        if change.tell_upper_by is None:
            return said
        due = change.tell_upper_by.in_timezone(desk.timezone).format("YYYY-MM-DD HH:mm")
        return said + t("roster_change.tell_by", due=due, cite=change.cite)


class ReportChangeDialog(RosterDialog):
    """Record that the upper office was told of changes after filing (the board's item for
    each): which change, when, to whom and how. Dismissed with the line to say, else None."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "ReportChangeDialog")
    FIELDS: ClassVar[dict[str, str]] = {
        "problem.": "#report-when",
        "roster.sent_in_future": "#report-when",
        "roster.bad_sent_to": "#report-to",
    }

    def __init__(self, changes: list[ChangeView], by: str) -> None:
        super().__init__()
        self.changes = changes
        self.by = by

    def compose(self) -> ComposeResult:
        from dutydesk.screens.roster_file import CHANNELS

        with VerticalScroll() as box:
            box.border_title = literal(t("roster_report.title"))
            yield Static(literal(t("roster_report.explain")))
            yield Label(literal(t("roster_report.change")), classes="pick-label")
            options = [(literal(self._describe(c)), str(c.change_id)) for c in self.changes]
            yield DeskSelect(options, value=options[0][1], allow_blank=False, id="report-change")
            yield field(DeskInput(self.desk.now().format("YYYY-MM-DD HH:mm"), id="report-when"),
                        "roster_file_dialog.when")  # fmt: skip
            yield field(DeskInput(id="report-to", placeholder=t("roster_file_dialog.to_hint")),
                        "roster_file_dialog.to")  # fmt: skip
            yield Label(literal(t("roster_file_dialog.channel")), classes="pick-label")
            ways = [(literal(t(f"roster_file_dialog.channel_{c}")), c) for c in CHANNELS]
            yield DeskSelect(ways, value="phone", allow_blank=False, id="report-channel")
            yield Static("", classes="dialog-status")
        yield Footer()

    def _describe(self, change: ChangeView) -> str:
        due = change.tell_upper_by
        return t("roster_report.item", id=change.change_id,
                 kind=t(f"roster_change.kind_{change.kind}"), substitute=change.substitute,
                 original=change.original,
                 due=due.in_timezone(self.desk.timezone).format("MM-DD HH:mm") if due else "—")  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#report-to", Input).focus()

    def collect(self) -> dict[str, str]:
        return {"change": self.choice("report-change"), "when": self.value("report-when"),
                "to": self.value("report-to"), "channel": self.choice("report-channel")}  # fmt: skip

    def work(self, desk: Desk, job: dict[str, str]) -> str:
        from dutydesk.services.core.timeparse import parse_desk_time
        from dutydesk.services.roster import report_change

        told = report_change(desk, int(job["change"]), sent_to=job["to"], channel=job["channel"],
                             by=self.by, sent_at=parse_desk_time(desk, job["when"]))  # fmt: skip
        key = "roster_report.done_late" if told.late else "roster_report.done"
        return t(key, id=job["change"], to=job["to"].strip())
