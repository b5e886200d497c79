"""Sentence banks shared by every framework: category vocabulary, greetings, sign-offs,
hooks built on page facts, the sender's introduction and calls to action.

Placeholders: {biz} business name, {first} contact's name, {team} short business name,
{domain}, {name}/{me}/{company} the sender, {core} the sender's offer as a verb phrase,
{offer} the offer's first sentence, {trade}/{trades} what the business is ("practice"),
{cust} their customers, {enq} what comes in (bookings, quote requests), {moment} when a
visitor decides; facts: {offering}, {since}, {years}, {claim}, {loc}; angle words: see
`angles_bank`. A phrasing is used only when all its placeholders are known.
"""

from __future__ import annotations

from leadletter_tui.domain.categories import Category

FORMALITIES = ("formal", "neutral", "casual")

CATEGORY_WORDS: dict[Category, dict[str, tuple[str, ...]]] = {
    Category.PROFESSIONAL_SERVICES: {
        "trade": ("firm", "practice"), "trades": ("firms", "professional practices"),
        "one": ("client", "prospective client"),
        "cust": ("clients", "local clients"),
        "enq": ("enquiries", "consultation requests", "new client calls"),
        "moment": ("while someone is comparing firms", "before a prospect picks up the phone"),
    },
    Category.ECOMMERCE: {
        "trade": ("shop", "store", "brand"), "trades": ("online shops", "independent brands"),
        "one": ("shopper", "buyer"),
        "cust": ("shoppers", "buyers", "online customers"),
        "enq": ("orders", "sales", "repeat orders"),
        "moment": ("between the product page and the checkout", "when a shopper is close to buying"),
    },
    Category.REAL_ESTATE: {
        "trade": ("agency", "brokerage"), "trades": ("agencies", "property firms"),
        "one": ("vendor", "homeowner"),
        "cust": ("buyers and sellers", "homeowners", "vendors"),
        "enq": ("valuation requests", "viewing requests", "listing enquiries"),
        "moment": ("when a seller is choosing an agent", "while a buyer is scrolling listings"),
    },
    Category.SAAS: {
        "trade": ("product", "team"), "trades": ("software teams", "SaaS companies"),
        "one": ("user", "trial user"),
        "cust": ("users", "trial users", "teams"),
        "enq": ("trial sign-ups", "demo requests", "sign-ups"),
        "moment": ("in the first minute on the pricing page", "right after someone signs up"),
    },
    Category.HEALTHCARE: {
        "trade": ("practice", "clinic"), "trades": ("clinics", "private practices"),
        "one": ("patient", "new patient"),
        "cust": ("patients", "local patients"),
        "enq": ("appointment requests", "bookings", "new patient enquiries"),
        "moment": ("when someone is choosing where to book", "late at night when a patient searches"),
    },
    Category.HOME_SERVICES: {
        "trade": ("business", "company"), "trades": ("trades businesses", "local contractors"),
        "one": ("homeowner", "household"),
        "cust": ("homeowners", "local customers", "households"),
        "enq": ("quote requests", "call-outs", "booked jobs"),
        "moment": ("when a homeowner needs someone fast", "while a customer is comparing quotes"),
    },
    Category.FINANCIAL_SERVICES: {
        "trade": ("firm", "practice"), "trades": ("advisers", "financial firms"),
        "one": ("client", "family"),
        "cust": ("clients", "families", "business owners"),
        "enq": ("consultation requests", "discovery calls", "enquiries"),
        "moment": ("when someone is deciding who to trust with money", "before a first meeting"),
    },
    Category.MANUFACTURING: {
        "trade": ("company", "manufacturer"), "trades": ("manufacturers", "suppliers"),
        "one": ("buyer", "trade customer"),
        "cust": ("buyers", "trade customers", "distributors"),
        "enq": ("RFQs", "quote requests", "trade enquiries"),
        "moment": ("when a buyer is shortlisting suppliers", "while an engineer checks specs"),
    },
    Category.NONPROFIT: {
        "trade": ("organisation", "charity"), "trades": ("charities", "nonprofits"),
        "one": ("supporter", "donor"),
        "cust": ("supporters", "donors", "volunteers"),
        "enq": ("donations", "volunteer sign-ups", "regular gifts"),
        "moment": ("when a supporter is ready to give", "after someone reads your story"),
    },
    Category.CREATOR_ECONOMY: {
        "trade": ("brand", "channel"), "trades": ("creators", "independent creators"),
        "one": ("follower", "subscriber"),
        "cust": ("followers", "subscribers", "fans"),
        "enq": ("paid subscribers", "course sales", "sponsorship enquiries"),
        "moment": ("when a follower lands on your site", "right after a new video goes out"),
    },
    Category.HOSPITALITY: {
        "trade": ("venue", "place"), "trades": ("restaurants", "hotels", "venues"),
        "one": ("guest", "diner"),
        "cust": ("guests", "diners", "visitors"),
        "enq": ("bookings", "direct bookings", "table reservations"),
        "moment": ("when someone is planning a night out", "while a guest compares places to stay"),
    },
    Category.OTHER: {
        "trade": ("business", "company"), "trades": ("small businesses", "independent businesses"),
        "one": ("customer", "client"),
        "cust": ("customers", "clients"),
        "enq": ("enquiries", "new customers", "first orders"),
        "moment": ("when a new visitor is deciding", "on a first visit to your site"),
    },
}

