"""No blind overwrites and change watching, in the store and services, on SQLite and
PostgreSQL: two stores on one database, the second write of the same row is skipped and
counted; events say who did it; undo leaves a row changed since alone; the watchers see
another session's commits."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from sample_data import SPECS, by_status, insert_sample, sample_sessions

from leadletter_tui.config import Settings
from leadletter_tui.domain.model import Status
from leadletter_tui.errors import ChangedElsewhere

READY = sorted(by_status("ready"))
OPEN = sorted(by_status("ready", "sent", "replied"))  # none of them Lost or Won yet


@pytest.fixture
def two(open_test_services, shared_url):
    """Two sessions (alice, bob) on one database of the sample contacts."""
    return sample_sessions(open_test_services, shared_url, "alice", "bob")


def _row(svc, domain):
    return svc.contacts.detail(domain).row


def _events(svc, domain):
    return svc.contacts.detail(domain).events


def test_a_status_change_applies_only_to_the_version_seen(two):
    alice, bob = two
    domain = READY[0]
    seen = _row(alice, domain)
    bob.contacts.change_status(domain, "won")
    with pytest.raises(ChangedElsewhere) as caught:
        alice.contacts.change_status(domain, "sent", seen_version=seen.version)
    assert caught.value.count == 1
    assert "1 changed by someone else, reloaded" == caught.value.screen_text()
    row = _row(alice, domain)
    assert row.status is Status.WON and row.last_sent_at is None  # bob's change stands
    assert [e.actor for e in _events(alice, domain) if e.to_status] == ["bob"]


def test_an_edit_and_do_not_contact_apply_only_to_the_version_seen(two):
    alice, bob = two
    domain = READY[1]
    seen = _row(alice, domain)
    bob.contacts.edit_contact(domain, {"contact_name": "Bob's pick"})
    with pytest.raises(ChangedElsewhere):
        alice.contacts.edit_contact(domain, {"contact_name": "Alice's pick"},
                                    seen_version=seen.version)
    with pytest.raises(ChangedElsewhere):
        alice.contacts.set_do_not_contact(domain, True, seen_version=seen.version)
    row = _row(alice, domain)
    assert row.contact_name == "Bob's pick" and not row.do_not_contact
    fresh = _row(alice, domain)  # after a reload the same writes go through
    assert alice.contacts.set_do_not_contact(domain, True, seen_version=fresh.version)


def test_the_cli_path_is_conditional_on_what_it_read(two, monkeypatch):
    """`status DOMAIN won` (no version given) reads, then writes: a change committed in
    between by someone else is not overwritten."""
    alice, bob = two
    domain = OPEN[2]
    repo = alice.store.contacts
    real = repo.before_change

    def meanwhile(ids, new):
        bob.contacts.change_status(domain, "lost")  # commits between alice's read and write
        return real(ids, new)

    monkeypatch.setattr(repo, "before_change", meanwhile)
    with pytest.raises(ChangedElsewhere, match="changed by someone else meanwhile"):
        alice.contacts.change_status(domain, "won")
    assert _row(alice, domain).status is Status.LOST


def test_bulk_with_versions_skips_and_counts_rows_changed_since(two):
    alice, bob = two
    rows = [_row(alice, d) for d in OPEN[:3]]
    bob.contacts.change_status(OPEN[1], "won")
    outcome = alice.contacts.change_status_checked(
        [r.id for r in rows], Status.LOST, versions=[r.version for r in rows])
    assert outcome[:2] == (2, 1)
    assert [_row(alice, d).status for d in OPEN[:3]] == [Status.LOST, Status.WON, Status.LOST]
    assert _events(alice, OPEN[0])[-1].actor == "alice"


def test_bulk_over_a_filter_rechecks_it_in_sql(two):
    """"All of the filter" (ready): a row bob moved out of it meanwhile is left alone."""
    alice, bob = two
    flt = alice.contacts.make_filter(statuses=["ready"])
    ids = list(alice.contacts.window(flt, alice.contacts.make_sort(None, flt)).snapshot())
    bob.contacts.change_status(READY[0], "won")
    outcome = alice.contacts.change_status_checked(ids, Status.SENT, within=flt)
    assert outcome[:2] == (len(READY) - 1, 1)
    assert _row(alice, READY[0]).status is Status.WON
    assert _row(alice, READY[0]).last_sent_at is None  # no stamp on the skipped row
    assert all(_row(alice, d).status is Status.SENT for d in READY[1:])


def test_undo_leaves_a_row_changed_since_alone(two):
    """Alice marks it sent; bob marks it won and then sent again at another time: it is
    Sent again, but not as alice's change left it, so her undo must not touch it."""
    alice, bob = two
    domain = READY[0]
    alice.contacts.change_status(domain, "sent")
    bob.contacts.change_status(domain, "won")
    bob.contacts.change_status(domain, "sent", "2026-11-20T08:00")
    assert "changed since" in alice.contacts.undo()
    row = _row(alice, domain)
    assert row.status is Status.SENT and row.last_sent_at.day == 20


