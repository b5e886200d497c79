"""What homepage research found about a business (plain data; the fetching lives in ai/)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

SUMMARY_TEXT_CHARS = 4000  # main text kept with a message (enough for facts and follow-ups)


@dataclass(frozen=True, slots=True)
class PageResearch:
    """The outcome of researching one domain's homepage.

    Every text field is already sanitised (no control characters) and capped; it is still
    untrusted: shown literally, never as markup, never as instructions to a model.
    `ok` False means the fetch failed (`error` says why, one line) and generation goes on
    from the domain alone.
    """

    domain: str
    url: str  # the page asked for
    ok: bool
    final_url: str = ""  # after redirects
    title: str = ""
    description: str = ""  # meta description (or og:description)
    headings: tuple[str, ...] = ()  # h1-h3 in page order, deduplicated
    text: str = ""  # main text: paragraphs without nav, cookie banners, footers
    language: str = ""  # <html lang>, if given
    error: str | None = None

    @classmethod
    def failed(cls, domain: str, url: str, error: str) -> PageResearch:
        return cls(domain=domain, url=url, ok=False, error=error)

    @property
    def has_content(self) -> bool:
        return bool(self.title or self.description or self.headings or self.text)

    def to_summary(self) -> str:
        """A compact JSON record kept with each message: follow-ups are written from it
        without fetching the page again."""
        data = asdict(self)
        data["text"] = self.text[:SUMMARY_TEXT_CHARS]
        data["headings"] = list(self.headings[:20])
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_summary(cls, text: str, domain: str) -> PageResearch:
        """The research a `to_summary` record describes; anything unreadable (an older
        message, a hand-edited row) gives a failed research that says so."""
        try:
            data = json.loads(text) if text else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return cls.failed(domain, f"https://{domain}/", "no stored research")
        def s(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""
        headings = data.get("headings")
        return cls(
            domain=domain,
            url=s("url") or f"https://{domain}/",
            ok=data.get("ok") is True,
            final_url=s("final_url"),
            title=s("title"),
            description=s("description"),
            headings=tuple(h for h in headings if isinstance(h, str))
            if isinstance(headings, list) else (),
            text=s("text"),
            language=s("language"),
            error=s("error") or None,
        )
