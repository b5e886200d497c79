"""PostgreSQL-only speed-ups (the SQLite ones live in store/sqlite/)."""
