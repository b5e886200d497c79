"""The offline implementations behind the async interfaces of ai/interfaces.py."""

from __future__ import annotations

from datetime import date

from ...domain.drafts import Draft
from ...domain.reply_text import ReplyAnalysis
from ...domain.research import PageResearch
from .categoriser import CategoryGuess, OfflineCategoriser
from .classifier import OfflineClassifier
from .writer import OfflineWriter


class OfflineResearcher:
    """Homepage research needs the network even offline ("offline" means: no Claude)."""

    def __init__(self, client=None, limits=None) -> None:
        self.client = client
        self.limits = limits

    async def research(self, domain: str, url: str | None = None) -> PageResearch:
        from ..research import FetchLimits, research_homepage

        return await research_homepage(domain, url, client=self.client,
                                       limits=self.limits or FetchLimits())


class OfflineCategoriserAsync:
    def __init__(self) -> None:
        self._inner = OfflineCategoriser()

    async def categorise(self, research: PageResearch, domain: str) -> CategoryGuess:
        return self._inner.categorise(research, domain)


class OfflineWriterAsync:
    def __init__(self, seed: int | None = None) -> None:
        self._inner = OfflineWriter(seed)

    async def write_initial(self, **kwargs) -> Draft:
        return self._inner.write_initial(**kwargs)

    async def write_follow_up(self, **kwargs) -> Draft:
        return self._inner.write_follow_up(**kwargs)


class OfflineClassifierAsync:
    def __init__(self) -> None:
        self._inner = OfflineClassifier()

    async def classify(self, text: str, *, today: date | None = None) -> ReplyAnalysis:
        return self._inner.classify(text, today=today)


def offline_ai(*, seed: int | None = None, http_client=None, limits=None):
    from ..interfaces import AI

    return AI("offline", OfflineResearcher(http_client, limits), OfflineCategoriserAsync(),
              OfflineWriterAsync(seed), OfflineClassifierAsync(), model="offline")