GREETINGS = {
    "formal": ("Dear {first},", "Hello {first},"),
    "neutral": ("Hi {first},", "Hello {first},"),
    "casual": ("Hi {first},", "Hey {first},"),
}
GREETINGS_ANON = {
    "formal": ("Hello,", "Dear {team} team,", "Good day,", "Hello to the {team} team,"),
    "neutral": ("Hi there,", "Hello,", "Hi {team} team,", "Hello {team} team,"),
    "casual": ("Hi there,", "Hey there,", "Hi {team} team,", "Hi {team} folks,"),
}
SIGNOFFS = {
    "formal": ("Kind regards,", "Best regards,", "With thanks,", "Regards,", "Yours sincerely,"),
    "neutral": ("Best,", "Thanks,", "All the best,", "Best wishes,", "Thank you,", "Warmly,"),
    "casual": ("Cheers,", "Thanks,", "Best,", "Talk soon,", "Thanks a lot,"),
}

# Opening observations: the page fact carries the specific part.
HOOKS = {
    "offering": (
        "I was reading about your {offering} on {domain}.",
        "Your {offering} page was the first thing I read.",
        "The {offering} section of your site is what I spent the most time on.",
        "I noticed {offering} sits near the top of your homepage.",
        "Judging by your site, {offering} is a big part of the work.",
        "I had a look at how {biz} presents {offering}.",
        "I read through your homepage, especially the part on {offering}.",
    ),
    "since": (
        "Running {biz} {since} is no small thing.",
        "I saw you've been going {since}, which says a lot.",
        "Not many {trades} can say they've been around {since}.",
        "{biz} has been at it {since}, according to your site.",
        "Your site mentions you've been in business {since}.",
    ),
    "years": (
        "I noticed the line about {years} on your site.",
        "{years} is a real track record.",
        "Your homepage mentions {years}, which is rare these days.",
        "That's {years}, going by your site.",
    ),
    "trait": (
        "I liked that your homepage leads with \"{trait}\".",
        "\"{trait}\" is a strong thing to put on a homepage.",
        "Seeing \"{trait}\" on your site told me a lot about {biz}.",
        "Your site makes a point of being {trait}, and it shows.",
        "Being {trait} is something {cust} notice.",
    ),
    "count": (
        "I noticed the \"{count}\" on your homepage.",
        "Seeing \"{count}\" on your site told me a lot about {biz}.",
        "{count} is a number most {trades} would be proud of.",
        "That figure on your site, {count}, is hard to ignore.",
        "Not every {trade} can point to {count}.",
    ),
    "perk": (
        "The \"{perk}\" line on your homepage stood out to me.",
        "Offering {perk} is a real draw for {cust}.",
        "I liked that you put {perk} right on the homepage.",
        "A line like \"{perk}\" is the kind of detail {cust} look for.",
        "Not every {trade} offers {perk}, and your site says so clearly.",
    ),
    "loc": (
        "I see you're based in {loc}.",
        "I noticed {biz} works out of {loc}.",
        "{loc} is a competitive place for a {trade}.",
        "Your site puts {loc} front and centre.",
    ),
    "": (
        "I was looking into {biz} this week.",
        "{biz} came up while I was looking at {trades} online.",
        "I've been looking at how {trades} win new {cust}, and {biz} was on my list.",
        "I spent some time this week on {trades} like {biz}.",
        "{biz} came up when I was researching {trades}.",
        "I've had {biz} on my list of {trades} to write to.",
    ),
}

# The sender: who they are, what they do. {core} is a verb phrase ("build websites for ...").
INTRO_CORE = (
    "At {company} we {core}",
    "I run {company}, where we {core}",
    "I'm {me} from {company}, and we {core}",
    "Over at {company}, we {core}",
    "A bit about me: I'm {name}, and at {company} we {core}",
    "What I do at {company} is simple: we {core}",
    "For context, {company} is my business and we {core}",
    "I'm {name}; I {core}",
    "For context, I {core}",
    "These days I {core}",
)
INTRO_TAILS = (
    ".",
    ".",
    ", which is why {biz} caught my eye.",
    ", and {trades} are a lot of that work.",
    ", so I notice the small things on sites like yours.",
    ", and {biz} looked like a good fit.",
    ", and I think {biz} is a good fit for it.",
)
INTRO_RAW = (
    "A bit about me: {offer}.",
    "For context, here is what I do: {offer}.",
    "Some background on {company}: {offer}.",
    "What I do, in one line: {offer}.",
    "I'm {name}, and in short: {offer}.",
)
INTRO_SHORT = (
    "I'm {name} at {company}.",
    "I'm {me}, from {company}.",
    "I'm {name}.",
    "I work at {company}.",
)

CTA = (
    "Worth a quick chat?",
    "Open to a short call next week?",
    "Shall I send over a few notes?",
    "Would that be useful?",
    "Is this worth a conversation?",
    "Happy to share more if it helps.",
    "Could I show you what I mean?",
    "Would {biz} be open to that?",
    "Interested?",
    "Want me to sketch it out?",
    "Any interest?",
    "Worth ten minutes of your time?",
)
CTA_LONG_ASK = (
    "Would you be open to a short call",
    "Could we find fifteen minutes",
    "Would it make sense to talk it through",
    "Can I walk you through it",
    "Shall we have a quick call",
)
CTA_LONG_WHEN = (
    "next week?", "sometime this month?", "on Thursday or Friday?", "whenever suits you?",
    "before the end of the month?", "early next week?",
)
CTA_SOFT = (
    "No pressure either way.",
    "Not a priority? No problem.",
    "If the timing's off, say so.",
    "Or point me to the right person.",
    "A one-word reply is fine.",
    "",
    "",
)
