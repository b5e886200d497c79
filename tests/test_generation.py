"""GenerationService on a temp SQLite file with the offline AI bundle; homepages from a local
HTTP server (pytest-httpserver): research that succeeds, fails, redirects. Also the v5
schema step on an older database and the outcomes query the learning loop is rebuilt from."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from leadletter_tui.ai.offline.adapters import offline_ai
from leadletter_tui.config import Paths, Settings, load_settings, sender_profile
from leadletter_tui.domain.drafts import Draft
from leadletter_tui.domain.learning import outcome_reward
from leadletter_tui.domain.model import EventKind, MessageKind, Status
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.validation import validate
from leadletter_tui.errors import UserError
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


async def test_outcomes_query_matches_the_reward_rule(svc):
    ai = dataclasses.replace(offline_ai(seed=3), researcher=_StubResearcher())
    gen = make_gen(svc, ai)
    angles = {}
    for name in ("won", "replied", "silent-old", "silent-new", "ready", "lost"):
        angles[name] = (await gen.generate(f"{name}.example")).angle
    c = svc.contacts
    c.change_status("won.example", "won")
    c.change_status("replied.example", "sent", "2026-11-01T09:00:00")
    svc.store.db.execute_sql(  # a reply as the replies part will store it
        "INSERT INTO reply (contact_id, text, sentiment, received_at) "
        "SELECT id, 'Send me pricing', 'asked_for_info', '2026-11-02 09:00:00' FROM contact "
        "WHERE domain = 'replied.example'")
    svc.store.db.execute_sql("UPDATE contact SET sentiment = 'asked_for_info', "
                             "last_reply_at = '2026-11-02 09:00:00' WHERE domain = 'replied.example'")
    c.change_status("replied.example", "replied")
    c.change_status("silent-old.example", "sent", "2026-11-01T09:00:00")
    c.change_status("silent-new.example", "sent", "2026-11-24T09:00:00")
    c.change_status("lost.example", "lost")
    got = svc.store.messages.outcomes(svc.store.now(), 3)
    cat = "other"
    assert [(a, r) for _, a, r in got] == [
        (angles["won"], 1.0),
        (angles["replied"], outcome_reward("replied", "asked_for_info", has_reply=True,
                                           window_passed=True)),
        (angles["silent-old"], 0.0),
        (angles["lost"], 0.0),
    ]
    assert {c for c, _, _ in got} == {cat}


async def test_learner_is_rebuilt_when_outcomes_change(svc):
    ai = dataclasses.replace(offline_ai(seed=4), researcher=_StubResearcher())
    gen = make_gen(svc, ai)
    first = await gen.generate("one.example")
    learner = await gen.learner()
    assert learner.state() == ()  # nothing known yet; own messages do not rebuild it
    assert await gen.learner() is learner
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
    assert svc.store.messages.outcomes(svc.store.now(), 3) == [("ecommerce", "growth", 0.0)]
    cols = {r[1] for r in sqlite3.connect(old).execute("PRAGMA table_info('message')")}
    assert {"model", "research"} <= cols


async def test_generation_and_outcomes_on_postgresql(open_test_services, pg_url):
    pg = open_test_services(pg_url, **PROFILE)
    ai = dataclasses.replace(offline_ai(seed=5), researcher=_StubResearcher())
    gen = make_gen(pg, ai)
    first = await gen.generate("pgshop.example")
    assert first.created and len(pg.store.messages.messages("pgshop.example")) == 1
    pg.contacts.change_status("pgshop.example", "won")
    assert pg.store.messages.outcomes(pg.store.now(), 3) == [(first.category, first.angle, 1.0)]
