"""The only package that sees Peewee.

Peewee imports every PostgreSQL driver it finds as it loads (psycopg alone takes about
150 ms), a cost each SQLite command would pay for nothing. The drivers are hidden while
Peewee loads; :func:`store.postgres.connect.attach_postgres_driver` hands them over when a postgresql://
database is opened.

Importing this package does not load Peewee itself: the TUI reads its first screen
without it (quick.py). The hiding happens whenever Peewee is first imported, by whichever
module of the store needs it first: a finder placed ahead of the others wraps Peewee's
loading.
"""

import importlib.util
import sys

_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")


class _PeeweeLoading:
    """Finds Peewee once, and loads it with the drivers hidden (a meta path finder and
    loader by their methods; the importlib.abc bases would load importlib.resources)."""

    def find_spec(self, name, path=None, target=None):
        if name != "peewee":
            return None
        sys.meta_path.remove(self)  # once: the real finders locate the file
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        self._real = spec.loader
        spec.loader = self
        return spec

    def create_module(self, spec):
        return self._real.create_module(spec)

    def exec_module(self, module) -> None:
        hidden = [name for name in _DRIVERS if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # "import x" raises ImportError
        try:
            self._real.exec_module(module)
        finally:
            for name in hidden:
                if sys.modules.get(name) is None:
                    del sys.modules[name]


if "peewee" not in sys.modules and not any(isinstance(f, _PeeweeLoading) for f in sys.meta_path):
    sys.meta_path.insert(0, _PeeweeLoading())
