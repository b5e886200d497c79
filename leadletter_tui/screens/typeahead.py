"""Type-ahead that never turns into commands (keys that arrive together over SSH).

How Textual delivers keys (8.x, read from app.py / widget.py): the App forwards each key to
the widget focused *at that moment*; the key then bubbles widget → parents → screen → App,
one message queue per hop, and only at the App are bindings looked up, against whatever
has focus *by then* (or, under a dialog, against the dialog only). When a read holds
several keys ("/sally"), all of them are forwarded to the table before `/` has been
handled, so `s`, `a`, `l`, `l`, `y` used to arrive as bindings: Sent, select all, Lost, and
the confirmation's Yes (upstream Textual issue #6605).

The fix, one mixin for screens (`TypeAheadGuard`):
1. Every key passes the screen's `on_key` before the App looks up a binding for it, in the
   order it was typed. A key that opens a text field or a dialog (`FIELD_OPENERS`) starts
   holding the keys after it and queues its action on the App, behind the keys typed
   before it (whose bindings the App has not run yet: "jjp" moves twice, then opens the
   reply form for that row); once the field is there, the held keys go into it.
2. While the screen's own text field (`typing_field`, the search box) has focus, a key that
   still reaches the screen came through the old focus: a character is inserted into the
   field, an editing key (backspace, ctrl+u, enter…) runs the field's own binding, in order.
3. While a dialog this screen opened is on top, a key still reaching the screen was typed
   before the dialog existed: it never runs (bindings would be looked up in the dialog). Its
   characters go into the dialog's focused text field when it has one, else are dropped.
4. Right after an opener whose field is still on its way (a dialog that reads its data
   first), keys are held for `HOLD_SECONDS` and then given to the field, or dropped.
The search box itself is an `InlineKeysInput` (widgets/filter_bar.py), which runs its editing
bindings when the key reaches it, so "ctrl+u" plus text in one read keeps the text.
A confirmation dialog ignores keys until it says it is ready (screens/modals.ConfirmModal).
"""

from __future__ import annotations

from time import monotonic

from textual import events
from textual.widgets import Input

from ..widgets.filter_bar import run_own_binding

# The app's own keys that open a screen or dialog with a text field (app.py BINDINGS): the
# keys typed after them belong to it ("nacme.com" is a domain, not n, a, c, m, e…).
APP_OPENERS = {"n": "app.generate", "S": "app.settings", "i": "app.import_contacts",
               "question_mark": "app.help"}

HOLD_SECONDS = 0.6  # how long keys wait for a field that is being opened
RETRY_SECONDS = 0.02


class TypeAheadGuard:
    """Mixin for a Screen (put it before Screen in the bases). Hosts set `FIELD_OPENERS`
    (key → action name on the screen) and may override `typing_field`."""

    FIELD_OPENERS: dict[str, str] = {}

    _held: list[events.Key]
    _hold_until: float = 0.0

    def typing_field(self) -> Input | None:
        """The screen's own text field while it has focus (None: not typing)."""
        return None

    def _on_screen_resume(self, _event: events.ScreenResume) -> None:
        """Back from the dialog an opener opened: the hold for its field is over (a key
        pressed now is a new command, not type-ahead)."""
        self._held = []
        self._hold_until = 0.0

    async def on_key(self, event: events.Key) -> None:
        screen = self.app.screen
        if screen is not self:  # typed ahead of a dialog opened from here
            self._hold(event)
            await self._deliver_held()
            return
        field = self.typing_field()
        if field is not None:
            await self._type_into(field, event)
            return
        if monotonic() < self._hold_until:  # a field is on its way: this key is for it
            self._hold(event)
            self.set_timer(RETRY_SECONDS, self._deliver_held)
            return
        if event.key in self.FIELD_OPENERS:
            _swallow(event)
            self._held = []
            self._hold_until = monotonic() + HOLD_SECONDS
            # Not here and now: keys typed before this one may still wait in the App's
            # queue for their bindings ("jjp": two moves, then the reply form). Queued
            # behind them, the opener acts on the row they moved to.
            self.app.call_later(self._open_field, self.FIELD_OPENERS[event.key])
            return

    async def _open_field(self, action: str) -> None:
        await self.run_action(action)
        if self.typing_field() is not None or self.app.screen is not self:
            if getattr(self, "_held", None):
                await self._deliver_held()  # the field is there: what was typed since goes in
            else:
                self._hold_until = 0.0  # nothing typed ahead: later keys take paths 2 and 3

    async def _type_into(self, field: Input, event: events.Key) -> None:
        if event.is_printable and event.character:
            _swallow(event)
            _type(field, event.character)
        else:
            await run_own_binding(field, event)  # others (escape, tab…) go on as usual

    def _hold(self, event: events.Key) -> None:
        _swallow(event)
        if not hasattr(self, "_held"):
            self._held = []
        self._held.append(event)
        if not self._hold_until:
            self._hold_until = monotonic() + HOLD_SECONDS

    async def _deliver_held(self) -> None:
        """Give held characters to the text field that now has focus (a dialog's, or the
        screen's own), in order; retry briefly while it is not there yet; else drop."""
        held = getattr(self, "_held", [])
        if not held:
            return
        focused = self.app.screen.focused
        if isinstance(focused, Input):
            self._held = []
            self._hold_until = 0.0
            for event in held:
                if event.is_printable and event.character:
                    _type(focused, event.character)
                    continue
                await run_own_binding(focused, event)  # editing keys: the field's binding
            return
        if monotonic() < self._hold_until:
            self.set_timer(RETRY_SECONDS, self._deliver_held)
        else:
            self._held = []  # nothing to type into: typed-ahead keys are dropped, not run
            self._hold_until = 0.0




def _swallow(event: events.Key) -> None:
    event.stop()
    event.prevent_default()


def _type(field: Input, character: str) -> None:
    """Type one character as the Input itself would (replacing a selection)."""
    if field.selection.is_empty:
        field.insert_text_at_cursor(character)
    else:
        field.replace(character, *field.selection)