def test_every_write_bumps_the_version(two):
    alice, _bob = two
    domain = READY[0]
    versions = [_row(alice, domain).version]

    def step():
        versions.append(_row(alice, domain).version)
        assert versions[-1] > versions[-2]

    alice.contacts.change_status(domain, "sent")
    step()
    alice.contacts.edit_contact(domain, {"notes": "called twice"})
    step()
    alice.contacts.set_do_not_contact(domain, True)
    step()
    alice.contacts.undo()
    step()
    alice.store.replies.add(domain, "Yes, tell me more")
    step()
    ids = [_row(alice, domain).id]
    alice.contacts.change_status_checked(ids, Status.WON, versions=[versions[-1]])
    step()
    alice.contacts.undo()
    step()


def test_events_record_the_actor_and_show_json_has_it(run_cli, tmp_path, monkeypatch):
    db = tmp_path / "a.db"
    assert run_cli("--db", db, "demo", "--contacts", "5").code == 0
    domain = json.loads(run_cli("--db", db, "list", "--json").out)[0]["domain"]
    monkeypatch.setenv("LEADLETTER_USER_NAME", "carol")
    assert run_cli("--db", db, "status", domain, "lost").code == 0
    shown = json.loads(run_cli("--db", db, "show", domain, "--json").out)
    assert shown["events"][-1]["actor"] == "carol"
    assert shown["events"][-1]["to_status"] == "lost"


def test_the_actor_defaults_to_the_os_user(monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "dana")
    assert Settings().actor() == "dana"
    assert Settings(user_name="  Eve\nX ").actor() == "Eve X"

    def no_user():
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert Settings().actor() == "unknown"
    assert len(Settings(user_name="x" * 300).actor()) == 64


def test_sqlite_counters_stay_right_through_conditional_writes(open_test_services, tmp_path):
    path = tmp_path / "c.db"
    svc = open_test_services(path)
    insert_sample(svc.store.db)
    rows = [_row(svc, s.domain) for s in SPECS]
    svc.contacts.change_status_checked([r.id for r in rows], Status.LOST,
                                       versions=[r.version for r in rows])
    svc.contacts.undo()
    con = sqlite3.connect(path)
    kept = dict(con.execute("SELECT status, n FROM contact_count WHERE n > 0"))
    real = dict(con.execute("SELECT status, COUNT(*) FROM contact GROUP BY status"))
    assert kept == real


def _until(check, timeout=5.0) -> float:
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, "no change seen"
        time.sleep(0.02)
    return time.monotonic() - start


def test_the_watcher_sees_another_sessions_commit(two):
    alice, bob = two
    watch = alice.store.watch()
    try:
        assert watch.wait_ready(5)
        watch.changed()  # whatever came before
        time.sleep(0.3)
        assert not watch.changed()
        bob.contacts.change_status(READY[0], "won")
        _until(watch.changed)
        assert not watch.changed()  # once per change
    finally:
        watch.close()


def test_postgres_watcher_falls_back_to_polling(pg_url, open_test_services):
    from leadletter_tui.store.postgres.watch import PgWatch

    alice = open_test_services(pg_url)
    insert_sample(alice.store.db)
    bob = open_test_services(pg_url)
    watch = PgWatch(alice.store.db, pg_url, poll_seconds=0.1, listen=False)
    try:
        assert watch.wait_ready(5) and watch.mode == "poll"
        assert not watch.changed()
        bob.contacts.change_status(READY[0], "won")
        _until(watch.changed)
    finally:
        watch.close()


def test_postgres_notifies_on_every_watched_table(pg_url, open_test_services):
    import psycopg

    open_test_services(pg_url)
    with psycopg.connect(pg_url) as conn:
        names = {n for (n,) in conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'leadletter_notify_%'")}
    assert names == {f"leadletter_notify_{t}" for t in ("contact", "message", "reply", "event")}
