"""PostgreSQL-only parts behind the Store (the SQLite ones live in store/sqlite/): change
notifications for open apps (watch.py), per-status counters (counters.py), trigram indexes
for the domain and text filters (trigram.py)."""
