"""Generation: a domain's first message (the CLI's `generate`, the TUI's generate screen).

The pipeline (DESIGN.md): normalise the domain → refuse do-not-contact → research the
homepage (a failed fetch is recorded with its reason and generation goes on from the domain
alone) → industry category → angle (the learning loop) → framework → write → validate →
store (the first message for a domain creates its contact, status Ready).

Everything is async: the AI calls run on the event loop; database work runs in a thread
(`asyncio.to_thread`, each call on its own connection) so the loop is never blocked. The AI
bundle (`ai/interfaces.py`) is chosen by `services/ai_choice.py`: Claude with a key, the
offline implementations without one or with `offline=True`.

The service keeps one `AngleLearner`, rebuilt by `AnalyticsService.learner` (the same
outcomes and rebuild the analytics screen's favourites come from) whenever the event log has
moved on (every status change, reply or message logs an event); messages this
service stores move its mark along, so it is not rebuilt for its own writes.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..config import REQUIRED_PROFILE_KEYS, Settings, sender_profile
from ..domain.angles import ANGLES, Angle
from ..domain.categories import Category, parse_category
from ..domain.domains import display_domain
from ..domain.drafts import Draft
from ..domain.facts import clean_business_name
from ..domain.frameworks import FRAMEWORKS, Framework
from ..domain.learning import AngleLearner
from ..domain.model import MessageKind
from ..domain.research import PageResearch
from ..domain.text import quote_input, truncate_line
from ..domain.validation import validate
from ..errors import UserError
from .analytics import AnalyticsService
from .contacts import ContactService, resolve_domain
from .errors import database_errors

if TYPE_CHECKING:
    from ..ai.interfaces import AI
    from ..store.store import Store

STEPS = ("research", "category", "angle", "writing", "validation", "saving")
"""The progress steps, in order (`progress(step)` is called as each one starts)."""

Progress = Callable[[str], Any]


class GenerationError(UserError):
    """A generation that could not finish (the model or the writer failed, or the draft
    failed validation); str() is one line. Nothing was stored. The CLI exits 1. Each one
    is logged with its reason as it is raised (logs.py)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        from .. import logs

        logs.warning("generation failed: %s", message)


class ProfileMissing(UserError):
    """No sender profile yet: the settings that must be filled in first."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(f"no sender profile yet: set {' and '.join(missing)}")


@dataclass(frozen=True, slots=True)
class GenerationResult:
    domain: str
    business_name: str
    created: bool  # this message created the contact
    kind: MessageKind
    number: int  # 0 for the first message; n for follow-up n
    draft: Draft
    angle: str
    framework: str
    category: str
    research: PageResearch
    mode: str  # "Claude" or "offline"
    model: str


def reason(exc: BaseException) -> str:
    """One line for an error from the AI or the writer (never a traceback)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return truncate_line(text or type(exc).__name__, 300)


