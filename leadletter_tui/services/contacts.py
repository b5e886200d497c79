"""Contacts: filters, reading, status changes, edits, do-not-contact (CLI and TUI)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..config import Settings
from ..domain.dates import parse_when
from ..domain.domains import InvalidDomain, looks_like_email, normalize_domain
from ..domain.filters import ContactFilter, Sort, build_filter, default_sort
from ..domain.model import FIELD_LIMITS, NOTES_LIMIT, ContactRow, Status
from ..domain.pipeline import RuleError, StatusChange, UndoStep, parse_status
from ..domain.text import TextTooLong, quote_input, sanitize_line, sanitize_text
from ..errors import ChangedElsewhere, UserError
from ..store.errors import NotFound, Stale
from .errors import database_errors

if TYPE_CHECKING:
    from ..domain.model import ContactDetail
    from ..store.store import Store


def resolve_domain(text: str) -> str:
    """A user-typed domain or URL → the stored key."""
    try:
        return normalize_domain(text)
    except InvalidDomain as exc:
        raise UserError(str(exc)) from None


@dataclass
class FirstPage:
    """A view's opening rows, read ahead of time (see `ContactService.prefetch_first_page`)."""

    filter: ContactFilter
    sort: Sort
    window: object  # a store window: rows by position
    rows: list[ContactRow]
    total: int
    all_total: int




FIRST_PAGE_SIZE = 100


class WindowLater:
    """The store window behind a first page that was read without the store (see
    `open_for_tui`): made on first use, which is a worker thread fetching the next page
    (the store opens there, not on the UI thread). Until then it knows its total."""

    total_known = True

    def __init__(self, make: Callable[[], object], total: int) -> None:
        self._make = make
        self._real: object | None = None
        self._lock = threading.Lock()
        self.total = total

    def _window(self):
        with self._lock:
            if self._real is None:
                self._real = self._make()
            return self._real

    def __getattr__(self, name: str):
        return getattr(self._window(), name)


