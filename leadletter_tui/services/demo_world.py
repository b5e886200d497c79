"""The simulated world behind the demo data: who the demo contacts are, what the sender wrote
to them, and the hidden odds that decide how they answered. Pure data and arithmetic.

Everything uses the shared vocabulary: categories are the 12 slugs of `domain/categories.py`,
angles `domain/angles.py` ANGLES, frameworks `domain/frameworks.py` FRAMEWORKS.

The world (what analytics and the learner can discover on a demo database):

- Each category has a base reply rate for a first message with an ordinary angle
  (`BASE_REPLY`: 3.5 % for SaaS up to 10 % for nonprofits).
- In each category one or two angles are strong (`STRONG`: reply odds × 2.0, half of
  their replies positive) and one or two are weak (`WEAK`: × 0.4, 15 % positive); the
  others reply at the base rate, 30 % positive. E.g. home services answer "more leads" and
  "quick win", SaaS answers "growth" and shrugs at "reputation".
- The framework moves the reply odds the same way everywhere (`FRAMEWORK_LIFT`, from × 1.25
  for question-led down to × 0.8 for pattern interrupt).
- A reply that is not positive is "asked for info" 40 %, neutral 30 %, negative 30 % of the
  time; a third of the negative replies are unsubscribe requests (do-not-contact).
- Won: 40 % of positive replies and 12 % of "asked for info" ones, once a few days have
  passed. Lost: 60 % of negative replies, 30 % of neutral ones, 15 % of "asked for info"
  ones, and 20 % of first messages still unanswered after 10 days.
- 2 % of unanswered contacts sent an out-of-office auto-reply (no return date), which the
  replies feature records as neutral but not a real reply: the contact stays Sent.

The sender picks angle and framework uniformly at random, so the tables read as a fair
experiment: on a large demo database every category's strong angles top its table.
"""

from __future__ import annotations

from ..domain.angles import ANGLES, Angle
from ..domain.categories import Category as C
from ..domain.frameworks import FRAMEWORKS, Framework as F

A = Angle

# Business types per category (the second word of a business name, "Harbor Plumbing"),
# and how common the category is among demo contacts.
TRADES: dict[str, tuple[str, ...]] = {
    C.HOME_SERVICES: ("Plumbing", "Electric", "Roofing", "HVAC", "Landscaping", "Cleaning Co",
                      "Pest Control", "Handyman"),
    C.HOSPITALITY: ("Bakery", "Coffee Roasters", "Pizzeria", "Bistro", "Catering", "Guesthouse",
                    "Inn", "Brewery"),
    C.HEALTHCARE: ("Dental", "Physio", "Chiropractic", "Veterinary Clinic", "Optometry",
                   "Pharmacy"),
    C.PROFESSIONAL_SERVICES: ("Law Group", "Architects", "Consulting", "Marketing Agency",
                              "Recruitment", "Design Studio"),
    C.REAL_ESTATE: ("Realty", "Property Management", "Lettings", "Surveyors"),
    C.FINANCIAL_SERVICES: ("Accounting", "Bookkeeping", "Wealth Advisors", "Insurance",
                           "Mortgage Brokers"),
    C.ECOMMERCE: ("Goods", "Apparel", "Outfitters", "Supply Co", "Skincare", "Candle Co"),
    C.SAAS: ("Software", "Analytics", "Cloud", "Labs", "Apps"),
    C.MANUFACTURING: ("Metalworks", "Fabrication", "Plastics", "Woodworks", "Machining",
                      "Textiles"),
    C.NONPROFIT: ("Foundation", "Community Trust", "Food Bank", "Animal Rescue", "Arts Council"),
    C.CREATOR_ECONOMY: ("Podcasts", "Media", "Illustration", "Creative Studio"),
    C.OTHER: ("Yoga Studio", "CrossFit", "Climbing Gym", "Salon", "Barbers", "Auto Repair",
              "Detailing", "Bookshop", "Florist", "Daycare", "Tutoring", "Music School",
              "Photography", "Print Shop"),
}
CATEGORY_WEIGHTS: dict[str, int] = {
    C.HOME_SERVICES: 16, C.HOSPITALITY: 12, C.HEALTHCARE: 10, C.PROFESSIONAL_SERVICES: 10,
    C.REAL_ESTATE: 8, C.ECOMMERCE: 8, C.OTHER: 8, C.FINANCIAL_SERVICES: 6, C.SAAS: 6,
    C.CREATOR_ECONOMY: 6, C.MANUFACTURING: 5, C.NONPROFIT: 5,
}

