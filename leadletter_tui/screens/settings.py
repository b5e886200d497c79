"""Settings: the sender profile every message is written with, and the follow-up rules.

Saved into config.toml (services/settings_file.py), validated the way the file is read, so a
bad value is shown in the form and nothing is written. Opened with `S`, from the palette,
and by itself the first time a message is generated without a profile ("first use").
"Share with team" (ctrl+t) saves it and also makes the profile the team's, in the database
(services/shared_settings.py): teammates whose own config leaves a field empty write with
the team's; a field left empty here shows the team's value as its placeholder.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from ..errors import UserError
from ..widgets.form_input import FormInput
from ..workers import ReportsWorkerErrors, deliver
from .modals import Modal

LINES = (  # (setting, label, example)
    ("sender_name", "Your name", "Sam Rivera"),
    ("sender_company", "Company (optional)", "Northbeam Studio"),
    ("sender_offer", "What you offer", "we build fast websites for local shops"),
)
AREAS = (
    ("sender_sample", "A short sample of how you write (optional)"),
    ("sender_signature", "Signature (optional; default: your name and company)"),
)
NUMBERS = (
    ("follow_up_days", "Follow up after (days)"),
    ("max_follow_ups", "Most follow-ups each"),
    ("follow_up_concurrency", "Written at once"),
)


class SettingsModal(ReportsWorkerErrors, Modal, ModalScreen[object]):
    """Returns the new Settings after a save, or None."""

    # One line per field (label beside a compact input) so it fits 80×23 with its buttons.
    DEFAULT_CSS = """
    SettingsModal .modal-box { padding: 0 1; max-height: 100%; }
    SettingsModal .modal-title { margin-bottom: 1; }
    SettingsModal .field-row { height: 1; }
    SettingsModal .field-row Label { width: 24; color: $text-muted; }
    SettingsModal .field-row Input { width: 1fr; padding: 0 1; background: $boost; }
    SettingsModal .field-row Input:focus { background: $accent 25%; }
    SettingsModal .field-label { margin-top: 1; color: $text-muted; }
    SettingsModal .modal-box TextArea { height: 4; min-height: 3; }
    SettingsModal #settings-intro { height: auto; }
    SettingsModal #settings-error { height: auto; min-height: 1; }
    """
    RESERVED_ROWS = 8  # border 2, title and its margin, intro, error line, buttons

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings.save"),
        Binding("ctrl+t", "share", "Share with team", id="settings.share"),
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
    ]

    def __init__(self, settings, paths, *, first_use: bool = False, shared=None) -> None:
        super().__init__()
        self.settings = settings
        self.paths = paths
        self.first_use = first_use
        self.shared = shared  # SharedSettings (the team's profile), or None
        self.team: dict[str, str] = {}

    def _placeholder(self, name: str, example: str = "") -> str:
        team = self.team.get(name, "")
        if team and not self._value(name):
            return "team: " + team.replace("\n", " ")[:60]
        return f"e.g. {example}" if example else ""

    def _value(self, name: str) -> str:
        return str(getattr(self.settings, name, "") or "")

    def compose(self) -> ComposeResult:
        title = ("Before the first message: who is writing?" if self.first_use
                 else "Settings")
        with Vertical(classes="modal-box wide"):
            yield Label(Content(title), classes="modal-title")
            if self.first_use:
                yield Label(Content("Your name and what you offer go into every message; "
                                    "S changes them later."), id="settings-intro")
            with VerticalScroll():
                for name, label, hint in LINES:
                    with Horizontal(classes="field-row"):
                        yield Label(Content(label))
                        yield FormInput(self._value(name), placeholder=self._placeholder(name, hint),
                                    id=f"set-{name}", compact=True)
                if not self.first_use:
                    for name, label in NUMBERS:
                        with Horizontal(classes="field-row"):
                            yield Label(Content(label))
                            yield FormInput(self._value(name), id=f"set-{name}", compact=True,
                                        restrict=r"[0-9]*")
                for name, label in AREAS:
                    yield Label(Content(label), classes="field-label")
                    yield TextArea(self._value(name), id=f"set-{name}", soft_wrap=True,
                                   placeholder=self._placeholder(name))
            yield Label(Content(""), id="settings-error", classes="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button(Content("Save (ctrl+s)"), variant="primary", id="save", compact=True)
                if self.shared is not None:
                    yield Button(Content("Share with team (ctrl+t)"), id="share", compact=True)
                yield Button(Content("Cancel (esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#set-{LINES[0][0]}", Input).focus()
        if self.shared is not None:
            self._read_team(self.shared)

    @work(thread=True, exclusive=True, group="team-profile", exit_on_error=False)
    def _read_team(self, shared) -> None:
        """The team's profile, for the placeholders of empty fields: from the database, so
        in a worker (on a server, a round trip the form should not wait for)."""
        try:
            team = shared.team_profile(fresh=True)
        except UserError:
            return  # no placeholders then: the form works without them
        deliver(self, self._show_team, team)

    def _show_team(self, team: dict[str, str]) -> None:
        self.team = team
        for name, _label, hint in LINES:
            self.query_one(f"#set-{name}", Input).placeholder = self._placeholder(name, hint)
        for name, _label in AREAS:
            self.query_one(f"#set-{name}", TextArea).placeholder = self._placeholder(name)

    def _changes(self) -> dict:
        out: dict = {}
        for name, _label, _hint in LINES:
            value = self.query_one(f"#set-{name}", Input).value.strip()
            if value != self._value(name):
                out[name] = value
        for name, _label in AREAS:
            value = self.query_one(f"#set-{name}", TextArea).text.strip()
            if value != self._value(name):
                out[name] = value
        if not self.first_use:
            for name, _label in NUMBERS:
                value = self.query_one(f"#set-{name}", Input).value.strip()
                if value != self._value(name):
                    out[name] = int(value) if value.isdigit() else value
        return out

    def action_save(self, share: bool = False) -> None:
        from ..services.settings_file import save_settings

        error = self.query_one("#settings-error", Label)
        changes = self._changes()
        name = changes.get("sender_name", self._value("sender_name")).strip()
        offer = changes.get("sender_offer", self._value("sender_offer")).strip()
        if self.first_use and not (name and offer):
            error.update(Content("Fill in at least your name and what you offer."))
            return
        if not changes and not share:
            self.dismiss(None)
            return
        try:
            settings = save_settings(self.paths, changes) if changes else self.settings
            if share:  # yours stays in config.toml too: local overrides shared for you
                from ..config import PROFILE_KEYS

                self.shared.share_profile({key: getattr(settings, key)
                                           for key in PROFILE_KEYS.values()})
        except UserError as exc:
            error.update(Content(str(exc)))
            return
        if share:
            self.notify("Sender profile shared with the team", markup=False)
        self.dismiss(settings)

    def action_share(self) -> None:
        """Save, and make this profile the team's (in the database)."""
        if self.shared is None:
            return
        self.action_save(share=True)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"save": self.action_save, "share": self.action_share}
        actions.get(event.button.id, self.action_cancel)()
