"""The store's own exceptions, importable without loading Peewee."""


class StoreError(Exception):
    """A database problem, phrased for the user (one line, no traceback)."""


class NotFound(LookupError):
    """No contact with that domain; str() is the user-facing reason."""


class Stale(Exception):
    """The contact is no longer what the caller saw (someone else changed it since):
    nothing was written."""
