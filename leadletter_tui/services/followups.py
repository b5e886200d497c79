"""Follow-ups: the due list (the queue, `--due`), one follow-up, and bulk runs.

Due is DESIGN.md's rule (domain/pipeline.py `follow_up_rule`, delay from the settings). A
follow-up is written from the research stored with the first message (no second fetch),
with an angle and a framework not used for the contact before, and the earlier messages
passed to the writer so it references them without repeating them. It is stored as an
unsent draft (`draft_pending`: the contact leaves the due list until it is marked sent).
After `max_follow_ups` nothing is written: the contact is suggested Lost instead.

Bulk runs write at most `concurrency` at once (an `asyncio.Semaphore` inside a
`TaskGroup`), collect per-item failures (domain, reason) for a retry, and stop starting
new items once `cancel()` says so; cancelling the task itself cancels what is in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..domain.angles import Angle
from ..domain.categories import Category, parse_category
from ..domain.frameworks import Framework
from ..domain.drafts import Draft
from ..domain.filters import ContactFilter, Sort, SortKey
from ..domain.model import MessageKind, Status
from ..domain.pipeline import follow_up_rule
from ..domain.research import PageResearch
from ..domain.text import quote_input
from ..errors import UserError
from .contacts import resolve_domain
from .generation import GenerationError, GenerationResult, GenerationService, reason


class NotDue(UserError):
    """This contact should not get a follow-up now (not sent, replied, a draft waiting)."""


class FollowUpLimit(UserError):
    """The contact has had the maximum number of follow-ups: suggest Lost instead."""

    def __init__(self, domain: str, count: int, limit: int) -> None:
        self.domain = domain
        super().__init__(
            f"{domain} has had {count} follow-ups (max_follow_ups = {limit}); "
            f"consider marking it Lost: leadletter status {domain} lost")


@dataclass(frozen=True, slots=True)
class DueItem:
    """One line of the follow-up queue."""

    domain: str
    business_name: str
    contact_name: str
    last_sent_at: datetime | None
    days_since: int  # whole days since it was last sent
    number: int  # the follow-up this would be (follow_ups + 1)
    suggest_lost: bool  # the maximum is reached: mark Lost rather than write


@dataclass(frozen=True, slots=True)
class Failure:
    domain: str
    reason: str


@dataclass(frozen=True, slots=True)
class RunProgress:
    done: int
    total: int
    generated: int
    failed: int
    domain: str  # the item just finished
    elapsed: float  # seconds since the run started

    @property
    def rate(self) -> float:
        """Items finished per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass
class RunResult:
    total: int = 0
    generated: list[str] = field(default_factory=list)
    skipped: list[Failure] = field(default_factory=list)  # not written, with why
    suggest_lost: list[str] = field(default_factory=list)  # at the maximum (also skipped)
    failed: list[Failure] = field(default_factory=list)  # retry with run(domains=...)
    cancelled: int = 0  # items never started because the run was cancelled
    mode: str = ""

    @property
    def retry_domains(self) -> list[str]:
        return [f.domain for f in self.failed]


