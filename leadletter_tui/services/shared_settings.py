"""Settings a team shares through the database (the `setting` table, store/shared.py).

- Saved views: a user's own views stay in views.json (views.py); sharing one moves it into
  the database (key `view:<name casefolded>`), where every session on that database sees
  it; unsharing moves it back into the user's own file. A name is one view in either place.
- The sender profile (key `profile`): the team's name, company, offer, sample and signature.
  Each field the local config leaves empty is taken from the team's, so a new member writes
  with the team profile at once, and whoever sets a field locally (e.g. their own name)
  keeps theirs: local overrides shared.

Every write is one upsert or delete (no read-modify-write race between sessions).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from ..config import PROFILE_KEYS, Settings
from ..domain.text import sanitize_line, sanitize_text
from ..errors import UserError
from .errors import database_errors
from .views import SavedView, SavedViews, clean_name, clean_options

PROFILE_KEY = "profile"
VIEW_PREFIX = "view:"
PROFILE_SETTINGS = tuple(PROFILE_KEYS.values())  # sender_name, sender_company, ...
_LINE_SETTINGS = {"sender_name": 120, "sender_company": 200}
_TEXT_SETTINGS = {"sender_offer": 2000, "sender_sample": 4000, "sender_signature": 500}
PROFILE_TTL = 30.0  # seconds a read team profile is reused (another member may change it)


def actor(settings: Settings) -> str:
    """Who is writing: the `user_name` setting when there is one, else the OS user name."""
    name = str(getattr(settings, "user_name", "") or "").strip()
    if name:
        return sanitize_line(name)[:120]
    import getpass

    try:
        return sanitize_line(getpass.getuser())[:120] or "unknown"
    except (OSError, KeyError, ImportError):
        return "unknown"


@dataclass(frozen=True)
class SharedView(SavedView):
    updated_by: str = ""
    updated_at: datetime | None = None


def clean_profile(values: Mapping[str, object]) -> dict[str, str]:
    """The profile settings among `values`, sanitised and bounded (empty ones left out)."""
    out: dict[str, str] = {}
    for name in PROFILE_SETTINGS:
        raw = values.get(name)
        if not isinstance(raw, str):
            continue
        if name in _LINE_SETTINGS:
            text = sanitize_line(raw)[: _LINE_SETTINGS[name]]
        else:
            text = sanitize_text(raw).strip()[: _TEXT_SETTINGS[name]]
        if text:
            out[name] = text
    return out


class SharedSettings:
    """Shared views and the team profile of one opened database."""

    def __init__(self, store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._profile: tuple[float, dict[str, str]] | None = None

    # --- views ------------------------------------------------------------------------
    def views(self) -> list[SharedView]:
        with database_errors(self.store):
            entries = self.store.shared.with_prefix(VIEW_PREFIX)
        out = []
        for entry in entries:
            view = _view(entry)
            if view is not None:
                out.append(view)
        return sorted(out, key=lambda v: v.name.casefold())

    def find_view(self, name: str) -> SharedView | None:
        key = VIEW_PREFIX + sanitize_line(name).casefold()
        with database_errors(self.store):
            entry = self.store.shared.get(key)
        return _view(entry) if entry is not None else None

    def get_view(self, name: str) -> SharedView:
        view = self.find_view(name)
        if view is None:
            known = ", ".join(v.name for v in self.views()) or "none shared yet"
            raise UserError(f"no team view named {sanitize_line(name)[:80]!r} (shared: {known})")
        return view

    def save_view(self, name: str, options: dict) -> SharedView:
        """Share a view under `name` (replacing the team's view of that name, any case)."""
        view = SavedView(clean_name(name), clean_options(options))
        by = actor(self.settings)
        with database_errors(self.store):
            self.store.shared.put(VIEW_PREFIX + view.name.casefold(),
                                  {"name": view.name, "filter": view.options}, by)
        return SharedView(view.name, view.options, by, self.store.now())

    def delete_view(self, name: str) -> SharedView:
        view = self.get_view(name)
        with database_errors(self.store):
            self.store.shared.delete(VIEW_PREFIX + view.name.casefold())
        return view

    def share_view(self, local: SavedViews, name: str) -> SharedView:
        """Move the user's own view `name` to the team (it leaves views.json)."""
        view = local.get(name)
        shared = self.save_view(view.name, view.options)
        local.delete(view.name)
        return shared

    def unshare_view(self, local: SavedViews, name: str) -> SavedView:
        """Move the team's view `name` into the user's own views (the team no longer sees
        it)."""
        view = self.get_view(name)
        mine = local.save(view.name, view.options)
        self.delete_view(view.name)
        return mine

    # --- the sender profile --------------------------------------------------------------
    def team_profile(self, *, fresh: bool = False) -> dict[str, str]:
        """The team's profile settings ({} when none is shared); read again after
        PROFILE_TTL seconds. A database that cannot be read gives {} (it is a fallback)."""
        now = time.monotonic()
        if not fresh and self._profile is not None and now - self._profile[0] < PROFILE_TTL:
            return self._profile[1]
        try:
            with database_errors(self.store):
                entry = self.store.shared.get(PROFILE_KEY)
        except UserError:
            return self._profile[1] if self._profile is not None else {}
        values = clean_profile(entry.value) if entry and isinstance(entry.value, dict) else {}
        self._profile = (now, values)
        return values

    def share_profile(self, values: Mapping[str, object]) -> dict[str, str]:
        """Make `values` (sender_* settings) the team's profile. UserError without at least
        a name and an offer (what a message needs)."""
        profile = clean_profile(values)
        if not (profile.get("sender_name") and profile.get("sender_offer")):
            raise UserError("a team profile needs at least a name and what you offer")
        with database_errors(self.store):
            self.store.shared.put(PROFILE_KEY, profile, actor(self.settings))
        self._profile = (time.monotonic(), profile)
        return profile

    def unshare_profile(self) -> bool:
        with database_errors(self.store):
            gone = self.store.shared.delete(PROFILE_KEY)
        self._profile = (time.monotonic(), {})
        return gone

    def effective(self, settings: Settings) -> Settings:
        """`settings` with each empty profile field taken from the team's profile."""
        if all(str(getattr(settings, name, "")).strip() for name in PROFILE_SETTINGS):
            return settings  # nothing to fill: no database read
        team = self.team_profile()
        fill = {name: value for name, value in team.items()
                if not str(getattr(settings, name, "")).strip()}
        return replace(settings, **fill) if fill else settings


def _view(entry) -> SharedView | None:
    value = entry.value
    try:
        return SharedView(clean_name(value["name"]), clean_options(value.get("filter") or {}),
                          entry.updated_by, entry.updated_at)
    except (KeyError, TypeError, AttributeError, UserError):
        return None  # a damaged row is skipped, never a crash
