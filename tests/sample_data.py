"""A small hand-built contact set whose filter results are known by heart.

The frozen "now" is Wednesday 2026-11-25 10:00 (tests/conftest.py), so:
today = 11-25, yesterday = 11-24, this week = [11-23, 11-30), last week = [11-16, 11-23),
last 7 days = [11-19, 11-26), last 30 days = [10-27, 11-26), follow-up due = sent at or
before 11-22 10:00 with no reply, no pending draft and not do-not-contact.

Rows go in through the store's bulk path (`store.bulk.insert_batches`), the same path the
demo and imports use; ids grow with `created`.
"""

from __future__ import annotations

from dataclasses import dataclass

from leadletter_tui.store.bulk import CONTACT_COLUMNS, insert_batches


@dataclass(frozen=True)
class Spec:
    domain: str
    business: str
    contact: str
    email: str
    status: str
    sent: str | None = None  # last_sent_at, "YYYY-MM-DD HH:MM:SS"
    reply: str | None = None  # last_reply_at
    sentiment: str | None = None
    follow_ups: int = 0
    draft: bool = False
    dnc: bool = False
    phone: str = ""


SPECS: tuple[Spec, ...] = (
    Spec("acme.com", "Acme Bakery", "Anna Smith", "anna@acme.com", "ready"),
    Spec("boltelectric.co.uk", "Bolt Electric", "Ben Jones", "ben@boltelectric.co.uk", "sent",
         sent="2026-11-25 08:00:00"),
    Spec("cedardental.com", "Cedar Dental", "Chloe Kim", "", "sent", sent="2026-11-24 15:00:00"),
    Spec("deltaxco.com", "Delta Co", "David Rossi", "d@deltaxco.com", "sent",
         sent="2026-11-23 00:00:00"),
    Spec("elmtreeyoga.com", "Elm Tree Yoga", "Emma Brown", "emma@elmtreeyoga.com", "sent",
         sent="2026-11-22 23:59:59"),
    Spec("foxhound.de", "Fox & Hound", "Farid Haddad", "farid@foxhound.de", "sent",
         sent="2026-11-16 00:00:00"),
    Spec("granite.io", "Granite Roofing", "Grace Sato", "g_ray@granite.io", "sent",
         sent="2026-11-18 12:00:00", draft=True, follow_ups=1),
    Spec("harbor.net", "Harbor Physio", "Hiro Okafor", "hiro@harbor.net", "sent",
         sent="2026-11-19 09:00:00", dnc=True),
    Spec("ironwood.com", "Ironwood Law", "Isla Wilson", "isla@ironwood.com", "replied",
         sent="2026-11-10 10:00:00", reply="2026-11-12 09:30:00", sentiment="positive"),
    Spec("juniperlaw.com", "Juniper Accounting", "Jonas Larsen", "jonas@juniperlaw.com", "won",
         sent="2026-10-20 11:00:00", reply="2026-10-22 16:00:00", sentiment="positive"),
    Spec("kingsley.com.au", "Kingsley Realty", "Kate Taylor", "kate@kingsley.com.au", "lost",
         sent="2026-10-27 00:00:00"),
    Spec("larkspur.ca", "Larkspur Florist", "Liam Dubois", "liam@larkspur.ca", "sent",
         sent="2026-11-15 23:59:59", follow_ups=2, phone="+1 555 010 0100"),
    Spec("oakember.com", "Oak & Ember Pizzeria", "Olivia Patel", "olivia@oakember.com", "sent",
         sent="2026-11-01 12:00:00", reply="2026-11-03 08:00:00", sentiment="neutral"),
    Spec("shop.acme.com", "Müller & Söhne", "Zoë O'Brien", "zoe@shop.acme.com", "ready"),
)
ALL = frozenset(s.domain for s in SPECS)


def by_status(*statuses: str) -> set[str]:
    return {s.domain for s in SPECS if s.status in statuses}


def contact_tuple(cid: int, spec: Spec) -> tuple:
    created = f"2026-10-{1 + cid:02d} 09:00:00"
    values = {
        "id": cid,
        "domain": spec.domain,
        "business_name": spec.business,
        "contact_name": spec.contact,
        "email": spec.email,
        "phone": spec.phone,
        "notes": "",
        "extra": "",
        "category": "",
        "status": spec.status,
        "last_sent_at": spec.sent,
        "last_reply_at": spec.reply,
        "follow_ups": spec.follow_ups,
        "sentiment": spec.sentiment,
        "draft_pending": spec.draft,
        "do_not_contact": spec.dnc,
        "created_at": created,
        "updated_at": created,
    }
    return tuple(values[c] for c in CONTACT_COLUMNS)


def insert_sample(db, specs=SPECS, first_id: int = 1) -> dict[str, int]:
    """Insert the specs (plus a pending first message for `ready` contacts and a pending
    follow-up draft where `draft`) in one bulk transaction. Returns domain → id."""
    contacts, messages = [], []
    ids = {}
    for n, spec in enumerate(specs):
        cid = first_id + n
        ids[spec.domain] = cid
        row = contact_tuple(cid, spec)
        contacts.append(row)
        created = row[CONTACT_COLUMNS.index("created_at")]
        if spec.status == "ready":
            messages.append((cid, "initial", f"Hello {spec.business}", "Hi there", "reviews",
                             "AIDA", "", created, None))
        elif spec.sent:
            messages.append((cid, "initial", f"Hello {spec.business}", "Hi there", "reviews",
                             "AIDA", "", created, spec.sent))
        if spec.draft:
            messages.append((cid, "follow_up", f"Re: Hello {spec.business}", "Bump", "reviews",
                             "", "", "2026-11-24 09:00:00", None))
    insert_batches(db, [(contacts, messages, [], [])])
    return ids


def sample_sessions(open_test_services, url: str, *user_names: str) -> tuple:
    """One session per user name on `url`, the first having written the sample contacts."""
    sessions = []
    for name in user_names:
        sessions.append(open_test_services(url, user_name=name))
        if len(sessions) == 1:
            insert_sample(sessions[0].store.db)
    return tuple(sessions)
