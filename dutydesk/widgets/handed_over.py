"""上一班交接: what the previous shift handed over, for the officer who took over (the handover
screen, and the calls screen while the shift has no call yet). One line says when, who handed
over to whom and the carried pending items still open; the lines under it the outgoing officer's
重要情况, cut with "…" where it runs longer (the full text: `handed_over_full`). Every name and
text typed by a person is shown literally (widgets/literal.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from dutydesk.i18n import t
from dutydesk.widgets.literal import literal, one_line

if TYPE_CHECKING:
    from dutydesk.services.handover import HandedOver
    from dutydesk.services.handover.pending import PendingView

MIN_WIDTH = 20


def _names(names: tuple[str, ...]) -> str:
    """Two officers on a side (Henan's 双人专职) joined in the app's language."""
    return t("handed_over.names").join(names) or "—"


def handed_over_head(view: HandedOver, timezone: str) -> str:
    """One line: when, who handed over to whom, and the carried pending items."""
    at = view.signed_at.in_timezone(timezone).format("MM-DD HH:mm")
    head = t("handed_over.head", at=at, outgoing=_names(view.outgoing),
             incoming=_names(view.incoming))  # fmt: skip
    if not view.carried:
        return head + t("handed_over.pending_none")
    if not view.still_open:
        return head + t("handed_over.pending_all_closed", carried=view.carried)
    if len(view.still_open) == view.carried:
        return head + t("handed_over.pending_all_open", carried=view.carried)
    return head + t("handed_over.pending", carried=view.carried, open=len(view.still_open))


def handed_over_summary(view: HandedOver) -> str:
    """The 重要情况 as signed, or why there is none."""
    if view.summary_state == "done":
        return t("handed_over.summary", text=view.summary)
    if view.summary_state == "not_done":
        return t("handed_over.summary_not_done", reason=view.summary)
    return t("handed_over.summary_none")


def handed_over_full(view: HandedOver, timezone: str) -> str:
    """Everything handed over, in full, for the reading dialog (line breaks as typed)."""
    lines = [
        t("handed_over.full_at", at=view.signed_at.in_timezone(timezone).format("YYYY-MM-DD HH:mm")),
        t("handed_over.full_outgoing", names=_names(view.outgoing)),
        t("handed_over.full_incoming", names=_names(view.incoming)),
    ]  # fmt: skip
    if view.leader:
        lines.append(t("handed_over.full_leader", name=view.leader))
    lines += ["", handed_over_summary(view), ""]
    if not view.carried:
        lines.append(t("handed_over.full_pending_none"))
    elif not view.still_open:
        lines.append(t("handed_over.full_pending_all_closed", carried=view.carried))
    else:
        lines.append(t("handed_over.full_pending", carried=view.carried,
                       open=len(view.still_open)))  # fmt: skip
    lines += [_pending_line(item) for item in view.still_open]
    if view.not_done:
        lines += ["", t("handed_over.full_not_done_head", count=len(view.not_done))]
        lines += [t("handed_over.full_item_" + item.state, item=item.label, reason=item.reason)
                  for item in view.not_done]  # fmt: skip
    return "\n".join(lines)


def _pending_line(item: PendingView) -> str:
    """A carried item still open, as the checklist names it."""
    from dutydesk.services.handover import device_label

    if item.device:
        return t("handover_item.device_fault", id=item.id, device=device_label(item.device),
                 text=item.text)  # fmt: skip
    return t("handover_item.pending", id=item.id, call=item.call_number or "—", text=item.text)


class HandedOverNote(Static):
    """The previous shift's handover in a few lines, or hidden when there is none to show."""

    def __init__(self, hint: str, *, summary_lines: int = 2, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.hint = hint  # catalogue key of where the rest is (F5, or v on the handover screen)
        self.summary_lines = summary_lines
        self.view: HandedOver | None = None
        self._timezone = "UTC"
        self._drawn: tuple[object, ...] | None = None  # what was last drawn, at which width
        self.display = False

    def show(self, view: HandedOver | None, timezone: str) -> None:
        self.view, self._timezone = view, timezone
        self.display = view is not None
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        view = self.view
        width = max(MIN_WIDTH, self.content_size.width or self.app.size.width - 2)
        drawn = (view, self._timezone, width, self.summary_lines)
        if drawn == self._drawn:
            return  # an update lays the screen out again: only on a change
        self._drawn = drawn
        if view is None:
            self.update("")
            return
        head = handed_over_head(view, self._timezone) + t(self.hint)
        lines = [literal(head, width=width, style="bold")]
        lines += self._wrapped(handed_over_summary(view), width)
        self.update(Text("\n", end="").join(lines))

    def _wrapped(self, text: str, width: int) -> list[Text]:
        """`text` on at most summary_lines lines of `width` cells, the last ending in "…" when
        cut."""
        wrapped = list(Text(one_line(text), end="").wrap(self.app.console, width))
        if len(wrapped) <= self.summary_lines:
            return wrapped
        kept = wrapped[: self.summary_lines]
        last = kept[-1]
        last.rstrip()
        if last.cell_len > width - 1:
            last.truncate(width - 1)
        last.append("…")
        return kept
