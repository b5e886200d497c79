"""Set-based bulk status changes (store/bulk_status.py) against the per-row path: same
contacts, messages, events and counters on generated cases; progress, cancel, failure;
the same results on PostgreSQL."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime

import pytest

from leadletter_tui.domain.model import Status
from leadletter_tui.services import UserError
from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.store.bulk_status import BulkCancelled

CONTACT_COLS = ("id, domain, status, last_sent_at, last_reply_at, follow_ups, draft_pending, "
                "do_not_contact, updated_at")


def _norm(value):
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return int(value)
    return value


def dump(svc) -> dict:
    """Everything a status change may touch, engine-neutral."""
    db = svc.store.db

    def rows(sql):
        return sorted(tuple(_norm(v) for v in r) for r in db.execute_sql(sql).fetchall())

    return {
        "contacts": rows(f"SELECT {CONTACT_COLS} FROM contact"),
        "messages": rows("SELECT id, contact_id, kind, sent_at FROM message"),
        "events": rows("SELECT contact_id, kind, from_status, to_status, detail, at FROM event"),
        "counts": {s: svc.contacts.count(svc.contacts.make_filter(statuses=[s.value]))
                   for s in Status},
    }


def scrambled(svc, seed: int) -> None:
    """Demo data, then statuses shuffled so unsent drafts exist under every status."""
    add_demo_contacts(svc, 240, seed=seed)
    rng = random.Random(seed)
    db = svc.store.db
    p = db.param
    with db.atomic():
        for (cid,) in db.execute_sql("SELECT id FROM contact ORDER BY id").fetchall():
            if rng.random() < 0.5:
                db.execute_sql(f"UPDATE contact SET status = {p} WHERE id = {p}",
                               (rng.choice(list(Status)).value, cid))


def all_ids(svc) -> list[int]:
    return [i for (i,) in svc.store.db.execute_sql("SELECT id FROM contact ORDER BY id")]


def status_of(svc) -> dict[int, str]:
    return dict(svc.store.db.execute_sql("SELECT id, status FROM contact").fetchall())


@pytest.mark.parametrize("target", list(Status))
@pytest.mark.parametrize("seed", [1, 2])
def test_set_based_matches_the_per_row_path(open_test_services, tmp_path, target, seed):
    per_row, set_based = open_test_services(tmp_path / "a.db"), open_test_services(tmp_path / "b.db")
    for svc in (per_row, set_based):
        scrambled(svc, seed)
    assert dump(per_row) == dump(set_based)
    rng = random.Random(seed * 7)
    ids = sorted(rng.sample(all_ids(per_row), 150))
    domains = dict(per_row.store.db.execute_sql("SELECT id, domain FROM contact").fetchall())
    before = status_of(per_row)
    moving = [i for i in ids if before[i] != target.value]  # the rest are no-ops
    for i in moving:
        per_row.store.contacts.change_status(domains[i], target)
    changed = set_based.contacts.change_status_many(ids, target)
    assert changed == len(moving) > 0
    assert dump(per_row) == dump(set_based)


def test_sent_stamps_and_counts_a_pending_follow_up(open_test_services, tmp_path):
    svc = open_test_services(tmp_path / "x.db")
    scrambled(svc, 3)
    db = svc.store.db
    # contacts not sent now, each with an unsent follow-up draft as their latest message
    rows = db.execute_sql(
        "SELECT c.id, c.follow_ups FROM contact c JOIN message m ON m.contact_id = c.id "
        "WHERE m.sent_at IS NULL AND m.kind = 'follow_up' AND c.status <> 'sent'").fetchall()
    assert rows, "the scrambled demo data has follow-up drafts outside 'sent'"
    ids = [i for i, _ in rows]
    assert svc.contacts.change_status_many(ids, Status.SENT) == len(ids)
    after = dict(db.execute_sql("SELECT id, follow_ups FROM contact").fetchall())
    assert all(after[i] == n + 1 for i, n in rows)
    marks = ",".join(str(i) for i in ids)
    left = db.execute_sql(f"SELECT COUNT(*) FROM message WHERE sent_at IS NULL "
                          f"AND contact_id IN ({marks})").fetchone()[0]
    assert left == 0
    stamped = db.execute_sql(f"SELECT DISTINCT last_sent_at, draft_pending FROM contact "
                             f"WHERE id IN ({marks})").fetchall()
    assert stamped == [("2026-11-25 10:00:00", 0)]


def test_already_in_that_status_changes_nothing(services, db_path):
    add_demo_contacts(services, 60, seed=4)
    sent = [i for i, s in status_of(services).items() if s == "sent"]
    con = sqlite3.connect(db_path)
    before = con.execute("SELECT * FROM contact ORDER BY id").fetchall()
    events = con.execute("SELECT COUNT(*) FROM event").fetchone()
    assert services.contacts.change_status_many(sent, Status.SENT) == 0
    assert con.execute("SELECT * FROM contact ORDER BY id").fetchall() == before
    assert con.execute("SELECT COUNT(*) FROM event").fetchone() == events
    con.close()


def test_progress_in_chunks_and_cancel_rolls_back(services, db_path, db_dump, monkeypatch):
    import leadletter_tui.store.bulk_status as bs

    add_demo_contacts(services, 90, seed=5)
    ids = all_ids(services)
    monkeypatch.setattr(bs, "CHUNK", 20)
    seen: list[tuple[int, int]] = []
    before = db_dump(db_path)

    def progress(done, total):
        seen.append((done, total))

    with pytest.raises(BulkCancelled):
        services.contacts.change_status_many(ids, Status.LOST, progress=progress,
                                             cancelled=lambda: len(seen) > 3)
    assert db_dump(db_path) == before  # all or nothing
    seen.clear()
    moving = sum(1 for s in status_of(services).values() if s != "lost")
    changed = services.contacts.change_status_many(ids, Status.LOST, progress=progress)
    assert seen == [(0, 90), (20, 90), (40, 90), (60, 90), (80, 90), (90, 90)]
    assert changed == moving and set(status_of(services).values()) == {"lost"}


def test_a_locked_database_is_a_user_error_and_changes_nothing(open_test_services, db_path,
                                                               db_dump):
    svc = open_test_services(db_path, busy_timeout_ms=50)
    add_demo_contacts(svc, 30, seed=6)
    before = db_dump(db_path)
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(UserError, match="locked|busy"):
            svc.contacts.change_status_many(all_ids(svc), Status.WON)
    finally:
        other.rollback()
        other.close()
    assert db_dump(db_path) == before


@pytest.mark.parametrize("target", [Status.SENT, Status.WON])
def test_same_results_on_postgresql(open_test_services, tmp_path, pg_url, target):
    lite, pg = open_test_services(tmp_path / "a.db"), open_test_services(pg_url)
    for svc in (lite, pg):
        scrambled(svc, 8)
    ids = sorted(random.Random(9).sample(all_ids(lite), 120))
    assert lite.contacts.change_status_many(ids, target) == pg.contacts.change_status_many(ids, target)
    assert dump(lite) == dump(pg)


def test_export_is_the_same_on_postgresql(open_test_services, tmp_path, pg_url):
    import io
    import json

    from leadletter_tui.services.export import export_contacts

    outs = []
    for svc in (open_test_services(tmp_path / "a.db"), open_test_services(pg_url)):
        scrambled(svc, 10)
        svc.store.db.execute_sql("UPDATE contact SET extra = '{\"Source\": \"fair\"}', "
                                 "notes = 'met at the fair' WHERE MOD(id, 7) = 0")
        flt = svc.contacts.make_filter()
        sort = svc.contacts.make_sort("domain", flt)
        csv_out, json_out = io.StringIO(), io.StringIO()
        export_contacts(svc, flt, sort, out=csv_out, fmt="csv")
        export_contacts(svc, flt, sort, out=json_out, fmt="json", ids=all_ids(svc)[::3])
        outs.append((csv_out.getvalue(), json.loads(json_out.getvalue())))
    assert outs[0] == outs[1]
    assert "Source" in outs[0][0].splitlines()[0] and len(outs[0][1]) == 80


@pytest.mark.parametrize("returning", [True, False])
@pytest.mark.parametrize("target", [Status.WON, Status.SENT, Status.READY])
def test_undo_of_a_bulk_change_puts_every_contact_back(services, monkeypatch, returning,
                                                       target):
    """The before-state a bulk change keeps for undo (read by its own statements: the
    event rows' RETURNING, or a read first where SQLite has no RETURNING, and always for
    Sent, which also stamps) puts back status, last sent, follow-ups and drafts."""
    from leadletter_tui.store import bulk_status

    if not returning:
        monkeypatch.setattr(bulk_status, "_returning", lambda db: False)
    scrambled(services, seed=9)
    db = services.store.db
    cols = "id, status, last_sent_at, follow_ups, draft_pending"
    before = sorted(db.execute_sql(f"SELECT {cols} FROM contact").fetchall())
    messages = sorted(db.execute_sql("SELECT id, sent_at FROM message").fetchall())
    ids = all_ids(services)
    changed = services.contacts.change_status_many(ids, target)
    assert changed == sum(1 for r in before if r[1] != target.value) > 0
    assert "Undid" in services.contacts.undo()
    assert sorted(db.execute_sql(f"SELECT {cols} FROM contact").fetchall()) == before
    assert sorted(db.execute_sql("SELECT id, sent_at FROM message").fetchall()) == messages


@pytest.mark.parametrize("target", [Status.WON, Status.SENT])
def test_undo_of_a_bulk_change_on_postgresql(open_test_services, pg_url, target):
    svc = open_test_services(pg_url)
    scrambled(svc, seed=4)
    db = svc.store.db
    cols = "id, status, last_sent_at, follow_ups, draft_pending"
    before = sorted(db.execute_sql(f"SELECT {cols} FROM contact").fetchall())
    sent_before = sorted(db.execute_sql("SELECT id, sent_at FROM message").fetchall())
    assert svc.contacts.change_status_many(all_ids(svc), target) > 0
    # someone else changes one of them meanwhile: undo must leave it alone
    changed_id = next(r[0] for r in before if r[1] != target.value)
    db.execute_sql("UPDATE contact SET status = 'lost', version = version + 1 WHERE id = %s",
                   (changed_id,))
    message = svc.contacts.undo()
    assert "1 changed since" in message or "changed since" in message, message
    after = {r[0]: r for r in db.execute_sql(f"SELECT {cols} FROM contact").fetchall()}
    for row in before:
        if row[0] == changed_id:
            assert after[row[0]][1] == "lost"
        else:
            assert after[row[0]] == row
    if target is Status.WON:
        assert sorted(db.execute_sql("SELECT id, sent_at FROM message").fetchall()) == sent_before
