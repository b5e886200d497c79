"""Realistic sample data for a first look and for benchmarks (pure generation, no I/O).
Domains and email addresses are all under the reserved `.example` name: never mailable.

Contacts are created over the last ~70 days in id order; sends fall in the last 60 days;
every status appears, with follow-ups, replies (all four sentiments), drafts and a few
do-not-contact flags. Date-times are produced as "YYYY-MM-DD HH:MM:SS" text, ready for
the store's bulk path.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta

PREFIXES = (
    "Brightwater", "Oak & Ember", "Harbor", "Bluebird", "Summit", "Riverside", "Copper Kettle",
    "Greenleaf", "Northside", "Maple Street", "Silverline", "Red Barn", "Lakeview", "Ironwood",
    "Golden Hour", "Sunrise", "Hilltop", "Old Town", "Cedar", "Pinecrest", "Evergreen",
    "Keystone", "Fox & Hound", "Blue Door", "Willow", "Granite", "Coastal", "Little Owl",
    "Westgate", "Highland", "Meadowbrook", "Stonebridge", "Union", "Parkside", "Lighthouse",
    "Wildflower", "Ashford", "Bayside", "Crown", "Driftwood", "Elm Tree", "Fairway", "Hawthorn",
    "Juniper", "Kingsley", "Larkspur", "Milestone", "Nguyen Family", "Orchard", "Patel & Sons",
    "Quarry", "Rosewood", "Sandstone", "Thornbury", "Upland", "Vista", "Whitfield", "Yellow Brick",
    "Zenith", "García", "Müller", "O'Brien", "Kowalski", "Haddad", "Okafor", "Sato", "Larsen",
)
TRADES = (
    ("Plumbing", "trades"), ("Electric", "trades"), ("Roofing", "trades"), ("HVAC", "trades"),
    ("Landscaping", "trades"), ("Bakery", "food"), ("Coffee Roasters", "food"),
    ("Pizzeria", "food"), ("Bistro", "food"), ("Catering", "food"), ("Dental", "health"),
    ("Physio", "health"), ("Chiropractic", "health"), ("Veterinary Clinic", "health"),
    ("Yoga Studio", "fitness"), ("CrossFit", "fitness"), ("Climbing Gym", "fitness"),
    ("Law Group", "professional"), ("Accounting", "professional"), ("Architects", "professional"),
    ("Realty", "real_estate"), ("Property Management", "real_estate"), ("Salon", "beauty"),
    ("Barbers", "beauty"), ("Spa", "beauty"), ("Auto Repair", "automotive"),
    ("Detailing", "automotive"), ("Bookshop", "retail"), ("Florist", "retail"),
    ("Boutique", "retail"), ("Hardware", "retail"), ("Photography", "creative"),
    ("Print Shop", "creative"), ("Design Studio", "creative"), ("Guesthouse", "hospitality"),
    ("Inn", "hospitality"), ("Daycare", "education"), ("Tutoring", "education"),
    ("Music School", "education"), ("Cleaning Co", "home_services"),
)
CITIES = ("austin", "leeds", "denver", "bristol", "portland", "cork", "adelaide", "halifax",
          "boise", "york", "tampa", "galway", "perth", "tucson", "bath", "quebec")
# Every demo domain (and so every demo email address) ends in ".example", a name reserved
# for examples that no real host or mailbox can ever have (RFC 2606), so exported demo
# data can never reach anybody.
DEMO_SUFFIX = ".example"
TLDS = ((DEMO_SUFFIX, 1),)
FIRST = ("Anna", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hiro", "Isla", "Jonas",
         "Kate", "Liam", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tomás",
         "Uma", "Viktor", "Wei", "Xavier", "Yara", "Zoë", "José", "Siobhán", "Mei", "Ade")
LAST = ("Smith", "Jones", "Nguyen", "García", "Müller", "Patel", "O'Brien", "Kowalski", "Kim",
        "Rossi", "Dubois", "Haddad", "Okafor", "Sato", "Larsen", "Brown", "Wilson", "Taylor")
ANGLES = ("local-seo", "reviews", "site-speed", "mobile", "online-booking", "social-proof",
          "seasonal", "referrals")
FRAMEWORKS = ("AIDA", "PAS", "BAB", "QVC")
STATUS_WEIGHTS = (("ready", 34), ("sent", 36), ("replied", 14), ("won", 7), ("lost", 9))
REPLIES = {
    "positive": ("Sounds good, can we do a quick call Thursday?",
                 "Yes, let's do it. Send over a time that works.",
                 "Interested! When can we meet?"),
    "asked_for_info": ("What would this cost for a shop our size?",
                       "Do you have examples of work for other bakeries?",
                       "How long does it usually take?"),
    "neutral": ("I'm out of the office until Monday.", "Not right now, maybe next quarter.",
                "Forwarded to our manager."),
    "negative": ("Not interested, thanks.", "Please remove me from your list.",
                 "We already have someone for this."),
}
SUBJECTS = {
    "local-seo": "{biz} on local search", "reviews": "Your reviews, {first}",
    "site-speed": "A faster site for {biz}", "mobile": "{biz} on phones",
    "online-booking": "Bookings while you sleep", "social-proof": "What your customers say",
    "seasonal": "Ready for the busy season?", "referrals": "More word of mouth for {biz}",
}


def _slug(text: str) -> str:
    """ASCII letters and digits only ("Zoë" → "zoe"), fit for domains and email addresses."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("&", "and"))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


