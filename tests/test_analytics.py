"""Analytics: the formulas (pure), the store's aggregates on a known database, `stats` through
the real CLI, the activity feed window, and the learner rebuilt from the database."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

import analytics_data as known
import pytest

from leadletter_tui.domain import analytics as rules
from leadletter_tui.domain.learning import AngleLearner
from leadletter_tui.store import paging

NOW = datetime(2026, 11, 25, 10, 0)


# --- formulas ------------------------------------------------------------------------------
@pytest.mark.parametrize("counts, num, den, shown", [
    ({"ready": 5, "sent": 3, "replied": 1, "won": 1, "lost": 10}, 2, 5, "40.0%"),
    ({"sent": 0, "replied": 0, "won": 0, "lost": 4}, 0, 0, "—"),  # nothing under the line
    ({}, 0, 0, "—"),
    ({"replied": 2}, 2, 2, "100.0%"),
    ({"sent": 7}, 0, 7, "0.0%"),
    ({"sent": 1, "won": 2, "bogus": 50}, 2, 3, "66.7%"),  # unknown statuses are ignored
])
def test_reply_rate_keeps_lost_out(counts, num, den, shown):
    rate = rules.reply_rate(counts)
    assert (rate.numerator, rate.denominator, rate.percent()) == (num, den, shown)
    assert rate.fraction == (num / den if den else 0.0)
    assert rate.value == (num / den if den else None)
    assert "(replied+won) ÷ (sent+replied+won)" in rate.explain()


@pytest.mark.parametrize("replied, sent, fraction, shown", [
    (5, 9, 5 / 9, "55.6%"), (0, 0, 0.0, "—"), (0, 3, 0.0, "0.0%"), (3, 3, 1.0, "100.0%"),
])
def test_all_contacted_rate(replied, sent, fraction, shown):
    rate = rules.reply_rate_all(replied, sent)
    assert rate.fraction == pytest.approx(fraction)
    assert rate.percent() == shown
    assert rate.terms == f"{replied:,} ÷ {sent:,}"


@pytest.mark.parametrize("counts, num, den", [
    ({"sent": 3, "replied": 3, "won": 1, "lost": 2, "ready": 9}, 2, 9),
    ({"ready": 4}, 0, 0),
    ({"lost": 1}, 1, 1),
])
def test_lost_is_its_own_share(counts, num, den):
    rate = rules.lost_share(counts)
    assert (rate.numerator, rate.denominator) == (num, den)


@pytest.mark.parametrize("now, first, last", [
    (datetime(2026, 11, 25, 10), datetime(2026, 9, 7), datetime(2026, 11, 23)),  # Wednesday
    (datetime(2026, 11, 23, 0, 0), datetime(2026, 9, 7), datetime(2026, 11, 23)),  # Monday 00:00
    (datetime(2026, 11, 22, 23, 59, 59), datetime(2026, 8, 31), datetime(2026, 11, 16)),  # Sunday
    (datetime(2027, 1, 3, 12), datetime(2026, 10, 12), datetime(2026, 12, 28)),  # across a year
])
def test_weeks_are_the_last_twelve_monday_starts(now, first, last):
    weeks = rules.week_buckets(now)
    assert len(weeks) == 12
    assert (weeks[0].start, weeks[-1].start) == (first, last)
    assert all(w.start.weekday() == 0 and w.start.time() == datetime.min.time() for w in weeks)
    assert all(b.start - a.start == b.end - b.start for a, b in zip(weeks, weeks[1:]))
    assert rules.week_index(weeks, now) == 11
    assert rules.week_index(weeks, weeks[0].start) == 0
    assert rules.week_index(weeks, weeks[-1].end) is None
    assert rules.week_index(weeks, weeks[0].start - timedelta(seconds=1)) is None


def test_week_labels_are_iso_numbers():
    weeks = rules.week_buckets(datetime(2027, 1, 3, 12))
    assert weeks[-1].label == "W53" and weeks[-2].label == "W52"


@pytest.mark.parametrize("counts, expected", [
    ({}, [("1st message", 0), ("follow-up 1", 0), ("follow-up 2", 0), ("follow-up 3+", 0)]),
    ({1: 3, 2: 1}, [("1st message", 3), ("follow-up 1", 1), ("follow-up 2", 0), ("follow-up 3+", 0)]),
    ({4: 2, 7: 1, 3: 5}, [("1st message", 0), ("follow-up 1", 0), ("follow-up 2", 5), ("follow-up 3+", 3)]),
    ({0: 2, 1: 1}, [("before any send", 2), ("1st message", 1), ("follow-up 1", 0),
                    ("follow-up 2", 0), ("follow-up 3+", 0)]),
])
def test_replies_by_follow_up_buckets(counts, expected):
    assert rules.by_follow_up(counts) == expected


def _group(status, sentiment=None, has_reply=False, passed=True, angle="more_leads", n=1,
           category="saas", framework="aida"):
    return rules.OutcomeGroup(category, angle, framework, status, sentiment, has_reply, passed, n)


@pytest.mark.parametrize("group, reward", [
    (_group("won"), 1.0),
    (_group("replied", "positive", True), 0.8),
    (_group("replied", "asked_for_info", True), 0.6),
    (_group("replied", "neutral", True), 0.3),
    (_group("replied", "negative", True), 0.1),
    (_group("replied"), 0.3),  # marked replied by hand: a reply, not classified
    (_group("lost", "negative", True), 0.1),  # lost after replying keeps the reply's grade
    (_group("lost", passed=False), 0.0),  # lost without a reply
    (_group("sent", passed=True), 0.0),  # no reply, the window has passed
    (_group("sent", passed=False), None),  # still inside the window: not known yet
    (_group("ready"), None),
    (_group("sent", angle="local-seo"), None),  # an angle the learner does not know
    (_group("mystery"), None),  # a status this version does not know
])
def test_each_outcome_gets_its_reward(group, reward):
    outcomes = rules.learner_outcomes([group])
    assert outcomes == ([] if reward is None else [("saas", "more_leads", reward, 1)])


def test_performance_tables_per_category_and_all():
    groups = [_group("won", "positive", True, n=2), _group("sent", n=3),
              _group("replied", "negative", True, category="ecommerce", framework="pas"),
              _group("sent", angle="", framework="")]
    angles = rules.performance(groups, "angle")
    assert list(angles) == ["all", "ecommerce", "saas"]
    row = angles["all"][0]
    assert (row.key, row.sends, row.replies, row.positive, row.won) == ("more_leads", 6, 3, 2, 2)
    assert row.reply_rate == 0.5
    assert [(r.key, r.sends) for r in rules.performance(groups, "framework")["all"]] == [
        ("aida", 5), ("pas", 1)]


# --- the store on a known database -----------------------------------------------------------
@pytest.fixture
def known_services(services):
    known.insert_known(services.store.db)
    return services


def check_known_report(svc) -> None:
    """Every figure of the known database (shared with the PostgreSQL test)."""
    q = svc.store.analytics
    assert rules.full_counts(q.status_counts()) == known.COUNTS
    assert (q.ever_sent(), q.ever_replied()) == (known.EVER_SENT, known.EVER_REPLIED)
    assert rules.full_sentiments(q.sentiments()) == known.SENTIMENT
    assert q.replies_by_messages_sent() == known.FIRST_REPLY_AFTER
    sends, replies = q.weekly(rules.week_buckets(NOW))
    assert (sends, replies) == (known.WEEKLY_SENDS, known.WEEKLY_REPLIES)
    report = svc.analytics.report(learner=True)
    angles = {p.key: (p.sends, p.replies, p.positive, p.won) for p in report.angles["all"]}
    assert angles == known.ANGLES_ALL
    frameworks = {p.key: (p.sends, p.replies, p.positive, p.won) for p in report.frameworks["all"]}
    assert frameworks == known.FRAMEWORKS_ALL
    assert {p.key: p.sends for p in report.angles["healthcare"]} == {
        "save_time": 1, "reputation": 2, "more_leads": 1}
    groups = q.outcome_groups(svc.analytics.window_cutoff())
    assert rules.learner_outcomes(groups) == known.LEARNER_OUTCOMES
    assert set(report.favourites) == {"saas", "healthcare"}
    assert report.favourites["saas"] == "save_time"


def test_store_aggregates_on_a_known_database(known_services):
    check_known_report(known_services)


def test_stats_json_through_the_real_cli(known_services, db_path, run_cli):
    known_services.close()
    result = run_cli("--db", db_path, "stats", "--json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert list(doc)[:5] == ["counts", "reply_rate", "reply_rate_all", "sentiment", "angles"]
    assert doc["counts"] == known.COUNTS
    assert doc["reply_rate"] == pytest.approx(4 / 7)
    assert doc["reply_rate_all"] == pytest.approx(5 / 9)
    assert doc["sentiment"] == known.SENTIMENT
    angles = {a["angle"]: (a["sends"], a["replies"], a["positive"], a["won"]) for a in doc["angles"]}
    assert angles == known.ANGLES_ALL
    assert all(set(a) == {"angle", "sends", "replies", "positive", "won"} for a in doc["angles"])
    assert doc["lost_share"] == pytest.approx(2 / 9)
    assert [w["sends"] for w in doc["weekly"]] == [known.WEEKLY_SENDS.get(i, 0) for i in range(12)]
    assert doc["weekly"][-1]["start"] == "2026-11-23T00:00:00"


def test_stats_table_shows_the_formulas(known_services, db_path, run_cli):
    known_services.close()
    result = run_cli("--db", db_path, "stats")
    assert result.code == 0, result.err
    assert "Reply rate       57.1%   (replied+won) ÷ (sent+replied+won)" in result.out
    assert "= (3 + 1) ÷ (3 + 3 + 1)" in result.out
    assert "ever replied ÷ ever sent, Lost incl." in result.out and "= 5 ÷ 9" in result.out
    assert "Lost             22.2%" in result.out


def test_stats_on_an_empty_database_gives_zero_rates(services, db_path, run_cli):
    services.close()
    doc = json.loads(run_cli("--db", db_path, "stats", "--json").out)
    assert doc["counts"] == {s: 0 for s in known.COUNTS}
    assert (doc["reply_rate"], doc["reply_rate_all"], doc["angles"]) == (0.0, 0.0, [])


def test_stats_of_a_missing_database_is_one_line(run_cli, tmp_path):
    result = run_cli("--db", tmp_path / "none.db", "stats", "--json")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1 and "no database" in result.err


# --- the activity feed --------------------------------------------------------------------------
def test_feed_is_newest_first_by_position_and_by_kind(known_services, monkeypatch):
    feed = known_services.analytics.feed()
    rows = feed.rows(0, 100)
    assert len(rows) == feed.total == 16
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert (rows[0].domain, rows[0].text) == ("b.com", "Ready to send → Sent")
    assert (rows[1].domain, rows[1].text) == ("e.com", "Replied → Won")
    assert {r.domain: r.business_name for r in rows}["g.com"] == "G Ltd"
    monkeypatch.setattr(paging, "EDGE", 3)  # the bottom and the snapshot paths
    fresh = known_services.analytics.feed()
    assert fresh.rows(3, 5) == rows[3:8]  # deep: from the snapshot of ids
    fresh = known_services.analytics.feed()
    _ = fresh.total
    assert fresh.rows(14, 5) == rows[14:]  # near the end: reverse order
    assert known_services.analytics.feed("reply").rows(0, 10) == []
    lost = [r for r in known_services.analytics.feed("status").rows(0, 50) if r.to_status == "lost"]
    assert {r.domain for r in lost} == {"f.com", "g.com"}


def test_feed_rejects_an_unknown_kind(known_services):
    from leadletter_tui.services import UserError

    with pytest.raises(UserError, match="unknown event kind"):
        known_services.analytics.feed("gossip")


# --- the learner ----------------------------------------------------------------------------------
def same_learner(a: AngleLearner, b: AngleLearner) -> None:
    """Equal counts per audience and angle (reward sums to the last float bit the addition
    order allows), so equal estimates and favourites."""
    sa, sb = dict(a.state()), dict(b.state())
    assert sa.keys() == sb.keys()
    for cat in sa:
        for (angle, n, r), (angle2, n2, r2) in zip(sa[cat], sb[cat]):
            assert (angle, n) == (angle2, n2)
            assert math.isclose(r, r2, abs_tol=1e-12)
        assert a.favourite(cat) == b.favourite(cat)


def test_record_many_equals_recording_one_by_one():
    many, single = AngleLearner(), AngleLearner()
    many.record_many("saas", "growth", 0.1, 7)
    for _ in range(7):
        single.record("saas", "growth", 0.1)
    assert many == single
    many.record_many("saas", "growth", 0.3, 0)
    assert many == single
    with pytest.raises(ValueError):
        many.record_many("saas", "no-such-angle", 0.1, 1)


def test_learner_rebuilt_from_the_database_equals_the_live_one(known_services):
    svc = known_services
    # Live: outcomes recorded as they became known, in the order they happened.
    live = AngleLearner()
    for category, angle, reward in [
        ("healthcare", "save_time", 1.0),  # e.com won
        ("saas", "save_time", 0.8),  # d.com replied positive
        ("saas", "more_leads", 0.0),  # c.com: window passed without a reply
        ("healthcare", "reputation", 0.1),  # g.com replied negative (then lost)
        ("healthcare", "reputation", 0.0),  # f.com lost without a reply
        ("healthcare", "more_leads", 0.3),  # h.com marked replied
        ("saas", "save_time", 0.6),  # i.com asked for info
    ]:
        live.record(category, angle, reward)
    same_learner(svc.analytics.learner(), live)
    # A new outcome arrives through the product: b.com is won. The live learner records
    # it; a learner rebuilt from the database (a restart) agrees.
    svc.contacts.change_status("b.com", "won")
    live.record("saas", "more_leads", 1.0)
    rebuilt = svc.analytics.learner(seed=5)
    same_learner(rebuilt, live)
    assert rebuilt == rules.rebuild_learner(known.LEARNER_OUTCOMES[:4] + [
        ("saas", "more_leads", 0.0, 1), ("saas", "more_leads", 1.0, 1)] + known.LEARNER_OUTCOMES[5:])
