"""SQLite-only speed-ups behind the Store: per-status counters kept by triggers
(counters.py) and the domain n-gram block index (domain_index.py). On other engines their
functions answer "not supported" and the portable queries run instead."""