BODY = ("Hi {first},\n\nI came across {biz} and spotted a quick win around {topic}. "
        "Happy to send over a short idea if it is useful.\n\nBest,\nAlex")
FOLLOW_UP = "Hi {first}, just bumping this in case it got buried."
TOPICS = {a: a.replace("-", " ") for a in ANGLES}


class _Domains:
    """Unique, plausible, unmailable domains: `brightwaterplumbing.example`, then city and
    number variants."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.slugs: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def slug(self, text: str) -> str:
        got = self.slugs.get(text)
        if got is None:
            got = self.slugs[text] = _slug(text)
        return got

    def make(self, prefix: str, trade: str, tld: str, city: str) -> str:
        base = self.slug(prefix) + self.slug(trade.split()[0])
        key = base + tld
        while True:
            n = self.counts.get(key, 0)
            self.counts[key] = n + 1
            candidate = key if n == 0 else f"{base}{city}{n if n > 1 else ''}{tld}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


class _Clock:
    """Whole seconds since a midnight origin, formatted fast ("YYYY-MM-DD HH:MM:SS")."""

    def __init__(self, now: datetime, days_back: int) -> None:
        self.origin = datetime.combine((now - timedelta(days=days_back + 1)).date(), datetime.min.time())
        self.now = int((now - self.origin).total_seconds())
        first = self.origin.date()
        self.days = [(first + timedelta(days=k)).isoformat() for k in range(days_back + 3)]

    def ts(self, sec: int) -> str:
        day, rem = divmod(sec, 86400)
        hour, rem = divmod(rem, 3600)
        return "%s %02d:%02d:%02d" % (self.days[day], hour, rem // 60, rem % 60)

    def before_now(self, rnd, earliest: int, wanted: int) -> int:
        """`wanted`, or a random moment between `earliest` and now if it lies in the future."""
        if wanted < self.now:
            return wanted
        return earliest + int(max(0, self.now - earliest) * rnd())


def _pool(weighted) -> list[str]:
    return [name for name, weight in weighted for _ in range(weight)]


def generate(
    count: int,
    *,
    first_id: int,
    now: datetime,
    taken: set[str],
    seed: int | None = None,
    batch_size: int = 20_000,
) -> Iterator[tuple[list, list, list, list]]:
    """Yield (contacts, messages, replies, events) tuple batches for the bulk insert.

    Events hold status changes only; messages and replies carry their own times, and the
    activity timeline merges all three.
    """
    rng = random.Random(seed)
    rnd = rng.random
    clock = _Clock(now, 70)
    ts = clock.ts
    domains = _Domains(taken)
    tld_pool, status_pool = _pool(TLDS), _pool(STATUS_WEIGHTS)
    fu_pool = [0] * 6 + [1] * 3 + [2]
    sentiment_pool = _pool((("positive", 30), ("asked_for_info", 30), ("neutral", 25), ("negative", 15)))
    first_sent_floor = clock.now - 60 * 86400
    created_floor = clock.now - 70 * 86400
    span = 70 * 86400
    H, D = 3600, 86400

    def pick(seq):
        return seq[int(rnd() * len(seq))]

    contacts: list = []
    messages: list = []
    replies: list = []
    events: list = []
    for i in range(count):
        cid = first_id + i
        prefix = pick(PREFIXES)
        trade, category = pick(TRADES)
        domain = domains.make(prefix, trade, pick(tld_pool), pick(CITIES))
        first, last = pick(FIRST), pick(LAST)
        # never after now: at 1M contacts one is created every 6 s, less than the jitter
        created = min(clock.now, created_floor + span * i // max(count, 1) + int(rnd() * 60))
        status = pick(status_pool)
        angle = pick(ANGLES)
        biz = f"{prefix} {trade}"
        roll = rnd()
        email = f"{domains.slug(first)}@{domain}" if roll < 0.7 else (f"info@{domain}" if roll < 0.85 else "")
        phone = f"+1 555 {100 + int(rnd() * 899)} {1000 + int(rnd() * 8999)}" if rnd() < 0.6 else ""
        subject = SUBJECTS[angle].format(biz=biz, first=first)
        body = BODY.format(first=first, biz=biz, topic=TOPICS[angle])
        c_ts = ts(created)
        last_sent = last_reply = sentiment = None
        follow_ups = 0
        draft = dnc = False
        if status == "ready":
            messages.append((cid, "initial", subject, body, angle, pick(FRAMEWORKS), category, c_ts, None))
        else:
            sent = clock.before_now(rnd, created, created + H * (1 + int(rnd() * 239)))
            if sent < first_sent_floor:
                sent = first_sent_floor + int(rnd() * 2 * D)
            messages.append((cid, "initial", subject, body, angle, pick(FRAMEWORKS), category, c_ts, ts(sent)))
            events.append((cid, "status", "ready", "sent", "", ts(sent)))
            last_sent = sent
            for _ in range(pick(fu_pool)):
                nxt = last_sent + D * (3 + int(rnd() * 5)) + int(rnd() * 8 * H)
                if nxt >= clock.now:
                    break
                n_ts = ts(nxt)
                messages.append((cid, "follow_up", "Re: " + subject, FOLLOW_UP.format(first=first),
                                 angle, "", category, n_ts, n_ts))
                last_sent, follow_ups = nxt, follow_ups + 1
            if status == "sent" and rnd() < 0.05:
                messages.append((cid, "follow_up", "Re: " + subject, FOLLOW_UP.format(first=first),
                                 angle, "", category, ts(clock.now - 2 * H), None))
                draft = True
            if status in ("replied", "won") or (status == "lost" and rnd() < 0.6):
                got = clock.before_now(rnd, last_sent, last_sent + H * (1 + int(rnd() * 95)))
                if status == "won":
                    sentiment = "positive"
                elif status == "lost":
                    sentiment = "negative" if rnd() < 0.6 else "neutral"
                else:
                    sentiment = pick(sentiment_pool)
                text = pick(REPLIES[sentiment])
                dnc = "remove me" in text
                replies.append((cid, text, sentiment, ts(got)))
                events.append((cid, "status", "sent", "replied", "", ts(got)))
                last_reply = got
                if status != "replied":
                    closed = clock.before_now(rnd, got, got + D * (1 + int(rnd() * 5)))
                    events.append((cid, "status", "replied", status, "", ts(closed)))
            elif status == "lost":
                closed = clock.before_now(rnd, last_sent, last_sent + D * (5 + int(rnd() * 10)))
                events.append((cid, "status", "sent", "lost", "no reply", ts(closed)))
        contacts.append((
            cid, domain, biz, f"{first} {last}", email, phone, "", "", category, status,
            ts(last_sent) if last_sent is not None else None,
            ts(last_reply) if last_reply is not None else None,
            follow_ups, sentiment, draft, dnc, c_ts, c_ts,
        ))
        if len(contacts) >= batch_size:
            yield contacts, messages, replies, events
            contacts, messages, replies, events = [], [], [], []
    if contacts:
        yield contacts, messages, replies, events


def _produce(queue, count: int, kwargs: dict) -> None:
    for batch in generate(count, **kwargs):
        queue.put(batch)
    queue.put(None)


def generate_in_background(count: int, **kwargs) -> Iterator[tuple[list, list, list, list]]:
    """Same batches as `generate`, produced by a child process so that generating the next
    batch overlaps with inserting the previous one (about halves a 1M-contact demo)."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    queue = ctx.Queue(maxsize=4)
    child = ctx.Process(target=_produce, args=(queue, count, kwargs), daemon=True)
    child.start()
    try:
        while (batch := queue.get()) is not None:
            yield batch
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
