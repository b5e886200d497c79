"""The filter summary line with its search box, and the built-in views."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from ..domain.dates import PRESETS
from ..domain.filters import FilterSpec


@dataclass(frozen=True)
class View:
    """A named, reusable filter."""

    name: str
    spec: FilterSpec = field(default_factory=FilterSpec)


BUILTIN_VIEWS = (
    View("All contacts"),
    View("Follow-ups due", FilterSpec(due=True)),
    View("Sent last week, no reply", FilterSpec(statuses=("sent",), sent="last-week", no_reply=True)),
    View("Sent this week", FilterSpec(sent="this-week")),
    View("Ready to send", FilterSpec(statuses=("ready",))),
    View("Replied, awaiting action", FilterSpec(statuses=("replied",))),
    View("Won", FilterSpec(statuses=("won",))),
    View("Lost", FilterSpec(statuses=("lost",))),
)
DATE_CHOICES = (None, *PRESETS)


class InlineKeysInput(Input):
    """An Input that runs its own editing bindings (backspace, ctrl+u, enter, arrows…) the
    moment a key reaches it, in order with the characters typed after it.

    Textual resolves bindings only once a key has bubbled up to the App, while printable
    keys are inserted by the Input straight away; so "ctrl+u" followed by text in one read
    inserted the text first and then cleared the field (upstream Textual issue #6605)."""

    async def _on_key(self, event: events.Key) -> None:
        if await run_own_binding(self, event):
            return
        await super()._on_key(event)


async def run_own_binding(widget: Input, event: events.Key) -> bool:
    """Run `widget`'s own binding for this key now (stopping the key); False if none."""
    for binding in widget._bindings.key_to_bindings.get(event.key, ()):
        event.stop()
        event.prevent_default()
        await widget.run_action(binding.action)
        return True
    return False


class FilterBar(Horizontal):
    """One line: what is filtered (left), the search box (right).

    The search box is an Input mounted on first use (`/`): until then a hint stands in
    its place, which keeps start-up (CSS, layout, the cursor-blink timer) lighter."""

    DEFAULT_CSS = """
    FilterBar { height: 1; background: $panel; }
    FilterBar > #filter-summary { width: 1fr; height: 1; padding: 0 1; color: $text;
                                  text-wrap: nowrap; }
    FilterBar > #search-hint { width: auto; max-width: 32; height: 1; padding: 0 1;
                               color: $text-muted; background: $boost; text-wrap: nowrap;
                               text-overflow: ellipsis; }
    FilterBar > Input { width: 32; max-width: 40%; height: 1; border: none; padding: 0 1;
                        background: $boost; }
    FilterBar > Input:focus { border: none; background: $surface-lighten-1; }
    """

    @dataclass
    class SearchChanged(Message):
        bar: FilterBar
        text: str

    @dataclass
    class SearchDone(Message):
        bar: FilterBar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary = Static(Content("All contacts"), id="filter-summary")
        self.hint = Static(Content("/ search"), id="search-hint")
        self.search: Input | None = None
        self._summary = Content("All contacts")

    def compose(self) -> ComposeResult:
        yield self.summary
        yield self.hint

    @property
    def search_text(self) -> str:
        return self.search.value if self.search is not None else ""

    def set_search_text(self, text: str) -> None:
        if self.search is not None:
            self.search.value = text
        elif text:
            self.hint.update(Content(text))  # its width follows the text
        else:
            self.hint.update(Content("/ search"))

    def open_search(self) -> Input:
        """Show (mounting on first use) and focus the search box."""
        search = self._search_box()
        if not search.is_mounted:
            self.mount(search)
        search.focus()
        return search

    async def open_search_now(self) -> Input:
        """Show and focus the search box before returning: mounted (awaited) and focused
        at once, so keys handled after this call already find it (see screens/typeahead)."""
        search = self._search_box()
        if not search.is_mounted:
            await self.mount(search)
        self.screen.set_focus(search)
        return search

    def _search_box(self) -> Input:
        if self.search is None:
            value = "" if self.hint.content.plain.startswith("/ search") else self.hint.content.plain
            self.search = InlineKeysInput(value, placeholder="/ search name, email, domain",
                                          id="filter-search")
            self.hint.display = False
        return self.search

    def show(self, summary: str) -> None:
        self._summary = Content.assemble(("Filter: ", "bold"), summary)
        self._fit_summary()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_summary)  # once the summary has its new width

    def _fit_summary(self) -> None:
        """The summary, cut with an ellipsis when it is wider than its place."""
        room = self.summary.content_region.width
        summary = self._summary
        if room and summary.cell_length > room:
            summary = summary.truncate(room, ellipsis=True)
        self.summary.update(summary, layout=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.SearchChanged(self, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.SearchDone(self))
