"""Change notifications on PostgreSQL: triggers NOTIFY, a listener thread LISTENs.

Migration v7 installs one statement-level trigger per watched table (contact, message,
reply, event) that calls `pg_notify(CHANNEL, '')`. PostgreSQL delivers a notification when
the writing transaction commits and folds identical ones of one transaction into one, so a
bulk change of 100,000 contacts costs one notification. `PgWatch` runs a daemon thread with
its own psycopg connection (autocommit) that LISTENs and raises a flag; the UI asks
`changed()` (no I/O: it reads and clears the flag). If LISTEN cannot be used (a
transaction-pooling proxy, an old driver), the thread polls a cheap change mark instead
(the newest ids of the watched tables, index look-ups) about once a second.
"""

from __future__ import annotations

import threading

from peewee import Database, PostgresqlDatabase

CHANNEL = "leadletter_changes"
TABLES = ("contact", "message", "reply", "event")
POLL_SECONDS = 1.0
MARK_SQL = ("SELECT (SELECT MAX(id) FROM event), (SELECT MAX(id) FROM message), "
            "(SELECT MAX(id) FROM reply), (SELECT MAX(id) FROM contact)")


def install(db: Database) -> None:
    """The NOTIFY function and triggers (PostgreSQL only; idempotent)."""
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(
        "CREATE OR REPLACE FUNCTION leadletter_notify() RETURNS trigger AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$ LANGUAGE plpgsql")
    for table in TABLES:
        name = f"leadletter_notify_{table}"
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        db.execute_sql(f'CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                       "FOR EACH STATEMENT EXECUTE FUNCTION leadletter_notify()")


class PgWatch:
    """Listens for other sessions' commits on a thread of its own (see the module doc)."""

    def __init__(self, db: Database, url: str, *, poll_seconds: float = POLL_SECONDS,
                 listen: bool = True) -> None:
        self.db = db
        self.url = url
        self.poll_seconds = poll_seconds
        self.mode = "starting"  # then "listen" or "poll"
        self._flag = threading.Event()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._listen = listen
        self._thread = threading.Thread(target=self._run, name="leadletter-watch", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Block until the listener is set up (tests; the app never waits)."""
        return self._ready.wait(timeout)

    def changed(self) -> bool:
        """Whether anything was committed since the last call (no I/O)."""
        if self._flag.is_set():
            self._flag.clear()
            return True
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    # --- the thread ---------------------------------------------------------------------
    def _run(self) -> None:
        try:
            if self._listen and self._listen_loop():
                return
            self._poll_loop()
        finally:
            self._ready.set()

    def _listen_loop(self) -> bool:
        """LISTEN until closed; False (at once) if LISTEN cannot be used at all."""
        try:
            import psycopg

            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception:
            return False
        self.mode = "listen"
        self._ready.set()
        try:
            while not self._stop.is_set():
                for _note in conn.notifies(timeout=0.5, stop_after=1):
                    self._flag.set()
        except Exception:  # the connection broke: keep watching by polling
            self._flag.set()  # something may have been missed
            self._poll_loop()
        finally:
            try:
                conn.close()
            except Exception:
                pass
        return True

    def _poll_loop(self) -> None:
        self.mode = "poll"
        last = None
        try:
            while not self._stop.is_set():
                try:
                    mark = tuple(self.db.execute_sql(MARK_SQL).fetchone())
                except Exception:
                    mark = last  # a passing failure: try again next round
                if last is not None and mark != last:
                    self._flag.set()
                last = mark
                self._ready.set()
                self._stop.wait(self.poll_seconds)
        finally:
            if not self.db.is_closed():
                self.db.close()  # this thread's own connection
