"""Follow-up messages: point back at the first note without repeating it, then bring the
new angle, shaped lightly by the framework."""

from __future__ import annotations

import re

from leadletter_tui.ai.offline.angles_bank import ANGLE_WORDS
from leadletter_tui.ai.offline.context import Ctx, pick_fact
from leadletter_tui.ai.offline.frames import angle, hook, lower_first
from leadletter_tui.domain.drafts import Draft
from leadletter_tui.domain.frameworks import Framework
from leadletter_tui.domain.validation import run_words

REF_FIRST = (
    "Following up on my note about {ref}.",
    "A short follow-up to my earlier email about {ref}.",
    "I wrote a few days ago about {ref}.",
    "Last time I wrote, it was about {ref}.",
    "My last email was about {ref}.",
    "You may have seen my note on {ref}.",
)
REF_LATER = (
    "I've written a couple of times now about {ref}.",
    "Back to my earlier notes about {ref}, one more time.",
    "This is my last note after the ones about {ref}.",
    "One final follow-up on {ref}.",
)
NEW_POINT = (
    "For {biz}, that could mean {promise}.",
    "I think {biz} is well placed for {promise}.",
    "A practical first step would be {idea}.",
    "It might be as simple as {idea}.",
    "Put simply, I could help you {gain}.",
    "The idea is to help {biz} {gain}.",
)
FLAVOUR = {
    Framework.PATTERN_INTERRUPT: ("Short one today.", "I'll be brief.", "Just two lines."),
    Framework.DIRECT_VALUE: ("Here it is in one line: {idea}.", "The idea, free to use: {idea}."),
    Framework.MISSION_BASED: ("Good {trades} deserve {promise}.",
                              "It matters because your {cust} clearly matter to you."),
    Framework.LOOM_VIDEO: ("I can record a short video on it, about two minutes.",
                           "A quick screen recording would show it better than an email."),
    Framework.QUESTION_LED: (),  # uses the angle's question
    Framework.PROBLEM_AGITATE_SOLVE: (),  # uses the angle's pain
    Framework.SOCIAL_PROOF: ("Proof is usually what tips new {cust} over.",
                             "People trust what other {cust} say more than anything on a site."),
    Framework.COMPLIMENT_BRIDGE: ("The site already does a lot right.",
                                 "There is a lot to like on {domain} already."),
}
CTA_FOLLOW = (
    "Any thoughts?", "Worth a look?", "Shall I send it over?", "Is this on your radar at all?",
    "Would a short call help?", "Interested?", "Should I put something together?",
)
CTA_LAST = (
    "If it's not for you, just say and I'll stop writing.",
    "If now is not the time, no problem, I'll leave it here.",
    "Either way, thanks for reading.",
)


def reference(previous: list[Draft]) -> str:
    """A short handle on the first message: up to five words of its subject."""
    subject = previous[0].subject if previous else ""
    subject = re.sub(r"^(?:re|fwd?):\s*", "", subject, flags=re.IGNORECASE)
    words: list[str] = []
    for word in subject.rstrip("?.!").split():  # at most four words as run_words counts them
        if len(run_words(" ".join([*words, word]))) > 4:
            break
        words.append(word)
    return lower_first(" ".join(words)) if words else "an idea for your website"


def follow_up_paragraphs(ctx: Ctx, framework: Framework, previous: list[Draft],
                         number: int) -> list[str]:
    ctx.values["ref"] = reference(previous)
    kind = pick_fact(ctx)
    ref = ctx.say(REF_FIRST if number <= 1 else REF_LATER)
    turn = ctx.say(ANGLE_WORDS[ctx.angle]["turn"])
    if framework is Framework.QUESTION_LED:
        flavour = angle(ctx, "question")
    elif framework is Framework.PROBLEM_AGITATE_SOLVE:
        flavour = angle(ctx, "pain")
    else:
        flavour = ctx.say(FLAVOUR[framework], required=False)
    why = hook(ctx, kind) if ctx.rng.random() < 0.6 else ""
    point = ctx.say(NEW_POINT)
    close = ctx.choose(CTA_FOLLOW)
    if number >= 2 or ctx.rng.random() < 0.3:
        close = f"{close} {ctx.choose(CTA_LAST)}"
    first = f"{ref} {turn}"
    middle = " ".join(p for p in (flavour, why, point) if p)
    return [first, middle, close]
