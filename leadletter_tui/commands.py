"""The command palette: "noun: verb" commands that make sense on the current screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, str, Callable[[], object]]


class LeadLetterCommands(Provider):
    def _commands(self) -> Iterator[Command]:
        screen = self.screen
        app = self.app
        offered = getattr(screen, "palette_commands", None)
        if offered is not None:
            yield from offered()
        yield ("view: contacts", "Show the contacts table", lambda: app.switch_mode("contacts"))
        yield ("contacts: import", "Import a CSV file or a pasted list of URLs",
               app.action_import_contacts)
        yield ("app: help", "Show every key", app.action_help)
        yield ("app: quit", "Leave LeadLetter", app.exit)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
