"""The offline message writer: first messages and follow-ups without an API key.

Composition: facts from the homepage (`domain.facts`), the sender's profile, the category's
vocabulary, the angle's wording and the framework's structure; every slot has several
interchangeable phrasings chosen by a random generator seeded from the writer's seed and
the inputs (same inputs and seed, same draft). A draft is repaired once (dashes,
whitespace) and validated; one that still fails is thrown away and another phrasing tried,
a bounded number of times; then `DraftError`. A follow-up also may not share a run of six
words with any earlier message to the contact (the signature, identical in every message
by design, is left out of that comparison).
"""

from __future__ import annotations

import hashlib
import random
import re

from leadletter_tui.ai.offline.angles_bank import ANGLE_WORDS
from leadletter_tui.ai.offline.context import Ctx, align_words, build_ctx
from leadletter_tui.ai.offline.followup import follow_up_paragraphs
from leadletter_tui.ai.offline.frames import BUILDERS, set_angle_words
from leadletter_tui.ai.offline.phrasebook import GREETINGS, GREETINGS_ANON, SIGNOFFS
from leadletter_tui.domain.angles import Angle
from leadletter_tui.domain.categories import Category, parse_category
from leadletter_tui.domain.drafts import Draft, DraftError
from leadletter_tui.domain.facts import extract_facts
from leadletter_tui.domain.frameworks import Framework
from leadletter_tui.domain.profile import SenderProfile
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.validation import (
    SUBJECT_MAX_CHARS,
    Problem,
    repair,
    shared_runs,
    validate,
)

MAX_ATTEMPTS = 80
FOLLOW_UP_RUN = 6  # words in a row a follow-up may not share with an earlier message

_CONTRACTIONS = {
    "I'm": "I am", "I'd": "I would", "I'll": "I will", "I've": "I have", "you're": "you are",
    "it's": "it is", "It's": "It is", "that's": "that is", "That's": "That is",
    "there's": "there is", "There's": "There is", "don't": "do not", "won't": "will not",
    "can't": "cannot", "isn't": "is not", "we're": "we are", "you've": "you have",
    "here's": "here is", "Here's": "Here is", "what's": "what is",
}
_CONTRACTION_RE = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, _CONTRACTIONS)) + r")(?![\w'])")
_US = (("Enquir", "Inquir"), ("enquir", "inquir"), ("organisation", "organization"),
       ("centre", "center"), ("specialis", "specializ"), ("favourite", "favorite"))


def _expand_contractions(text: str) -> str:
    return _CONTRACTION_RE.sub(lambda m: _CONTRACTIONS[m.group(1)], text)


def _capitalise_sentences(paragraph: str) -> str:
    return re.sub(r"(^|[.!?] )([\"']?)([a-z])",
                  lambda m: m.group(1) + m.group(2) + m.group(3).upper(), paragraph)


def strip_signature(body: str, signature: str) -> str:
    """The body without its trailing signature block (for run comparisons)."""
    body = body.rstrip()
    sig = signature.strip()
    if sig and body.endswith(sig):
        return body[: -len(sig)].rstrip()
    return body


