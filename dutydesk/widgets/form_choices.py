"""The call form's choices: a check box that says its state in words, and a dropdown whose
options are taken by their number."""

from __future__ import annotations

from textual import events
from textual.content import Content

from dutydesk.i18n import t
from dutydesk.widgets.desk_select import DeskSelect
from dutydesk.widgets.inline_keys import DeskCheckbox


class StatedCheckbox(DeskCheckbox):
    """A check box that says its state in words beside a box drawn filled or empty
    (☑ 已核实身份 是 / ☐ 已核实身份 否): not by colour alone."""

    def __init__(self, field: str, *, id: str, short: str | None = None) -> None:
        self.field_label = t(short or "field." + field)
        super().__init__(self._stated(False), id=id)

    def _stated(self, value: bool) -> Content:
        state = t("call_form.yes") if value else t("call_form.no")
        return Content(f"{self.field_label} {state}")

    @property
    def _button(self) -> Content:
        return Content("☑" if self.value else "☐")

    def watch_value(self) -> None:
        self.label = self._stated(self.value)
        super().watch_value()


class DigitSelect(DeskSelect):
    """A dropdown whose options are numbered: typing an option's digit while it has the focus
    takes that option without opening the list (one key instead of Enter, arrows, Enter)."""

    async def _on_key(self, event: events.Key) -> None:
        digit = event.character if event.character and event.character.isdigit() else None
        index = int(digit) - 1 if digit is not None and not self.expanded else -1
        if 0 <= index < len(self._options):
            self.value = self._options[index][1]
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)
