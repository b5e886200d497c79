"""Connecting to PostgreSQL: the URL's connection arguments, and the driver Peewee was
not shown while it loaded (store/__init__.py)."""

from __future__ import annotations

import peewee


def postgres_params(url: str) -> dict:
    """Connection arguments of a postgresql:// URL, read as playhouse.db_url reads them
    (query parameters pass through; "true"/"false"/digits become bool/int). Not that module
    itself: it loads every backend Peewee has (~20 ms of each PostgreSQL start)."""
    from urllib.parse import parse_qsl, urlparse

    parsed = urlparse(url)
    params: dict = {"database": parsed.path[1:]}
    for key, value in (("user", parsed.username), ("password", parsed.password),
                       ("host", parsed.hostname), ("port", parsed.port)):
        if value:
            params[key] = value
    for key, value in parse_qsl(parsed.query, keep_blank_values=True):
        low = value.lower()
        decimal = "." in value and all(part.isdigit() for part in value.split(".", 1))
        params[key] = (False if low == "false" else True if low == "true"
                       else int(value) if value.isdigit() else float(value) if decimal
                       else None if low in ("null", "none") else value)
    return params


def attach_postgres_driver() -> None:
    """Give Peewee the PostgreSQL driver it was not shown while loading (store/__init__):
    psycopg 3, else psycopg2. Without either, Peewee says which to install."""
    if peewee.psycopg is None:
        try:
            import psycopg
            from psycopg.pq import TransactionStatus
            from psycopg.types.json import Json, Jsonb
        except ImportError:
            pass
        else:
            peewee.psycopg, peewee.TransactionStatus = psycopg, TransactionStatus
            peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
            return
    if peewee.psycopg2 is None:
        try:
            import psycopg2
            from psycopg2 import extensions
            from psycopg2.extras import Json, register_uuid
        except ImportError:
            return
        register_uuid()
        peewee.psycopg2, peewee.pg_extensions, peewee.Json_pg2 = psycopg2, extensions, Json
