"""Use cases shared by the CLI and the TUI, one module each; screens and commands talk to
these, never to the store's models.

- contacts.py  filters, reading, status changes, edits (`ContactService`)
- imports.py   bulk import (CSV, URL lists): the one import use case; the parser process
               under it is import_parser.py, the file and merge rules domain/imports/
- export.py    writing contacts to CSV/JSON files
- shapes.py    the JSON/CSV shapes of contacts (CLI and TUI write the same)
- views.py     saved views (named filters)
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

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..config import Paths, Settings, database_url
from ..errors import UserError
from .contacts import ContactService, FirstPage, resolve_domain

if TYPE_CHECKING:
    from ..store.store import Store
    from .followups import FollowUpService
    from .generation import GenerationService
    from .replies import ReplyService

__all__ = ["ContactService", "FirstPage", "Services", "UserError", "open_services",
           "resolve_domain"]


@dataclass
class Services:
    """Everything the CLI and the screens use, built once per opened database."""

    store: Store
    settings: Settings
    paths: Paths | None = None
    contacts: ContactService = field(init=False)

    def __post_init__(self) -> None:
        self.contacts = ContactService(self.store, self.settings)

    @cached_property
    def generation(self) -> GenerationService:
        """Writing first messages (loaded on first use: `list` never pays for it)."""
        from .generation import GenerationService

        return GenerationService(self.store, self.settings)

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
        return self.store.display

    @property
    def clock(self):
        return self.store.clock

    def profile(self):
        """The sender profile from the settings (who writes, what they offer)."""
        from ..domain.profile import SenderProfile

        s = self.settings
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
        self.store.close()


def open_services(
    settings: Settings,
    paths: Paths,
    db_override: str | None = None,
    *,
    create: bool = True,
) -> Services:
    """Open (and migrate) the database the settings point at. Raises UserError."""
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
    return Services(store, settings, paths)



