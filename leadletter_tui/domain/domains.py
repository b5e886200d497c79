"""Domain normalisation: the contact key.

A contact is identified by the host of its website, normalised (DESIGN.md, "Definitions"):
lowercase, no trailing dot, no leading ``www.``, no scheme/userinfo/port/path/query/fragment,
IDN labels as punycode (stored ASCII, shown as Unicode). Anything that is not a public business
host (other schemes, IP addresses, ``localhost``, dotless hosts, bad characters, > 253
characters) is rejected with an :class:`InvalidDomain` whose message a person understands.

``normalize_domain`` runs once per imported row, so the common case (an already clean
lowercase domain) takes a single regex match.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from leadletter_tui.domain.text import quote_input

MAX_DOMAIN_LEN = 253
MAX_LABEL_LEN = 63


class InvalidDomain(ValueError):
    """Input that is not a usable business domain; ``str()`` says why, for people."""


class FreeMailAddress(InvalidDomain):
    """An email address at a free-mail provider: it names no business domain."""


def _quote(raw: object) -> str:
    """Quote user input for an error message: sanitized, at most 60 characters."""
    return quote_input(raw, 60)


# A label: a-z 0-9 and hyphen, 1-63 characters, no hyphen at either end.
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# An already normalised domain: 1-63 character labels without edge hyphens, at least one dot,
# a TLD starting with a letter (so never all digits). Lookarounds keep the match cheap.
_PLAIN_RE = re.compile(r"(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z](?:[a-z0-9-]{0,62}(?<!-))?")
# "scheme:" at the start; whether it really is a scheme is decided in _split_scheme.
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_PORT_RE = re.compile(r"[0-9]*")
_AUTHORITY_END_RE = re.compile(r"[/?#\\]")
# Dots that IDNA treats as label separators (ideographic and full-width full stops).
_IDN_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_ALLOWED_SCHEMES = ("http", "https")
# Schemes whose payload holds an "@" that is not URL userinfo (mailto:bob@acme.com).
_AT_SCHEMES = frozenset({"mailto", "sip", "sips", "xmpp", "im", "pres", "javascript", "data"})


def _split_scheme(s: str) -> str:
    """Remove an http(s) scheme, reject others; ``acme.com:8080``, ``u:pw@acme.com`` have none."""
    m = _SCHEME_RE.match(s) if ":" in s else None
    if m is None:
        return s[2:] if s.startswith("//") else s
    name, rest = m.group(1), s[m.end() :]
    lowered = name.lower()
    if lowered in _ALLOWED_SCHEMES:
        return rest.lstrip("/")
    if not rest.startswith("//"):
        port = _AUTHORITY_END_RE.split(rest, 1)[0]
        if "." in name or _PORT_RE.fullmatch(port):  # host:port, e.g. acme.com:8080
            return s
        if "@" in port and lowered not in _AT_SCHEMES:  # user:pw@acme.com
            return s
        if _is_ip(_AUTHORITY_END_RE.split(s, 1)[0]):  # fe80::1 looks like "fe80:" + ":1"
            raise InvalidDomain(f"IP addresses are not business domains: {_quote(s)}")
    raise InvalidDomain(f"unsupported scheme {_quote(lowered)} in {_quote(s)}")


def _extract_host(s: str, original: str) -> str:
    """The host part of a scheme-less URL: no userinfo, port, path, query or fragment."""
    authority = _AUTHORITY_END_RE.split(s, 1)[0]
    host = authority.rpartition("@")[2]
    if host.startswith("[") or host.count(":") > 1:  # [::1]:80, or a bare IPv6 address
        literal = host[1 : host.find("]")] if host.startswith("[") else host
        if _is_ip(literal):
            raise InvalidDomain(f"IP addresses are not business domains: {_quote(original)}")
        raise InvalidDomain(f"invalid characters in {_quote(original)}")
    host, colon, port = host.partition(":")
    if colon and (not _PORT_RE.fullmatch(port) or (port and int(port) > 65535)):
        raise InvalidDomain(f"invalid port in {_quote(original)}")
    return host[:-1] if host.endswith(".") else host


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def _label_to_ascii(label: str) -> str:
    """One non-ASCII label as punycode (stdlib IDNA 2003: nameprep + punycode); slow, cached."""
    import encodings.idna  # on first use (with stringprep: 0.7 ms of start-up)

    return encodings.idna.ToASCII(label).decode("ascii")


@lru_cache(maxsize=4096)
def _label_to_unicode(label: str) -> str:
    """One ``xn--`` label decoded (and verified by re-encoding); raises UnicodeError."""
    import encodings.idna

    return encodings.idna.ToUnicode(label)


def _to_ascii(host: str, original: str) -> str:
    """Punycode every non-ASCII label."""
    host = host.translate(_IDN_DOTS)
    out = []
    for label in (host[:-1] if host.endswith(".") else host).split("."):
        try:
            out.append(label if label.isascii() else _label_to_ascii(label))
        except UnicodeError:
            raise InvalidDomain(f"not a valid international domain: {_quote(original)}") from None
    return ".".join(out).lower()


def domain_pattern(text: str) -> str:
    """A domain filter as typed (Unicode or ASCII, `*` wildcards) in the stored ASCII form,
    for a substring match against stored keys: "bücher.de" becomes "xn--bcher-kva.de".

    Partial matching and punycode: an ASCII piece matches anywhere, as before. A piece with
    non-ASCII letters is converted as a whole label, because punycode is not made of pieces
    of the label ("bü" is not part of "xn--bcher-kva"): "bücher" finds xn--bcher-kva.de and
    shop.xn--bcher-kva.com, "ücher" or "bü*" find nothing. Pieces are separated by dots
    (also the ideographic ones); a piece that cannot be converted (or holds a `*`) stays as
    typed and so matches nothing stored. Lowercased; never raises."""
    pattern = text.strip().lower()
    if pattern.isascii():
        return pattern
    pieces = []
    for piece in pattern.translate(_IDN_DOTS).split("."):
        if piece.isascii() or "*" in piece:
            pieces.append(piece)
            continue
        try:
            pieces.append(_label_to_ascii(piece).lower())
        except UnicodeError:
            pieces.append(piece)
    return ".".join(pieces)


def _is_plain(s: str) -> bool:
    """True if ``s`` is a valid normalised key that needs no further checks."""
    return (
        _PLAIN_RE.fullmatch(s) is not None
        and len(s) <= MAX_DOMAIN_LEN
        and "xn--" not in s
        and not s.endswith(".localhost")
    )


def _check_labels(host: str, original: str) -> None:
    """Raise InvalidDomain for the first label that is not a valid DNS label."""
    for label in host.split("."):
        if not label:
            raise InvalidDomain(f"empty label in {_quote(original)}")
        if len(label) > MAX_LABEL_LEN:
            raise InvalidDomain(
                f"label too long ({len(label)} characters, at most {MAX_LABEL_LEN}) "
                f"in {_quote(original)}"
            )
        if _LABEL_RE.fullmatch(label):
            if label.startswith("xn--"):
                try:
                    _label_to_unicode(label)
                except UnicodeError:
                    raise InvalidDomain(f"invalid punycode in {_quote(original)}") from None
            continue
        if label.startswith("-") or label.endswith("-"):
            raise InvalidDomain(f"a label starts or ends with a hyphen in {_quote(original)}")
        raise InvalidDomain(f"invalid characters in {_quote(original)}")


def normalize_domain(raw: str) -> str:
    """Normalise a domain or URL to the ASCII contact key, or raise :class:`InvalidDomain`.

    >>> normalize_domain("https://user:pw@WWW.Acme.com:8443/about?q#top")
    'acme.com'
    """
    if type(raw) is str and raw.isascii():  # fast path for the common shapes
        s = raw.strip().lower()
        if s.startswith(("https://", "http://")):
            s = s[s.index("/") + 2 :]
            if s.endswith("/"):
                s = s[:-1]
        if s.startswith("www.") and "." in s[4:]:
            s = s[4:]
        if _is_plain(s):
            return s
    return _normalize_slow(raw)


def _normalize_slow(raw: object) -> str:
    original = "" if raw is None else str(raw).strip()
    if not original:
        raise InvalidDomain("no domain given")
    host = _extract_host(_split_scheme(original), original)
    if not host:
        raise InvalidDomain(f"not a web address: {_quote(original)}")
    if " " in host or not host.isprintable():  # all other whitespace is not printable
        if "." not in host:  # e.g. a sentence pasted into the domain column
            raise InvalidDomain(f"not a web address: {_quote(original)}")
        parts = [p for p in re.split(r"[\s,;|]+", original) if p]
        if sum("." in p.strip(".") for p in parts) > 1:  # "acme.com, acme.de"
            raise InvalidDomain(f"more than one web address (keep one): {_quote(original)}")
        raise InvalidDomain(f"invalid characters in {_quote(original)}")
    host = host.lower() if host.isascii() else _to_ascii(host, original)
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    if _is_plain(host):
        return host
    # Something is wrong (or it is an IDN to verify): find the reason, in a useful order.
    if host == "localhost" or host.endswith(".localhost"):
        raise InvalidDomain(f"{_quote(host)} is not a business domain")
    if "." not in host:
        raise InvalidDomain(f"host has no dot: {_quote(host)}")
    if len(host) > MAX_DOMAIN_LEN:
        raise InvalidDomain(f"domain too long ({len(host)} characters, at most {MAX_DOMAIN_LEN})")
    if host.rpartition(".")[2].isdigit():
        if _is_ip(host):
            raise InvalidDomain(f"IP addresses are not business domains: {_quote(original)}")
        raise InvalidDomain(f"the top-level domain cannot be all digits: {_quote(original)}")
    _check_labels(host, original)
    return host


EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# An email's domain part may not contain URL syntax ("bob@acme.com/x" is no address).
_EMAIL_SHAPE_RE = re.compile(r"[^\s@]+@[^\s@/:?#\[\]\\]+")


def looks_like_email(s: object) -> bool:
    """Cheap shape check: one ``@``, something before it, a dotted host after, no spaces."""
    return type(s) is str and "@" in s and EMAIL_RE.fullmatch(s.strip()) is not None


def domain_from_email(email: str) -> str:
    """The normalised business domain of an email address.

    Raises :class:`InvalidDomain` if ``email`` is not an address or its domain is invalid, and
    :class:`FreeMailAddress` (a subclass) if it is at a free-mail provider.
    """
    s = "" if email is None else str(email).strip()
    if not _EMAIL_SHAPE_RE.fullmatch(s):
        raise InvalidDomain(f"not an email address: {_quote(s)}")
    domain = normalize_domain(s.rpartition("@")[2])
    if is_free_mail(domain):
        raise FreeMailAddress(f"free-mail address, no business domain: {_quote(s)}")
    return domain


def display_domain(ascii_domain: str) -> str:
    """Show a stored ASCII domain with its punycode labels as Unicode; never raises."""
    try:
        if "xn--" not in ascii_domain:
            return ascii_domain
        out = []
        for label in ascii_domain.split("."):
            if label.startswith("xn--"):
                try:
                    decoded = _label_to_unicode(label)
                except UnicodeError:
                    decoded = label
                out.append(decoded if decoded.isprintable() else label)
            else:
                out.append(label)
        return ".".join(out)
    except Exception:
        return ascii_domain


FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    """
    gmail.com googlemail.com outlook.com hotmail.com live.com msn.com passport.com icloud.com
    me.com mac.com yahoo.com ymail.com rocketmail.com aol.com aim.com proton.me protonmail.com
    protonmail.ch pm.me tutanota.com tutanota.de tuta.io tutamail.com fastmail.com fastmail.fm
    hey.com zoho.com zohomail.com mail.com gmx.com hushmail.com runbox.com posteo.de mailbox.org
    disroot.org web.de t-online.de freenet.de arcor.de bluewin.ch orange.fr wanadoo.fr free.fr
    sfr.fr laposte.net neuf.fr libero.it virgilio.it tiscali.it alice.it tin.it telefonica.net
    terra.es ziggo.nl kpnmail.nl home.nl planet.nl telenet.be skynet.be wp.pl o2.pl onet.pl
    interia.pl seznam.cz centrum.cz btinternet.com sky.com virginmedia.com ntlworld.com
    talktalk.net blueyonder.co.uk eircom.net comcast.net verizon.net att.net sbcglobal.net
    bellsouth.net cox.net charter.net earthlink.net optonline.net juno.com shaw.ca rogers.com
    sympatico.ca bigpond.com optusnet.com.au yandex.ru yandex.com ya.ru mail.ru bk.ru inbox.ru
    list.ru rambler.ru qq.com 163.com 126.com yeah.net sina.com sohu.com foxmail.com aliyun.com
    naver.com hanmail.net daum.net rediffmail.com uol.com.br bol.com.br terra.com.br
    """.split()
)
"""Well-known free-mail domains (see also the per-country families in :func:`is_free_mail`)."""

# Providers with one domain per country: matched by first label plus a country-style suffix
# (gmx.de, gmx.co.uk, yahoo.com.br, hotmail.fr), not by first label alone (gmx.acme.com).
_FREE_MAIL_FAMILIES = frozenset({"gmx", "yahoo", "hotmail", "outlook", "live", "aol", "yandex"})
_SECOND_LEVELS = frozenset({"co", "com", "net", "org", "ne", "or"})


def is_free_mail(domain: str) -> bool:
    """True if ``domain`` (normalised) belongs to a free-mail provider."""
    d = domain.strip().lower().rstrip(".")
    if d in FREE_MAIL_DOMAINS:
        return True
    first, _, suffix = d.partition(".")
    if first not in _FREE_MAIL_FAMILIES or not suffix:
        return False
    parts = suffix.split(".")
    if len(parts) == 1:
        return parts[0].isalpha()
    return len(parts) == 2 and parts[0] in _SECOND_LEVELS and len(parts[1]) == 2
