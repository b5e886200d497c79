"""What homepage research found about a business (plain data; the fetching lives in ai/)."""

from __future__ import annotations

from dataclasses import dataclass


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
