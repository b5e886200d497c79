"""Turning a fetched homepage into PageResearch: content sniffing, decoding and parsing.

Pure functions (no network): :mod:`leadletter_tui.ai.research` fetches and calls these, and
cached pages or tests can call :func:`parse_homepage` directly.

Parsing uses selectolax's lexbor parser, never regular expressions on markup. The main text
is the paragraphs and list items of ``<main>`` (else a lone ``<article>``, else ``<body>``)
once the page's chrome is removed: navigation, site header and footer, asides, forms,
scripts and styles, and cookie/consent banners (recognised by id, class, role or aria-label).
Every field is sanitised (:mod:`leadletter_tui.domain.text`) and capped: the page is
untrusted and is only ever shown or quoted as data.
"""

from __future__ import annotations

import codecs

from selectolax.lexbor import LexborHTMLParser, LexborNode

from leadletter_tui.domain.research import PageResearch
from leadletter_tui.domain.text import ELLIPSIS, sanitize_text, truncate_line

MAX_TITLE = 200
MAX_DESCRIPTION = 400
MAX_HEADINGS = 20
MAX_HEADING = 150
MAX_TEXT = 4000

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types servers send when they do not know better: the body decides (sniffing).
GENERIC_TYPES = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})

# Leading bytes of formats that are certainly not HTML, with the type we report for them.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
)
# Starts of an HTML document (checked lowercased, after whitespace and a BOM).
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta",
                b"<!--", b"<div", b"<p", b"<h1", b"<script", b"<link", b"<style", b"<table")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers read these labels as windows-1252 (WHATWG Encoding), and so do we.
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii",
                        "ascii", "iso_8859-1", "cp819"})

# Chrome that is never part of the main text (removed before anything is read).
_ALWAYS_DROP = "script, style, noscript, template, svg, iframe, object, canvas, dialog"
# Page structure left out of the main text (headings inside them are left out too).
_CHROME = ("nav, header, footer, aside, form, [role=navigation], [role=banner], "
           "[role=contentinfo], [role=complementary], [role=search]")
# Words in an id/class/aria-label that mark a cookie or consent banner.
_BANNER_WORDS = ("cookie", "consent", "gdpr", "onetrust", "cookiebot", "cmp-banner")
# Whole class/id tokens of div-based site chrome (never substrings: "menu" is a restaurant's).
_CHROME_TOKENS = frozenset({"nav", "navbar", "navigation", "site-header", "site-footer",
                            "masthead", "topbar", "top-bar", "breadcrumb", "breadcrumbs",
                            "skip-link", "footer", "sidebar", "site-nav", "main-nav"})
_LEAF_CONTAINERS = "div, section, h4, h5, h6"
_TEXT_BLOCKS = "p, li, blockquote, dd, dt, figcaption, td, address"


def media_type(content_type: str) -> str:
    """'text/html; charset=utf-8' -> 'text/html' (lowercase, parameters dropped)."""
    return content_type.split(";", 1)[0].strip().lower()


def header_charset(content_type: str) -> str:
    """The charset parameter of a Content-Type value ('' if none)."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").strip()
    return ""


def sniff_type(head: bytes) -> str:
    """What the first bytes of a body look like: 'text/html', a known other type, or ''."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    stripped = head.lstrip()
    for magic, kind in _MAGIC:
        if stripped.startswith(magic):
            return kind
    lowered = stripped[:64].lower()
    if lowered.startswith((b"{", b"[")):
        return "application/json"
    if any(lowered.startswith(start) for start in _HTML_STARTS):
        return "text/html"
    if lowered.startswith(b"<?xml") and b"<html" in stripped[:1024].lower():
        return "application/xhtml+xml"
    return ""


def not_html_reason(content_type: str, head: bytes) -> str | None:
    """None if the body should be parsed as HTML, else a one-line reason why not.

    A declared HTML type is trusted unless the body is plainly another format; a missing or
    generic type is decided by the body; any other declared type is refused.
    """
    declared = media_type(content_type)
    sniffed = sniff_type(head)
    if declared in HTML_TYPES:
        if sniffed in ("", "text/html", "application/xhtml+xml"):
            return None
        return f"not an HTML page ({sniffed})"
    if declared in GENERIC_TYPES and sniffed in ("text/html", "application/xhtml+xml"):
        return None
    return f"not an HTML page ({sniffed or declared or 'unknown type'})"