class FollowUpService:
    def __init__(self, generation: GenerationService) -> None:
        self.generation = generation
        self.store = generation.store
        self.settings = generation.settings

    # --- the due list ------------------------------------------------------------------
    def due_filter(self, base: ContactFilter | None = None) -> ContactFilter:
        """`base` (any filter) narrowed to the contacts due a follow-up now."""
        base = base or ContactFilter()
        rule = follow_up_rule(self.store.now(), self.settings.follow_up_days)
        extra = tuple(c for c in rule if c not in base.conditions)
        parts = base.parts if "follow-up due" in base.parts else (*base.parts, "follow-up due")
        return ContactFilter(base.conditions + extra, parts, True)

    def due(self, base: ContactFilter | None = None, limit: int | None = None) -> list[DueItem]:
        """The due contacts (oldest sent first), with days since sent and the next number.
        Blocking: call it from a thread (`due_async` on the loop)."""
        now = self.store.now()
        flt = self.due_filter(base)
        rows = self.store.contacts.iter_rows(flt, Sort(SortKey.LAST_SENT, False), limit)
        limit_n = self.settings.max_follow_ups
        return [
            DueItem(r.domain, r.business_name, r.contact_name, r.last_sent_at,
                    (now - r.last_sent_at).days if r.last_sent_at else 0, r.follow_ups + 1,
                    r.follow_ups >= limit_n)
            for r in rows
        ]

    async def due_async(self, base: ContactFilter | None = None,
                        limit: int | None = None) -> list[DueItem]:
        return await self.generation.db(self.due, base, limit)

    # --- one follow-up -----------------------------------------------------------------
    async def write_follow_up(self, domain_text: str, *, offline: bool = False,
                              progress: Callable[[str], object] | None = None) -> GenerationResult:
        """Write and store follow-up number `follow_ups + 1` for one contact.

        Raises UserError (unknown, do-not-contact, NotDue, FollowUpLimit, no profile) or
        GenerationError (the writing failed; nothing stored)."""
        from ..store.messages import NewMessage

        gen = self.generation
        step = progress or (lambda _step: None)
        domain = resolve_domain(domain_text)
        profile = gen.profile()
        state = await gen.db(self.store.messages.state, domain)
        if state is None:
            raise UserError(f"no contact with domain {quote_input(domain)}")
        if state.do_not_contact:
            raise UserError(f"{domain} is marked do not contact; no follow-up was written")
        if state.status is not Status.SENT or state.last_sent_at is None:
            raise NotDue(f"{domain} is {state.status.value}, not sent: nothing to follow up")
        if state.last_reply_at is not None:
            raise NotDue(f"{domain} has replied: answer the reply instead of following up")
        if state.draft_pending:
            raise NotDue(f"{domain} already has an unsent follow-up draft: send or edit it")
        limit = self.settings.max_follow_ups
        if state.follow_ups >= limit:
            raise FollowUpLimit(domain, state.follow_ups, limit)
        history = await gen.db(self.store.messages.messages, domain)
        if not history:
            raise NotDue(f"{domain} has no message to follow up on")
        number = state.follow_ups + 1
        ai = gen.ai(offline)

        step("research")  # from the first message's record: no second fetch
        first = next((m for m in history if m.kind is MessageKind.INITIAL), history[0])
        research = PageResearch.from_summary(first.research, domain)
        step("category")
        category = parse_category(state.category or first.category)
        step("angle")
        angle = await gen.choose_angle(category.value, {m.angle for m in history})
        framework = gen.choose_framework({m.framework for m in history})
        step("writing")
        previous = [Draft(m.subject, m.body) for m in history]
        try:
            draft = await ai.writer.write_follow_up(
                research=research, profile=profile, previous=previous, number=number,
                angle=Angle(angle), framework=Framework(framework), category=Category(category),
                contact_name=state.contact_name, business_name=state.business_name or domain)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise GenerationError(f"writing follow-up {number} to {domain} failed: "
                                  f"{reason(exc)}") from None
        step("validation")
        draft = await gen.off_loop(gen.check, draft)
        step("saving")
        message = NewMessage(MessageKind.FOLLOW_UP, draft.subject, draft.body, angle, framework,
                             category.value, ai.model or ai.mode, first.research)
        stored = await gen.db(
            self.store.messages.store, domain, message, draft_pending=True,
            event_detail=f"wrote follow-up {number} ({angle}, {framework}, {ai.mode})")
        gen.stored(stored.event_mark)
        return GenerationResult(domain, stored.business_name, False, MessageKind.FOLLOW_UP,
                                number, draft, angle, framework, category.value, research,
                                ai.mode, ai.model or ai.mode)

    # --- bulk --------------------------------------------------------------------------
    async def run(
        self, base: ContactFilter | None = None, *, domains: Iterable[str] | None = None,
        offline: bool = False, concurrency: int | None = None,
        progress: Callable[[RunProgress], object] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> RunResult:
        """Follow-ups for every due contact matching `base` (or exactly `domains`, e.g. a
        selection or the `retry_domains` of an earlier run)."""
        gen = self.generation
        gen.profile()  # no profile: one error up front, not one per contact
        if domains is None:
            targets = [d.domain for d in await self.due_async(base)]
        else:
            targets = list(dict.fromkeys(domains))
        limit = max(1, concurrency or self.settings.follow_up_concurrency)
        result = RunResult(total=len(targets), mode=gen.ai(offline).mode)
        if not targets:
            return result
        sem = asyncio.Semaphore(limit)
        started = time.perf_counter()
        done = 0

        async def one(domain: str) -> None:
            nonlocal done
            async with sem:
                if cancel is not None and cancel():
                    result.cancelled += 1
                    return
                try:
                    await self.write_follow_up(domain, offline=offline)
                    result.generated.append(domain)
                except FollowUpLimit as exc:
                    result.skipped.append(Failure(domain, str(exc)))
                    result.suggest_lost.append(domain)
                except NotDue as exc:
                    result.skipped.append(Failure(domain, str(exc)))
                except (UserError, GenerationError) as exc:
                    result.failed.append(Failure(domain, str(exc)))
                except Exception as exc:  # noqa: BLE001  one item's fault stays its own
                    result.failed.append(Failure(domain, reason(exc)))
                done += 1
                if progress is not None:
                    progress(RunProgress(done, len(targets), len(result.generated),
                                         len(result.failed), domain,
                                         time.perf_counter() - started))

        async with asyncio.TaskGroup() as tg:
            for domain in targets:
                tg.create_task(one(domain))
        from .. import logs

        logs.info("bulk follow-ups (%s): %d due, %d written, %d skipped, %d failed, %d cancelled",
                  result.mode, len(targets), len(result.generated), len(result.skipped),
                  len(result.failed), result.cancelled)
        for failure in result.failed:
            logs.warning("follow-up for %s failed: %s", failure.domain, failure.reason)
        return result
