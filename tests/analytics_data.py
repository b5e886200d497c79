"""A small database whose analytics are known by heart (tests/test_analytics*.py).

Frozen now: Wednesday 2026-11-25 10:00; follow-up window 3 days, so a first message sent at
or before 2026-11-22 10:00 without a reply has had its window. Weeks (Monday starts), index
0 = 2026-09-07 ... 8 = 11-02, 9 = 11-09, 10 = 11-16, 11 = 11-23 (this week).

 id domain  status   category    first message (angle/framework, sent)   then
 1  a.com   ready    saas        more_leads/aida, not sent
 2  b.com   sent     saas        more_leads/pas 11-23 00:00 (inside window)
 3  c.com   sent     saas        more_leads/aida 11-10; follow-up 11-14    no reply → 0
 4  d.com   replied  saas        save_time/aida 11-03                      reply 11-05 positive → 0.8
 5  e.com   won      healthcare  save_time/pas 10-20; follow-up 10-24      reply 10-27 positive → 1.0
 6  f.com   lost     healthcare  reputation/pas 11-17                      no reply → 0
 7  g.com   lost     healthcare  reputation/aida 11-18                     reply 11-19 negative → 0.1
 8  h.com   replied  healthcare  more_leads/aida 11-20                     marked by hand, no text → 0.3
 9  i.com   replied  saas        save_time/aida 11-19; follow-up 11-22 23:59:59
                                 replies 11-21 neutral, 11-23 asked_for_info (latest) → 0.6
 10 j.com   sent     saas        local-seo/pas 11-01 (an angle from older data: the learner skips it)
"""

from __future__ import annotations

from leadletter_tui.store.bulk import CONTACT_COLUMNS, insert_batches

# domain, status, category, (angle, framework, sent), follow-up sends, replies, sentiment
ROWS = [
    ("a.com", "ready", "saas", ("more_leads", "aida", None), [], [], None),
    ("b.com", "sent", "saas", ("more_leads", "pas", "2026-11-23 00:00:00"), [], [], None),
    ("c.com", "sent", "saas", ("more_leads", "aida", "2026-11-10 09:00:00"),
     ["2026-11-14 09:00:00"], [], None),
    ("d.com", "replied", "saas", ("save_time", "aida", "2026-11-03 10:00:00"), [],
     [("2026-11-05 09:00:00", "positive")], "positive"),
    ("e.com", "won", "healthcare", ("save_time", "pas", "2026-10-20 10:00:00"),
     ["2026-10-24 10:00:00"], [("2026-10-27 10:00:00", "positive")], "positive"),
    ("f.com", "lost", "healthcare", ("reputation", "pas", "2026-11-17 10:00:00"), [], [], None),
    ("g.com", "lost", "healthcare", ("reputation", "aida", "2026-11-18 10:00:00"), [],
     [("2026-11-19 10:00:00", "negative")], "negative"),
    ("h.com", "replied", "healthcare", ("more_leads", "aida", "2026-11-20 12:00:00"), [], [], None),
    ("i.com", "replied", "saas", ("save_time", "aida", "2026-11-19 10:00:00"),
     ["2026-11-22 23:59:59"],
     [("2026-11-21 10:00:00", "neutral"), ("2026-11-23 10:00:00", "asked_for_info")],
     "asked_for_info"),
    ("j.com", "sent", "saas", ("local-seo", "pas", "2026-11-01 10:00:00"), [], [], None),
]

COUNTS = {"ready": 1, "sent": 3, "replied": 3, "won": 1, "lost": 2}
EVER_SENT = 9
EVER_REPLIED = 5  # d, e, g, i have replies; h is replied by hand
SENTIMENT = {"positive": 2, "neutral": 0, "negative": 1, "asked_for_info": 1}
FIRST_REPLY_AFTER = {1: 3, 2: 1}  # messages sent before each contact's first reply
WEEKLY_SENDS = {6: 2, 7: 1, 8: 1, 9: 2, 10: 5, 11: 1}
WEEKLY_REPLIES = {7: 1, 8: 1, 10: 2, 11: 1}
ANGLES_ALL = {  # angle: (sends, replies, positive, won)
    "more_leads": (3, 1, 0, 0),
    "save_time": (3, 3, 2, 1),
    "reputation": (2, 1, 0, 0),
    "local-seo": (1, 0, 0, 0),
}
FRAMEWORKS_ALL = {"aida": (5, 4, 1, 0), "pas": (4, 1, 1, 1)}
LEARNER_OUTCOMES = [
    ("healthcare", "more_leads", 0.3, 1),
    ("healthcare", "reputation", 0.0, 1),
    ("healthcare", "reputation", 0.1, 1),
    ("healthcare", "save_time", 1.0, 1),
    ("saas", "more_leads", 0.0, 1),
    ("saas", "save_time", 0.6, 1),
    ("saas", "save_time", 0.8, 1),
]


def insert_known(db) -> dict[str, int]:
    """Insert ROWS (with status events: sent, replied, won/lost) in one bulk transaction."""
    contacts, messages, replies, events = [], [], [], []
    ids = {}
    for n, (domain, status, category, (angle, fw, sent), follow_ups, got, sentiment) in enumerate(ROWS):
        cid = n + 1
        ids[domain] = cid
        created = f"2026-10-{1 + cid:02d} 09:00:00"
        last_sent = follow_ups[-1] if follow_ups else sent
        last_reply = got[-1][0] if got else None
        values = {
            "id": cid, "domain": domain, "business_name": domain.split(".")[0].upper() + " Ltd",
            "contact_name": "", "email": "", "phone": "", "notes": "", "extra": "",
            "category": category, "status": status, "last_sent_at": last_sent,
            "last_reply_at": last_reply, "follow_ups": len(follow_ups), "sentiment": sentiment,
            "draft_pending": False, "do_not_contact": False, "created_at": created,
            "updated_at": created,
        }
        contacts.append(tuple(values[c] for c in CONTACT_COLUMNS))
        messages.append((cid, "initial", "Hello", "Hi", angle, fw, category, created, sent))
        for at in follow_ups:
            messages.append((cid, "follow_up", "Re: Hello", "Bump", angle, "", category, at, at))
        for at, label in got:
            replies.append((cid, "Thanks", label, at))
        if sent:
            events.append((cid, "status", "ready", "sent", "", sent))
        if got:
            events.append((cid, "status", "sent", "replied", "", got[0][0]))
        if status in ("won", "lost"):
            closed = f"2026-11-{20 + (cid % 3):02d} 1{cid % 10}:00:00"
            events.append((cid, "status", "replied" if got else "sent", status, "", closed))
    insert_batches(db, [(contacts, messages, replies, events)])
    return ids
