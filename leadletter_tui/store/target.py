"""Where a database lives, read from its URL; no Peewee, so the TUI's first screen
(quick.py) reads the same URL rules before the store is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..domain.text import quote_input
from ..errors import hide_secrets
from .errors import StoreError


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    """Where the data lives: a SQLite file or a server URL (password hidden in `display`)."""

    url: str
    kind: str  # "sqlite" | "postgresql"
    path: Path | None = None

    @property
    def display(self) -> str:
        if self.path is not None:
            return str(self.path)
        return display_url(self.url)

    @property
    def password(self) -> str | None:
        """The password in the URL (raw and decoded forms are hidden from messages)."""
        return _password_of(self.url)

    def hide(self, text: str) -> str:
        """`text` (a driver's message) with this target's password blanked everywhere."""
        secret = self.password
        return hide_secrets(text, secret, unquote(secret) if secret else None)


def _password_of(url: str) -> str | None:
    scheme, _, rest = url.partition("://")
    creds, at, _host = rest.rpartition("@")
    if not at or ":" not in creds:
        return None
    return creds.split(":", 1)[1] or None


def display_url(url: str) -> str:
    """A database URL fit to show: the password dropped (`postgresql://ll@host/db`)."""
    scheme, _, rest = url.partition("://")
    if "@" in rest:
        creds, _, host = rest.rpartition("@")
        user = creds.split(":", 1)[0]
        rest = f"{user}@{host}" if user else host
    return f"{scheme}://{rest}"


def parse_url(url: str) -> DatabaseTarget:
    """`sqlite:///abs/path.db`, a bare file path, or `postgresql://user@host/db`."""
    raw = url.strip()
    if not raw:
        raise StoreError("empty database URL")
    if "://" not in raw:
        return DatabaseTarget(f"sqlite://{Path(raw).expanduser().absolute()}", "sqlite",
                              Path(raw).expanduser().absolute())
    scheme, _, rest = raw.partition("://")
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest or rest == "/":
            raise StoreError(f"no file path in database URL {quote_input(raw)} (use sqlite:///path/to/file.db)")
        path = Path("/" + rest.lstrip("/")) if rest.startswith("/") else Path(rest).absolute()
        return DatabaseTarget(f"sqlite://{path}", "sqlite", path)
    if scheme in ("postgres", "postgresql"):
        # The name follows the first "/" after the host: ll:pw@host:5432 has none.
        after_host = rest.partition("?")[0].rpartition("@")[2]
        if "/" not in after_host or not after_host.partition("/")[2]:
            shown = quote_input(display_url(raw))
            raise StoreError(f"no database name in URL {shown} (use postgresql://user@host/dbname)")
        return DatabaseTarget(raw, "postgresql")
    raise StoreError(
        f"unsupported database URL scheme {quote_input(scheme)} (use sqlite:///path or postgresql://host/db)"
    )
