"""Saved views: named filters the user keeps, shared by the TUI (`v`) and the CLI (`--view`).

They live in ``views.json`` in the config directory, as the filter options the user chose
(statuses, date sent, domain, text, flags): a view stays relative ("sent last week" means
last week on the day it is used). A save or delete holds a lock on a sidecar file
(`views.json.lock`), re-reads the file under it and replaces it in one rename, so processes
saving at once lose nothing (locked_file.py); a damaged file is reported in one line and
never overwritten by accident. Views shared with a team live in the database instead
(shared_settings.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..domain import filters
from ..domain.text import quote_input, sanitize_line
from ..errors import UserError
from ..locked_file import locked, write_atomic

FILE_NAME = "views.json"
NAME_LIMIT = 60


@dataclass(frozen=True)
class SavedView:
    name: str
    options: dict  # filter options, as Services.make_filter takes them


def clean_name(name: str) -> str:
    """A view's name as stored: one safe line. Raises UserError when empty or too long."""
    text = sanitize_line(name)
    if not text:
        raise UserError("a view needs a name")
    if len(text) > NAME_LIMIT:
        raise UserError(f"a view's name has at most {NAME_LIMIT} characters ({len(text)} given)")
    return text


def clean_options(options: dict) -> dict:
    """Only the filter options, with empty ones left out (what the file stores)."""
    out: dict = {}
    for f in filters.FILTER_FIELDS:  # the declared filter fields are the keys a view stores
        value = options.get(f.key)
        if f.kind == "multi":
            value = [str(s) for s in value or ()]
        elif f.kind == "flag":
            value = bool(value)
        elif value is not None:
            value = str(value)
        if value:
            out[f.key] = value
    return out


class SavedViews:
    """The views file of one config directory."""

    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / FILE_NAME

    def load(self) -> list[SavedView]:
        """The saved views, in the order they were saved. Raises UserError for a file that
        cannot be read or is not a views file."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read saved views {self.path}: {exc}") from None
        try:
            data = json.loads(text)
            views = [SavedView(clean_name(v["name"]), clean_options(v.get("filter") or {}))
                     for v in data["views"]]
        except (ValueError, KeyError, TypeError, AttributeError, UserError):
            raise UserError(f"saved views file {self.path} is damaged; fix or delete it") from None
        return views

    def get(self, name: str) -> SavedView:
        wanted = sanitize_line(name).casefold()
        for view in self.load():
            if view.name.casefold() == wanted:
                return view
        known = ", ".join(v.name for v in self.load()) or "none saved yet"
        raise UserError(f"no saved view named {quote_input(name)} (saved: {known})")

    def save(self, name: str, options: dict) -> SavedView:
        """Add a view, or replace the one of the same name (case-insensitive)."""
        view = SavedView(clean_name(name), clean_options(options))
        with self._locked():
            views = [v for v in self.load() if v.name.casefold() != view.name.casefold()]
            self._write([*views, view])
        return view

    def delete(self, name: str) -> SavedView:
        """Delete the view of that name (case-insensitive); UserError if there is none."""
        with self._locked():
            view = self.get(name)
            self._write([v for v in self.load() if v.name != view.name])
        return view

    def _locked(self):
        """The lock every read-modify-write of the file holds (creates the directory)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot write saved views {self.path}: {exc.strerror or exc}") from None
        return locked(self.path)

    def _write(self, views: list[SavedView]) -> None:
        data = {"views": [{"name": v.name, "filter": v.options} for v in views]}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", ".views-")


def find_view(local: SavedViews, shared, name: str) -> SavedView:
    """The user's own view `name`, else the team's (`shared`: a SharedSettings, or None).
    UserError naming both lists when neither has it."""
    mine = local.load()
    wanted = sanitize_line(name).casefold()
    for view in mine:
        if view.name.casefold() == wanted:
            return view
    team = []
    if shared is not None:
        found = shared.find_view(name)
        if found is not None:
            return found
        team = shared.views()
    known = ", ".join([v.name for v in mine] + [f"{v.name} (team)" for v in team])
    raise UserError(f"no saved view named {quote_input(name)} "
                    f"(saved: {known or 'none saved yet'})")
