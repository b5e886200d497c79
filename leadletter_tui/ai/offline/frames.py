"""The eight frameworks of a first message, each with its own structure and phrasings.

A builder takes the draft's `Ctx` and returns the middle paragraphs (greeting and sign-off
are added by the writer). Shared pieces (hook, introduction, call to action) come from
`phrasebook`; the angle's words from `angles_bank`.
"""

from __future__ import annotations

from collections.abc import Callable

from leadletter_tui.ai.offline.angles_bank import ANGLE_WORDS
from leadletter_tui.ai.offline.context import Ctx, pick_fact
from leadletter_tui.ai.offline.phrasebook import (
    CTA,
    CTA_LONG_ASK,
    CTA_LONG_WHEN,
    CTA_SOFT,
    HOOKS,
    INTRO_CORE,
    INTRO_RAW,
    INTRO_SHORT,
    INTRO_TAILS,
)
from leadletter_tui.domain.frameworks import Framework


def angle(ctx: Ctx, slot: str) -> str:
    return ctx.say(ANGLE_WORDS[ctx.angle][slot])


def set_angle_words(ctx: Ctx) -> None:
    """Fix this draft's promise/gain/idea wording (they may appear in several sentences)."""
    for slot in ("promise", "gain", "idea"):
        ctx.values[slot] = angle(ctx, slot)
    ctx.values["pain_lc"] = lower_first(angle(ctx, "pain"))


def lower_first(text: str) -> str:
    """Lower-case the first word if it is an ordinary capitalised word ("Most" -> "most")."""
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and word[1:].islower():
        return text[:1].lower() + text[1:]
    return text


def hook(ctx: Ctx, kind: str) -> str:
    return ctx.say(HOOKS.get(kind, ()), required=False) or ctx.say(HOOKS[""])


def intro(ctx: Ctx, full: bool = True) -> str:
    """Who the sender is and what they do."""
    if full and ctx.values.get("core"):
        head = ctx.say(INTRO_CORE, required=False)
        if head:
            return head + ctx.say(INTRO_TAILS)
    if full and ctx.values.get("offer"):
        if line := ctx.say(INTRO_RAW, required=False):
            return line
    if full:
        generic = ("I help {trades} {gain}.", "My work is helping {trades} {gain}.",
                   "I work with {trades} on {promise}.")
        lead = ctx.say(INTRO_SHORT, required=False)
        return " ".join(p for p in (lead, ctx.say(generic)) if p)
    return ctx.say(INTRO_SHORT, required=False)


def cta(ctx: Ctx, own: tuple[str, ...] = ()) -> str:
    roll = ctx.rng.random()
    if own and roll < 0.45:
        ask = ctx.say(own)
    elif roll < 0.75:
        ask = ctx.say(CTA)
    else:
        ask = f"{ctx.choose(CTA_LONG_ASK)} {ctx.choose(CTA_LONG_WHEN)}"
    soft = ctx.choose(CTA_SOFT)
    return f"{ask} {soft}".strip()


def _pattern_interrupt(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx, ("offering", "perk", "trait"))
    opener = ctx.say((
        "I'll keep this short.",
        "Two honest sentences, then I'll go.",
        "You probably skip emails like this.",
        "No long pitch, promise.",
        "Straight to it.",
        "This one is short.",
    ))
    why = ctx.say((
        "My guess is that {biz} could get {promise}.",
        "I think there's room for {promise} at {biz}.",
        "The short version: {promise} looks very doable for you.",
        "What I had in mind is {promise}.",
        "In one line: {promise}.",
        "I'd aim for {promise}.",
    ))
    return [f"{opener} {hook(ctx, kind)}", why + " " + intro(ctx), cta(ctx, (
        "Worth a reply?", "Yes or no?", "Curious?", "Should I send the details?"))]


def _direct_value(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx, ("offering", "loc"))
    idea = ctx.say((
        "Here is one idea for {biz}: {idea}.",
        "One idea, free to use: {idea}.",
        "Something you could do this month: {idea}.",
        "My suggestion for {domain} would be {idea}.",
    ))
    why = ctx.say((
        "It's a simple way to {gain}.",
        "The point is {promise}.",
        "Done well, it means {promise}.",
        "It should help you {gain}.",
        "That alone could mean {promise}.",
        "Small change; it helps you {gain}.",
    ))
    return [f"{idea} {why}", f"{hook(ctx, kind)} {intro(ctx)}", cta(ctx, (
        "Want the details?", "Happy to explain how, if useful.",
        "Shall I write it up for {biz}?"))]


