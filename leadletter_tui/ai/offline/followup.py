"""Follow-up messages: point back at the first note without repeating it, then bring the
new angle, shaped lightly by the framework."""

from __future__ import annotations

import re

from leadletter_tui.ai.offline.angles_bank import ANGLE_WORDS, TOPIC_KEYS, TOPICS
from leadletter_tui.ai.offline.context import Ctx, pick_fact
from leadletter_tui.ai.offline.frames import angle, hook
from leadletter_tui.ai.offline.phrasebook import CATEGORY_WORDS
from leadletter_tui.domain.angles import Angle
from leadletter_tui.domain.categories import Category
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
    "Another short note after my email about {ref}.",
)
REF_FINAL = (
    "This is my last note after the ones about {ref}.",
    "One final follow-up on {ref}.",
    "Last email from me on {ref}, I promise.",
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
    Framework.PATTERN_INTERRUPT: ("Short one today.", "I'll be brief.", "Quick one."),
    Framework.DIRECT_VALUE: ("Here it is in one line: {idea}.", "The idea, free to use: {idea}."),
    Framework.MISSION_BASED: ("{biz} has earned it.", "Your {cust} would feel the difference.",
                              "It matters because your {cust} clearly matter to you."),
    Framework.LOOM_VIDEO: ("A short video could show this.",
                           "A short screen recording would show it best.",
                           "Happy to film a quick walkthrough."),
    Framework.QUESTION_LED: (),  # uses the angle's question
    Framework.PROBLEM_AGITATE_SOLVE: (),  # uses the angle's pain
    Framework.SOCIAL_PROOF: ("Other {trades} I've worked with started the same way.",
                             "It has worked well for other {trades}.",
                             "I've seen it pay off for {trades} before."),
    Framework.COMPLIMENT_BRIDGE: ("The site already does a lot right.",
                                 "There's plenty to like on {domain}.",
                                 "Your {cust} are lucky to have you."),
}
CTA_FOLLOW = (
    "Any thoughts?", "Worth a look?", "Shall I send it over?", "Is this on your radar at all?",
    "Would a short call help?", "Interested?", "Should I put something together?",
)
CTA_LAST = (
    "If it's not for you, I'll stop here.",
    "Not the right time? No problem.",
    "Either way, thanks for reading.",
    "If not, I'll leave it there.",
)


def earlier_angle(previous: list[Draft], category: Category) -> Angle | None:
    """The angle the first message most likely took, from its words (None: can't tell)."""
    if not previous:
        return None
    subject, body = previous[0].subject.lower(), previous[0].body.lower()
    for a, words in ANGLE_WORDS.items():  # one of our own subject lines?
        for template in words["subject"]:
            pattern = ".+".join(re.escape(p.lower()) for p in re.split(r"\{\w+\}", template))
            if re.fullmatch(pattern, subject):
                return a
    keys_for = dict(TOPIC_KEYS)
    keys_for[Angle.MORE_LEADS] += tuple(w.lower() for w in CATEGORY_WORDS[category]["enq"])
    scores = {a: sum(3 * subject.count(k) + body.count(k) for k in keys)
              for a, keys in keys_for.items()}
    best = max(scores, key=lambda a: scores[a])
    return best if scores[best] else None


def reference(ctx: Ctx, previous: list[Draft]) -> str:
    """A short handle on the first message: its topic, or a short subject as it was."""
    subject = re.sub(r"^(?:re|fwd?):\s*", "", previous[0].subject if previous else "",
                     flags=re.IGNORECASE).rstrip("?.!")
    if subject and len(run_words(subject)) <= 4 and ctx.rng.random() < 0.3:
        return f'"{subject}"'
    if (old := earlier_angle(previous, ctx.category)) is not None:
        return ctx.say(TOPICS[old])
    return ctx.say(("an idea for {biz}", "your website", "{domain}"))


def follow_up_paragraphs(ctx: Ctx, framework: Framework, previous: list[Draft],
                         number: int) -> list[str]:
    ctx.values["ref"] = reference(ctx, previous)
    kind = pick_fact(ctx)
    ref = ctx.say(REF_FIRST if number <= 1 else REF_LATER if number == 2 else REF_FINAL)
    turn = ctx.say(ANGLE_WORDS[ctx.angle]["turn"])
    if framework is Framework.QUESTION_LED:
        flavour = angle(ctx, "question")
    elif framework is Framework.PROBLEM_AGITATE_SOLVE:
        flavour = angle(ctx, "pain")
    else:
        flavour = ctx.say(FLAVOUR[framework], required=False)
    why = hook(ctx, kind) if ctx.rng.random() < 0.6 else ""
    used_idea = ctx.values["idea"] in flavour
    point = ctx.say([p for p in NEW_POINT if not (used_idea and "{idea}" in p)])
    close = ctx.choose(CTA_FOLLOW)
    if number >= 2 or ctx.rng.random() < 0.3:
        close = f"{close} {ctx.choose(CTA_LAST)}"
    first = f"{ref} {turn}"
    middle = " ".join(p for p in (flavour, why, point) if p)
    return [first, middle, close]
