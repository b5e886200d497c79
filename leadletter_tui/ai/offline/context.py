"""Everything one offline draft is written from, gathered once: names, facts, the sender's
voice, and the words chosen for this draft. Plus `Ctx.say`, which picks a phrasing whose
placeholders are all known and fills it in."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass, field

from leadletter_tui.ai.offline.phrasebook import CATEGORY_WORDS, FORMALITIES
from leadletter_tui.domain.angles import Angle
from leadletter_tui.domain.categories import Category
from leadletter_tui.domain.facts import PageFacts, name_from_domain, safe_fragment
from leadletter_tui.domain.profile import SenderProfile
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.text import sanitize_line, sanitize_text
from leadletter_tui.domain.validation import MAX_SENTENCE_WORDS, find_stock_phrases, repair

_FORMATTER = string.Formatter()
_TITLES = {"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof", "prof."}
_FIRST_PERSON = re.compile(r"^(?:we|i)\s+(?!am\b|'m\b|are\b|have\b|was\b|were\b)", re.IGNORECASE)


def _fields(template: str) -> list[str]:
    return [f for _, f, _, _ in _FORMATTER.parse(template) if f]


def as_phrase(text: str, keep: str = "") -> str:
    """A page heading as words inside a sentence: "Emergency Plumbing" -> "emergency
    plumbing"; acronyms, mixed-case brand words and words of ``keep`` stay as they are."""
    kept = set(keep.split())
    if " " not in text.strip() and not text.endswith("s"):
        return text  # one singular word may be a brand ("Invisalign")
    return " ".join(
        w.lower() if w[:1].isupper() and w[1:].islower() and w not in kept else w
        for w in text.split()
    )


def contact_greeting_name(contact_name: str) -> str:
    """"dana whitfield" -> "Dana"; "Dr. Priya Patel" -> "Dr. Patel"; junk -> ""."""
    name = safe_fragment(contact_name, max_words=5)
    words = [w for w in name.replace(",", " ").split() if w]
    if not words or any(ch.isdigit() for ch in name):
        return ""
    if words[0].lower() in _TITLES and len(words) >= 2:
        title = words[0].capitalize().rstrip(".") + "."
        return f"{title} {words[-1][:1].upper()}{words[-1][1:]}"
    first = words[0]
    if not re.fullmatch(r"[^\W\d_][\w'.-]*", first):
        return ""
    return first[:1].upper() + first[1:] if first.islower() else first


def formality(sample: str) -> str:
    """"formal", "neutral" or "casual", from a writing sample (light touch)."""
    s = sample.lower().replace("\u2019", "'")
    if not s.strip():
        return "neutral"
    score = sum(s.count(w) for w in ("dear ", "regards", "sincerely", "i am ", "i would ",
                                     "please find", "kindly"))
    score -= sum(s.count(w) for w in ("hey", "cheers", "!", "thanks!", "awesome", " :)"))
    score -= len(re.findall(r"\b\w+'(?:m|re|ve|ll|d|s|t)\b", s)) // 2
    return "formal" if score >= 2 else "casual" if score <= -2 else "neutral"


def _core_from_offer(offer: str, company: str) -> tuple[str, str]:
    """(core, raw): core is the offer's verb phrase after "We"/"I"/the company ("build fast
    websites for trades"), "" when it cannot be read that way; raw is the first sentence."""
    first = re.split(r"(?<=[.!?])\s+", offer.strip())[0].rstrip(".!? ")
    raw = first
    core = ""
    if m := _FIRST_PERSON.match(first):
        core = first[m.end():]
    elif company and first.lower().startswith(company.lower() + " "):
        rest = first[len(company) + 1:]
        verb, _, tail = rest.partition(" ")
        base = re.sub(r"(?<=[sxz]|ch|sh)es$|(?<=[^s])s$", "", verb)
        if base != verb and tail:
            core = f"{base} {tail}"
    if core and len(core.split()) > 14 and "," in core:
        core = core.split(",")[0]
    if core and not (3 <= len(core.split()) <= 16):
        core = ""
    return core, raw


def _clean_user_text(text: str) -> str:
    """Profile text: sanitised, dashes repaired, one line."""
    line = " ".join(sanitize_line(text).split())
    return repair(line, "")[0]


def _us_spelling(research: PageResearch) -> bool:
    lang = research.language.lower()
    if lang.startswith("en-") or lang.startswith("en_"):
        return lang[3:5] == "us"
    return research.domain.rsplit(".", 1)[-1] in {"com", "us", "net", "io"}