def check_url(url: str | None) -> str | None:
    """A `--url` override: http(s) with a host, else UserError."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UserError(f"--url must be an http:// or https:// address, got {quote_input(url)}")
    return url.strip()


class GenerationService:
    """Writes and stores messages. One per Services; safe to use from one event loop at a
    time (the CLI's `asyncio.run`, the TUI's async workers)."""

    def __init__(self, store: Store, settings: Settings, *,
                 ai_factory: Callable[[bool], AI] | None = None, seed: int | None = None) -> None:
        self.store = store
        self.settings = settings
        # Settings -> settings with empty profile fields from the team's (Services sets it).
        self.team_profile: Callable[[Settings], Settings] | None = None
        self._ai_factory = ai_factory
        self._ais: dict[bool, AI] = {}
        self._seed = seed
        self._rng = random.Random(seed)
        self._bag: list[str] = []  # frameworks left in this round (each of the 8 once a round)
        self._learner: AngleLearner | None = None
        self._mark = -1  # the event mark the learner was built at
        self._analytics = AnalyticsService(store, settings)

    # --- the pieces (follow-ups use them too) ------------------------------------------
    def ai(self, offline: bool = False) -> AI:
        """The AI bundle in use for `offline` (built once)."""
        if offline not in self._ais:
            if self._ai_factory is not None:
                self._ais[offline] = self._ai_factory(offline)
            else:
                from .ai_choice import choose_ai

                self._ais[offline] = choose_ai(self.settings, offline=offline, seed=self._seed)
        return self._ais[offline]

    def profile(self):
        """The sender profile, or ProfileMissing naming the settings to fill in."""
        settings = self.settings
        if self.team_profile is not None:  # empty fields from the team's shared profile
            settings = self.team_profile(settings)
        profile = sender_profile(settings)
        if not profile.is_complete:
            missing = tuple(k for k in REQUIRED_PROFILE_KEYS if not getattr(settings, k).strip())
            raise ProfileMissing(missing or REQUIRED_PROFILE_KEYS)
        return profile

    async def db(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a store call in a worker thread (the loop never waits on it). Each pool thread
        keeps its own connection between calls: opening one (and its pragmas) for every
        call cost more GIL time than the queries, and stalled the UI loop in bulk runs."""
        def run():
            with database_errors(self.store):
                return fn(*args, **kwargs)

        return await asyncio.to_thread(run)

    @staticmethod
    async def off_loop(fn: Callable[..., Any], *args: Any) -> Any:
        """CPU work (validating a draft: about a millisecond) in a worker thread: a bulk
        run gets its answers in waves, and eight checks back to back on the loop were a
        dropped frame."""
        return await asyncio.to_thread(fn, *args)

    async def learner(self) -> AngleLearner:
        """The learning loop: `AnalyticsService.learner`, the one rebuild from stored
        outcomes (so the favourite the analytics screen shows is the learner used here),
        redone only when the event log has moved on."""
        mark = await self.db(self.store.messages.event_mark)
        if self._learner is None or mark != self._mark:
            seed = self._rng.getrandbits(63) if self._seed is not None else None
            self._learner = await self.db(self._analytics.learner, seed)
            self._mark = mark
        return self._learner

    def stored(self, mark: int) -> None:
        """A message was stored by this service (its outcome is not known yet)."""
        self._mark = max(self._mark, mark)

    async def choose_angle(self, category: str, exclude: set[str] | frozenset[str] = frozenset()) -> str:
        learner = await self.learner()
        for _ in range(12):
            angle = learner.choose(category)
            if angle not in exclude:
                return angle
        rest = [a for a in ANGLES if a not in exclude] or list(ANGLES)
        return self._rng.choice(rest)

    def choose_framework(self, exclude: set[str] | frozenset[str] = frozenset()) -> str:
        """Each of the eight once per round, in a seeded random order; `exclude` (those
        already used for this contact) is skipped while others remain."""
        if not self._bag:
            self._bag = list(FRAMEWORKS)
            self._rng.shuffle(self._bag)
        for i, framework in enumerate(self._bag):
            if framework not in exclude:
                return self._bag.pop(i)
        rest = [f for f in FRAMEWORKS if f not in exclude] or list(FRAMEWORKS)
        return self._rng.choice(rest)

    @staticmethod
    def check(draft: Draft) -> Draft:
        """The validator again, whoever wrote it: an invalid draft is never stored."""
        if not isinstance(draft, Draft):
            raise GenerationError("the writer returned no draft")
        problems = validate(draft.subject, draft.body)
        if problems:
            detail = "; ".join(p.message for p in problems[:3])
            raise GenerationError(f"the draft failed validation ({detail}); nothing was stored")
        return draft

    # --- the first message -------------------------------------------------------------
    async def generate(
        self, domain_text: str, *, name: str = "", email: str = "", phone: str = "",
        business: str = "", url: str | None = None, offline: bool = False,
        progress: Progress | None = None, avoid_angle: str | None = None,
    ) -> GenerationResult:
        """Research, write, validate and store a first message for `domain_text`
        (`avoid_angle`: write it again on another angle than that one).

        Raises UserError (bad domain, bad --url or field, do-not-contact, no profile),
        GenerationError (the writing failed; nothing stored)."""
        from ..store.messages import NewContact, NewMessage

        step = progress or (lambda _step: None)
        domain = resolve_domain(domain_text)
        url = check_url(url)
        profile = self.profile()
        fields = ContactService.clean_edit(
            {"business_name": business, "contact_name": name, "email": email, "phone": phone})
        state = await self.db(self.store.messages.state, domain)
        if state is not None and state.do_not_contact:
            raise UserError(f"{domain} is marked do not contact; no message was written")
        ai = self.ai(offline)

        step("research")
        try:
            research = await ai.researcher.research(domain, url)
        except (asyncio.CancelledError, UserError):
            raise
        except Exception as exc:  # researchers report faults as data; be safe anyway
            research = PageResearch.failed(domain, url or f"https://{domain}/", reason(exc))

        step("category")
        try:
            guess = await ai.categoriser.categorise(research, domain)
            category = parse_category(getattr(guess, "category", guess))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise GenerationError(f"categorising {domain} failed: {reason(exc)}") from None

        step("angle")
        angle = await self.choose_angle(category.value,
                                        {avoid_angle} if avoid_angle else frozenset())
        framework = self.choose_framework()
        business_name = (fields["business_name"] or (state.business_name if state else "")
                         or (clean_business_name(research.title, domain) if research.title else "")
                         or display_domain(domain))
        contact_name = fields["contact_name"] or (state.contact_name if state else "")

        step("writing")
        try:
            draft = await ai.writer.write_initial(
                research=research, profile=profile, category=Category(category), angle=Angle(angle),
                framework=Framework(framework), contact_name=contact_name, business_name=business_name)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise GenerationError(f"writing to {domain} failed: {reason(exc)}") from None

        step("validation")
        draft = await self.off_loop(self.check, draft)

        step("saving")
        message = NewMessage(MessageKind.INITIAL, draft.subject, draft.body, angle, framework,
                             category.value, ai.model or ai.mode, research.to_summary())
        new = NewContact(business_name, contact_name, fields["email"], fields["phone"])
        stored = await self.db(
            self.store.messages.store, domain, message, new_contact=new,
            event_detail=f"wrote first message ({angle}, {framework}, {ai.mode})")
        self.stored(stored.event_mark)
        return GenerationResult(domain, stored.business_name, stored.created, MessageKind.INITIAL,
                                0, draft, angle, framework, category.value, research, ai.mode,
                                ai.model or ai.mode)

    def update_draft(self, domain_text: str, subject: str, body: str) -> list[str]:
        """Keep the user's edit of a contact's unsent message. Returns the writing rules the
        edit breaks (shown as a warning: the user's words are theirs to keep)."""
        from ..domain.text import sanitize_line, sanitize_text

        domain = resolve_domain(domain_text)
        subject, body = sanitize_line(subject).strip(), sanitize_text(body).strip()
        if not subject or not body:
            raise UserError("a message needs a subject and a body")
        if len(subject) > 300 or len(body) > 20_000:
            raise UserError("that message is too long to keep (subject 300, body 20,000 characters)")
        with database_errors(self.store):
            if not self.store.messages.update_draft(domain, subject, body):
                raise UserError(f"{domain} has no unsent message to edit")
        return [p.message for p in validate(subject, body)]
