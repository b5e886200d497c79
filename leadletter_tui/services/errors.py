"""Failures of the database itself, as the one-line UserError every caller shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ChangedElsewhere, UserError


@contextmanager
def database_errors(store) -> Iterator[None]:
    """Turn a failure of the store's database (locked, read-only, corrupt, gone) into a
    UserError naming it, and a write refused because the contact changed meanwhile
    (store Stale) into ChangedElsewhere; anything else (a bug) passes through untouched."""
    from ..store.errors import Stale

    try:
        yield
    except Stale as exc:
        raise ChangedElsewhere(1, str(exc)) from None
    except Exception as exc:
        message = store.failure_message(exc)
        if message is None:
            raise
        raise UserError(message) from None
