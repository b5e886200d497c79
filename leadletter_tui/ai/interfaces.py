"""What the rest of the app asks of "AI": four small interfaces, each with an offline
implementation (ai/offline/, no network, no anthropic) and a Claude one (ai/claude*.py,
which alone imports the SDK, on first use).

Services call these only through an `AI` bundle (below), built by `ai.build_ai(settings,
offline=...)`: they never know which implementation they got, except for `AI.mode`, which
the UI shows ("Claude" or "offline"). Every method is async: the Claude ones do network
I/O on the event loop; the offline ones are quick and run inline.

Untrusted text (pages, replies) goes in as data. A Claude implementation must keep it out
of the instructions (its own user-message block, clearly delimited) and must validate what
comes back (the shapes below), so a page or a reply can never change what is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ..domain.angles import Angle
from ..domain.categories import Category
from ..domain.drafts import Draft
from ..domain.frameworks import Framework
from ..domain.profile import SenderProfile
from ..domain.reply_text import ReplyAnalysis
from ..domain.research import PageResearch
from .offline.categoriser import CategoryGuess


class Researcher(Protocol):
    async def research(self, domain: str, url: str | None = None) -> PageResearch:
        """Never raises for network or HTTP faults: a failed PageResearch says why."""


class Categoriser(Protocol):
    async def categorise(self, research: PageResearch, domain: str) -> CategoryGuess: ...


class Writer(Protocol):
    async def write_initial(
        self, *, research: PageResearch, profile: SenderProfile, category: Category,
        angle: Angle, framework: Framework, contact_name: str = "", business_name: str = "",
    ) -> Draft: ...

    async def write_follow_up(
        self, *, research: PageResearch, profile: SenderProfile, previous: list[Draft],
        number: int, angle: Angle, framework: Framework, category: Category,
        contact_name: str = "", business_name: str = "",
    ) -> Draft:
        """References the earlier messages without repeating them (no shared run of six
        words with any of `previous`)."""


class Classifier(Protocol):
    async def classify(self, text: str, *, today: date | None = None) -> ReplyAnalysis: ...


@dataclass(frozen=True)
class AI:
    """The implementations in use, and how the UI names them."""

    mode: str  # "Claude" or "offline"
    researcher: Researcher
    categoriser: Categoriser
    writer: Writer
    classifier: Classifier
    model: str = ""  # the writing model, for the record kept with each message
