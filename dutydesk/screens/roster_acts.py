"""What the roster screen writes: generating and filing the roster under the cursor, a new
holiday or sensitive-period roster, a change after filing (调班/替岗) on the seat under the
cursor and reporting changes to the upper office. Each names who made it: the officer of the
shift open now, else (a new register, no shift yet) an administrator who signs in with their
PIN, once for the screen. Every write runs in a worker thread; a refusal changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from dutydesk.i18n import t
from dutydesk.screens.base import DeskScreen
from dutydesk.screens.roster_dialogs import refusal

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from dutydesk.screens.roster_rows import Row
    from dutydesk.services.core import Desk
    from dutydesk.services.roster import ChangeView, RosterInfo
    from dutydesk.services.roster.roster_grid import MonthGrid

APPROVER_ROLES = ("leader", "admin")  # services/roster/roster_changes.APPROVER_ROLES
ADMIN_SIGN_IN_SECONDS = 10 * 60  # office setting: an administrator's sign-in on this screen lapses


class RosterActs(DeskScreen[None]):
    """The roster screen's writes; the screen (roster.py) reads and shows the month."""

    year: int | None
    month: int | None
    grid: MonthGrid | None
    rows: list[Row]
    people: dict[str, list[str]]
    acting_as: str | None
    acting_until: float  # the desk clock's timestamp at which the sign-in lapses
    _busy: bool

    def reload(self, then: str | None = None) -> None:
        raise NotImplementedError  # abstract: RosterScreen (roster.py) defines it

    def _leave_name_line(self) -> None:
        raise NotImplementedError  # abstract: RosterScreen (roster.py) defines it

    # ------------------------------------------------------------------ where the cursor is

    def _cursor_row(self) -> Row | None:
        table = self.query_one("#roster-grid", DataTable)
        if not self.rows or table.cursor_coordinate.row >= len(self.rows):
            return None
        return self.rows[table.cursor_coordinate.row]

    def _cursor_roster(self) -> RosterInfo | None:
        """The roster of the row under the cursor, else the month's."""
        row, grid = self._cursor_row(), self.grid
        if grid is None:
            return None
        wanted = row.roster_id if row is not None and row.roster_id else grid.month_roster_id
        return next((info for info in grid.rosters if info.id == wanted), None)

    # ------------------------------------------------------------------ who records

    def with_recorder(self, then: Callable[[str], Any]) -> None:
        """Call `then(name)` with who records: the administrator signed in here, else the open
        shift's officer (read in a worker), else ask an administrator for their PIN."""
        if self.acting_as is not None and self.desk.now().timestamp() < self.acting_until:
            then(self.acting_as)
            return
        self.acting_as = None  # lapsed (a shared terminal: the next person must sign again)
        self.run_worker(lambda: self._find_recorder(then), thread=True, group="roster-who")

    def _find_recorder(self, then: Callable[[str], Any]) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk
        from dutydesk.services.roster import resolve_recorder

        try:
            with thread_desk(self.desk) as desk:
                name = resolve_recorder(desk, None).name
        except DutyError as error:
            if error.key != "shift.none_open":
                self.app.call_from_thread(self._refused, refusal(error))
                return
            self.app.call_from_thread(self._ask_admin, then)
            return
        self.app.call_from_thread(then, name)

    def _ask_admin(self, then: Callable[[str], Any]) -> None:
        from dutydesk.screens.roster_dialogs import AdminDialog

        self._busy = False

        def signed(name: str | None) -> None:
            if name:
                self.acting_as = name
                self.acting_until = self.desk.now().timestamp() + ADMIN_SIGN_IN_SECONDS
                self.set_status(t("roster_admin.signed", name=name), ok=True)
                then(name)

        self.app.push_screen(AdminDialog(), callback=signed)

    # ------------------------------------------------------------------ generate, file, new

    def action_generate(self) -> None:
        assert self.year is not None and self.month is not None
        year, month = self.year, self.month
        roster = self._cursor_roster()
        own = roster if roster is not None and roster.kind != "month" else None

        def generate(desk: Desk, by: str) -> str:
            from dutydesk.services.roster import generate as generate_roster
            from dutydesk.services.roster import generate_month

            if own is not None:
                made = generate_roster(desk, own.id, seed=own.starts_on.toordinal(), by=by)
                said = t("roster_screen.generated_own", label=own.label, seed=made.seed,
                         empty=len(made.empty))  # fmt: skip
                return " ".join(filter(None, (said, _unavoidable(desk, year, month, own.id))))
            made = generate_month(desk, year, month, seed=year * 100 + month, by=by)
            said = t("roster_screen.generated", year=year, month=month, seed=made.seed,
                     empty=len(made.empty))  # fmt: skip
            return " ".join(filter(None, (said, _unavoidable(desk, year, month, made.roster_id))))

        self._write(generate, back_to_grid=False)

    def action_file(self) -> None:
        from dutydesk.screens.roster_file import FileRosterDialog

        roster = self._cursor_roster()
        if roster is None:
            self.set_status(t("roster_screen.nothing_to_file"), ok=False)
            return
        label = self._label(roster)

        def filed(said: str | None) -> None:
            if said:  # the month is read again as the screen resumes
                self.set_status(said, ok=True)

        self.with_recorder(lambda by: self.app.push_screen(FileRosterDialog(roster.id, label, by),
                                                           callback=filed))  # fmt: skip

    def _label(self, roster: RosterInfo) -> str:
        if roster.kind == "month":
            return t(
                "roster_screen.month", year=roster.starts_on.year, month=roster.starts_on.month
            )
        return t(f"roster.label_{roster.kind}", label=roster.label)

    def action_new_roster(self) -> None:
        from dutydesk.screens.roster_dialogs import NewRosterDialog

        def ask(by: str) -> None:
            dialog = NewRosterDialog(by)

            def made(said: str | None) -> None:
                if said and dialog.made is not None:
                    self.year, self.month = dialog.made  # read as the screen resumes
                    self.set_status(said, ok=True)

            self.app.push_screen(dialog, callback=made)

        self.with_recorder(ask)

    # ------------------------------------------------------------------ changes after filing

    def action_change(self) -> None:
        from dutydesk.screens.roster_change import ChangeDialog, SeatAt
        from dutydesk.screens.roster_rows import seats

        row, roster = self._cursor_row(), self._cursor_roster()
        table = self.query_one("#roster-grid", DataTable)
        column = str(table.coordinate_to_cell_key(table.cursor_coordinate).column_key.value)
        seat = next((s for s in seats(self.desk.profile) if s.key == column), None)
        if row is None or seat is None:
            self.set_status(t("roster_screen.not_a_seat"), ok=False)
            return
        holder = row.names.get(column)
        if row.roster_id is None or roster is None or roster.filed_at is None or not holder:
            self.set_status(t("roster_screen.change_not_filed"), ok=False)
            return
        officers = sum(s.role == "officer" for s in seats(self.desk.profile))
        at = SeatAt(row.roster_id, row.day, row.slot_code, seat.role, seat.index,
                    seat.label(officers), holder)  # fmt: skip
        approvers = [name for role in APPROVER_ROLES for name in self.people.get(role, [])]
        dialog = ChangeDialog(at, self.people.get(seat.role, []), approvers)
        self.app.push_screen(dialog, callback=self._said)

    def action_report(self) -> None:
        from dutydesk.screens.roster_change import ReportChangeDialog

        due = self._changes_to_tell()
        if not due:
            self.set_status(t("roster_screen.nothing_to_report"), ok=False)
            return
        self.with_recorder(lambda by: self.app.push_screen(ReportChangeDialog(due, by),
                                                           callback=self._said))  # fmt: skip

    def _changes_to_tell(self) -> list[ChangeView]:
        """This month's changes the upper office must be told of and has not been."""
        if self.grid is None:
            return []
        found: dict[int, ChangeView] = {}
        for day in self.grid.days:
            for cell in day.cells:
                for change in cell.changes:
                    if change.tell_upper_by is not None and change.told_at is None:
                        found[change.change_id] = change
        return [found[key] for key in sorted(found)]

    def _said(self, said: str | None) -> None:
        if said:  # the month is read again as the screen resumes
            self.set_status(said, ok=True)

    # ------------------------------------------------------------------ writing

    def _write(self, work: Callable[[Desk, str], str], *, back_to_grid: bool) -> None:
        """Run `work(desk, who records)` in a worker; then read the month again and say what
        was done, or say why it was refused (nothing written)."""
        if self._busy:
            return
        self._busy = True
        self.set_status(t("roster_screen.working"), ok=True)

        def start(by: str) -> None:
            self._busy = True
            self.run_worker(lambda: self._run(work, by, back_to_grid), thread=True,
                            group="roster-write")  # fmt: skip

        self.with_recorder(start)

    def _run(self, work: Callable[[Desk, str], str], by: str, back_to_grid: bool) -> None:
        from dutydesk.errors import DutyError
        from dutydesk.services.core import thread_desk

        try:
            with thread_desk(self.desk) as desk:
                said = work(desk, by)
        except DutyError as error:
            self.app.call_from_thread(self._refused, refusal(error))
            return
        self.app.call_from_thread(self._written, said, back_to_grid)

    def _refused(self, message: str) -> None:
        self._busy = False
        self.set_status(message, ok=False)

    def _written(self, said: str, back_to_grid: bool) -> None:
        self._busy = False
        if back_to_grid:
            self._leave_name_line()
        self.reload(said)


def _unavoidable(desk: Desk, year: int, month: int, roster_id: int) -> str | None:
    """The rest conflicts the rotation could not avoid, said before anyone files the roster."""
    from dutydesk.services.roster import month_roster
    from dutydesk.services.roster.roster_checks import rest_warning

    return rest_warning(month_roster(desk, year, month), roster_id)