class ContactService:
    """Finding, reading and changing contacts (the contacts table, detail, `list`, `show`,
    `status`). Everything here returns domain objects; failures of the database itself
    become UserError (one line)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.clock: Callable[[], datetime] = store.clock
        self.undo_steps: list[UndoStep] = []  # this session's changes, newest last
        self._undo_lock = threading.Lock()
        # (domain, version before) -> version after, for this session's own writes: keys
        # pressed in a burst act on the row as the previous key left it, not as "changed
        # by someone else" (the screen has not reloaded between them yet).
        self._own_moves: dict[tuple[str, int], int] = {}

    def _as_seen(self, domain: str, version: int | None) -> int | None:
        """The version the user acts on: `version` (on screen), moved past this session's
        own writes to the row since."""
        with self._undo_lock:
            for _ in range(100):
                if version is None or (domain, version) not in self._own_moves:
                    break
                version = self._own_moves[(domain, version)]
        return version

    def _moved(self, domain: str, before: int) -> None:
        with self._undo_lock:
            if len(self._own_moves) > 10_000:
                self._own_moves.clear()
            self._own_moves[(domain, before)] = before + 1

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
        return self.store.window(flt, sort)

    def total(self) -> int:
        """How many contacts there are, whatever the filter."""
        return self.store.contacts.total()

    def contact(self, domain: str) -> ContactDetail | None:
        """One contact by its stored domain key, or None if it is gone."""
        try:
            return self.store.contacts.detail(domain)
        except NotFound:
            return None

    def first_page(self, flt: ContactFilter, sort: Sort, size: int = FIRST_PAGE_SIZE) -> FirstPage:
        window = self.store.window(flt, sort)
        rows = window.rows(0, size)
        return FirstPage(flt, sort, window, rows, window.total, self.store.contacts.total())

    def prefetch_first_page(self) -> Future:
        """Read the default view's first rows ahead of the UI. Returns a Future.

        A server database (PostgreSQL) is read on a background thread, overlapping its
        network round trips with loading the UI toolkit. A SQLite file is read here and
        now: the query takes about a millisecond even on 1M contacts, while a thread
        competes with Textual's import for the GIL at every row it steps through, which
        cost 20-30 ms of start-up (measured through a pty, benchmarks/bench_table.py)."""
        flt = ContactFilter()
        sort = default_sort(flt)
        future: Future = Future()
        if self.store.target.kind == "sqlite":
            try:
                future.set_result(self.first_page(flt, sort))
            except Exception as exc:  # raised where the table reads it, as from the thread
                future.set_exception(exc)
            return future

        def run() -> None:
            try:
                future.set_result(self.first_page(flt, sort))
            except BaseException as exc:
                future.set_exception(exc)
            finally:
                self.store.close()  # this thread's own connection

        threading.Thread(target=run, name="leadletter-prefetch", daemon=True).start()
        return future

    def rows(self, flt: ContactFilter, sort: Sort, limit: int | None = None) -> Iterator[ContactRow]:
        return self.store.contacts.iter_rows(flt, sort, limit)

    def count(self, flt: ContactFilter = ContactFilter()) -> int:
        with database_errors(self.store):
            return self.store.contacts.count(flt)

    def detail(self, domain_text: str) -> ContactDetail:
        try:
            with database_errors(self.store):
                return self.store.contacts.detail(resolve_domain(domain_text))
        except NotFound as exc:
            raise UserError(str(exc)) from None

    # --- writing -----------------------------------------------------------------
    def change_status(
        self, domain_text: str, status_text: str, at_text: str | None = None, *,
        seen_version: int | None = None,
    ) -> StatusChange:
        """Change one contact's status, only if it is still what was seen: `seen_version`
        (the TUI: the row on screen), else the version read here (the CLI reads and writes
        in one go). Raises ChangedElsewhere when someone else changed it in between."""
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
            with database_errors(self.store):
                repo = self.store.contacts
                seen_version = self._as_seen(domain, seen_version)
                if seen_version is None:
                    seen_version = int(repo.fields_of(domain, ["version"])["version"] or 0)
                before = repo.before_change(repo.ids_of(domain), status)
                change = repo.change_status(domain, status, at, seen_version=seen_version)
                if not change.is_noop:
                    self._moved(domain, seen_version)
        except (RuleError, NotFound) as exc:
            raise UserError(str(exc)) from None
        except Stale:
            raise ChangedElsewhere(1, domain) from None
        if not change.is_noop:
            label = f"{domain}: {change.from_status.label} → {change.to_status.label}"
            self._remember(UndoStep("status", label, status, change.at if change.stamps_sent
                                    else None, tuple(before), domain))
        return change

    def change_status_many(
        self,
        ids,
        status: Status,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Move many contacts to `status`, set-based and all or nothing; returns how many
        changed (those already in it are left alone). `progress(done, total)` is called
        between chunks; when `cancelled()` turns true, store.bulk_status.BulkCancelled is
        raised and nothing has changed."""
        return self.change_status_checked(ids, status, progress=progress,
                                          cancelled=cancelled).changed

    def change_status_checked(self, ids, status: Status, *, versions=None,
                              within: ContactFilter | None = None,
                              progress: Callable[[int, int], None] | None = None,
                              cancelled: Callable[[], bool] | None = None):
        """`change_status_many` that applies only to rows still as the user saw them:
        `versions` (parallel to `ids`: each row's version as seen) and/or `within` (the
        filter acted on, re-checked in SQL). Returns a BulkOutcome (changed, skipped)."""
        stamp = self.clock().replace(microsecond=0)
        with database_errors(self.store):
            ids = list(ids)
            outcome = self.store.change_status_bulk(  # `before`: what undo puts back
                ids, status, progress=progress, cancelled=cancelled,
                versions=None if versions is None else list(versions), within=within, at=stamp,
                keep_before=True)
        from .. import logs

        logs.info("bulk status change on %s: %d of %d contacts marked %s (%d changed elsewhere)",
                  self.store.display, outcome.changed, len(ids), status.value, outcome.skipped)
        if outcome.changed:
            changed = outcome.changed
            stamped = stamp if status is Status.SENT else None
            noun = "contact" if changed == 1 else "contacts"
            self._remember(UndoStep("bulk", f"{changed:,} {noun} marked {status.label}", status,
                                    stamped, outcome.before))
        return outcome

    # --- undo ----------------------------------------------------------------------
    def _remember(self, step: UndoStep) -> None:
        with self._undo_lock:
            self.undo_steps.append(step)

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_steps)

    def undo(self) -> str:
        """Take back the newest change of this session; returns what the toast says.
        Raises UserError when there is nothing left to undo."""
        with self._undo_lock:
            if not self.undo_steps:
                raise UserError("Nothing to undo in this session")
            step = self.undo_steps.pop()
        try:
            with database_errors(self.store):
                restored, since = self.store.contacts.undo(step)
        except NotFound as exc:
            raise UserError(f"Cannot undo {step.label}: {exc}") from None
        except UserError:
            self._remember(step)  # e.g. the database was locked: it can be tried again
            raise
        if restored == 0:
            return f"Not undone: {step.label} (changed since)"
        note = f" ({since:,} changed since, left as they are)" if since else ""
        return f"Undid {step.label}{note}"

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
            raise UserError(f"not an email address: {quote_input(clean['email'], 60)}")
        return clean

    def edit_contact(self, domain: str, changes: dict[str, str], *,
                     seen_version: int | None = None) -> list[str]:
        """Validate and store edited fields; returns the names that changed. Only while the
        contact is at `seen_version` (the editor's) or the version read here: else
        ChangedElsewhere, nothing written."""
        clean = self.clean_edit(changes)
        try:
            with database_errors(self.store):
                before = self.store.contacts.fields_of(domain, [*clean, "version"])
                seen_version = self._as_seen(domain, seen_version)
                if seen_version is None:
                    seen_version = int(before["version"] or 0)
                changed = self.store.contacts.update_fields(domain, clean,
                                                            seen_version=seen_version)
                if changed:
                    self._moved(domain, seen_version)
        except NotFound as exc:
            raise UserError(str(exc)) from None
        except Stale:
            raise ChangedElsewhere(1, domain) from None
        if changed:
            what = ", ".join(c.replace("_", " ") for c in changed)
            self._remember(UndoStep("edit", f"{domain}: edit of {what}", domain=domain,
                                    fields_before={k: before[k] for k in changed},
                                    fields_after={k: clean[k] for k in changed}))
        return changed

    def set_do_not_contact(self, domain: str, flag: bool, *,
                           seen_version: int | None = None) -> bool:
        try:
            with database_errors(self.store):
                seen_version = self._as_seen(domain, seen_version)
                changed = self.store.contacts.set_do_not_contact(domain, flag,
                                                                 seen_version=seen_version)
                if changed and seen_version is not None:
                    self._moved(domain, seen_version)
        except NotFound as exc:
            raise UserError(str(exc)) from None
        except Stale:
            raise ChangedElsewhere(1, domain) from None
        if changed:
            state = "do not contact" if flag else "contactable again"
            self._remember(UndoStep("dnc", f"{domain}: {state}", domain=domain, flag=flag))
        return changed

    def domains_of(self, ids: list[int]) -> list[str]:
        """The domains of these contacts, in order (a selection handed to a bulk job)."""
        with database_errors(self.store):
            return self.store.contacts.domains_of(ids)