BASE_REPLY: dict[str, float] = {
    C.HOME_SERVICES: 0.09, C.HOSPITALITY: 0.08, C.HEALTHCARE: 0.06,
    C.PROFESSIONAL_SERVICES: 0.05, C.REAL_ESTATE: 0.07, C.FINANCIAL_SERVICES: 0.045,
    C.ECOMMERCE: 0.06, C.SAAS: 0.035, C.MANUFACTURING: 0.05, C.NONPROFIT: 0.10,
    C.CREATOR_ECONOMY: 0.08, C.OTHER: 0.06,
}
STRONG: dict[str, tuple[Angle, ...]] = {
    C.HOME_SERVICES: (A.MORE_LEADS, A.QUICK_WIN),
    C.HOSPITALITY: (A.REPUTATION, A.CUSTOMER_EXPERIENCE),
    C.HEALTHCARE: (A.SAVE_TIME, A.CUSTOMER_EXPERIENCE),
    C.PROFESSIONAL_SERVICES: (A.SAVE_TIME, A.REPUTATION),
    C.REAL_ESTATE: (A.STAND_OUT, A.MORE_LEADS),
    C.FINANCIAL_SERVICES: (A.REPUTATION, A.CUT_COSTS),
    C.ECOMMERCE: (A.GROWTH, A.MORE_LEADS),
    C.SAAS: (A.GROWTH, A.QUICK_WIN),
    C.MANUFACTURING: (A.CUT_COSTS, A.SAVE_TIME),
    C.NONPROFIT: (A.CUT_COSTS, A.REPUTATION),
    C.CREATOR_ECONOMY: (A.GROWTH, A.STAND_OUT),
    C.OTHER: (A.QUICK_WIN,),
}
WEAK: dict[str, tuple[Angle, ...]] = {
    C.HOME_SERVICES: (A.GROWTH,),
    C.HOSPITALITY: (A.CUT_COSTS, A.GROWTH),
    C.HEALTHCARE: (A.STAND_OUT,),
    C.PROFESSIONAL_SERVICES: (A.QUICK_WIN,),
    C.REAL_ESTATE: (A.CUT_COSTS,),
    C.FINANCIAL_SERVICES: (A.GROWTH, A.STAND_OUT),
    C.ECOMMERCE: (A.REPUTATION,),
    C.SAAS: (A.REPUTATION, A.CUSTOMER_EXPERIENCE),
    C.MANUFACTURING: (A.STAND_OUT,),
    C.NONPROFIT: (A.GROWTH,),
    C.CREATOR_ECONOMY: (A.SAVE_TIME,),
    C.OTHER: (A.CUT_COSTS,),
}
STRONG_LIFT, WEAK_LIFT = 2.0, 0.4
POSITIVE_SHARE = {"strong": 0.5, "plain": 0.3, "weak": 0.15}
FRAMEWORK_LIFT: dict[str, float] = {
    F.QUESTION_LED: 1.25, F.DIRECT_VALUE: 1.15, F.LOOM_VIDEO: 1.1, F.COMPLIMENT_BRIDGE: 1.05,
    F.SOCIAL_PROOF: 1.0, F.PROBLEM_AGITATE_SOLVE: 0.95, F.MISSION_BASED: 0.85,
    F.PATTERN_INTERRUPT: 0.8,
}
# What a reply that is not positive says (shares of the rest).
OTHER_SENTIMENTS = (("asked_for_info", 0.4), ("neutral", 0.3), ("negative", 0.3))
UNSUBSCRIBE_SHARE = 1 / 3  # of negative replies
WON_GIVEN = {"positive": 0.40, "asked_for_info": 0.12}
LOST_GIVEN = {"negative": 0.60, "neutral": 0.30, "asked_for_info": 0.15}
LOST_UNANSWERED = 0.20  # of first messages unanswered after LOST_AFTER_DAYS
LOST_AFTER_DAYS = 10
OUT_OF_OFFICE_SHARE = 0.02  # of unanswered contacts
READY_SHARE = 0.30  # contacts whose first message is written but not sent yet


def strength(category: str, angle: str) -> str:
    """"strong", "weak" or "plain": how `angle` lands with `category` in this world."""
    if angle in STRONG[category]:
        return "strong"
    if angle in WEAK[category]:
        return "weak"
    return "plain"


def odds(category: str, angle: str, framework: str) -> tuple[float, float]:
    """(chance of a real reply, chance that a reply is positive) of one first message."""
    kind = strength(category, angle)
    lift = STRONG_LIFT if kind == "strong" else WEAK_LIFT if kind == "weak" else 1.0
    return BASE_REPLY[category] * lift * FRAMEWORK_LIFT[framework], POSITIVE_SHARE[kind]


