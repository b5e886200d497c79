"""Use cases shared by the CLI and the TUI. Screens and commands talk to this, not to models."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from .config import Paths, Settings, database_url
from .domain.dates import format_iso, parse_when
from .domain.domains import InvalidDomain, looks_like_email, normalize_domain
from .domain.filters import ContactFilter, Sort, build_filter, default_sort
from .domain.model import FIELD_LIMITS, NOTES_LIMIT, ContactDetail, ContactRow, Status
from .domain.pipeline import RuleError, StatusChange, parse_status
from .domain.text import TextTooLong, sanitize_line, sanitize_text
from .errors import UserError
from .store.db import StoreError, failure_message, make_private_dir, open_database, parse_url
from .store.repository import NotFound, Repository


@dataclass
class FirstPage:
    """A view's opening rows, read ahead of time (see `Services.prefetch_first_page`)."""

    filter: ContactFilter
    sort: Sort
    window: object  # store.window.ContactWindow
    rows: list[ContactRow]
    total: int
    all_total: int


@contextmanager
def database_errors():
    """Turn a failure of the database itself (locked, read-only, corrupt, gone) into a
    UserError; anything else (a bug) passes through untouched."""
    try:
        yield
    except Exception as exc:
        message = failure_message(exc)
        if message is None:
            raise
        raise UserError(message) from None


def contact_dict(row: ContactRow) -> dict:
    """The JSON shape of a contact in `list`, `export` and `show`."""
    return {
        "domain": row.domain,
        "business_name": row.business_name,
        "contact_name": row.contact_name,
        "email": row.email,
        "phone": row.phone,
        "status": row.status.value,
        "last_sent_at": format_iso(row.last_sent_at),
        "follow_ups": row.follow_ups,
        "sentiment": row.sentiment.value if row.sentiment else None,
        "do_not_contact": row.do_not_contact,
        "created_at": format_iso(row.created_at),
    }


def detail_dict(d: ContactDetail) -> dict:
    return {
        **contact_dict(d.row),
        "notes": d.notes,
        "category": d.category,
        "extra": d.extra,
        "last_reply_at": format_iso(d.last_reply_at),
        "updated_at": format_iso(d.updated_at),
        "messages": [
            {
                "kind": m.kind.value,
                "subject": m.subject,
                "body": m.body,
                "angle": m.angle,
                "framework": m.framework,
                "category": m.category,
                "created_at": format_iso(m.created_at),
                "sent_at": format_iso(m.sent_at),
            }
            for m in d.messages
        ],
        "replies": [
            {
                "text": r.text,
                "sentiment": r.sentiment.value if r.sentiment else None,
                "received_at": format_iso(r.received_at),
            }
            for r in d.replies
        ],
        "events": [
            {
                "kind": e.kind.value,
                "at": format_iso(e.at),
                "from_status": e.from_status.value if e.from_status else None,
                "to_status": e.to_status.value if e.to_status else None,
                "detail": e.detail,
            }
            for e in d.events
        ],
    }


def resolve_domain(text: str) -> str:
    """A user-typed domain or URL → the stored key."""
    try:
        return normalize_domain(text)
    except InvalidDomain as exc:
        raise UserError(str(exc)) from None


