"""Demo data in the shared vocabulary, with a world the analytics and the learner can find
(services/demo_data.py, services/demo_world.py). Clock frozen at conftest.NOW."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import pytest

from leadletter_tui.ai.offline.classifier import OfflineClassifier
from leadletter_tui.domain.angles import ANGLES
from leadletter_tui.domain.categories import CATEGORIES
from leadletter_tui.domain.frameworks import FRAMEWORKS
from leadletter_tui.domain.model import Sentiment
from leadletter_tui.services import demo_world as world
from leadletter_tui.services.demo import add_demo_contacts
from leadletter_tui.services.demo_data import generate

NOW = datetime(2026, 11, 25, 10, 0, 0)


@pytest.fixture
def demo3k(services):
    assert add_demo_contacts(services, 3_000, seed=7) == 3_000
    return services


def rows(services, sql: str) -> list[tuple]:
    return services.store.db.execute_sql(sql).fetchall()


def test_demo_uses_only_the_shared_vocabulary(demo3k):
    categories = {c for (c,) in rows(demo3k, "SELECT DISTINCT category FROM contact")}
    assert categories == set(CATEGORIES)  # all twelve, nothing else
    for column, allowed in (("angle", ANGLES), ("framework", FRAMEWORKS),
                            ("category", CATEGORIES)):
        found = {v for (v,) in rows(demo3k, f"SELECT DISTINCT {column} FROM message")}
        assert found and found <= set(allowed), (column, found - set(allowed))
    assert {a for (a,) in rows(demo3k, "SELECT DISTINCT angle FROM message")} == set(ANGLES)
    mismatched = rows(demo3k, "SELECT COUNT(*) FROM message m JOIN contact c "
                              "ON c.id = m.contact_id WHERE m.category <> c.category")
    assert mismatched == [(0,)]


def test_category_matches_the_business_it_names(demo3k):
    for name, category in rows(demo3k, "SELECT business_name, category FROM contact"):
        assert any(name.endswith(" " + trade) for trade in world.TRADES[category]), (name, category)


@pytest.mark.parametrize("kind", sorted(world.REPLIES))
def test_reply_texts_read_as_their_labels(kind):
    classifier = OfflineClassifier()
    for text in world.REPLIES[kind]:
        got = classifier.classify(text, today=NOW.date())
        assert got.sentiment == Sentiment(world.label_of(kind)), text
        assert got.do_not_contact == (kind == "unsubscribe"), text
        assert (got.out_of_office is not None) == (kind == "out_of_office"), text
        if got.out_of_office is not None:  # no return date, so nothing to snooze
            assert got.out_of_office.return_date is None, text


def test_replies_are_stored_as_the_replies_feature_leaves_them(demo3k):
    found = rows(demo3k, "SELECT r.sentiment, r.signal, r.labelled_by, r.reason, c.status, "
                         "c.do_not_contact, c.last_reply_at, c.sentiment FROM reply r "
                         "JOIN contact c ON c.id = r.contact_id")
    assert {s for s, *_ in found} == {s.value for s in Sentiment}
    signals = defaultdict(int)
    for sentiment, signal, by, reason, status, dnc, last_reply, latest in found:
        signals[signal] += 1
        assert by == "offline" and reason, (sentiment, reason)
        assert latest == sentiment  # the contact shows its (only) reply's label
        assert bool(dnc) == (signal == "unsubscribe")
        if signal == "unsubscribe":
            assert sentiment == "negative" and status in ("replied", "lost")
        elif signal == "out_of_office":  # recorded, but not a reply: the contact stays Sent
            assert sentiment == "neutral" and status in ("sent", "lost") and last_reply is None
        else:
            assert status in ("replied", "won", "lost") and last_reply is not None
    assert signals["unsubscribe"] > 0 and signals["out_of_office"] > 0 and signals[None] > 0
    # every do-not-contact flag comes from an unsubscribe
    assert rows(demo3k, "SELECT COUNT(*) FROM contact WHERE do_not_contact") == [(signals["unsubscribe"],)]


def test_analytics_look_like_real_outreach(demo3k):
    report = demo3k.analytics.report()
    assert 0.02 <= report.reply_rate.value <= 0.15
    table = report.angles["all"]
    assert {row.key for row in table} == set(ANGLES)
    assert all(row.sends > 100 for row in table)
    assert sum(row.replies for row in table) > 50 and sum(row.won for row in table) > 0
    assert {row.key for row in report.frameworks["all"]} == set(FRAMEWORKS)
    for category, rows_ in report.angles.items():  # every category gets its own table
        assert category == "all" or category in CATEGORIES
        assert all(0 <= (row.reply_rate or 0) <= 1 for row in rows_)
    assert len(report.angles) == len(CATEGORIES) + 1


def test_the_learner_gets_outcomes_for_every_category(demo3k):
    learner = demo3k.analytics.learner(seed=1)
    with_outcomes = [c for c in CATEGORIES if sum(e.sends for e in learner.estimates(c)) >= 50]
    assert len(with_outcomes) >= 8, with_outcomes
    rewarded = [c for c in CATEGORIES if sum(e.reward_sum for e in learner.estimates(c)) > 0]
    assert len(rewarded) == len(CATEGORIES)
    # the learner has learnt something: it values the world's strong angles above its weak
    # ones (averaged over the categories; one category alone has too few sends to tell)
    means = defaultdict(list)
    for category in CATEGORIES:
        for e in learner.estimates(category):
            means[world.strength(category, e.angle)].append(e.mean)
    average = {kind: sum(v) / len(v) for kind, v in means.items()}
    assert average["strong"] > average["plain"] > average["weak"], average


def test_the_hidden_world_shows_in_the_data():
    """Without a database: strong angles get more replies than plain ones, plain more than
    weak ones, in the generated rows (20,000 contacts)."""
    sends, answered = defaultdict(int), defaultdict(int)
    cell = {}
    for _contacts, messages, replies, _events in generate(20_000, first_id=1, now=NOW,
                                                          taken=set(), seed=3):
        for cid, kind, _s, _b, angle, _f, category, _c, sent in messages:
            if kind == "initial" and sent is not None:
                cell[cid] = world.strength(category, angle)
                sends[cell[cid]] += 1
        for cid, _t, _s, _at, _r, _by, signal in replies:
            if signal != "out_of_office":
                answered[cell[cid]] += 1
    rate = {k: answered[k] / sends[k] for k in sends}
    assert rate["strong"] > 1.5 * rate["plain"] > 1.5 * 1.5 * rate["weak"], rate
    assert 0.02 <= sum(answered.values()) / sum(sends.values()) <= 0.15


def test_world_odds_stay_in_a_believable_range():
    for (category, angle, framework), (reply, positive) in world.odds_table().items():
        assert 0.01 <= reply <= 0.25, (category, angle, framework, reply)
        assert 0 < positive < 1
    assert set(world.TRADES) == set(world.BASE_REPLY) == set(world.STRONG) == set(world.WEAK) \
        == set(CATEGORIES)
    for category in CATEGORIES:
        assert not set(world.STRONG[category]) & set(world.WEAK[category])


def test_generation_is_deterministic_with_a_seed():
    def run(seed):
        return list(generate(500, first_id=1, now=NOW, taken=set(), seed=seed, batch_size=200))

    assert run(9) == run(9)
    assert run(9) != run(10)