class OfflineWriter:
    """Writes drafts from templates; deterministic for a given ``seed`` and inputs."""

    def __init__(self, seed: int | None = None) -> None:
        self._seed = seed if seed is not None else random.SystemRandom().randrange(2**63)

    # --- public API -------------------------------------------------------------------------

    def write_initial(
        self, *, research: PageResearch, profile: SenderProfile, category: Category | str,
        angle: Angle | str, framework: Framework | str, contact_name: str = "",
        business_name: str = "",
    ) -> Draft:
        framework = Framework(framework)

        def body(ctx: Ctx) -> list[str]:
            return BUILDERS[framework](ctx)

        return self._write("initial", 0, research, profile, category, angle, framework,
                           contact_name, business_name, body, previous=[])

    def write_follow_up(
        self, *, research: PageResearch, profile: SenderProfile, previous: list[Draft],
        number: int, angle: Angle | str, framework: Framework | str,
        category: Category | str = Category.OTHER, contact_name: str = "",
        business_name: str = "",
    ) -> Draft:
        framework = Framework(framework)

        def body(ctx: Ctx) -> list[str]:
            return follow_up_paragraphs(ctx, framework, previous, number)

        return self._write("follow_up", max(1, number), research, profile, category, angle,
                           framework, contact_name, business_name, body, previous=previous)

    # --- composition ------------------------------------------------------------------------

    def _rng(self, *parts: object) -> random.Random:
        key = "|".join(str(p) for p in (self._seed, *parts))
        return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))

    def _write(self, kind, number, research, profile, category, angle, framework,
               contact_name, business_name, middle, previous: list[Draft]) -> Draft:
        category = category if isinstance(category, Category) else parse_category(category)
        angle = Angle(angle)
        facts = extract_facts(research)
        rng = self._rng(kind, number, research.domain, category, angle, framework,
                        contact_name, business_name, len(previous))
        earlier = [(d.subject, d.body) for d in previous]
        problems: list[Problem] = []
        for attempt in range(MAX_ATTEMPTS):
            ctx = build_ctx(rng=rng, research=research, facts=facts, profile=profile,
                            category=category, angle=angle, contact_name=contact_name,
                            business_name=business_name)
            if earlier and attempt < MAX_ATTEMPTS // 2:
                align_words(ctx, [body for _, body in earlier])
            if attempt >= MAX_ATTEMPTS // 2:  # the sender's own offer text may be the culprit
                ctx.values["core"] = ctx.values["offer"] = ""
            set_angle_words(ctx)
            subject = self._subject(ctx)
            body = self._assemble(ctx, middle(ctx))
            subject, body = repair(subject, body)
            problems = validate(subject, body)
            if not problems and earlier:
                problems = self._repeats(subject, body, earlier, ctx.signature)
            if not problems:
                return Draft(subject=subject, body=body)
        detail = "; ".join(sorted({p.message for p in problems}))
        raise DraftError(f"could not write a valid {kind.replace('_', '-')} for "
                         f"{research.domain} after {MAX_ATTEMPTS} tries: {detail}")

    def _subject(self, ctx: Ctx) -> str:
        options = [o for o in ANGLE_WORDS[ctx.angle]["subject"] if ctx.can(o)]
        ctx.rng.shuffle(options)
        for option in options:
            text = self._finish(ctx, ctx.fill(option))
            if len(text) <= SUBJECT_MAX_CHARS:
                return text[:1].upper() + text[1:]
        return self._finish(ctx, ctx.values["biz"])[:SUBJECT_MAX_CHARS]

    def _assemble(self, ctx: Ctx, paragraphs: list[str]) -> str:
        greetings = GREETINGS if ctx.values.get("first") else GREETINGS_ANON
        greeting = ctx.say(greetings[ctx.tone])
        sign_off = ctx.choose(SIGNOFFS[ctx.tone])
        parts = [greeting, *(_capitalise_sentences(p.strip()) for p in paragraphs if p.strip())]
        text = self._finish(ctx, "\n\n".join(parts))
        closing = sign_off + (f"\n{ctx.signature}" if ctx.signature else "")
        return f"{text}\n\n{closing}"

    def _finish(self, ctx: Ctx, text: str) -> str:
        if ctx.tone == "formal":
            text = _expand_contractions(text)
        if ctx.us:
            for uk, us in _US:
                text = text.replace(uk, us)
        return text

    @staticmethod
    def _repeats(subject: str, body: str, earlier: list[tuple[str, str]],
                 signature: str) -> list[Problem]:
        mine = f"{subject}\n{strip_signature(body, signature)}"
        for old_subject, old_body in earlier:
            old = f"{old_subject}\n{strip_signature(old_body, signature)}"
            if runs := shared_runs(mine, old, FOLLOW_UP_RUN):
                words = " ".join(sorted(runs)[0])
                return [Problem("repeats_earlier", f'repeats "{words}" from an earlier message')]
        return []
