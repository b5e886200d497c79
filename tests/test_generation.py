"""GenerationService on a temp SQLite file with the offline AI bundle; homepages from a local
HTTP server (pytest-httpserver): research that succeeds, fails, redirects. Also the v5
schema step on an older database, and the learner generation uses: the one analytics shows."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter

import pytest
from test_analytics import same_learner

from leadletter_tui.ai.offline.adapters import offline_ai
from leadletter_tui.config import Paths, Settings, load_settings, sender_profile
from leadletter_tui.domain.drafts import Draft
from leadletter_tui.domain import analytics as rules
from leadletter_tui.domain.angles import ANGLES
from leadletter_tui.domain.learning import AngleLearner
from leadletter_tui.domain.model import EventKind, MessageKind, Sentiment, Status
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.validation import validate
from leadletter_tui.errors import UserError
from leadletter_tui.store.messages import NewMessage
from leadletter_tui.services.generation import (
    STEPS,
    GenerationError,
    GenerationService,
    ProfileMissing,
)

PROFILE = {"sender_name": "Sam Reed", "sender_offer": "I build booking pages for small clinics.",
           "sender_signature": "Sam Reed\nNorth Studio"}
PAGE = """<html lang="en"><head><title>Welcome to Bright Smile Dental | Family dentist in Leeds</title>
<meta name="description" content="Gentle family dentistry in Leeds since 2004."></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<h1>Bright Smile Dental</h1><h2>Check-ups, hygiene and whitening</h2>
<p>We have cared for over 5,000 patients in Leeds since 2004.</p>
<p>Book a check-up online in two minutes, seven days a week.</p>
<footer>Copyright Bright Smile Dental Ltd</footer></body></html>"""


@pytest.fixture
def svc(open_test_services, db_path):
    return open_test_services(db_path, **PROFILE)


def make_gen(svc, ai=None, seed=7) -> GenerationService:
    bundle = ai or offline_ai(seed=seed)
    return GenerationService(svc.store, svc.settings, ai_factory=lambda _offline: bundle, seed=seed)


def html_server(httpserver, path="/", body=PAGE):
    httpserver.expect_request(path).respond_with_data(body, content_type="text/html; charset=utf-8")
    return httpserver.url_for(path)


async def test_first_generation_creates_the_contact_from_research(svc, httpserver):
    url = html_server(httpserver)
    steps: list[str] = []
    result = await make_gen(svc).generate("https://www.BrightSmile.example/landing", url=url,
                                          name="Jo", progress=steps.append)
    assert steps == list(STEPS)
    assert result.domain == "brightsmile.example" and result.created
    assert result.business_name == "Bright Smile Dental"  # the title, tagline removed
    assert result.research.ok and result.research.title.startswith("Welcome to Bright Smile")
    assert result.category == "healthcare" and result.mode == "offline"
    assert validate(result.draft.subject, result.draft.body) == []
    assert "Sam Reed" in result.draft.body
    detail = svc.contacts.detail("brightsmile.example")
    assert detail.status is Status.READY and detail.row.contact_name == "Jo"
    assert detail.category == "healthcare" and not detail.draft_pending
    [m] = svc.store.messages.messages("brightsmile.example")
    assert (m.kind, m.subject, m.body) == (MessageKind.INITIAL, result.draft.subject, result.draft.body)
    assert (m.angle, m.framework, m.category, m.model) == (
        result.angle, result.framework, "healthcare", "offline")
    stored = PageResearch.from_summary(m.research, "brightsmile.example")
    assert stored.ok and "5,000 patients" in stored.text
    assert [e.kind for e in detail.events] == [EventKind.CREATED, EventKind.MESSAGE]


async def test_failed_fetch_is_recorded_and_generation_goes_on(svc, httpserver):
    httpserver.expect_request("/").respond_with_data("down", status=503)
    result = await make_gen(svc).generate("quietbakery.example", url=httpserver.url_for("/"))
    assert not result.research.ok and "503" in result.research.error
    assert result.business_name == "quietbakery.example" and result.created
    assert validate(result.draft.subject, result.draft.body) == []
    [m] = svc.store.messages.messages("quietbakery.example")
    assert json.loads(m.research)["error"] == result.research.error


async def test_redirect_is_followed_and_recorded(svc, httpserver):
    target = html_server(httpserver, "/home")
    httpserver.expect_request("/").respond_with_data("", status=301, headers={"Location": target})
    result = await make_gen(svc).generate("brightsmile.example", url=httpserver.url_for("/"))
    assert result.research.ok and result.research.final_url == target
    assert result.business_name == "Bright Smile Dental"


async def test_business_name_from_input_wins_and_a_second_message_reuses_the_contact(svc, httpserver):
    url = html_server(httpserver)
    gen = make_gen(svc)
    first = await gen.generate("brightsmile.example", url=url, business="BSD Leeds")
    second = await gen.generate("brightsmile.example", url=url)
    assert first.created and not second.created
    assert first.business_name == second.business_name == "BSD Leeds"
    assert svc.contacts.total() == 1
    assert len(svc.store.messages.messages("brightsmile.example")) == 2


@pytest.mark.parametrize("text, why", [("localhost", "localhost"), ("ftp://a.com", "scheme"),
                                       ("nodot", "dot"), ("", "no domain")])
async def test_bad_domain_is_refused_with_the_reason(svc, text, why):
    with pytest.raises(UserError, match=why):
        await make_gen(svc).generate(text)
    assert svc.contacts.total() == 0


async def test_do_not_contact_is_refused(svc, httpserver):
    url = html_server(httpserver)
    gen = make_gen(svc)
    await gen.generate("brightsmile.example", url=url)
    svc.contacts.set_do_not_contact("brightsmile.example", True)
    with pytest.raises(UserError, match="do not contact"):
        await gen.generate("brightsmile.example", url=url)
    assert len(svc.store.messages.messages("brightsmile.example")) == 1


async def test_bad_url_and_fields_are_refused_before_any_work(svc):
    gen = make_gen(svc)
    with pytest.raises(UserError, match="--url"):
        await gen.generate("a-shop.example", url="file:///etc/passwd")
    with pytest.raises(UserError, match="email"):
        await gen.generate("a-shop.example", email="not-an-email")
    assert svc.contacts.total() == 0


async def test_missing_profile_names_the_settings(open_test_services, db_path):
    bare = open_test_services(db_path, sender_name="Sam")
    with pytest.raises(ProfileMissing) as info:
        await make_gen(bare).generate("a-shop.example")
    assert info.value.missing == ("sender_offer",)


class _StubResearcher:
    async def research(self, domain, url=None):
        return PageResearch(domain, url or f"https://{domain}/", True, title=f"{domain} shop",
                            text="Handmade candles shipped across the country since 2012.")


class _BadWriter:
    async def write_initial(self, **kwargs):
        return Draft("Hello there", "Hi,\n\nThis is a game-changer \u2014 truly. " + "word " * 50)

    async def write_follow_up(self, **kwargs):
        raise AssertionError("not used")


class _BrokenWriter(_BadWriter):
    async def write_initial(self, **kwargs):
        raise ConnectionError("API unreachable\nsecond line")


async def test_invalid_draft_is_refused_and_nothing_stored(svc):
    ai = dataclasses.replace(offline_ai(seed=1), researcher=_StubResearcher(), writer=_BadWriter())
    with pytest.raises(GenerationError, match="failed validation"):
        await make_gen(svc, ai).generate("candles.example")
    assert svc.contacts.total() == 0


async def test_writer_failure_is_one_line_and_nothing_stored(svc):
    ai = dataclasses.replace(offline_ai(seed=1), researcher=_StubResearcher(), writer=_BrokenWriter())
    with pytest.raises(GenerationError) as info:
        await make_gen(svc, ai).generate("candles.example")
    assert str(info.value) == "writing to candles.example failed: API unreachable"
    assert svc.contacts.total() == 0


async def test_frameworks_rotate_through_all_eight(svc):
    ai = dataclasses.replace(offline_ai(seed=2), researcher=_StubResearcher())
    gen = make_gen(svc, ai)
    used = [(await gen.generate(f"shop{i}.example")).framework for i in range(8)]
    assert len(set(used)) == 8


async def _mixed_outcomes(svc, gen):
    """A database with every kind of outcome, made through the product; returns the
    outcomes the learner must see, `(category, angle, reward)` in the order they became
    known. Now is 2026-11-25 10:00 and the window 3 days: sends up to 11-22 10:00 have had it."""
    c, replies, store = svc.contacts, svc.store.replies, svc.store
    first: dict[str, str] = {}
    names = ("inside", "passed", "positive", "info", "neutral", "negative", "unlabelled", "won",
             "lost-replied", "lost-silent", "never-sent", "lost-unsent", "marked", "ooo",
             "followed-up", "regenerated", "unknown")
    for name in names:
        first[name] = (await gen.generate(f"{name}.example")).angle
    # Two audiences: half the contacts are saas (the message's category decides).
    saas = set(names[::2])
    store.db.execute_sql("UPDATE message SET category = 'saas' WHERE contact_id IN (SELECT id "
                         "FROM contact WHERE domain IN (%s))" % ",".join(f"'{n}.example'" for n in saas))
    cat = {n: "saas" if n in saas else "other" for n in names}
    # Older data: a message without a category counts in its contact's.
    store.db.execute_sql("UPDATE message SET category = '' WHERE contact_id = "
                         "(SELECT id FROM contact WHERE domain = 'passed.example')")
    store.db.execute_sql("UPDATE contact SET category = 'saas' WHERE domain = 'passed.example'")
    cat["passed"] = "saas"
    # A regenerated first message: the draft that goes out is the second one.
    other = next(a for a in ANGLES if a != first["regenerated"])
    store.messages.store("regenerated.example", NewMessage(
        MessageKind.INITIAL, "Hi again", "Body", other, "aida", "other", "offline", ""))
    first["regenerated"] = other
    store.db.execute_sql("UPDATE message SET angle = 'local-seo' WHERE contact_id = "
                         "(SELECT id FROM contact WHERE domain = 'unknown.example')")
    old, recent = "2026-11-01T09:00:00", "2026-11-24T09:00:00"
    for name in names:
        if name not in ("never-sent", "lost-unsent"):
            c.change_status(f"{name}.example", "sent", recent if name in (
                "inside", "lost-replied", "lost-silent", "marked", "ooo") else old)
    known = []
    for name, label in (("positive", Sentiment.POSITIVE), ("info", Sentiment.ASKED_FOR_INFO),
                        ("neutral", Sentiment.NEUTRAL), ("negative", Sentiment.NEGATIVE),
                        ("unlabelled", None), ("lost-replied", Sentiment.NEGATIVE), ("ooo", None)):
        r = replies.add(f"{name}.example", "Thanks for writing")
        if label is not None:
            replies.set_label(r.id, label, reason="test", labelled_by="offline")
        if name == "ooo":
            replies.not_a_reply(r.id)  # an out-of-office note: no reply after all
    c.change_status("won.example", "won")
    c.change_status("lost-replied.example", "lost")
    c.change_status("lost-silent.example", "lost")
    c.change_status("lost-unsent.example", "lost")  # never sent: no outcome for its angle
    c.change_status("marked.example", "replied")  # a reply noted by hand, no text
    # A follow-up inside the window does not take back the first message's verdict.
    store.messages.store("followed-up.example", NewMessage(
        MessageKind.FOLLOW_UP, "Re: Hi", "Bump", first["followed-up"], "", "", "offline", ""))
    c.change_status("followed-up.example", "sent", recent)
    rewards = {"passed": 0.0, "positive": 0.8, "info": 0.6, "neutral": 0.3, "negative": 0.1,
               "unlabelled": 0.3, "won": 1.0, "lost-replied": 0.1, "lost-silent": 0.0,
               "marked": 0.3, "followed-up": 0.0, "regenerated": 0.0}
    # inside, ooo: still inside the window; never-sent, lost-unsent: never sent; unknown:
    # an angle the learner does not know.
    for name, reward in rewards.items():
        known.append((cat[name], first[name], reward))
    return known


async def test_generation_uses_the_learner_analytics_shows(svc):
    ai = dataclasses.replace(offline_ai(seed=3), researcher=_StubResearcher())
    gen = make_gen(svc, ai)
    known = await _mixed_outcomes(svc, gen)
    groups = svc.store.analytics.outcome_groups(svc.analytics.window_cutoff())
    assert rules.learner_outcomes(groups) == [
        (c, a, r, n) for (c, a, r), n in sorted(Counter(known).items())]
    used = await gen.learner()
    assert used == svc.analytics.learner()
    report = svc.analytics.report(learner=True)
    assert set(report.favourites) == {"saas", "other"}
    for category, favourite in report.favourites.items():
        assert used.favourite(category) == favourite
    # Rebuilt == live: a learner that recorded the same outcomes one by one agrees.
    live = AngleLearner.from_outcomes(known)
    same_learner(used, live)
    # A new outcome through the product moves the event log on: generation rebuilds.
    svc.contacts.change_status("inside.example", "won")
    live.record("saas", (svc.store.messages.messages("inside.example")[0]).angle, 1.0)
    rebuilt = await gen.learner()
    assert rebuilt is not used and rebuilt == svc.analytics.learner()
    same_learner(rebuilt, live)
    assert await gen.learner() is rebuilt  # nothing moved: the cached learner


async def test_learner_is_rebuilt_when_outcomes_change(svc):
    ai = dataclasses.replace(offline_ai(seed=4), researcher=_StubResearcher())
    gen = make_gen(svc, ai)
    first = await gen.generate("one.example")
    learner = await gen.learner()
    assert learner.state() == ()  # nothing known yet; own messages do not rebuild it
    assert await gen.learner() is learner
    svc.contacts.change_status("one.example", "sent")
    assert (await gen.learner()).state() == ()  # sent, inside its window: not known yet
    svc.contacts.change_status("one.example", "won")
    rebuilt = await gen.learner()
    assert rebuilt is not learner
    [(category, rows)] = rebuilt.state()
    assert category == first.category and (first.angle, 1, 1.0) in rows


def test_settings_profile_and_secret(tmp_path):
    paths = Paths(tmp_path, tmp_path, tmp_path)
    (tmp_path / "config.toml").write_text(
        'sender_name = "Sam"\nsender_offer = """Booking pages\nfor clinics."""\n'
        'max_follow_ups = 2\nanthropic_api_key = "from-file"\n', encoding="utf-8")
    s = load_settings(paths, {"ANTHROPIC_API_KEY": "sk-from-env-123"})
    assert s.max_follow_ups == 2 and s.follow_up_concurrency == 4 and s.follow_up_days == 3
    assert s.anthropic_api_key == "sk-from-env-123" and "sk-from-env" not in repr(s)
    profile = sender_profile(s)
    assert profile.is_complete and profile.offer == "Booking pages\nfor clinics."
    assert load_settings(paths, {"ANTHROPIC_API_KEY": "a", "LEADLETTER_ANTHROPIC_API_KEY": "b"}
                         ).anthropic_api_key == "b"
    (tmp_path / "config.toml").write_text('anthropic_api_key = "sk secret value"\n')
    with pytest.raises(Exception) as info:
        load_settings(paths, {})
    assert "sk secret value" not in str(info.value) and "anthropic_api_key" in str(info.value)
    (tmp_path / "config.toml").write_text("")
    with pytest.raises(Exception, match="follow_up_concurrency"):
        load_settings(paths, {"LEADLETTER_FOLLOW_UP_CONCURRENCY": "0"})
    assert Settings().write_model and Settings().fast_model


def test_older_database_gains_the_message_columns(open_test_services, tmp_path):
    from test_store import V1_SCHEMA

    old = tmp_path / "v1.db"
    con = sqlite3.connect(old)
    con.executescript(V1_SCHEMA)
    con.execute("INSERT INTO contact VALUES (1, 'old.example', 'Old Co', '', '', '', '', '', "
                "'ecommerce', 'sent', '2026-11-01 09:00:00', NULL, 0, NULL, 0, 0, "
                "'2026-10-01 09:00:00', '2026-11-01 09:00:00')")
    con.execute("INSERT INTO message (contact_id, kind, subject, body, angle, framework, category,"
                " created_at, sent_at) VALUES (1, 'initial', 'Hi', 'Old body', 'growth', "
                "'question_led', 'ecommerce', '2026-10-01 09:00:00', '2026-11-01 09:00:00')")
    con.commit()
    con.close()
    svc = open_test_services(old)
    [m] = svc.store.messages.messages("old.example")
    assert (m.subject, m.model, m.research) == ("Hi", "", "")
    groups = svc.store.analytics.outcome_groups(svc.analytics.window_cutoff())
    assert rules.learner_outcomes(groups) == [("ecommerce", "growth", 0.0, 1)]
    cols = {r[1] for r in sqlite3.connect(old).execute("PRAGMA table_info('message')")}
    assert {"model", "research"} <= cols


async def test_generation_and_outcomes_on_postgresql(open_test_services, pg_url):
    pg = open_test_services(pg_url, **PROFILE)
    ai = dataclasses.replace(offline_ai(seed=5), researcher=_StubResearcher())
    gen = make_gen(pg, ai)
    first = await gen.generate("pgshop.example")
    assert first.created and len(pg.store.messages.messages("pgshop.example")) == 1
    pg.contacts.change_status("pgshop.example", "sent")
    pg.contacts.change_status("pgshop.example", "won")
    assert (await make_gen(pg, ai).learner()) == AngleLearner.from_outcomes(
        [(first.category, first.angle, 1.0)])