def _mission_based(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx, ("since", "years", "trait", "loc"))
    care = ctx.say((
        "It's clear {biz} cares about its {cust}.",
        "You can tell the {cust} come first at {biz}.",
        "That kind of care for {cust} is what I look for.",
        "It reads like a {trade} built on doing right by people.",
    ))
    mine = ctx.say((
        "My own aim: {promise} for {trades} that deserve it.",
        "I care about the same thing, from a different side: {promise}.",
        "What drives my work is helping good {trades} {gain}.",
        "I started doing this to help {trades} like yours {gain}.",
    ))
    return [f"{hook(ctx, kind)} {care}", f"{mine} {intro(ctx)}", cta(ctx, (
        "Would you be open to hearing how?", "Could we talk about it?"))]


def _loom_video(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx, ("offering",))
    video = ctx.say((
        "I'd like to record a short screen video for you, about two minutes, on {idea}.",
        "I can put together a two-minute video walking through {idea}.",
        "Rather than explain it here, I could record a quick video of {idea}.",
        "I'm happy to film a short walkthrough of {domain} showing {idea}.",
    ))
    why = ctx.say((
        "It would show how {biz} could get {promise}.",
        "The aim is {promise}.",
        "It is all about helping you {gain}.",
        "You'd see exactly how to {gain}.",
        "Think of it as a plan for {promise}.",
    ))
    watch = ctx.say((
        "No call needed.",
        "Watch it whenever suits you.",
        "Nothing to sign up for.",
        "It's yours to keep either way.",
    ))
    return [hook(ctx, kind), f"{video} {why} {watch}", f"{intro(ctx, full=ctx.rng.random() < .6)}",
            cta(ctx, ("Shall I send it over?", "Want me to record it?", "Should I make it?"))]


def _question_led(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx, ("offering", "perk", "years"))
    question = angle(ctx, "question")
    context = ctx.say((
        "I ask because {pain_lc}",
        "The reason I ask: {pain_lc}",
        "I'm asking because {pain_lc}",
    ))
    return [question, f"{hook(ctx, kind)} {context}", intro(ctx) + " " + ctx.say((
        "For {biz} that could mean {promise}.", "The goal would be {promise}.",
        "It usually means {promise}.", "Done right, that's {promise}.",
        "The aim: {promise}.")), cta(ctx)]


def _problem_agitate_solve(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx)
    solve = ctx.say((
        "The fix is usually {idea}.", "A good place to start is {idea}.",
        "What tends to work is {idea}.", "The answer is often simpler than it looks: {idea}.",
    ))
    return [f"{angle(ctx, 'pain')} {angle(ctx, 'cost')}", f"{solve} {hook(ctx, kind)}",
            intro(ctx), cta(ctx)]


def _social_proof(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx, ("count", "trait", "years", "since"))
    their = hook(ctx, kind)
    pattern = ctx.say((
        "In my experience, {trades} with a track record like yours are closest to {promise}.",
        "Other {trades} I have worked with wanted the same thing: {promise}.",
        "Other {trades} I have worked with got {promise} by putting proof first.",
        "What I see again and again: {trades} with happy {cust} are one step from {promise}.",
    ))
    return [their + " " + pattern, intro(ctx), cta(ctx, (
        "Happy to show you examples.", "Want to see a couple of examples?",
        "Shall I share what worked for others?"))]


def _compliment_bridge(ctx: Ctx) -> list[str]:
    kind = pick_fact(ctx, ("offering", "trait", "count", "since", "years"))
    compliment = ctx.say((
        "Impressive work.", "That's something to be proud of.", "I liked it a lot.",
        "Nicely done.", "A lot of care shows.",
    ))
    bridge = ctx.say((
        "It got me thinking about {promise}.",
        "It also made me wonder about {promise}.",
        "And it's why I think you're close to {promise}.",
        "The natural next step is helping you {gain}.",
        "Which made me think about {idea}.",
        "The next step I'd suggest is {idea}.",
    ))
    opening = f"{hook(ctx, kind)} {compliment}" if kind else hook(ctx, kind)
    return [opening, bridge, intro(ctx), cta(ctx)]


BUILDERS: dict[Framework, Callable[[Ctx], list[str]]] = {
    Framework.PATTERN_INTERRUPT: _pattern_interrupt,
    Framework.DIRECT_VALUE: _direct_value,
    Framework.MISSION_BASED: _mission_based,
    Framework.LOOM_VIDEO: _loom_video,
    Framework.QUESTION_LED: _question_led,
    Framework.PROBLEM_AGITATE_SOLVE: _problem_agitate_solve,
    Framework.SOCIAL_PROOF: _social_proof,
    Framework.COMPLIMENT_BRIDGE: _compliment_bridge,
}