def _codec(label: str) -> str | None:
    """A Python codec name for a charset label, or None if the label is unknown."""
    label = label.strip().lower()
    if not label:
        return None
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def meta_charset(head: bytes) -> str:
    """The charset a page declares in <meta charset> or http-equiv Content-Type ('' if none).

    Only the first 4 KB are read (as HTML requires), decoded as Latin-1 so that any
    ASCII-compatible encoding's markup survives, and parsed with the same HTML parser.
    """
    tree = LexborHTMLParser(head[:4096].decode("latin-1"))
    for meta in tree.css("meta"):
        attrs = {k.lower(): (v or "") for k, v in meta.attributes.items()}
        if attrs.get("charset"):
            return attrs["charset"].strip()
        if attrs.get("http-equiv", "").strip().lower() == "content-type":
            found = header_charset(attrs.get("content", ""))
            if found:
                return found
    return ""


def decode_html(body: bytes, content_type: str = "") -> str:
    """Bytes -> text: BOM, then the header's charset, then the page's own declaration, then
    detection (charset-normalizer), then UTF-8. Undecodable bytes become U+FFFD."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace")
    codec = _codec(header_charset(content_type)) or _codec(meta_charset(body))
    if codec is None:
        codec = _detect(body)
    return body.decode(codec, errors="replace")


def _detect(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - 3:  # only the last character was cut off by the cap
            return "utf-8"
    from charset_normalizer import from_bytes  # only when a page declares nothing

    matches = list(from_bytes(body[:65536]))
    if not matches:
        return "cp1252"
    best = matches[0]
    # Single-byte Latin pages often fit several code pages equally well; among equal fits,
    # windows-1252 is what the web most likely meant (the browsers' default too).
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.01:
            return "cp1252"
    return _codec(best.encoding) or "utf-8"


def _squash(text: str) -> str:
    """Collapse all runs of whitespace to one space and trim."""
    return " ".join(text.split())


def _marks_banner(node: LexborNode) -> bool:
    attrs = node.attributes
    label = " ".join(
        (attrs.get(k) or "") for k in ("id", "class", "aria-label", "aria-labelledby")
    ).lower()
    return any(word in label for word in _BANNER_WORDS)


def _marks_chrome(node: LexborNode) -> bool:
    attrs = node.attributes
    tokens = set((attrs.get("class") or "").lower().split())
    tokens.add((attrs.get("id") or "").lower())
    return not tokens.isdisjoint(_CHROME_TOKENS)


def _inside(node: LexborNode, stop: LexborNode | None = None) -> list[LexborNode]:
    out = []
    parent = node.parent
    while parent is not None and parent is not stop and parent.tag not in ("html", "-undef"):
        out.append(parent)
        parent = parent.parent
    return out


def _drop(nodes: list[LexborNode]) -> None:
    """Remove nodes from the tree; only the outermost of nested ones (removing a node frees
    its subtree, so a nested one must not be touched afterwards)."""
    ids = {node.mem_id for node in nodes}
    done: set[int] = set()
    for node in nodes:
        if node.mem_id in done or any(p.mem_id in ids for p in _inside(node)):
            continue
        done.add(node.mem_id)
        node.decompose()


def _remove_junk(tree: LexborHTMLParser) -> None:
    """Drop what is never content: scripts, styles, embedded objects, consent banners."""
    _drop(tree.css(_ALWAYS_DROP))
    body = tree.body
    if body is None:
        return
    _drop([node for node in body.css("[id], [class], [aria-label]")
           if node.tag not in ("body", "main") and _marks_banner(node)])


def _remove_chrome(root: LexborNode) -> None:
    """Drop navigation, site header/footer, asides and forms below `root`.

    A <header>/<footer> inside an <article> or <section> belongs to that content and stays.
    """
    drop = [
        node for node in root.css(_CHROME)
        if node.tag not in ("header", "footer")
        or not any(p.tag in ("article", "section") for p in _inside(node, root))
    ]
    drop += [node for node in root.css("div[class], div[id], ul[class], ul[id]")
             if _marks_chrome(node)]
    _drop([node for node in drop if node.mem_id != root.mem_id])


def _main_root(tree: LexborHTMLParser) -> LexborNode | None:
    main = tree.css_first("main, [role=main]")
    if main is not None:
        return main
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0]
    return tree.body


def _meta_description(tree: LexborHTMLParser) -> str:
    fallback = ""
    for meta in tree.css("meta"):
        attrs = {k.lower(): (v or "") for k, v in meta.attributes.items()}
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        content = _squash(attrs.get("content", ""))
        if not content:
            continue
        if key == "description":
            return content
        if key in ("og:description", "twitter:description") and not fallback:
            fallback = content
    return fallback


def _headings(tree: LexborHTMLParser) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for node in tree.css("h1, h2, h3"):
        text = truncate_line(_squash(node.text(separator=" ")), MAX_HEADING)
        key = text.casefold()
        if text and key not in seen:
            seen.add(key)
            out.append(text)
            if len(out) == MAX_HEADINGS:
                break
    return tuple(out)


def _holds_blocks(node: LexborNode) -> bool:
    # css() on a node also matches the node itself
    return any(inner.mem_id != node.mem_id for inner in node.css(_TEXT_BLOCKS))


def _blocks(root: LexborNode) -> list[str]:
    """Text blocks in page order, deduplicated; a container that holds other blocks is
    skipped (its children are read instead)."""
    seen: set[str] = set()
    out: list[str] = []
    for node in root.css(_TEXT_BLOCKS):
        if node.tag in ("li", "td", "blockquote", "dd") and _holds_blocks(node):
            continue
        text = _squash(node.text(separator=" "))
        if len(text) < 2 or text in seen:
            continue
        seen.add(text)
        out.append(text)
    if not out:  # a page built from bare divs: read the innermost containers instead
        for node in root.css(_LEAF_CONTAINERS):
            if any(inner.mem_id != node.mem_id for inner in node.css(_LEAF_CONTAINERS)):
                continue
            text = _squash(node.text(separator=" "))
            if len(text) >= 2 and text not in seen:
                seen.add(text)
                out.append(text)
    if not out:
        text = _squash(root.text(separator=" "))
        out = [text] if text else []
    return out


def _cap_text(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def parse_homepage(
    html: str | bytes,
    *,
    domain: str,
    url: str,
    final_url: str = "",
    content_type: str = "",
) -> PageResearch:
    """Parse a homepage into PageResearch (ok=True even when the page turns out empty).

    `html` as bytes is decoded with :func:`decode_html` (header charset from
    `content_type`, then the page's own declaration, then detection).
    """
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    tree = LexborHTMLParser(text)
    html_node = tree.css_first("html")
    language = (html_node.attributes.get("lang") or "") if html_node is not None else ""
    title_node = tree.css_first("title")
    title = _squash(title_node.text()) if title_node is not None else ""
    description = _meta_description(tree)

    _remove_junk(tree)
    # Headings: everything but navigation, asides and forms (a hero <h1> often sits in a
    # <header>, so headers stay for this part).
    _drop(tree.css("nav, aside, form, [role=navigation], [role=complementary]"))
    headings = _headings(tree)

    root = _main_root(tree)
    blocks: list[str] = []
    if root is not None:
        _remove_chrome(root)
        blocks = _blocks(root)
    body_text = _cap_text(sanitize_text("\n".join(blocks)), MAX_TEXT)

    return PageResearch(
        domain=domain,
        url=url,
        ok=True,
        final_url=final_url or url,
        title=truncate_line(title, MAX_TITLE),
        description=truncate_line(description, MAX_DESCRIPTION),
        headings=headings,
        text=body_text,
        language=truncate_line(language, 35),
    )
