"""The command palette: "noun: verb" commands that make sense on the current screen, each
with the key that does the same, then Textual's own commands apart, as "system: …".

A command's key is found, not declared twice: a command whose callback is a bound
`action_x` method (or a `functools.partial` of one with its arguments) has the key of the
active binding that runs the same action."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

Command = tuple[str, str, Callable[[], object]]
SYSTEM_PREFIX = "system: "


def action_of(callback: Callable[[], object]) -> str | None:
    """The action string a callback runs ("edit", "set_status('sent')"), if it is one."""
    args: tuple = ()
    if isinstance(callback, partial):
        callback, args = callback.func, callback.args
    name = getattr(callback, "__name__", "")
    if not name.startswith("action_") or getattr(callback, "__self__", None) is None:
        return None
    action = name.removeprefix("action_")
    return f"{action}({', '.join(map(repr, args))})" if args else action


class LeadLetterCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, Callable[[], object], str]]:
        """(title, help, callback, key as displayed or "")."""
        screen = self.screen
        app = self.app
        keys: dict[str, str] = {}
        for active in screen.active_bindings.values():
            b = active.binding
            if active.enabled and b.id:
                keys.setdefault(b.action, app.get_key_display(b))
        ours: list[Command] = list(getattr(screen, "palette_commands", lambda: ())())
        ours += [
            ("view: contacts", "Show the contacts table", lambda: app.switch_mode("contacts")),
            ("contacts: import", "Import a CSV file or a pasted list of URLs",
             app.action_import_contacts),
            ("app: help", "Show every key that works here", app.action_help),
            ("app: quit", "Leave LeadLetter", app.action_quit),
        ]
        for title, help_text, callback in ours:
            action = action_of(callback)
            yield title, help_text, callback, keys.get(action, "") if action else ""
        for command in sorted(app.get_system_commands(screen), key=lambda c: c.title):
            if command.title.lower() == "quit":
                continue  # "app: quit" above
            yield (SYSTEM_PREFIX + command.title.lower(), f"Textual: {command.help}",
                   command.callback, "")

    @staticmethod
    def _display(title: Content, key: str) -> Content:
        return Content.assemble(title, ("  " + key, "bold $text-accent")) if key else title

    async def discover(self) -> Hits:
        for title, help_text, callback, key in self._commands():
            yield DiscoveryHit(self._display(Content(title), key), callback, text=title,
                               help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, key in self._commands():
            score = matcher.match(title)
            if score > 0:
                if title.startswith(SYSTEM_PREFIX):
                    score *= 0.5  # ours first, whatever the query
                yield Hit(score, self._display(matcher.highlight(title), key), callback,
                          text=title, help=help_text)
