"""Settings a team shares, in the `setting` table (v8): one row per key, its value JSON
text, who wrote it last and when. Keys: `view:<name, casefolded>` for saved views,
`profile` for the team's sender profile (services/shared_settings.py gives them meaning).

Every write is one statement: an upsert (INSERT … ON CONFLICT (key) DO UPDATE) or a DELETE,
so two people saving at once never read-modify-write over each other: the last write of a
key wins whole, and different keys never touch.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from peewee import Database, fn

from .models import Setting


@dataclass(frozen=True, slots=True)
class SharedEntry:
    key: str
    value: object  # decoded JSON
    updated_at: datetime
    updated_by: str


def _entry(row: Setting) -> SharedEntry | None:
    try:
        value = json.loads(row.value)
    except ValueError:  # written by hand or damaged: treated as absent, never a crash
        return None
    return SharedEntry(row.key, value, row.updated_at, row.updated_by or "")


class SharedSettingRepo:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def get(self, key: str) -> SharedEntry | None:
        row = Setting.select().where(Setting.key == key).first(self.db)
        return _entry(row) if row is not None else None

    def with_prefix(self, prefix: str) -> list[SharedEntry]:
        """Entries whose key starts with `prefix`, by key (sorted here: the engines'
        collations differ). No LIKE: a key may hold % or _."""
        query = Setting.select().where(fn.SUBSTR(Setting.key, 1, len(prefix)) == prefix)
        rows = sorted(query.execute(self.db), key=lambda row: row.key)
        return [e for row in rows if (e := _entry(row)) is not None]

    def put(self, key: str, value: object, by: str) -> None:
        """Insert or replace `key` in one statement."""
        stamp = self.clock().replace(microsecond=0)
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        (Setting.insert(key=key, value=text, updated_at=stamp, updated_by=by[:120])
         .on_conflict(conflict_target=[Setting.key],
                      update={Setting.value: text, Setting.updated_at: stamp,
                              Setting.updated_by: by[:120]})
         .execute(self.db))

    def delete(self, key: str) -> bool:
        """Remove `key`; False when it was not there."""
        return Setting.delete().where(Setting.key == key).execute(self.db) > 0
