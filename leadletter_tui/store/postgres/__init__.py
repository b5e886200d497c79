"""PostgreSQL-only parts behind the Store: change notifications for open apps (watch.py)."""
