"""Text fields whose editing keys keep their place among the characters typed around them.

Textual inserts a typed character in the field's own key handler, but runs a key bound to an
action (Backspace, Delete, the arrows, Home, End, Ctrl+W, Ctrl+U...) only after the key has
bubbled up to the app and come back as an action. When keys arrive together (a slow link, a
paste of keystrokes, a loaded machine), a character right behind a Backspace is inserted
before the Backspace runs, which then erases it: `ab`, Backspace, `c` became `ab` (QA #2;
Textual issue #6605, not fixed in the Textual we use). These fields run their own bindings in
their key handler, in the order the keys came. Priority bindings (Ctrl+S, the app's Tab
and Shift+Tab...) are not touched: the app runs those before the key reaches any field.

Characters no text may hold (control characters, bidi overrides such as U+202E, invisible
spaces such as U+200B) are left out as they are typed or pasted, and the screen says which one
in the words a save would refuse it with (TextRefused): drawn raw they reordered or hid text in
the field, and the save then refused a character the officer could not see. The check looks at
the inserted text only, never the whole value."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingsMap, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Checkbox, Input, TextArea

from dutydesk.i18n import t

if TYPE_CHECKING:
    from textual import events
    from textual.widget import Widget
    from textual.widgets.text_area import EditResult, Location

    _Base = Widget
else:
    _Base = object


@cache
def own_bindings(widget_class: type[Widget]) -> dict[str, list[Binding]]:
    """Key -> the bindings a field's class declares itself (Input's, TextArea's)."""
    return BindingsMap(widget_class.BINDINGS).key_to_bindings


class TextRefused(Message):
    """A field left out a character typed or pasted into it; `text` says which (the screen
    shows it on its status line)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def _kept(field: Widget, text: str, *, multiline: bool) -> str:
    """`text` less what no text may hold; the field tells its screen what it left out."""
    from dutydesk.services.core.validation import without_refused

    kept, refused = without_refused(text, multiline=multiline)
    if refused:
        label = str(field.border_title or "") or t("text_refused.this_field")
        problems = t("text_refused.joiner").join(t(key, char=chars) for key, chars in refused)
        said = t("error.field", field=label, problem=problems)
        field.post_message(TextRefused(t("text_refused.left_out", message=said)))
    return kept


class InlineKeys(_Base):
    """Mixed in before a Textual text field (Input, TextArea)."""

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if char is not None and event.key == char and not char.isprintable():
            # a character typed (not pasted) that no text may hold: the field leaves it out
            # unsaid otherwise (Textual inserts printable characters only: new officer, 18)
            _kept(self, char, multiline=isinstance(self, TextArea))
        for binding in own_bindings(type(self)).get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)  # Input's and TextArea's own


class DeskInput(InlineKeys, Input):
    """A one-line text field (see the module's docstring).

    Input sets its virtual size (the text's width) at every character typed, and Widget's
    virtual size asks for a layout when it changes: the whole screen was laid out again at
    each key (the calls screen: 12-20 ms from key to paint, 3 ms without). Its own area does
    not depend on its text, so a change repaints it only; a field sized by its text (width or
    height auto) is still laid out, by Input itself."""

    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args: Any, select_on_focus: bool = False, **kwargs: Any) -> None:
        """Unlike Input, no text selected when the field takes the focus (unless asked for): a
        key typed then replaced all of it (QA: Esc from the calls screen's search put the cursor
        back in the caller, all selected, and the next key erased the name typed there)."""
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)

    def on_focus(self, event: events.Focus) -> None:
        """The cursor at the end of the text (before Input's own focus handler runs)."""
        if not self.select_on_focus and not event.from_app_focus:
            self.cursor_position = len(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        """Input's keeps a paste's first line only: `张三` and a line break, `李四` put 张三 in
        and dropped 李四 unsaid (breaker, session 16). A one-line field takes the lines joined
        by a space, none lost; the officer edits them there."""
        lines = [line.strip() for line in event.text.splitlines()]
        joined = " ".join(line for line in lines if line)
        if joined:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(joined)
            else:
                self.replace(joined, *selection)
        event.prevent_default()  # not Input's own as well, after it
        event.stop()

    def replace(self, text: str, start: int, end: int) -> None:
        """Input's, less the characters no text may hold (a key typed, a paste)."""
        if text and not text.isprintable():
            text = _kept(self, text, multiline=False)
            if not text:  # nothing left to put in: the value stays as it was
                return
        super().replace(text, start, end)


class DeskCheckbox(InlineKeys, Checkbox):
    """A check box whose Space and Enter toggle it in its own turn: run as the key came back to
    the app, they toggled whichever box had the focus by then, and a Tab typed right after a
    Space (a priority key, acted on as it arrives) had already moved it on: 需跟进 ticked for
    已核实身份 (breaker, session 15)."""


APP_KEYS = ("f6", "f7")  # the app's screens (人员, 排班): TextArea binds them to selecting


def _text_area_bindings() -> list[BindingType]:
    """TextArea's own keys but the app's, and the two its scrolling base adds."""
    from textual.containers import ScrollableContainer

    scrolling = [b for b in ScrollableContainer.BINDINGS
                 if isinstance(b, Binding) and b.key in ("ctrl+pageup", "ctrl+pagedown")]  # fmt: skip
    own = [b for b in TextArea.BINDINGS if isinstance(b, Binding) and b.key not in APP_KEYS]
    return [*scrolling, *own]


class DeskTextArea(InlineKeys, TextArea, inherit_bindings=False):
    """A text area (see the module's docstring). F6 and F7 go to the app's screens, as from
    every other field: TextArea's select-line and select-all on them kept the officer on the
    calls screen (new-officer shift, session 14)."""

    BINDINGS = _text_area_bindings()

    def replace(
        self, insert: str, start: Location, end: Location, *, maintain_selection_offset: bool = True
    ) -> EditResult:
        """TextArea's, less the characters no text may hold (line breaks and tabs are kept)."""
        if insert and not insert.isprintable():
            insert = _kept(self, insert, multiline=True)
            if not insert:  # nothing left to put in: the text stays as it was
                end = start
        return super().replace(insert, start, end,
                               maintain_selection_offset=maintain_selection_offset)  # fmt: skip
