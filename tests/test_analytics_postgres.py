"""Analytics on a real PostgreSQL server: the known database gives the same figures as on
SQLite (the counts without the SQLite counters table, the weekly buckets with PostgreSQL's
date arithmetic), and the feed pages the same way."""

from __future__ import annotations

import analytics_data as known
from test_analytics import check_known_report

from leadletter_tui.store import paging


def test_known_figures_on_postgresql(pg_url, open_test_services):
    svc = open_test_services(pg_url)
    known.insert_known(svc.store.db)
    check_known_report(svc)


def test_feed_on_postgresql_matches_sqlite(pg_url, open_test_services, tmp_path, monkeypatch):
    pg = open_test_services(pg_url)
    lite = open_test_services(tmp_path / "lite.db")
    for svc in (pg, lite):
        known.insert_known(svc.store.db)
    expected = lite.analytics.feed().rows(0, 100)
    assert pg.analytics.feed().rows(0, 100) == expected
    monkeypatch.setattr(paging, "EDGE", 3)
    assert pg.analytics.feed().rows(4, 6) == expected[4:10]
    assert pg.analytics.feed("status").rows(0, 3) == lite.analytics.feed("status").rows(0, 3)