@dataclass
class Ctx:
    """One draft's material. `values` feeds the templates; empty values are "unknown"."""

    rng: random.Random
    research: PageResearch
    facts: PageFacts
    category: Category
    angle: Angle
    tone: str
    values: dict[str, str] = field(default_factory=dict)
    signature: str = ""
    us: bool = False

    def can(self, template: str) -> bool:
        return all(self.values.get(f) for f in _fields(template))

    def fill(self, template: str) -> str:
        return template.format_map(self.values)

    def say(self, options, required: bool = True) -> str:
        """One of ``options`` (strings with {placeholders}) whose placeholders are known."""
        usable = [o for o in options if self.can(o)]
        if not usable:
            if required:
                raise LookupError(f"no usable phrasing among {options[:2]}...")
            return ""
        return self.fill(self.rng.choice(usable))

    def choose(self, options):
        return self.rng.choice(list(options))


def build_ctx(
    *, rng: random.Random, research: PageResearch, facts: PageFacts, profile: SenderProfile,
    category: Category, angle: Angle, contact_name: str, business_name: str,
) -> Ctx:
    tone = formality(sanitize_text(profile.writing_sample))
    words = CATEGORY_WORDS[category]
    biz = safe_fragment(business_name, max_words=6) or facts.business_name
    biz = biz or name_from_domain(research.domain) or research.domain
    company = _clean_user_text(profile.company)
    name = _clean_user_text(profile.name)
    offer = _clean_user_text(profile.offer)
    core, raw = _core_from_offer(offer, company)
    if find_stock_phrases(raw) or len(raw.split()) > MAX_SENTENCE_WORDS - 6:
        raw = ""
    if find_stock_phrases(core):
        core = ""
    values = {
        "biz": biz,
        "first": contact_greeting_name(contact_name),
        "domain": sanitize_line(research.domain).lower(),
        "name": name,
        "me": name.split()[0] if name else "",
        "company": company,
        "core": core,
        "offer": raw,
        "trade": rng.choice(words["trade"]),
        "trades": rng.choice(words["trades"]),
        "cust": rng.choice(words["cust"]),
        "enq": rng.choice(words["enq"]),
        "moment": rng.choice(words["moment"]),
    }
    if len(biz.split()) <= 4:
        values["team"] = biz  # "Hi {team} team," only for short names
    signature = sanitize_text(profile.signature).strip()
    if not signature:
        signature = "\n".join(v for v in (name, company) if v)
    signature = repair("x", signature)[1] if signature else ""
    return Ctx(rng=rng, research=research, facts=facts, category=category, angle=angle,
               tone=tone if tone in FORMALITIES else "neutral", values=values,
               signature=signature, us=_us_spelling(research))


_TRAIT = re.compile(r"owned|run\b|winning|star|rated|certified|insured|handmade|hand-made",
                    re.IGNORECASE)


def claim_kind(claim: str) -> str:
    """"count" ("1,200+ happy customers"), "trait" ("family-owned") or "perk" ("free quotes")."""
    if claim[:1].isdigit() and not re.match(r"\d(?:\.\d)?[- ]star|24/7", claim):
        return "count"
    return "trait" if _TRAIT.search(claim) else "perk"


def align_words(ctx: Ctx, texts: list[str]) -> None:
    """Reuse the category words earlier messages used ("quote requests" stays "quote
    requests" in a follow-up), so a thread reads as one voice."""
    earlier = " ".join(texts).lower()
    for key, options in CATEGORY_WORDS[ctx.category].items():
        used = [o for o in options if o.lower() in earlier]
        if used:
            ctx.values[key] = ctx.choose(used)


def pick_fact(ctx: Ctx, prefer: tuple[str, ...] = ()) -> str:
    """Choose the draft's main fact and put it in values; returns its kind ("" = none)."""
    f = ctx.facts
    kinds: dict[str, str] = {}
    if f.offerings:
        kinds["offering"] = as_phrase(ctx.choose(f.offerings[:4]), keep=ctx.values["biz"])
    if f.founded_year:
        kinds["since"] = f"since {f.founded_year}"
    if f.years_text:
        kinds["years"] = as_phrase(f.years_text)
    for claim in f.claims:
        kind = claim_kind(claim)
        if kind not in kinds or ctx.rng.random() < 0.5:
            kinds[kind] = as_phrase(claim)
    if f.location:
        kinds["loc"] = f.location
    for k, v in kinds.items():
        ctx.values[k] = v
    if not kinds:
        return ""
    preferred = [k for k in prefer if k in kinds]
    if preferred and ctx.rng.random() < 0.7:
        return ctx.choose(preferred)
    return ctx.choose(sorted(kinds))