@dataclass
class Services:
    repo: Repository
    settings: Settings
    db_display: str

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.repo.clock

    def close(self) -> None:
        if not self.repo.db.is_closed():
            self.repo.db.close()

    # --- filters -----------------------------------------------------------------
    def make_filter(self, **options) -> ContactFilter:
        try:
            return build_filter(
                now=self.clock(), follow_up_days=self.settings.follow_up_days, **options
            )
        except ValueError as exc:  # RuleError and date errors
            raise UserError(str(exc)) from None

    @staticmethod
    def make_sort(text: str | None, flt: ContactFilter) -> Sort:
        if not text:
            return default_sort(flt)
        try:
            return Sort.parse(text)
        except RuleError as exc:
            raise UserError(str(exc)) from None

    # --- reading -----------------------------------------------------------------
    def window(self, flt: ContactFilter, sort: Sort):
        """Rows of a filter by position (a store ContactWindow), for the virtual table."""
        return self.repo.window(flt, sort)

    def total(self) -> int:
        """How many contacts there are, whatever the filter."""
        return self.repo.total()

    def contact(self, domain: str) -> ContactDetail | None:
        """One contact by its stored domain key, or None if it is gone."""
        try:
            return self.repo.detail(domain)
        except NotFound:
            return None

    def first_page(self, flt: ContactFilter, sort: Sort, size: int = 100) -> FirstPage:
        window = self.repo.window(flt, sort)
        rows = window.rows(0, size)
        return FirstPage(flt, sort, window, rows, window.total, self.repo.total())

    def prefetch_first_page(self) -> Future:
        """Start reading the default view's first rows on a background thread, so that
        start-up overlaps the query with loading the UI toolkit. Returns a Future."""
        flt = ContactFilter()
        sort = default_sort(flt)
        future: Future = Future()

        def run() -> None:
            try:
                future.set_result(self.first_page(flt, sort))
            except BaseException as exc:
                future.set_exception(exc)
            finally:
                self.repo.db.close()  # this thread's own connection

        threading.Thread(target=run, name="leadletter-prefetch", daemon=True).start()
        return future

    def rows(self, flt: ContactFilter, sort: Sort, limit: int | None = None) -> Iterator[ContactRow]:
        return self.repo.iter_rows(flt, sort, limit)

    def count(self, flt: ContactFilter = ContactFilter()) -> int:
        with database_errors():
            return self.repo.count(flt)

    def detail(self, domain_text: str) -> ContactDetail:
        try:
            with database_errors():
                return self.repo.detail(resolve_domain(domain_text))
        except NotFound as exc:
            raise UserError(str(exc)) from None

    # --- writing -----------------------------------------------------------------
    def change_status(
        self, domain_text: str, status_text: str, at_text: str | None = None
    ) -> StatusChange:
        domain = resolve_domain(domain_text)
        try:
            status = parse_status(status_text)
        except RuleError as exc:
            raise UserError(str(exc)) from None
        at = None
        if at_text:
            try:
                at = parse_when(at_text)
            except ValueError as exc:
                raise UserError(f"--at: {exc}") from None
        try:
            with database_errors():
                return self.repo.change_status(domain, status, at)
        except (RuleError, NotFound) as exc:
            raise UserError(str(exc)) from None

    def change_status_many(self, ids: list[int], status: Status) -> int:
        with database_errors():
            return self.repo.change_status_many(ids, status)

    @staticmethod
    def clean_edit(changes: dict[str, str]) -> dict[str, str]:
        """Sanitize and check edited fields (length caps, email shape). Raises UserError."""
        clean: dict[str, str] = {}
        for name, value in changes.items():
            label = name.replace("_", " ")
            try:
                if name == "notes":
                    clean[name] = sanitize_text(value, NOTES_LIMIT)
                elif name in FIELD_LIMITS:
                    clean[name] = sanitize_line(value, FIELD_LIMITS[name])
                else:
                    raise UserError(f"{label} cannot be edited")
            except TextTooLong as exc:
                raise UserError(f"{label} is {exc}") from None
        if clean.get("email") and not looks_like_email(clean["email"]):
            raise UserError(f"not an email address: {clean['email'][:60]!r}")
        return clean

    def edit_contact(self, domain: str, changes: dict[str, str]) -> list[str]:
        """Validate and store edited fields; returns the names that changed."""
        clean = self.clean_edit(changes)
        try:
            with database_errors():
                return self.repo.update_fields(domain, clean)
        except NotFound as exc:
            raise UserError(str(exc)) from None

    def set_do_not_contact(self, domain: str, flag: bool) -> bool:
        try:
            with database_errors():
                return self.repo.set_do_not_contact(domain, flag)
        except NotFound as exc:
            raise UserError(str(exc)) from None


def open_services(
    settings: Settings,
    paths: Paths,
    db_override: str | None = None,
    *,
    create: bool = True,
) -> Services:
    """Open (and migrate) the database the settings point at. Raises UserError."""
    url, is_default = database_url(settings, paths, db_override)
    try:
        target = parse_url(url)
        if is_default:
            make_private_dir(paths.data_dir)
        # The default file is created on first use; an explicit path must exist for reads.
        db = open_database(url, create=create or is_default, busy_timeout_ms=settings.busy_timeout_ms)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot prepare data directory {paths.data_dir}: {exc.strerror}") from None
    return Services(Repository(db, settings.clock()), settings, target.display)



def add_demo_contacts(services: Services, count: int, seed: int | None = None) -> int:
    """Add `count` realistic sample contacts in one transaction."""
    from .demo import generate, generate_in_background
    from .store.bulk import existing_domains, insert_batches, next_contact_id

    db = services.repo.db
    existing = services.repo.total()
    taken = existing_domains(db) if existing else set()
    big = count >= 50_000
    produce = generate_in_background if big else generate
    batches = produce(count, first_id=next_contact_id(db), now=services.repo.now(), taken=taken,
                      seed=seed)
    # A big load into a small database: build the indexes once at the end, not row by row.
    return insert_batches(db, batches, defer_indexes=big and count > existing)
