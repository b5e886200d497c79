"""Homepage research: fetch a business's homepage safely and parse it (see homepage.py).

The fetch is defensive because the page is someone else's:
- only http:// and https:// addresses, checked again on every redirect hop (redirects are
  followed here, one at a time, at most ``FetchLimits.max_redirects``);
- a connect timeout and one deadline for the whole research (all hops and the body);
- at most ``FetchLimits.max_bytes`` of body are read; a bigger page is parsed from what was read;
- HTML only: decided from Content-Type, and from the first bytes when the type is missing,
  generic or contradicted by the body.

Nothing here raises for a network or HTTP fault: every failure is
``PageResearch.failed(domain, url, reason)`` with a short one-line reason.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
from dataclasses import dataclass

import httpx2

from leadletter_tui.ai.homepage import not_html_reason, parse_homepage
from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.text import truncate_line

USER_AGENT = "Mozilla/5.0 (compatible; LeadLetter/0.1; homepage research)"
_SNIFF_BYTES = 1024
_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds for one homepage fetch (tests pass small values)."""

    connect_timeout: float = 5.0  # seconds to open a connection
    total_timeout: float = 10.0  # seconds for everything: every hop and the body
    max_bytes: int = 2 * 1024 * 1024  # body bytes read (after decompression)
    max_redirects: int = 5


class _Failed(Exception):
    """Internal: ends the fetch with a one-line reason."""


def _seconds(value: float) -> str:
    return f"{value:g} s"


async def research_homepage(
    domain: str,
    url: str | None = None,
    *,
    client: httpx2.AsyncClient | None = None,
    limits: FetchLimits = FetchLimits(),
) -> PageResearch:
    """Fetch and parse `url` (default ``https://{domain}/``) into PageResearch.

    `client` is used as given (its own redirect setting is ignored) and left open; without
    one, a client is made for this call. Cancellation propagates; nothing else escapes.
    """
    url = url or f"https://{domain}/"
    try:
        async with asyncio.timeout(limits.total_timeout):
            if client is not None:
                return await _research(client, domain, url, limits)
            async with _make_client(limits) as own:
                return await _research(own, domain, url, limits)
    except TimeoutError:
        reason = f"timed out after {_seconds(limits.total_timeout)}"
    except _Failed as exc:
        reason = str(exc)
    except httpx2.TimeoutException as exc:
        reason = _timeout_reason(exc, url, limits)
    except (httpx2.HTTPError, httpx2.InvalidURL, OSError) as exc:
        reason = describe_error(exc, _host(url))
    return PageResearch.failed(domain, url, truncate_line(reason, 200))


def _make_client(limits: FetchLimits) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(
        timeout=httpx2.Timeout(limits.total_timeout, connect=limits.connect_timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,"
                 "*/*;q=0.5"},
    )


async def _research(
    client: httpx2.AsyncClient, domain: str, url: str, limits: FetchLimits
) -> PageResearch:
    current = _web_url(url, first=True)
    for _ in range(limits.max_redirects + 1):
        async with client.stream(
            "GET", current, follow_redirects=False, headers={"User-Agent": USER_AGENT}
        ) as response:
            if response.is_redirect:
                current = _web_url(response.headers["location"], base=response.url)
                continue
            if response.status_code != 200:
                raise _Failed(f"HTTP {response.status_code}")
            content_type = response.headers.get("content-type", "")
            body = await _read_body(response, content_type, limits.max_bytes)
            return parse_homepage(
                body, domain=domain, url=url, final_url=str(response.url),
                content_type=content_type,
            )
    raise _Failed(f"too many redirects (more than {limits.max_redirects})")


def _web_url(location: str, *, base: httpx2.URL | None = None, first: bool = False) -> httpx2.URL:
    """An absolute http(s) URL, or _Failed saying why not."""
    try:
        target = httpx2.URL(location.strip())
        if base is not None:
            target = base.join(target)
    except (httpx2.InvalidURL, ValueError, TypeError) as exc:
        raise _Failed("not a valid web address" if first else "redirect to an invalid address") \
            from exc
    if target.scheme not in _WEB_SCHEMES or not target.host:
        raise _Failed("not a web address" if first else "redirect to a non-web address")
    return target


async def _read_body(response: httpx2.Response, content_type: str, max_bytes: int) -> bytes:
    """Read at most `max_bytes`; refuse early (after the first bytes) if it is not HTML."""
    chunks: list[bytes] = []
    size = 0
    checked = False
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if not checked and size >= _SNIFF_BYTES:
            _check_html(content_type, b"".join(chunks))
            checked = True
        if size >= max_bytes:
            break
    body = b"".join(chunks)[:max_bytes]
    if not checked:
        _check_html(content_type, body)
    return body


def _check_html(content_type: str, head: bytes) -> None:
    reason = not_html_reason(content_type, head[:_SNIFF_BYTES])
    if reason is not None:
        raise _Failed(reason)


def _host(url: str | httpx2.URL) -> str:
    try:
        return httpx2.URL(str(url)).host or str(url)
    except (httpx2.InvalidURL, ValueError, TypeError):
        return str(url)


def _timeout_reason(exc: httpx2.TimeoutException, url: str, limits: FetchLimits) -> str:
    if isinstance(exc, httpx2.ConnectTimeout):
        wait = _seconds(limits.connect_timeout)
        return f"cannot connect to {_host(url)}: no answer within {wait}"
    return f"timed out after {_seconds(limits.total_timeout)}"


def _chain(exc: BaseException):
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def describe_error(exc: BaseException, host: str) -> str:
    """One short line for a network fault, naming the host where that helps."""
    for inner in _chain(exc):
        if isinstance(inner, ssl.SSLCertVerificationError):
            return "TLS certificate problem"
        if isinstance(inner, ssl.SSLError):
            return f"TLS error talking to {host}"
        if isinstance(inner, ConnectionRefusedError) or (
            isinstance(inner, OSError) and inner.errno == errno.ECONNREFUSED
        ):
            return f"cannot connect to {host}: connection refused"
        if isinstance(inner, socket.gaierror):
            return f"cannot connect to {host}: host not found"
    text = str(exc)
    lowered = text.lower()
    if "certificate" in lowered:
        return "TLS certificate problem"
    if "refused" in lowered:
        return f"cannot connect to {host}: connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered \
            or "no address associated" in lowered or "name resolution" in lowered:
        return f"cannot connect to {host}: host not found"
    if isinstance(exc, httpx2.ConnectError):
        return f"cannot connect to {host}" + (f": {text}" if text else "")
    if isinstance(exc, httpx2.DecodingError):
        return f"{host} sent a page that cannot be decompressed"
    if isinstance(exc, httpx2.RemoteProtocolError | httpx2.ReadError):
        return f"{host} closed the connection or sent a broken response"
    if isinstance(exc, httpx2.UnsupportedProtocol | httpx2.InvalidURL):
        return "not a web address"
    return f"fetch failed: {text or type(exc).__name__}"
