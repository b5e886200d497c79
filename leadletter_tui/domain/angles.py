"""Message angles: what a message offers the reader. The learning loop picks one per
message for the contact's industry (see `learning`); the writer builds the message on it."""

from __future__ import annotations

from enum import StrEnum


class Angle(StrEnum):
    MORE_LEADS = "more_leads"  # more enquiries, bookings or customers
    SAVE_TIME = "save_time"  # hours back: automate the repetitive parts
    CUT_COSTS = "cut_costs"  # spend less for the same result
    STAND_OUT = "stand_out"  # be the obvious choice against competitors
    REPUTATION = "reputation"  # reviews, trust, credibility
    CUSTOMER_EXPERIENCE = "customer_experience"  # faster answers, smoother journey
    GROWTH = "growth"  # new markets, scale what already works
    QUICK_WIN = "quick_win"  # one small concrete fix spotted on their site

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def promise(self) -> str:
        """One plain phrase of what the angle offers (prompts, summaries)."""
        return _PROMISES[self]


_LABELS = {
    Angle.MORE_LEADS: "More leads",
    Angle.SAVE_TIME: "Save time",
    Angle.CUT_COSTS: "Cut costs",
    Angle.STAND_OUT: "Stand out",
    Angle.REPUTATION: "Reputation",
    Angle.CUSTOMER_EXPERIENCE: "Customer experience",
    Angle.GROWTH: "Growth",
    Angle.QUICK_WIN: "Quick win",
}
_PROMISES = {
    Angle.MORE_LEADS: "more enquiries and customers from the traffic they already get",
    Angle.SAVE_TIME: "hours back each week by taking repetitive work off their plate",
    Angle.CUT_COSTS: "the same result for less money",
    Angle.STAND_OUT: "being the obvious choice next to their competitors",
    Angle.REPUTATION: "more trust from new visitors through reviews and proof",
    Angle.CUSTOMER_EXPERIENCE: "faster answers and a smoother path for their customers",
    Angle.GROWTH: "growing what already works into new markets",
    Angle.QUICK_WIN: "one small, concrete fix that pays off this month",
}

ANGLES: tuple[str, ...] = tuple(a.value for a in Angle)
