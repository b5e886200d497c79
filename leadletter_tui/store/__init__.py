"""The only package that sees Peewee.

Peewee imports every PostgreSQL driver it finds as it loads (psycopg alone takes about
150 ms), a cost each SQLite command would pay for nothing. The drivers are hidden while
Peewee loads; :func:`store.db.attach_postgres_driver` hands them over when a postgresql://
database is opened.
"""

import sys

_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")

if "peewee" not in sys.modules:
    _hidden = [name for name in _DRIVERS if name not in sys.modules]
    for _name in _hidden:
        sys.modules[_name] = None  # type: ignore[assignment]  # "import x" raises ImportError
    try:
        import peewee  # noqa: F401
    finally:
        for _name in _hidden:
            if sys.modules.get(_name) is None:
                del sys.modules[_name]
