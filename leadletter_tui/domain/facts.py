"""Concrete facts from a researched homepage, for writing a message that is about *them*.

Pure and rule-based. Every fact keeps the page's own words (sanitised); a fragment that
looks like markup, a link, an instruction to a model ("ignore previous instructions") or
a stock phrase is dropped, never rewritten: page text is untrusted and is only ever quoted
as a literal fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.text import REPLACEMENT, sanitize_line
from leadletter_tui.domain.validation import find_stock_phrases

MAX_FACTS = 6


@dataclass(frozen=True, slots=True)
class PageFacts:
    business_name: str = ""
    founded_year: int | None = None
    founded_text: str = ""  # literal: "since 1998", "Est. 2005", "founded in 1987"
    years_text: str = ""  # literal: "over 25 years"
    offerings: tuple[str, ...] = ()  # product or service names
    claims: tuple[str, ...] = ()  # "500+ clients", "family-owned", "same-day service"
    location: str = ""  # "Austin, TX"

    @property
    def is_empty(self) -> bool:
        return not (self.founded_text or self.years_text or self.offerings or self.claims
                    or self.location)


# --- safety -------------------------------------------------------------------------------

_UNSAFE_CHARS = set("[]{}<>`\\|=*_#~^$") | {REPLACEMENT}
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instruction|instructions|previous|"
    r"above|prompt|rules)\b|\bsystem prompt\b|\byou are (?:now )?(?:an? |chatgpt|claude)|"
    r"\bas an ai\b|\bassistant\b|\bprompt\b|\bjailbreak",
    re.IGNORECASE,
)


def safe_fragment(text: str, max_words: int = 8) -> str:
    """``text`` sanitised to one line, or "" if it is not fit to quote in a message."""
    s = " ".join(sanitize_line(text).split()).strip(" \"'.,;:!")
    if not s or len(s.split()) > max_words or len(s) > 80:
        return ""
    if any(ch in _UNSAFE_CHARS for ch in s) or "://" in s or "www." in s.lower() or "@" in s:
        return ""
    if "\u2014" in s or "\u2013" in s or "--" in s:
        return ""
    if _INJECTION.search(s) or find_stock_phrases(s):
        return ""
    return s


# --- business name ------------------------------------------------------------------------

_TITLE_SPLIT = re.compile(r"\s+[|\u2013\u2014\-:\u00b7\u2022\u00bb/]+\s+|\s*[|\u00b7\u2022\u00bb]\s*|:\s+")
_GENERIC_SEGMENTS = {
    "home", "homepage", "home page", "welcome", "official site", "official website",
    "index", "main", "start", "untitled", "website", "site",
}
_LEGAL_SUFFIX = re.compile(r",?\s+(?:llc|l\.l\.c\.|inc\.?|ltd\.?|limited|gmbh|plc|co\.|corp\.?|pty ltd)$",
                           re.IGNORECASE)
_DOMAIN_WORDS = (
    "plumbing", "plumbers", "plumber", "electrical", "electric", "roofing", "dental", "dentistry",
    "clinic", "bakery", "bakes", "coffee", "cafe", "studio", "studios", "design", "designs",
    "law", "legal", "homes", "realty", "properties", "property", "group", "agency", "media",
    "digital", "labs", "lab", "software", "apps", "shop", "store", "supply", "supplies",
    "services", "solutions", "partners", "consulting", "accounting", "finance", "wealth",
    "insurance", "health", "care", "fitness", "yoga", "hotel", "inn", "kitchen", "bistro",
    "garden", "gardens", "landscaping", "cleaning", "builders", "construction", "motors",
    "auto", "foundation", "trust", "academy", "works", "co", "hq", "online", "tech",
    "society", "rescue", "catering", "interiors", "precision", "press", "gym", "app", "vet",
    "vets", "dentist", "dentists", "salon", "spa", "florist", "flowers", "pizza", "grill",
)
_SUFFIXES = sorted(set(_DOMAIN_WORDS), key=len, reverse=True)


def _match_key(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


def name_from_domain(domain: str) -> str:
    """"acme-plumbing.co.uk" -> "Acme Plumbing"; "joesbakery.com" -> "Joes Bakery"."""
    host = sanitize_line(domain).lower().strip(".")
    labels = [lb for lb in host.split(".") if lb]
    if not labels:
        return ""
    # the registrable label: skip "www" and second-level public suffixes like co.uk
    core = labels[0]
    if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "ac", "gov"}:
        core = labels[-3]
    elif len(labels) >= 2:
        core = labels[-2]
    words = [w for w in re.split(r"[-_]+", core) if w]
    split: list[str] = []
    for w in words:
        tail: list[str] = []
        while True:
            suffix = next((s for s in _SUFFIXES if w.endswith(s) and len(w) - len(s) >= 3), "")
            if not suffix:
                break
            tail.insert(0, suffix)
            w = w[: -len(suffix)]
        if w.startswith("the") and len(w) > 5 and tail:
            split.append("the")
            w = w[3:]
        split += [w, *tail]
    return " ".join(w.upper() if len(w) <= 2 and w not in {"co"} else w.capitalize()
                    for w in split)


def clean_business_name(title: str, domain: str) -> str:
    """A short business name from a page title ("Welcome to Acme Plumbing | 24/7 Plumbers in
    Austin" -> "Acme Plumbing"), else derived from the domain."""
    raw = sanitize_line(title)
    segments = [s.strip() for s in _TITLE_SPLIT.split(raw) if s and s.strip()]
    cleaned = []
    for seg in segments:
        seg = re.sub(r"^(?:welcome to|welcome|home of|home)\s*[,!:]?\s+", "", seg, flags=re.I)
        seg = _LEGAL_SUFFIX.sub("", seg).strip(" ,.!")
        if seg and seg.lower() not in _GENERIC_SEGMENTS:
            cleaned.append(seg)
    key = _match_key(name_from_domain(domain))
    best = ""
    for seg in cleaned:  # a segment that spells the domain is the name
        k = _match_key(seg.replace("&", "and"))
        first = _match_key(seg.split()[0])
        if k and key and (k in key or key in k or (len(first) >= 4 and key.startswith(first))):
            best = seg
            break
    if not best:
        best = next((s for s in cleaned if len(s.split()) <= 5), "")
    best = safe_fragment(best, max_words=6)
    return best or name_from_domain(domain)


# --- facts ----------------------------------------------------------------------------------

_FOUNDED = re.compile(
    r"\b(?:(?:in business|trading|operating)\s+since|since|est\.?|"
    r"established(?: in)?|founded(?: in)?)\s+((?:18|19|20)\d{2})\b",
    re.IGNORECASE,
)
_YEARS = re.compile(
    r"\b(?:(?:over|more than|nearly|almost|for)\s+)?(\d{1,3})\+?\s+years?\b"
    r"(?:\s+(?:of experience|in business|of service|experience))?",
    re.IGNORECASE,
)
_CLAIMS = [re.compile(p, re.IGNORECASE) for p in (
    r"\b\d[\d,.]*\s*k?\+?\s+(?:happy |satisfied |five-star |5-star |local |loyal )?(?:clients|"
    r"customers|patients|homes|projects|families|businesses|students|members|reviews|orders|"
    r"guests|properties|installations|jobs|companies|donors|subscribers|teams)\b",
    r"\bfamily[- ](?:owned|run)(?: and operated)?\b",
    r"\b(?:locally|independently|veteran|women|woman|black)[- ]owned(?: and operated)?\b",
    r"\baward[- ]winning\b",
    r"\b[1-5](?:\.\d)?[- ]star(?:[- ]rated)?\b",
    r"\brated [1-5](?:\.\d)?(?: out of 5| stars|/5)\b",
    r"\bsame[- ]day(?: (?:service|delivery|appointments?|repairs?|shipping|dispatch|"
    r"turnaround|response|installation|call-outs?))?\b",
    r"\bnext[- ]day delivery\b",
    r"\b24/7(?: (?:emergency|support|service|call-outs?))?\b",
    r"\bfree (?:quotes?|estimates?|consultations?|shipping|delivery|returns|trial|assessment|"
    r"inspection|parking|wi-?fi)\b",
    r"\b(?:fully )?licensed and insured\b",
    r"\bfully insured\b",
    r"\bno call[- ]out fees?\b",
    r"\bboard[- ]certified\b",
    r"\bhandmade\b|\bhand-made\b|\bmade to order\b",
    r"\bno[- ]obligation\b",
)]
_OFFER_CUE = re.compile(
    r"\b(?:we offer|we provide|we specialise in|we specialize in|specialising in|"
    r"specializing in|services include|our services include|we sell|we make|we build|"
    r"we design|we bake|we repair|we install)\s+([^.!?\n]{3,160})",
    re.IGNORECASE,
)
_LOCATION = re.compile(
    r"(?i:\b(?:based in|located in|proudly serving|serving|in the heart of|headquartered in|"
    r"family-run in|from our (?:shop|studio|office|clinic) in))\s+"
    r"((?:[A-Z][\w']*)(?:[ -](?:[A-Z][\w']*|of|upon|on|de|la))*(?:,\s*[A-Z]{2}\b|,\s*[A-Z][a-z]+)?)"
)
_NOT_PLACES = {
    "our", "you", "your", "the", "all", "customers", "clients", "families", "businesses",
    "homeowners", "we", "everyone", "local", "people", "patients", "i",
}
_GENERIC_HEADINGS = re.compile(
    r"^(?:home|about(?: us)?|contact(?: us)?|services|our services|products|our products|"
    r"testimonials?|reviews?|faqs?|blog|news|latest news|gallery|portfolio|pricing|prices|"
    r"menu|team|our team|meet the team|careers|jobs|locations?|shop|store|book now|sign up|"
    r"log ?in|learn more|read more|shop now|get in touch|follow us|subscribe|newsletter|"
    r"what we do|how it works|why choose us|why us|our story|our mission|opening hours|"
    r"hours|find us|welcome|cookies?|privacy(?: policy)?|terms.*|copyright.*|featured|"
    r"categories|all products|new arrivals|best sellers|sale|support|help|resources)$",
    re.IGNORECASE,
)
_IMPERATIVES = set(
    "adopt donate become book request join get call contact shop buy order learn discover find "
    "explore see view meet sign subscribe start try download apply visit follow browse read "
    "watch upcoming register enquire inquire schedule claim grab check take make give "
    "volunteer support".split()
)
_PRONOUNS = re.compile(r"\b(?:we|our|you|your|us|i|my|me)\b", re.IGNORECASE)


def _dedupe(items: list[str], limit: int = MAX_FACTS) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for it in items:
        k = _match_key(it)
        if it and k not in seen:
            seen.add(k)
            out.append(it)
    return tuple(out[:limit])


def _big_enough(claim: str) -> bool:
    """A count is a claim when it is big ("1,200", "500+", "40k"), not "up to 24 guests"."""
    m = re.match(r"(\d[\d,.]*)\s*(k?)(\+?)", claim)
    if not m or re.match(r"\d(?:\.\d)?[- ]star|24/7", claim):
        return True
    number = float(m.group(1).replace(",", "") or 0)
    return bool(m.group(2) or m.group(3)) or number >= 100


def _heading_offering(heading: str, name: str) -> str:
    h = heading.strip(" .:")
    if not h or "?" in h or "!" in h or _GENERIC_HEADINGS.match(h) or _PRONOUNS.search(h):
        return ""
    if h.split()[0].lower() in _IMPERATIVES:
        return ""
    if name and _match_key(h) == _match_key(name):
        return ""
    if not (1 <= len(h.split()) <= 5) or re.search(r"\d{3,}", h):
        return ""
    return safe_fragment(h, max_words=5)


def _list_items(text: str) -> list[str]:
    parts = re.split(r",\s*|\s+and\s+|\s+or\s+|;\s*", text)
    out = []
    for p in parts:
        p = re.sub(r"^(?:a|an|the|also|all|both|more|expert|quality)\s+", "", p.strip(),
                   flags=re.IGNORECASE)
        p = re.split(r"\s+(?:for|to|in|across|throughout|with|since|from)\s+", p)[0]
        if 1 <= len(p.split()) <= 5:
            out.append(safe_fragment(p, max_words=5))
    return out


def extract_facts(research: PageResearch) -> PageFacts:
    """What the page says about the business, in its own words (empty when research failed)."""
    name = clean_business_name(research.title, research.domain)
    if not research.ok or not research.has_content:
        return PageFacts(business_name=name)
    body = " ".join(sanitize_line(t) for t in (research.description, research.text))
    everything = " ".join([body, *(sanitize_line(h) for h in research.headings)])

    founded_text, founded_year = "", None
    if m := _FOUNDED.search(everything):
        founded_text = safe_fragment(m.group(0), max_words=7)
        founded_year = int(m.group(1)) if founded_text else None
    years_text = ""
    for m in _YEARS.finditer(everything):
        if 1 < int(m.group(1)) <= 150 and not re.match(r"\s*old", everything[m.end():]):
            years_text = safe_fragment(m.group(0), max_words=7)
            if years_text:
                break

    offerings = [_heading_offering(h, name) for h in research.headings]
    for m in _OFFER_CUE.finditer(body):
        offerings += _list_items(m.group(1))
    claims = [safe_fragment(m.group(0), max_words=6) for rx in _CLAIMS
              for m in rx.finditer(everything) if _big_enough(m.group(0))]
    location = ""
    for m in _LOCATION.finditer(everything):
        place = m.group(1).strip(" ,.")
        if place.split()[0].lower() not in _NOT_PLACES and (location := safe_fragment(place, 4)):
            break
    return PageFacts(
        business_name=name,
        founded_year=founded_year,
        founded_text=founded_text,
        years_text=years_text,
        offerings=_dedupe([o for o in offerings if o]),
        claims=_dedupe([c for c in claims if c]),
        location=location,
    )