def odds_table() -> dict[tuple[str, str, str], tuple[float, float]]:
    """`odds` for every (category, angle, framework), for the generator's inner loop."""
    return {(c, a, f): odds(c, a, f) for c in TRADES for a in ANGLES for f in FRAMEWORKS}


# --- texts ---------------------------------------------------------------------------------------
SUBJECTS: dict[str, str] = {
    A.MORE_LEADS: "More enquiries for {biz}",
    A.SAVE_TIME: "A few hours back each week, {first}?",
    A.CUT_COSTS: "Same results, smaller bill for {biz}",
    A.STAND_OUT: "Making {biz} the obvious choice",
    A.REPUTATION: "Your reviews, {first}",
    A.CUSTOMER_EXPERIENCE: "Faster answers for {biz} customers",
    A.GROWTH: "The next step for {biz}",
    A.QUICK_WIN: "One quick fix on the {biz} site",
}
BODIES: dict[str, str] = {
    F.PATTERN_INTERRUPT: "Hi {first},\n\nNot another agency pitch, promise. One thing stood out "
                         "on the {biz} site: there is room for {promise}.\n\nWorth ten "
                         "minutes?\n\nAlex",
    F.DIRECT_VALUE: "Hi {first},\n\nStraight to it: I help businesses like {biz} get "
                    "{promise}. I have two ideas specific to you.\n\nShall I send them?\n\nAlex",
    F.MISSION_BASED: "Hi {first},\n\nI work with independent businesses so they can keep "
                     "doing what they love. For {biz} that would mean {promise}.\n\nOpen to a "
                     "short chat?\n\nAlex",
    F.LOOM_VIDEO: "Hi {first},\n\nI recorded a two-minute video walking through the {biz} "
                  "site and how to get {promise}.\n\nWant the link?\n\nAlex",
    F.QUESTION_LED: "Hi {first},\n\nQuick question: is {promise} something {biz} is "
                    "working on this year?\n\nIf so, I have an idea or two.\n\nAlex",
    F.PROBLEM_AGITATE_SOLVE: "Hi {first},\n\nMost businesses like {biz} lose work in small "
                             "ways they never see. The fix is usually simple, and it brings "
                             "{promise}.\n\nHappy to show you how.\n\nAlex",
    F.SOCIAL_PROOF: "Hi {first},\n\nA business much like {biz} came to us last spring; "
                    "since then they have had {promise}.\n\nCould the same work for you?"
                    "\n\nAlex",
    F.COMPLIMENT_BRIDGE: "Hi {first},\n\nI really liked what {biz} has built. With a small "
                         "change or two you could also get {promise}.\n\nShall I "
                         "explain?\n\nAlex",
}
FOLLOW_UP = "Hi {first}, just bumping this in case it got buried."

# Replies by what they say: the label and the signal the replies feature gives each (the
# tests check every text against the offline classifier).
REPLIES: dict[str, tuple[str, ...]] = {
    "positive": ("Sounds good, can we do a quick call Thursday?",
                 "Yes, let's do it. Send over a time that works for you.",
                 "Interested! When can we meet?",
                 "This is timely, we were just talking about it. Happy to chat next week.",
                 "Great, let's talk. I'm free Tuesday afternoon.",
                 "Love it. Book something in with me."),
    "asked_for_info": ("What would this cost for a business our size?",
                       "Do you have examples of work for similar businesses?",
                       "How long does it usually take?",
                       "Can you send some more details and pricing?",
                       "What exactly would you need from us?",
                       "Who else have you done this for?"),
    "neutral": ("Not right now, maybe next quarter.", "Forwarded to our manager.",
                "Thanks, we'll keep it in mind.",
                "Busy season at the moment, check back in the new year."),
    "negative": ("Not interested, thanks.", "We already have someone for this.",
                 "No thanks, we're happy with what we have.", "We don't need this."),
    "unsubscribe": ("Please remove me from your list.", "Unsubscribe.", "Stop emailing me.",
                    "Take me off your mailing list please."),
    "out_of_office": ("I'm out of the office with limited access to email.",
                      "Thanks for your email. I am currently away and will reply when I am back.",
                      "Automatic reply: I'm on leave and not checking email.",
                      "I am out of office at the moment. For urgent matters please call the "
                      "front desk."),
}
LABEL = {"unsubscribe": "negative", "out_of_office": "neutral"}  # others: their own name
SIGNAL = {"unsubscribe": "unsubscribe", "out_of_office": "out_of_office"}


def label_of(kind: str) -> str:
    return LABEL.get(kind, kind)
