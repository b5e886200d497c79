"""An Input for forms that keeps keys typed in one burst in order (a laggy SSH link, a
paste, `tmux send-keys`).

Textual hands each key to whatever has focus when the key is read and resolves bindings
only after the key has bubbled up to the App (upstream issue #6605). So "Sam<Tab>Acme" in
one read put "Acme" into the first field too, and "ctrl+u" then text cleared the text.
A FormInput therefore, in the order its keys arrive:
- runs its own editing bindings at once (backspace, ctrl+u, enter, arrows...);
- moves focus on Tab / Shift+Tab itself, at once;
- hands a key that reached it after focus had moved on (it was read in the same burst as
  the key that moved focus) to the widget that has focus now, in order.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from .filter_bar import run_own_binding


def forward_if_focus_moved(widget, event: events.Key) -> bool:
    """If `widget` lost focus since this key was read, give the key to the new focus."""
    # `has_focus` follows the Blur event, which is still queued behind this key; the
    # screen's `focused` is already the new widget.
    focused = widget.screen.focused if widget.is_attached else None
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    focused.post_message(events.Key(event.key, event.character))
    return True


class FormInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if forward_if_focus_moved(self, event):
            return
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            (self.screen.focus_previous if event.key == "shift+tab" else self.screen.focus_next)()
            return
        if await run_own_binding(self, event):
            return
        await super()._on_key(event)
