"""FollowUpService: due / not due, one follow-up, the maximum, bulk runs with a failing item,
the concurrency bound and cancelling. Research is stubbed (no network): follow-ups are
written from the research stored with the first message."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from leadletter_tui.ai.offline.adapters import offline_ai
from leadletter_tui.domain.drafts import Draft
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.validation import shared_runs, validate
from leadletter_tui.errors import UserError
from leadletter_tui.services.followups import FollowUpLimit, FollowUpService, NotDue
from leadletter_tui.services.generation import GenerationService

PROFILE = {"sender_name": "Sam Reed", "sender_offer": "I build booking pages for small clinics.",
           "sender_signature": "Sam Reed\nNorth Studio"}


class StubResearcher:
    def __init__(self) -> None:
        self.calls = 0

    async def research(self, domain, url=None):
        self.calls += 1
        return PageResearch(domain, url or f"https://{domain}/", True, title=f"{domain} | Clinic",
                            description="Physiotherapy for runners since 2011.",
                            text="We have treated 3,000 runners. Same-week appointments.")


class CountingWriter:
    """Wraps a real writer: counts follow-ups in flight, can fail for chosen domains."""

    def __init__(self, inner, fail: set[str] = frozenset(), delay: float = 0.0) -> None:
        self.inner, self.fail, self.delay = inner, set(fail), delay
        self.in_flight = self.max_in_flight = self.calls = 0

    async def write_initial(self, **kwargs):
        return await self.inner.write_initial(**kwargs)

    async def write_follow_up(self, **kwargs):
        self.calls += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            if kwargs["research"].domain in self.fail:
                raise TimeoutError("the model timed out")
            return await self.inner.write_follow_up(**kwargs)
        finally:
            self.in_flight -= 1


@pytest.fixture
def svc(open_test_services, db_path):
    return open_test_services(db_path, **PROFILE, max_follow_ups=2)


def build(svc, *, fail=(), delay=0.0, seed=5):
    base = offline_ai(seed=seed)
    researcher = StubResearcher()
    writer = CountingWriter(base.writer, set(fail), delay)
    ai = dataclasses.replace(base, researcher=researcher, writer=writer)
    gen = GenerationService(svc.store, svc.settings, ai_factory=lambda _o: ai, seed=seed)
    return FollowUpService(gen), writer, researcher


async def sent_contacts(fu, svc, names, at="2026-11-20T09:00:00"):
    for name in names:
        await fu.generation.generate(f"{name}.example")
        svc.contacts.change_status(f"{name}.example", "sent", at)


async def test_due_follows_the_delay_setting(svc):
    fu, _, _ = build(svc)
    await sent_contacts(fu, svc, ["old"], "2026-11-22T10:00:00")  # exactly 3 days before NOW
    await sent_contacts(fu, svc, ["new"], "2026-11-23T10:00:01")
    await fu.generation.generate("unsent.example")
    [item] = fu.due()
    assert (item.domain, item.days_since, item.number, item.suggest_lost) == ("old.example", 3, 1, False)
    assert [d.domain for d in await fu.due_async()] == ["old.example"]
    # the same rule as the --due filter
    due = svc.contacts.make_filter(due=True)
    assert [r.domain for r in svc.contacts.rows(due, svc.contacts.make_sort(None, due))] == ["old.example"]
    with pytest.raises(NotDue, match="ready"):
        await fu.write_follow_up("unsent.example")


async def test_follow_up_has_a_new_angle_references_without_repeating(svc):
    fu, _, researcher = build(svc)
    await sent_contacts(fu, svc, ["runclinic"])
    fetched = researcher.calls
    result = await fu.write_follow_up("runclinic.example")
    assert researcher.calls == fetched  # written from the stored research
    first, follow = svc.store.messages.messages("runclinic.example")
    assert result.number == 1 and follow.kind.value == "follow_up"
    assert follow.angle != first.angle and follow.framework != first.framework
    assert validate(follow.subject, follow.body) == []
    sig = "Sam Reed\nNorth Studio"
    assert not shared_runs(follow.body.replace(sig, ""), first.body.replace(sig, ""), 6)
    detail = svc.contacts.detail("runclinic.example")
    assert detail.draft_pending and fu.due() == []
    with pytest.raises(NotDue, match="draft"):
        await fu.write_follow_up("runclinic.example")
    svc.contacts.change_status("runclinic.example", "sent", "2026-11-21T09:00:00")
    assert svc.contacts.detail("runclinic.example").row.follow_ups == 1
    assert [(d.domain, d.number) for d in fu.due()] == [("runclinic.example", 2)]


async def test_after_the_maximum_nothing_is_written_and_lost_is_suggested(svc):
    fu, writer, _ = build(svc)
    await sent_contacts(fu, svc, ["tired"])
    svc.store.db.execute_sql("UPDATE contact SET follow_ups = 2 WHERE domain = 'tired.example'")
    [item] = fu.due()
    assert item.suggest_lost and item.number == 3
    with pytest.raises(FollowUpLimit, match="Lost"):
        await fu.write_follow_up("tired.example")
    result = await fu.run()
    assert result.generated == [] and result.suggest_lost == ["tired.example"]
    assert len(result.skipped) == 1 and writer.calls == 0
    assert len(svc.store.messages.messages("tired.example")) == 1


async def test_do_not_contact_is_never_followed_up(svc):
    fu, _, _ = build(svc)
    await sent_contacts(fu, svc, ["nope"])
    svc.contacts.set_do_not_contact("nope.example", True)
    assert fu.due() == []
    with pytest.raises(UserError, match="do not contact"):
        await fu.write_follow_up("nope.example")


async def test_bulk_collects_a_failing_item_and_retries_it(svc):
    fu, writer, _ = build(svc, fail={"b.example"})
    await sent_contacts(fu, svc, ["a", "b", "c", "d"])
    seen = []
    result = await fu.run(progress=seen.append)
    assert sorted(result.generated) == ["a.example", "c.example", "d.example"]
    assert [(f.domain, f.reason) for f in result.failed] == [
        ("b.example", "writing follow-up 1 to b.example failed: the model timed out")]
    assert [p.done for p in seen] == [1, 2, 3, 4] and seen[-1].total == 4
    assert len(svc.store.messages.messages("b.example")) == 1  # nothing half-stored
    writer.fail.clear()
    retry = await fu.run(domains=result.retry_domains)
    assert retry.generated == ["b.example"] and not retry.failed
    assert fu.due() == []


async def test_bulk_respects_the_concurrency_bound(svc):
    fu, writer, _ = build(svc, delay=0.02)
    await sent_contacts(fu, svc, [f"c{i}" for i in range(9)])
    result = await fu.run(concurrency=3)
    assert len(result.generated) == 9
    assert writer.max_in_flight == 3


async def test_bulk_default_concurrency_comes_from_settings(open_test_services, db_path):
    svc = open_test_services(db_path, **PROFILE, follow_up_concurrency=2)
    fu, writer, _ = build(svc, delay=0.02)
    await sent_contacts(fu, svc, [f"s{i}" for i in range(5)])
    await fu.run()
    assert writer.max_in_flight == 2


async def test_cancel_stops_starting_new_items(svc):
    fu, writer, _ = build(svc, delay=0.01)
    await sent_contacts(fu, svc, [f"k{i}" for i in range(8)])
    done = []
    result = await fu.run(concurrency=2, progress=done.append, cancel=lambda: len(done) >= 3)
    assert 3 <= len(result.generated) <= 4
    assert result.cancelled == 8 - len(result.generated)
    assert len(fu.due()) == result.cancelled  # the others are still due


async def test_cancelling_the_task_cancels_what_is_in_flight(svc):
    fu, writer, _ = build(svc, delay=5.0)
    await sent_contacts(fu, svc, [f"t{i}" for i in range(4)])
    task = asyncio.create_task(fu.run(concurrency=2))
    while writer.in_flight < 2:
        await asyncio.sleep(0.005)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert writer.in_flight == 0 and len(fu.due()) == 4


async def test_writer_returning_an_invalid_follow_up_is_a_failure(svc):
    fu, writer, _ = build(svc)
    await sent_contacts(fu, svc, ["dash"])

    async def bad(**kwargs):
        return Draft("Again", "Hi,\n\nJust checking in \u2014 " + "word " * 45)

    writer.write_follow_up = bad
    result = await fu.run()
    assert result.failed[0].domain == "dash.example" and "validation" in result.failed[0].reason
    assert not svc.contacts.detail("dash.example").draft_pending
