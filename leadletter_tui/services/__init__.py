"""Use cases shared by the CLI and the TUI, one module each; screens and commands talk to
these, never to the store's models.

- contacts.py  filters, reading, status changes, edits (`ContactService`)
- imports.py   bulk import (CSV, URL lists): the one import use case; the parser process
               under it is import_parser.py, the file and merge rules domain/imports/
- export.py    writing contacts to CSV/JSON files
- shapes.py    the JSON/CSV shapes of contacts (CLI and TUI write the same)
- views.py     saved views (named filters) in views.json
- shared_settings.py  views and the sender profile a team shares in the database
- replies.py   recording a pasted reply, classifying it, its signals (`ReplyService`)
- demo.py      demo data (demo_data.py generates it)
- generation.py  a domain's first message: research, category, angle, write, validate,
               store (`GenerationService`; the AI bundle from ai_choice.py)
- followups.py the due list, one follow-up, bulk runs (`FollowUpService`)

`open_services` opens the database the settings point at and returns the container. The
coming use cases (generation, follow-ups, replies, analytics) get a module each here and a
field on `Services`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import cached_property
from typing import TYPE_CHECKING

from ..config import Paths, Settings, database_url
from ..errors import UserError
from .contacts import FIRST_PAGE_SIZE, ContactService, FirstPage, WindowLater, resolve_domain

if TYPE_CHECKING:
    from ..store.store import Store
    from .followups import FollowUpService
    from .generation import GenerationService
    from .replies import ReplyService

__all__ = ["ContactService", "FirstPage", "Services", "UserError", "open_for_tui",
           "open_services", "resolve_domain"]


class Services:
    """Everything the CLI and the screens use, built once per opened database.

    The store is usually opened before (`open_services`). The TUI may start with a first
    screen read without it (`open_for_tui`, store/quick.py): then `opener` opens it on
    first use, in whichever thread needs it first."""

    def __init__(self, store: Store | None, settings: Settings, paths: Paths | None = None,
                 *, opener: Callable[[], Store] | None = None, display: str = "",
                 first_page: FirstPage | None = None) -> None:
        if store is None and opener is None:
            raise ValueError("Services needs a store or a way to open one")
        self._store = store
        self._opener = opener
        self._open_lock = threading.Lock()
        self._display = display
        self._first_page = first_page
        self.settings = settings
        self.paths = paths

    @property
    def store(self) -> Store:
        store = self._store
        if store is None:
            with self._open_lock:
                if self._store is None:
                    assert self._opener is not None
                    self._store = self._opener()
                store = self._store
        return store

    @property
    def store_opened(self) -> bool:
        return self._store is not None

    @cached_property
    def contacts(self) -> ContactService:
        return ContactService(self.store, self.settings)

    def prefetch_first_page(self) -> Future:
        """The default view's first rows: already read (`open_for_tui`) or read now."""
        page, self._first_page = self._first_page, None
        if page is None:
            return self.contacts.prefetch_first_page()
        future: Future = Future()
        future.set_result(page)
        return future

    @cached_property
    def generation(self) -> GenerationService:
        """Writing first messages (loaded on first use: `list` never pays for it)."""
        from .generation import GenerationService

        service = GenerationService(self.store, self.settings)
        service.team_profile = self.shared.effective  # empty profile fields: the team's
        return service

    @cached_property
    def shared(self):
        """Views and the sender profile a team shares in the database (shared_settings.py)."""
        from .shared_settings import SharedSettings

        return SharedSettings(self.store, self.settings)

    @cached_property
    def follow_ups(self) -> FollowUpService:
        from .followups import FollowUpService

        return FollowUpService(self.generation)

    @cached_property
    def replies(self) -> ReplyService:
        """Recording and classifying replies (loaded on first use)."""
        from .replies import ReplyService

        return ReplyService(self.store, self.settings)

    @cached_property
    def analytics(self):
        """Analytics, `stats`, the rebuilt learner and the activity feed (analytics.py;
        loaded on first use)."""
        from .analytics import AnalyticsService

        return AnalyticsService(self.store, self.settings)

    @property
    def db_display(self) -> str:
        return self.store.display if self._store is not None or not self._display else self._display

    @property
    def clock(self):
        return self.store.clock if self._store is not None else self.settings.clock()

    def profile(self):
        """The sender profile from the settings (who writes, what they offer); fields the
        local config leaves empty come from the team's shared profile."""
        from ..domain.profile import SenderProfile

        s = self.shared.effective(self.settings)
        return SenderProfile(
            name=getattr(s, "sender_name", ""), company=getattr(s, "sender_company", ""),
            offer=getattr(s, "sender_offer", ""), writing_sample=getattr(s, "sender_sample", ""),
            signature=getattr(s, "sender_signature", ""))

    def use_settings(self, settings: Settings) -> None:
        """Settings changed in the app (saved to config.toml): every use case sees them."""
        self.settings = settings
        for part in vars(self).values():
            if part is not self and hasattr(part, "settings") and not isinstance(part, Settings):
                part.settings = settings

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def open_services(
    settings: Settings,
    paths: Paths,
    db_override: str | None = None,
    *,
    create: bool = True,
) -> Services:
    """Open (and migrate) the database the settings point at. Raises UserError."""
    return Services(_open_store(settings, paths, db_override, create=create), settings, paths)


def open_for_tui(settings: Settings, paths: Paths, db_override: str | None = None) -> Services:
    """`open_services` for the TUI, which shows the default view first. An existing SQLite
    database at this schema version has those rows read without loading the store
    (store/quick.py: Peewee and the store are 12-15 ms of start-up); the store then opens
    on first use, after the first paint. Anything else opens the store now, as the CLI does."""
    from ..domain.filters import ContactFilter, default_sort
    from ..store import quick

    url, _is_default = database_url(settings, paths, db_override)
    read = quick.first_page(url, FIRST_PAGE_SIZE, settings.busy_timeout_ms)
    if read is None:
        return open_services(settings, paths, db_override)
    rows, total = read
    flt = ContactFilter()
    sort = default_sort(flt)
    services = Services(None, settings, paths, display=str(quick.sqlite_path(url)),
                        opener=lambda: _open_store(settings, paths, db_override, create=True))
    window = WindowLater(lambda: services.contacts.window(flt, sort), total)
    services._first_page = FirstPage(flt, sort, window, rows, total, total)
    return services


def _open_store(settings: Settings, paths: Paths, db_override: str | None, *,
                create: bool) -> Store:
    from ..store.db import make_private_dir
    from ..store.store import Store, StoreError

    url, is_default = database_url(settings, paths, db_override)
    try:
        if is_default:
            make_private_dir(paths.data_dir)
        # The default file is created on first use; an explicit path must exist for reads.
        store = Store.open(url, create=create or is_default,
                           busy_timeout_ms=settings.busy_timeout_ms, clock=settings.clock(),
                           actor=settings.actor())
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot prepare data directory {paths.data_dir}: {exc.strerror}") from None
    return store



