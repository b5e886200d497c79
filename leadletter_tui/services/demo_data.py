"""Realistic sample data for a first look and for benchmarks (pure generation, no I/O).
Domains and email addresses are all under the reserved `.example` name: never mailable.

Contacts are created over the last ~70 days in id order; sends fall in the last 60 days.
Who replied, how, and what came of it follows the simulated world of `demo_world` (hidden
reply, positive and won odds per category and angle, a lift per framework), in the shared
vocabulary (category slugs, ANGLES, FRAMEWORKS), so the analytics tables and the angle
learner have something real to find. About 30 % of contacts are Ready (first message
written, not sent); the rest were sent it, some got follow-ups, and 2-15 % replied
depending on category and angle. Replies are stored as the replies feature leaves them:
labelled by the offline classifier (with its reason), unsubscribes flagged do-not-contact,
out-of-office notes marked and not counted as replies (the contact stays Sent). Some Sent
contacts have an unsent follow-up draft. Date-times are produced as
"YYYY-MM-DD HH:MM:SS" text, ready for the store's bulk path.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta

from ..domain.angles import ANGLES, Angle
from ..domain.frameworks import FRAMEWORKS
from . import demo_world as world
from .demo_world import FOLLOW_UP

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
def _slug(text: str) -> str:
    """ASCII letters and digits only ("Zoë" → "zoe"), fit for domains and email addresses."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("&", "and"))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


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


def _pool(weighted) -> list:
    return [name for name, weight in weighted for _ in range(weight)]


def _reply_bank(today) -> dict[str, list[tuple[str, str, str, str | None]]]:
    """Per kind of reply: (text, label, reason, signal), the reason as the offline classifier
    gives it (the label is the world's; tests check the classifier agrees)."""
    from ..ai.offline.classifier import OfflineClassifier

    classifier = OfflineClassifier()
    return {kind: [(text, world.label_of(kind), classifier.classify(text, today=today).reason,
                    world.SIGNAL.get(kind)) for text in texts]
            for kind, texts in world.REPLIES.items()}


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
    tld_pool = _pool(TLDS)
    categories = _pool((str(c), w) for c, w in world.CATEGORY_WEIGHTS.items())
    trades = {str(c): names for c, names in world.TRADES.items()}
    angles, frameworks = list(ANGLES), list(FRAMEWORKS)
    table = world.odds_table()
    promises = {str(a): a.promise for a in Angle}
    subjects = {str(a): text for a, text in world.SUBJECTS.items()}
    bodies = {str(f): text for f, text in world.BODIES.items()}
    bank = _reply_bank(now.date())
    others = world.OTHER_SENTIMENTS
    fu_pool = [0] * 6 + [1] * 3 + [2]  # follow-ups sent when there is no reply
    before_reply = [0] * 6 + [1] * 3 + [2]  # follow-ups sent before the reply came
    first_sent_floor = clock.now - 60 * 86400
    created_floor = clock.now - 70 * 86400
    span = 70 * 86400
    H, D = 3600, 86400
    lost_after = world.LOST_AFTER_DAYS * D

    def pick(seq):
        return seq[int(rnd() * len(seq))]

    def other_sentiment() -> str:
        r = rnd()
        for name, share in others:
            if r < share:
                return name
            r -= share
        return others[-1][0]

    contacts: list = []
    messages: list = []
    replies: list = []
    events: list = []
    for i in range(count):
        cid = first_id + i
        prefix = pick(PREFIXES)
        category = pick(categories)
        trade = pick(trades[category])
        domain = domains.make(prefix, trade, pick(tld_pool), pick(CITIES))
        first, last = pick(FIRST), pick(LAST)
        # never after now: at 1M contacts one is created every 6 s, less than the jitter
        created = min(clock.now, created_floor + span * i // max(count, 1) + int(rnd() * 60))
        angle, framework = pick(angles), pick(frameworks)
        biz = f"{prefix} {trade}"
        roll = rnd()
        email = f"{domains.slug(first)}@{domain}" if roll < 0.7 else (f"info@{domain}" if roll < 0.85 else "")
        phone = f"+1 555 {100 + int(rnd() * 899)} {1000 + int(rnd() * 8999)}" if rnd() < 0.6 else ""
        subject = subjects[angle].format(biz=biz, first=first)
        body = bodies[framework].format(first=first, biz=biz, promise=promises[angle])
        c_ts = ts(created)
        last_sent = last_reply = sentiment = None
        follow_ups = 0
        draft = dnc = False
        status = "ready"
        if rnd() < world.READY_SHARE:
            messages.append((cid, "initial", subject, body, angle, framework, category, c_ts, None))
        else:
            status = "sent"
            sent = clock.before_now(rnd, created, created + H * (1 + int(rnd() * 239)))
            if sent < first_sent_floor:
                sent = first_sent_floor + int(rnd() * 2 * D)
            messages.append((cid, "initial", subject, body, angle, framework, category, c_ts, ts(sent)))
            events.append((cid, "status", "ready", "sent", "", ts(sent)))
            last_sent = sent
            p_reply, p_positive = table[category, angle, framework]
            answers = rnd() < p_reply
            for _ in range(pick(before_reply) if answers else pick(fu_pool)):
                nxt = last_sent + D * (3 + int(rnd() * 5)) + int(rnd() * 8 * H)
                if nxt >= clock.now:
                    break
                n_ts = ts(nxt)
                messages.append((cid, "follow_up", "Re: " + subject, FOLLOW_UP.format(first=first),
                                 angle, framework, category, n_ts, n_ts))
                last_sent, follow_ups = nxt, follow_ups + 1
            got = last_sent + H * (1 + int(rnd() * 95))
            if answers and got < clock.now:  # a reply still to come is not known yet
                kind = "positive" if rnd() < p_positive else other_sentiment()
                if kind == "negative" and rnd() < world.UNSUBSCRIBE_SHARE:
                    kind = "unsubscribe"
                text, sentiment, reason, signal = pick(bank[kind])
                dnc = kind == "unsubscribe"
                replies.append((cid, text, sentiment, ts(got), reason, "offline", signal))
                events.append((cid, "status", "sent", "replied", "", ts(got)))
                status, last_reply = "replied", got
                if rnd() < world.WON_GIVEN.get(sentiment, 0.0):
                    then = "won"
                elif rnd() < world.LOST_GIVEN.get(sentiment, 0.0):
                    then = "lost"
                else:
                    then = ""
                closed = got + D * (1 + int(rnd() * 9))
                if then and closed < clock.now:
                    events.append((cid, "status", "replied", then, "", ts(closed)))
                    status = then
            else:
                if rnd() < world.OUT_OF_OFFICE_SHARE:  # an auto-reply: recorded, not a reply
                    text, sentiment, reason, signal = pick(bank["out_of_office"])
                    at = ts(min(clock.now - 60, last_sent + 60 + int(rnd() * 600)))
                    replies.append((cid, text, sentiment, at, reason, "offline", signal))
                    events.append((cid, "status", "sent", "replied", "", at))
                    events.append((cid, "status", "replied", "sent",
                                   "out-of-office note, not a reply", at))
                closed = last_sent + lost_after + int(rnd() * 5 * D)
                if closed < clock.now and rnd() < world.LOST_UNANSWERED:
                    events.append((cid, "status", "sent", "lost", "no reply", ts(closed)))
                    status = "lost"
                elif rnd() < 0.05:
                    messages.append((cid, "follow_up", "Re: " + subject,
                                     FOLLOW_UP.format(first=first), angle, framework, category,
                                     ts(clock.now - 2 * H), None))
                    draft = True
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
