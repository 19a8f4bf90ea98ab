"""A table for hundreds of live countdowns (the deadline board).

DataTable re-renders every visible cell whenever any cell changes: with 500 deadlines ticking
each second that was most of the board's CPU (bench). Here each row has a few *live* cells,
asked for at paint time from a provider (so a tick only has to call `refresh()`), and *static*
cells rendered once per width and kept. Only the rows on screen are ever rendered."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dutydesk.widgets.literal import one_line

Cell = str | Text
LiveCells = Callable[[str], Sequence[Text]]
CELL_PADDING = 1  # spaces either side of a cell
HEADER_LINES = 1
MIN_STATIC_WIDTH = 10  # a static column is never narrowed below this to fit the screen


class CountdownTable(ScrollView, can_focus=True):
    """Rows keyed by strings, in the order given; a cursor row; a header line that stays put."""

    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home,ctrl+home", "first", show=False),
        Binding("end,ctrl+end", "last", show=False),
    ]
    COMPONENT_CLASSES = {"countdown-table--header", "countdown-table--cursor"}
    DEFAULT_CSS = """
    CountdownTable { height: 1fr; }
    CountdownTable > .countdown-table--header { text-style: bold; background: $panel; }
    CountdownTable > .countdown-table--cursor { background: $accent 50%; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        live_count: int,
        live_cells: LiveCells,
        *,
        give_way: Sequence[str | tuple[str, int]] = (),
        empty: str = "",
        id: str | None = None,
    ) -> None:
        """`columns`: (key, label) pairs, the first `live_count` of them live; `give_way`: the
        keys of the static columns cut to fit a narrow table, in that order (default: the
        widest static column first, and so on); a (key, cells) step cuts that column down to
        `cells` only, a later step may cut it further."""
        super().__init__(id=id)
        self.empty = empty  # said on the first row's line while there are no rows
        self.give_way = tuple(give_way)
        self.column_keys = [key for key, _label in columns]
        self.labels = [label for _key, label in columns]
        self.live_count = live_count
        self.live_cells = live_cells
        self.keys: list[str] = []
        self.static: dict[str, tuple[Cell, ...]] = {}
        self.widths = [cell_len(label) for label in self.labels]
        self._static_segments: dict[str, list[Segment]] = {}
        self._painted: dict[str, tuple[tuple[str, str], ...]] = {}  # live cells as last painted

    # ------------------------------------------------------------------ data

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if self.keys else None

    def set_rows(self, rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
        """Replace every row: (key, static cells). The cursor stays on its key if still there."""
        current = self.cursor_key
        self.keys = [key for key, _cells in rows]
        self.static = {key: tuple(cells) for key, cells in rows}
        self._static_segments.clear()
        self._fit_widths()
        position = self.keys.index(current) if current in self.static else 0
        self.cursor_row = min(position, max(0, len(self.keys) - 1))
        self.refresh()

    def update_static(self, key: str, cells: Sequence[Cell]) -> None:
        self.static[key] = tuple(cells)
        self._static_segments.pop(key, None)
        self.refresh_line(HEADER_LINES + self.keys.index(key))

    def refresh_changed(self) -> None:
        """Repaint only the rows in sight whose live cells now read otherwise than when they
        were painted: a countdown in hours and minutes changes once a minute, and repainting
        the whole table every second was most of the board's CPU (bench: py-spy)."""
        top = self.scroll_offset.y
        for row, key in enumerate(self.visible_keys(), start=top):
            if self._painted.get(key) != _looks(self.live_cells(key)):
                self.refresh_line(HEADER_LINES + row)

    def visible_keys(self) -> list[str]:
        top = self.scroll_offset.y
        return self.keys[top : top + self._page()]

    def _page(self) -> int:
        """Rows in sight: the height less the header and any horizontal scrollbar."""
        return max(1, self.scrollable_content_region.height - HEADER_LINES)

    def cells(self, key: str) -> tuple[Cell, ...]:
        """A row's cells as they are painted now: the live ones, then the static ones."""
        return (*self.live_cells(key), *self.static[key])

    def cell_text(self, row: int, column: str) -> str:
        """What a cell shows, as plain text (for tests and the screen reader of the future)."""
        key = self.keys[row]
        index = self.column_keys.index(column)
        if index < self.live_count:
            return self.live_cells(key)[index].plain
        return str(self.static[key][index - self.live_count])

    def _fit_widths(self) -> None:
        """Each column as wide as its widest cell; then, if the row is wider than the table,
        static columns give way (their cells end in "…") down to MIN_STATIC_WIDTH, so that
        every column stays in sight: those named in `give_way`, in that order (on the board the
        clock's origin is cut before the item, and the due time never), else the widest."""
        widths = [cell_len(label) for label in self.labels]
        for key in self.keys:
            cells = [*self.live_cells(key), *self.static[key]]
            widths = [max(w, cell_len(str(c))) for w, c in zip(widths, cells, strict=True)]
        excess = sum(w + 2 * CELL_PADDING for w in widths) - self.scrollable_content_region.width
        if self.scrollable_content_region.width > 0:
            if self.give_way:
                for step in self.give_way:
                    key, floor = step if isinstance(step, tuple) else (step, 0)
                    index = self.column_keys.index(key)
                    least = max(MIN_STATIC_WIDTH, cell_len(self.labels[index]), floor)
                    give = min(excess, max(0, widths[index] - least))
                    widths[index] -= give
                    excess -= give
            while excess > 0 and not self.give_way:
                static = range(self.live_count, len(widths))
                widest = max(static, key=lambda index: widths[index])
                if widths[widest] <= MIN_STATIC_WIDTH:
                    break
                widths[widest] -= 1
                excess -= 1
        self.widths = widths
        self.virtual_size = Size(self._row_width(), len(self.keys) + HEADER_LINES)

    def _row_width(self) -> int:
        return sum(width + 2 * CELL_PADDING for width in self.widths)

    # ------------------------------------------------------------------ painting

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if y < HEADER_LINES:
            header = base + self.get_component_rich_style("countdown-table--header")
            strip = Strip(self._cells_segments(self.labels, self.widths), self._row_width())
            return strip.apply_style(header).crop_extend(0, width, header)
        row = self.scroll_offset.y + y - HEADER_LINES
        if not self.keys and row == 0 and self.empty:
            said = Text(" " * CELL_PADDING + self.empty, style="italic", end="")
            return Strip(said.render(self.app.console), cell_len(said.plain)).crop_extend(
                0, width, base
            )
        if row >= len(self.keys):
            return Strip.blank(width, base)
        key = self.keys[row]
        style = base
        if row == self.cursor_row and self.has_focus:
            style = base + self.get_component_rich_style("countdown-table--cursor")
        live = self.live_cells(key)
        self._painted[key] = _looks(live)
        if any(cell_len(cell.plain) > w for cell, w in zip(live, self.widths, strict=False)):
            self._fit_widths()  # a countdown grew (mm:ss to hours and minutes)
            self._static_segments.clear()
            self.refresh()
        segments = self._cells_segments(live, self.widths[: self.live_count])
        segments += self._static_of(key)
        strip = Strip(segments, self._row_width())  # every cell is padded to its column's width
        strip = strip.apply_style(style)  # under the cells' own styles (state colours, flash)
        return strip.crop_extend(self.scroll_offset.x, self.scroll_offset.x + width, base)

    def _static_of(self, key: str) -> list[Segment]:
        cached = self._static_segments.get(key)
        if cached is None:
            cached = self._cells_segments(self.static[key], self.widths[self.live_count :])
            self._static_segments[key] = cached
        return cached

    def _cells_segments(self, cells: Sequence[Cell], widths: Sequence[int]) -> list[Segment]:
        """The cells padded to their widths, in their own styles only (the row's style is
        applied beneath them when the line is painted)."""
        line = Text(end="")
        pad = " " * CELL_PADDING
        for cell, width in zip(cells, widths, strict=True):
            text = cell.copy() if isinstance(cell, Text) else Text(one_line(cell))
            text.truncate(width, overflow="ellipsis", pad=True)
            line.append(pad)
            line.append_text(text)
            line.append(pad)
        return list(line.render(self.app.console))

    def on_resize(self) -> None:
        self._fit_widths()
        self._static_segments.clear()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------ the cursor

    def validate_cursor_row(self, row: int) -> int:
        return min(max(row, 0), max(0, len(self.keys) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        page = self._page()
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + page:
            self.scroll_to(y=new - page + 1, animate=False)
        self.refresh()

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._page()

    def action_page_down(self) -> None:
        self.cursor_row += self._page()

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self.keys) - 1

    def on_click(self, event: events.Click) -> None:
        if event.y >= HEADER_LINES:
            self.cursor_row = self.scroll_offset.y + event.y - HEADER_LINES


def _looks(cells: Sequence[Text]) -> tuple[tuple[str, str], ...]:
    """What live cells show: their text and style."""
    return tuple((cell.plain, str(cell.style)) for cell in cells)
