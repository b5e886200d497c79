"""The store's own exceptions, importable without loading Peewee."""


class NotFound(LookupError):
    """No contact with that domain; str() is the user-facing reason."""
