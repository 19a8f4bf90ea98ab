"""The calls screen's list: one row per call, every column as narrow as what it holds and the
content taking the rest of the width, the search's matches highlighted.

Cells are `rich.text.Text` built without markup (widgets/literal.py): a caller named `[red]x[/]`
is shown as typed. On a narrow terminal the list keeps the columns an officer reads first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable

from dutydesk.i18n import t
from dutydesk.widgets.literal import literal, one_line

if TYPE_CHECKING:
    from dutydesk.services.calls import CallView

MATCH_STYLE = "bold reverse"
NARROW = 100  # below this many cells the list keeps fewer columns
WIDE_COLUMNS = ("number", "time", "direction", "caller", "unit", "phone", "category", "marks")
# Narrow, the number is its serial (the year is the time's) and the direction one mark (来/去):
# at 80 columns they leave the content 14 cells (new officer, session 14: neither was listed).
NARROW_COLUMNS = ("number", "time", "direction", "caller", "phone", "category")
# The widest a column gets, in cells (its heading too): the content takes what is left, and the
# preview line under the list shows the selected call's content whole.
CAPS = {"number": 11, "time": 11, "direction": 4, "caller": 10, "unit": 10, "phone": 13,
        "category": 8, "marks": 11}  # fmt: skip
NARROW_CAPS = {"number": 6, "caller": 8}
SUMMARY_MIN = 12
# When the content would be left fewer than SUMMARY_MIN cells (the marks at 80 columns beside a
# long category), these columns give cells, the widest first, each down to the cells it keeps.
GIVE_WAY = {"caller": 4, "unit": 4, "category": 4}
GIVE_STEP = 2  # cells at a time: one Chinese character
MARKS = ("verified", "follow_up", "amended")  # in the order shown
LEAD_BEFORE_MATCH = 6  # cells of content kept before a match that would be cut off


@dataclass(frozen=True)
class Shown:
    """What the list shows: the calls, and the search they were found by ("" for the shift's)."""

    views: list[CallView]
    term: str
    more: bool = False  # more calls match than are listed


def marks(view: CallView, short: bool = False) -> str:
    """The call's marks as words (已核实 待办 已更正), or `short`, one character each (核办更):
    the words of three did not fit the column and 待办 was cut (new officer, session 17)."""
    present = (view.verified, view.follow_up, view.amended_by is not None)
    keys = [f"calls_screen.mark_{name}" for name, on in zip(MARKS, present, strict=True) if on]
    if short:
        return "".join(t(key + "_short") for key in keys)
    return " ".join(t(key) for key in keys)


def marks_legend() -> str:
    """What each one-character mark stands for (核 已核实 · 办 待办 · 更 已更正)."""
    words = {
        f"{name}{form}": t(f"calls_screen.mark_{name}{form}")
        for name in MARKS
        for form in ("", "_short")
    }
    return t("calls_screen.marks_legend", **words)


def short_marks(views: list[CallView], narrow: bool) -> bool:
    """Whether the list shows the short marks: always when narrow, else when a call's words do
    not fit the column (then every row, so that the marks read the same down the column)."""
    return narrow or any(cell_len(marks(view)) > CAPS["marks"] for view in views)


def _cell_texts(
    view: CallView, timezone: str, narrow: bool = False, short: bool = False
) -> dict[str, str]:
    return {
        "number": view.number.rpartition("-")[2] if narrow else view.number,
        "time": view.received_at.in_timezone(timezone).format("MM-DD HH:mm"),
        "direction": t("direction_mark." + view.direction)
        if narrow
        else t("direction." + view.direction),
        "caller": view.caller,
        "unit": view.unit,
        "phone": view.phone,
        "category": t("category." + view.category),
        "marks": marks(view, short),
        "summary": view.summary,
    }


def _give_way(widths: dict[str, int], wanted: int) -> int:
    """Up to `wanted` cells taken from GIVE_WAY's columns in `widths` (changed in place), the
    widest first, a character at a time: the cells given."""
    given = 0
    while given < wanted:
        room = {key: widths[key] - kept for key, kept in GIVE_WAY.items() if key in widths}
        key = max(room, key=lambda name: (room[name], -list(GIVE_WAY).index(name)), default="")
        if not key or room[key] <= 0:
            break
        step = min(GIVE_STEP, room[key], wanted - given)
        widths[key] -= step
        given += step
    return given


def _heading(key: str, narrow: bool) -> str:
    """A column's heading; narrow, the marks' in one character (标), as its short marks are."""
    return t("column.marks_short") if narrow and key == "marks" else t("column." + key)


def _match_spans(plain: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where each term occurs in `plain`, ignoring case; a run of digits also where it occurs
    with separators between them (a phone typed as 037166 matches 0371-66)."""
    from dutydesk.services.core.search import phone_digits

    lowered = plain.lower()
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = term.lower()
        start = lowered.find(needle)
        while needle and start >= 0:
            spans.append((start, start + len(needle)))
            start = lowered.find(needle, start + len(needle))
        digits = phone_digits(term)
        if digits:
            spans.extend(_digit_spans(plain, digits))
    return spans


def _digit_spans(plain: str, digits: str) -> list[tuple[int, int]]:
    positions = [index for index, char in enumerate(plain) if char.isdigit()]
    only_digits = "".join(plain[index] for index in positions)
    found = only_digits.find(digits)
    spans = []
    while found >= 0:
        spans.append((positions[found], positions[found + len(digits) - 1] + 1))
        found = only_digits.find(digits, found + len(digits))
    return spans


def highlighted(value: str, terms: list[str], width: int) -> Text:
    """`value` on one line, literal, its matches of `terms` highlighted, cut to `width` cells.
    When the first match lies past the cut, the cell starts shortly before it with "…"."""
    plain = one_line(value)
    spans = _match_spans(plain, terms) if terms else []
    text = Text(plain, end="", no_wrap=True, overflow="ellipsis")
    for start, end in spans:
        text.stylize(MATCH_STYLE, start, end)
    if spans:
        first, first_end = min(spans)
        cut = text.cell_len > width  # a value that fits is shown whole (2026-000060, QA)
        if cut and Text(plain[:first_end]).cell_len > width - 1 and first > LEAD_BEFORE_MATCH:
            text = Text("…", end="", no_wrap=True) + text[first - LEAD_BEFORE_MATCH :]
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    return text


def earlier_calls(
    views: list[CallView],
    timezone: str,
    width: int,
    most: int,
    digits: str = "",
    outgoing: bool = False,
) -> Text:
    """The lines under the form naming the earlier calls from the number being typed (with it,
    for an `outgoing` call: not 来电): how many (`most`+ when there are more), then the latest
    `most`, one a line."""
    if not views:
        none = "call_form.earlier_none_out" if outgoing else "call_form.earlier_none"
        return literal(t(none, digits=digits))
    count = str(len(views)) if len(views) <= most else f"{most}+"
    # "numbers containing": the digits typed so far may be part of several numbers (QA)
    some = "call_form.earlier_one_out" if outgoing else "call_form.earlier_one"
    lines = [literal(t(some, count=count, digits=digits), style="bold")]
    for view in views[:most]:
        at = view.received_at.in_timezone(timezone).format("YYYY-MM-DD HH:mm")
        item = t("call_form.earlier_item", at=at, caller=view.caller, unit=view.unit,
                 summary=view.summary)  # fmt: skip
        lines.append(literal(item, width=width))
    return Text("\n", end="").join(lines)


class CallTable(DataTable[Text]):
    """The list of calls; `show()` fills it (on the UI thread, from views read in a worker)."""

    # The columns fit the width, so DataTable's Home/End (to the first/last column) did nothing
    # (breaker, session 13): here they go to the newest and the oldest call listed.
    BINDINGS = [
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
    ]

    class Listed(Message):
        """A fill with `hold_rest` set has been drawn (posted to the screen, after the frame
        with its rows)."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.shown = Shown([], "")
        self.timezone = "UTC"
        # The next fill adds this many rows at once and the rest once they are painted (the
        # first look: a busy shift's hundreds of rows were built before the first frame).
        self.rows_first: int | None = None
        # ... holds the rest until add_rest() (the first look: in a pause of the typing), and
        # says when that first fill is on screen (Listed)
        self.hold_rest = False
        self._listed_pending = False  # a fill with hold_rest set is not yet drawn
        self.assumed_width = 0  # the width to fill for before it is laid out (0: none)
        self._filled_width = -1  # the width the rows were last made for
        self._rest: (
            tuple[object, list[tuple[CallView, dict[str, str]]], tuple[str, ...], dict[str, int]]
            | None
        ) = None
        self._filling: object | None = None  # the fill whose remaining rows are still to come
        self._wanted: tuple[str, str] | None = None  # a call to choose once listed, and the term

    def show(self, shown: Shown, timezone: str) -> None:
        self.shown = shown
        self.timezone = timezone
        self.relayout()

    def relayout(self) -> None:
        """Rebuild the columns for the current width and fill the rows, keeping the cursor on
        the same call when it is still listed, or on the newest when it was there."""
        wanted, self._wanted = self._wanted, None
        if wanted is not None and wanted[0] not in self.shown_numbers():
            # a list read before the call was saved: kept for the next read of the same list
            self._wanted = wanted if wanted[1] == self.shown.term else None
            wanted = None
        selected = self.selected_number()
        at_top = self.row_count > 0 and self.cursor_row == 0  # on the newest: stays on it (QA)
        width = self._filled_width = self.size.width or self.assumed_width
        narrow = 0 < width < NARROW
        short = short_marks(self.shown.views, narrow)
        cells = [_cell_texts(view, self.timezone, narrow, short) for view in self.shown.views]
        shown = NARROW_COLUMNS if narrow else WIDE_COLUMNS
        if narrow and any(row["marks"] for row in cells):  # the marks once a call has one
            shown = (*shown, "marks")
        columns = (*shown, "summary")
        widths = self._widths(shown, {**CAPS, **NARROW_CAPS} if narrow else CAPS, cells, narrow)
        self.clear(columns=True)
        for key in columns:
            heading = literal(_heading(key, narrow), width=widths[key])
            self.add_column(heading, key=key, width=widths[key])
        rows = list(zip(self.shown.views, cells, strict=True))
        now = rows if self.rows_first is None else rows[: self.rows_first]
        self.rows_first = None
        fill = self._filling = object()
        self._add_rows(fill, now, columns, widths)
        self._rest = None
        if len(now) < len(rows):
            self._rest = (fill, rows[len(now) :], columns, widths)
        if self.hold_rest:
            self._measure_now()
            self._listed_pending = True
        elif self._rest is not None:
            self.call_after_refresh(self.add_rest)
        # the one-character marks said in words beside the count (the list has a top border
        # only: a subtitle was never drawn, new officer, session 19)
        title = self.title()
        if short and any(row["marks"] for row in cells):
            title = t("calls_screen.title_with_legend", title=title, legend=marks_legend())
        self.border_title = literal(title, width=max(10, width - 4))
        if wanted is not None:
            self.move_cursor(row=self.get_row_index(wanted[0]))
        elif at_top:  # calls saved meanwhile (another terminal) come in above: show them
            self.move_cursor(row=0)
        elif selected is not None and selected in self.shown_numbers():
            self.move_cursor(row=self.get_row_index(selected))

    def _widths(
        self,
        columns: tuple[str, ...],
        caps: dict[str, int],
        cells: list[dict[str, str]],
        narrow: bool,
    ) -> dict[str, int]:
        """Each column as wide as its widest cell or heading, up to its cap; the content the
        rest, at least SUMMARY_MIN (GIVE_WAY's columns narrower for it). Over every row, also
        those added later: the columns do not move as they come."""
        widths = {
            key: min(caps[key], max([cell_len(one_line(_heading(key, narrow)))]
                                    + [cell_len(one_line(row[key])) for row in cells]))
            for key in columns
        }  # fmt: skip
        padding = 2 * self.cell_padding
        used = sum(widths.values()) + padding * (len(columns) + 1) + 2  # + the scroll bar
        left = (self.size.width or self.assumed_width or 120) - used
        widths["summary"] = max(SUMMARY_MIN, left + _give_way(widths, SUMMARY_MIN - left))
        return widths

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._listed_pending and crop.height:
            self._listed_pending = False
            self.call_after_refresh(self._say_listed)
        return lines

    def _say_listed(self) -> None:
        # to the screen: made while the screen draws, the message is the screen's own, and
        # bubbling from here it stops at the screen (a parent is told once)
        self.screen.post_message(self.Listed())

    def _measure_now(self) -> None:
        """DataTable measures the rows added on its next idle and asks for a layout then: the
        first look's rows came a frame (and a layout of the whole screen) after its header and
        form. Measured now, they come in that frame (tests/test_textual_private.py)."""
        if self._require_update_dimensions:
            self._require_update_dimensions = False
            new_rows, self._new_rows = self._new_rows, set()
            self._update_dimensions(new_rows)

    def add_rest(self) -> None:
        """The rows held back by `rows_first`, if they are still the list's."""
        rest, self._rest = self._rest, None
        if rest is not None:
            self._add_rows(*rest)

    def _add_rows(
        self,
        fill: object,
        rows: list[tuple[CallView, dict[str, str]]],
        columns: tuple[str, ...],
        widths: dict[str, int],
    ) -> None:
        if fill is not self._filling:  # filled again since: these rows are not the list's
            return
        terms = self.shown.term.split()
        for view, row in rows:
            self.add_row(
                *(highlighted(row[key], terms, widths[key]) for key in columns), key=view.number
            )

    def select_when_listed(self, number: str) -> None:
        """The cursor on call `number`: now if it is listed, else once the list is filled."""
        if self.row_count and number in self.shown_numbers():
            self.move_cursor(row=self.get_row_index(number))
        else:
            self._wanted = (number, self.shown.term)

    def title(self) -> str:
        count = len(self.shown.views)
        if self.shown.term and self.shown.more:  # the newest listed (breaker: "50" looked all)
            return t("calls_list.search_count_more", count=count, term=self.shown.term)
        if self.shown.term:
            return t("calls_list.search_count", count=count, term=self.shown.term)
        if self.shown.more:  # the shift's newest: it has more than are listed
            return t("calls_list.shift_count_more", count=count)
        return t("calls_list.shift_count", count=count)

    def shown_numbers(self) -> list[str]:
        return [view.number for view in self.shown.views]

    def selected_view(self) -> CallView | None:
        number = self.selected_number()
        return next((view for view in self.shown.views if view.number == number), None)

    def preview(self) -> Text:
        """The selected call's content whole, its matches highlighted (the preview line)."""
        view = self.selected_view()
        if view is None:
            return Text("", end="")
        text = highlighted(view.summary, self.shown.term.split(), 10_000)
        text.no_wrap = False
        return text

    def selected_number(self) -> str | None:
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value)

    def on_resize(self) -> None:
        if self.size.width != self._filled_width:  # the columns are made for a width
            self.relayout()
