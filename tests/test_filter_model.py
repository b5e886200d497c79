"""The filter concept is declared once (domain/filters.py FILTER_FIELDS); everything else is
derived. These tests add a field to a copy of the declaration and find it everywhere a filter
shows up: the typed spec, the CLI flags, saved views, the summary, the SQL and the counts.
They also hold the follow-up-due rule's SQL and Python to the same answers."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import click
import click.testing
import pytest
from sample_data import Spec, insert_sample

from leadletter_tui.domain import filters
from leadletter_tui.domain.conditions import Condition, Op
from leadletter_tui.domain.filters import FILTER_FIELDS, FilterField, Sort, build_filter
from leadletter_tui.domain.model import Status
from leadletter_tui.domain.pipeline import is_follow_up_due

NOW = datetime(2026, 11, 25, 10, 0, 0)

CATEGORY = FilterField(
    "category", "--category", "text", "Industry category is SLUG.",
    lambda v, _r: (Condition("category", Op.EQ, v.strip().lower()),),
    lambda v: f"category {v}", metavar="SLUG",
)


@pytest.fixture
def with_category(monkeypatch):
    extended = (*FILTER_FIELDS, CATEGORY)
    monkeypatch.setattr(filters, "FILTER_FIELDS", extended)
    return extended


def test_a_new_field_reaches_the_spec_and_the_summary(with_category):
    spec_class = filters._spec_class(with_category)
    spec = spec_class(category="saas", statuses=("sent",))
    assert spec.options()["category"] == "saas"
    assert spec_class.from_options({"category": "saas"}).category == "saas"
    assert not spec.is_empty and spec_class().is_empty
    flt = build_filter(now=NOW, **spec.options())
    assert flt.summary() == "sent · category saas"
    assert Condition("category", Op.EQ, "saas") in flt.conditions
    assert not flt.status_only  # so counts cannot come from the per-status counters


def test_a_new_field_becomes_a_cli_flag(with_category):
    from leadletter_tui.cli.context import filter_options

    @click.command()
    @filter_options
    def probe(**opts):
        click.echo(repr(sorted((k, v) for k, v in opts.items() if v)))

    result = click.testing.CliRunner().invoke(probe, ["--category", "saas", "--due"])
    assert result.exit_code == 0, result.output
    assert "('category', 'saas')" in result.output and "('due', True)" in result.output


def test_a_new_field_is_kept_by_saved_views(with_category, tmp_path):
    from leadletter_tui.services.views import SavedViews

    views = SavedViews(tmp_path)
    views.save("SaaS leads", {"category": "saas", "no_reply": True, "bogus": "x"})
    assert views.get("saas leads").options == {"category": "saas", "no_reply": True}


def test_a_new_field_selects_rows_in_sql_and_counts(with_category, services):
    db = services.store.db
    insert_sample(db, (Spec("a.com", "A", "", "", "sent", sent="2026-11-20 10:00:00"),
                       Spec("b.com", "B", "", "", "sent", sent="2026-11-20 10:00:00"),
                       Spec("c.com", "C", "", "", "ready")))
    db.execute_sql("UPDATE contact SET category = 'saas' WHERE domain IN ('a.com', 'c.com')")
    flt = services.contacts.make_filter(category="SaaS")
    assert {r.domain for r in services.contacts.rows(flt, Sort())} == {"a.com", "c.com"}
    assert services.contacts.count(flt) == 2
    both = services.contacts.make_filter(category="saas", statuses=["sent"])
    assert services.contacts.count(both) == 1
    window = services.store.window(both, Sort())
    assert [r.domain for r in window.rows(0, 10)] == ["a.com"] and window.total == 1


def test_every_declared_field_resolves_to_sql(services):
    """A field whose conditions the store cannot translate fails here, not in front of a user."""
    from leadletter_tui.store.queries import where_clauses

    typed = {"statuses": ("sent",), "sent": "last-week", "domain": "acme*", "search": "x",
             "no_reply": True, "due": True}
    for f in FILTER_FIELDS:
        value = typed.get(f.key) or ("2026-11-01" if f.key in ("sent_from", "sent_to") else None)
        assert value is not None, f"add a typed example for the new filter field {f.key!r}"
        flt = build_filter(now=NOW, **{f.key: value})
        assert flt.conditions and where_clauses(services.store.db, flt)
        services.contacts.count(flt)  # runs


def _random_contact(rng: random.Random, i: int) -> dict:
    cutoff = NOW - timedelta(days=3)
    sent = rng.choice([None, cutoff, cutoff - timedelta(seconds=1), cutoff + timedelta(seconds=1),
                       cutoff - timedelta(days=rng.randint(1, 40)), NOW - timedelta(hours=5)])
    return {
        "domain": f"c{i}.example",
        "status": rng.choice([s.value for s in Status]),
        "last_sent_at": sent,
        "last_reply_at": rng.choice([None, None, NOW - timedelta(days=1)]),
        "draft_pending": rng.random() < 0.2,
        "do_not_contact": rng.random() < 0.15,
        # follow-ups snoozed (out of office): none, over, ending right now, or still running
        "snoozed_until": rng.choice([None, None, NOW - timedelta(days=2), NOW,
                                     NOW + timedelta(seconds=1), NOW + timedelta(days=4)]),
    }


@pytest.mark.parametrize("seed", range(3))
def test_follow_up_rule_sql_and_python_agree(services, seed):
    rng = random.Random(seed)
    rows = [_random_contact(rng, i) for i in range(400)]
    db = services.store.db
    with db.atomic():
        for r in rows:
            db.execute_sql(
                "INSERT INTO contact (domain, business_name, contact_name, email, phone, notes,"
                " extra, category, status, last_sent_at, last_reply_at, follow_ups, draft_pending,"
                " do_not_contact, created_at, updated_at, snoozed_until) VALUES (?, '', '', '', '',"
                " '', '', '', ?, ?, ?, 0, ?, ?, ?, ?, ?)",
                (r["domain"], r["status"], r["last_sent_at"], r["last_reply_at"],
                 r["draft_pending"], r["do_not_contact"], NOW, NOW, r["snoozed_until"]))
    by_sql = {c.domain for c in services.contacts.rows(services.contacts.make_filter(due=True), Sort())}
    by_python = {r["domain"] for r in rows if is_follow_up_due(
        status=Status(r["status"]), last_sent_at=r["last_sent_at"], last_reply_at=r["last_reply_at"],
        draft_pending=r["draft_pending"], do_not_contact=r["do_not_contact"], now=NOW,
        snoozed_until=r["snoozed_until"])}
    assert by_sql == by_python
    assert 0 < len(by_python) < len(rows)  # the generated cases exercise both answers
    # ... and the snooze decides some of them: otherwise due, held back only by it
    held = [r for r in rows if r["domain"] not in by_python and is_follow_up_due(
        status=Status(r["status"]), last_sent_at=r["last_sent_at"], last_reply_at=r["last_reply_at"],
        draft_pending=r["draft_pending"], do_not_contact=r["do_not_contact"], now=NOW)]
    assert held and all(r["snoozed_until"] >= NOW for r in held)


def test_statuses_are_declared_once_with_label_key_and_colour():
    from leadletter_tui.domain.model import STATUS_LOOKS
    from leadletter_tui.screens.contacts import ContactsScreen
    from leadletter_tui.screens.detail import DetailScreen

    assert set(STATUS_LOOKS) == set(Status)
    keys = [s.key for s in Status]
    assert len(set(keys)) == len(keys)
    assert all(s.colour.startswith("$") and s.label for s in Status)
    for screen in (ContactsScreen, DetailScreen):
        bound = {b.key: b.action for b in screen.BINDINGS}
        for s in Status:
            assert bound[s.key] == f"set_status('{s.value}')", (screen, s)
