"""Domain normalisation (the contact key), free-mail detection and email domains."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadletter_tui.domain import domains
from leadletter_tui.domain.domains import (
    FREE_MAIL_DOMAINS,
    FreeMailAddress,
    InvalidDomain,
    display_domain,
    domain_from_email,
    is_free_mail,
    looks_like_email,
    normalize_domain,
)

LABEL63 = "a" * 63
HOST_253 = ".".join([LABEL63, LABEL63, LABEL63, "b" * 57, "com"])  # 63*3 + 57 + 3 + 4 dots
HOST_254 = "c" + HOST_253
assert len(HOST_253) == 253 and len(HOST_254) == 254

ACCEPT = [
    ("acme.com", "acme.com"),
    ("Acme.com", "acme.com"),
    ("ACME.COM", "acme.com"),
    ("  acme.com\t", "acme.com"),
    ("acme.com.", "acme.com"),
    ("WWW.Acme.COM.", "acme.com"),
    ("www.acme.com", "acme.com"),
    ("www.www.acme.com", "www.acme.com"),  # only one leading www is dropped
    ("acme.www.com", "acme.www.com"),
    ("www.com", "www.com"),  # dropping www would leave no domain
    ("shop.acme.com", "shop.acme.com"),
    ("www.shop.acme.co.uk", "shop.acme.co.uk"),
    ("acme.com/about", "acme.com"),
    ("acme.com/about?x=1#top", "acme.com"),
    ("acme.com?x=1", "acme.com"),
    ("acme.com#top", "acme.com"),
    ("http://acme.com", "acme.com"),
    ("https://acme.com/", "acme.com"),
    ("HTTPS://ACME.COM/Path", "acme.com"),
    ("HtTp://www.acme.com", "acme.com"),
    ("//acme.com/x", "acme.com"),
    ("http:acme.com", "acme.com"),
    ("https:///acme.com", "acme.com"),
    ("acme.com:8080", "acme.com"),
    ("acme.com:8080/path", "acme.com"),
    ("acme.com:", "acme.com"),
    ("user:pw@acme.com", "acme.com"),
    ("https://user:pw@www.acme.com:8443/p?q#f", "acme.com"),
    ("bob@acme.com", "acme.com"),  # userinfo, as URL parsing does
    ("https://acme.com\\@evil.com", "acme.com"),  # backslash ends the host, like browsers
    ("https://evil.com/@acme.com", "evil.com"),
    ("my-shop.de", "my-shop.de"),
    ("123shop.com", "123shop.com"),
    ("a.io", "a.io"),
    ("acme.xn--p1ai", "acme.xn--p1ai"),
    ("bücher.de", "xn--bcher-kva.de"),
    ("BÜCHER.de", "xn--bcher-kva.de"),
    ("https://www.bücher.de/shop", "xn--bcher-kva.de"),
    ("xn--bcher-kva.de", "xn--bcher-kva.de"),
    ("XN--BCHER-KVA.DE", "xn--bcher-kva.de"),
    ("münchen。de", "xn--mnchen-3ya.de"),  # ideographic full stop separates labels
    ("ｗｗｗ．münchen．de．", "xn--mnchen-3ya.de"),  # full-width www, dots and trailing dot
    ("ａｃｍｅ.com", "acme.com"),  # full-width letters are mapped by nameprep
    ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
    ("例え.jp", "xn--r8jz45g.jp"),
    (HOST_253, HOST_253),
    (f"{LABEL63}.com", f"{LABEL63}.com"),
]

REJECT = [
    ("", "no domain given"),
    ("   ", "no domain given"),
    ("not a url", "not a web address: 'not a url'"),
    ("http://", "not a web address: 'http://'"),
    ("ftp://acme.com", "unsupported scheme 'ftp' in 'ftp://acme.com'"),
    ("FTP://acme.com", "unsupported scheme 'ftp' in 'FTP://acme.com'"),
    ("mailto:bob@acme.com", "unsupported scheme 'mailto'"),
    ("javascript:alert(1)", "unsupported scheme 'javascript'"),
    ("file:///etc/passwd", "unsupported scheme 'file'"),
    ("10.0.0.1", "IP addresses are not business domains: '10.0.0.1'"),
    ("192.168.0.1", "IP addresses are not business domains"),
    ("http://192.168.0.1:8080/admin", "IP addresses are not business domains"),
    ("[::1]", "IP addresses are not business domains: '[::1]'"),
    ("http://[2001:db8::1]:80/", "IP addresses are not business domains"),
    ("::1", "IP addresses are not business domains"),
    ("fe80::1", "IP addresses are not business domains"),
    ("acme.123", "top-level domain cannot be all digits"),
    ("localhost", "'localhost' is not a business domain"),
    ("http://localhost:3000", "'localhost' is not a business domain"),
    ("app.localhost", "'app.localhost' is not a business domain"),
    ("intranet", "host has no dot: 'intranet'"),
    ("intranet:8080", "host has no dot: 'intranet'"),
    ("https://intranet/wiki", "host has no dot: 'intranet'"),
    ("acme..com", "empty label in 'acme..com'"),
    (".acme.com", "empty label"),
    ("acme.com..", "empty label"),
    ("-acme.com", "a label starts or ends with a hyphen in '-acme.com'"),
    ("acme-.com", "starts or ends with a hyphen"),
    ("acme.-com", "starts or ends with a hyphen"),
    ("ex ample.com", "invalid characters in 'ex ample.com'"),
    ("acme_corp.com", "invalid characters in 'acme_corp.com'"),
    ("acme!.com", "invalid characters"),
    ("acme.com\x00", "invalid characters"),
    ("ac\u202eme.com", "invalid characters"),
    ("a%62c.com", "invalid characters"),
    ("acme.com:abc", "invalid port in 'acme.com:abc'"),
    ("acme.com:99999", "invalid port"),
    (f"{'a' * 64}.com", "label too long (64 characters, at most 63)"),
    (HOST_254, "domain too long (254 characters, at most 253)"),
    ("x" * 296 + ".com", "domain too long (300 characters, at most 253)"),
    ("xn--garbage.com", "invalid punycode"),
    ("ab_ü.com", "invalid characters"),  # punycode keeps the underscore
    ("a\u0000ü.com", "invalid characters"),
]


@pytest.mark.parametrize(("raw", "expected"), ACCEPT)
def test_normalize_accepts(raw: str, expected: str) -> None:
    out = normalize_domain(raw)
    assert out == expected
    assert out.isascii()
    if not out.startswith("www."):
        assert normalize_domain(out) == out  # idempotent on stored keys


@pytest.mark.parametrize(("raw", "message"), REJECT)
def test_normalize_rejects(raw: str, message: str) -> None:
    with pytest.raises(InvalidDomain) as err:
        normalize_domain(raw)
    assert message in str(err.value)
    assert isinstance(err.value, ValueError)


def _outcome(fn, raw: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return "ok " + fn(raw)
    except InvalidDomain as err:
        return f"error {err}"


EDGE = [
    "http://www.com",
    "https://www.com/",
    "https:///acme.com",
    "http://acme.com//",
    "https://www./",
    "https://",
    "http://-acme.com/",
    "www.acme.com.",
    "www.localhost",
    "www.xn--bcher-kva.de",
    "https://www.10.0.0.1/",
]


@pytest.mark.parametrize("raw", [raw for raw, _ in ACCEPT] + [raw for raw, _ in REJECT] + EDGE)
def test_fast_path_agrees_with_full_parser(raw: str) -> None:
    assert _outcome(normalize_domain, raw) == _outcome(domains._normalize_slow, raw)


@given(st.text(alphabet="aZ0-._:/@?#[]w ", max_size=30).map(lambda s: s.replace("w", "www.")))
def test_fast_path_agrees_on_random_input(raw: str) -> None:
    assert _outcome(normalize_domain, raw) == _outcome(domains._normalize_slow, raw)
    for prefix in ("http://", "https://"):
        assert _outcome(normalize_domain, prefix + raw) == _outcome(
            domains._normalize_slow, prefix + raw
        )


def test_error_quotes_are_sanitized_and_short() -> None:
    raw = "\x1b]52;c;ZXZpbA==\x07 " + "x" * 200
    with pytest.raises(InvalidDomain) as err:
        normalize_domain(raw)
    msg = str(err.value)
    assert "\x1b" not in msg and "\x07" not in msg
    quoted = msg[msg.index("'") + 1 : msg.rindex("'")]
    assert len(quoted) <= 60
    assert quoted.endswith("…")


def test_none_is_no_domain() -> None:
    with pytest.raises(InvalidDomain, match="no domain given"):
        normalize_domain(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ascii_domain", "shown"),
    [
        ("xn--bcher-kva.de", "bücher.de"),
        ("shop.xn--mnchen-3ya.de", "shop.münchen.de"),
        ("xn--e1afmkfd.xn--p1ai", "пример.рф"),
        ("acme.com", "acme.com"),
        ("xn--garbage.com", "xn--garbage.com"),  # undecodable: shown as stored
        ("", ""),
    ],
)
def test_display_domain(ascii_domain: str, shown: str) -> None:
    assert display_domain(ascii_domain) == shown


@pytest.mark.parametrize("unicode_domain", ["bücher.de", "пример.рф", "例え.jp", "café.fr"])
def test_display_round_trip(unicode_domain: str) -> None:
    stored = normalize_domain(unicode_domain)
    assert stored.isascii() and stored != unicode_domain
    assert display_domain(stored) == unicode_domain
    assert normalize_domain(display_domain(stored)) == stored


def test_display_domain_never_raises() -> None:
    assert display_domain(None) is None  # type: ignore[arg-type]
    assert display_domain(123) == 123  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("domain", "free"),
    [
        ("gmail.com", True),
        ("googlemail.com", True),
        ("GMAIL.COM", True),
        ("yahoo.com", True),
        ("yahoo.co.uk", True),
        ("yahoo.fr", True),
        ("yahoo.com.br", True),
        ("hotmail.com", True),
        ("hotmail.de", True),
        ("hotmail.co.uk", True),
        ("outlook.com", True),
        ("live.com", True),
        ("icloud.com", True),
        ("aol.com", True),
        ("proton.me", True),
        ("pm.me", True),
        ("gmx.de", True),
        ("gmx.net", True),
        ("gmx.at", True),
        ("gmx.co.uk", True),
        ("web.de", True),
        ("t-online.de", True),
        ("yandex.ru", True),
        ("mail.ru", True),
        ("qq.com", True),
        ("163.com", True),
        ("naver.com", True),
        ("orange.fr", True),
        ("libero.it", True),
        ("comcast.net", True),
        ("acme.com", False),
        ("gmx.acme.com", False),  # a business subdomain named gmx
        ("yahoo.acme.co.uk", False),
        ("mygmail.com", False),
        ("shop.gmail.com.evil.io", False),
        ("", False),
    ],
)
def test_is_free_mail(domain: str, free: bool) -> None:
    assert is_free_mail(domain) is free


def test_free_mail_list_is_normalised() -> None:
    core = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"}
    assert core <= FREE_MAIL_DOMAINS
    assert {"aol.com", "proton.me", "protonmail.com", "web.de", "zoho.com"} <= FREE_MAIL_DOMAINS
    for d in FREE_MAIL_DOMAINS:
        assert normalize_domain(d) == d


@pytest.mark.parametrize(
    ("email", "domain"),
    [
        ("bob@acme.com", "acme.com"),
        ("Bob.Smith+crm@Acme.COM", "acme.com"),
        ("  bob@www.acme.com  ", "acme.com"),
        ("info@shop.acme.co.uk", "shop.acme.co.uk"),
        ("anna@bücher.de", "xn--bcher-kva.de"),
        ("bob@acme.com.", "acme.com"),
    ],
)
def test_domain_from_email(email: str, domain: str) -> None:
    assert domain_from_email(email) == domain


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("bob", "not an email address: 'bob'"),
        ("", "not an email address: ''"),
        ("bob@", "not an email address"),
        ("@acme.com", "not an email address"),
        ("bob@@acme.com", "not an email address"),
        ("a@b@acme.com", "not an email address"),
        ("bob smith@acme.com", "not an email address"),
        ("bob@acme.com/path", "not an email address"),
        ("bob@acme.com:25", "not an email address"),
        ("bob@localhost", "'localhost' is not a business domain"),
        ("bob@intranet", "host has no dot: 'intranet'"),
        ("bob@10.0.0.1", "IP addresses are not business domains"),
    ],
)
def test_domain_from_email_rejects(email: str, message: str) -> None:
    with pytest.raises(InvalidDomain) as err:
        domain_from_email(email)
    assert message in str(err.value)
    assert not isinstance(err.value, FreeMailAddress)


@pytest.mark.parametrize("email", ["bob@gmail.com", "Bob@GMX.DE", "x@gmx.net", "x@yahoo.co.uk"])
def test_domain_from_free_mail(email: str) -> None:
    with pytest.raises(FreeMailAddress) as err:
        domain_from_email(email)
    assert str(err.value) == f"free-mail address, no business domain: '{email}'"
    assert isinstance(err.value, InvalidDomain)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bob@acme.com", True),
        (" bob@acme.com ", True),
        ("b.o+b@mail.acme.co.uk", True),
        ("acme.com", False),
        ("bob@acme", False),
        ("bob@@acme.com", False),
        ("bob smith@acme.com", False),
        ("@acme.com", False),
        ("", False),
        (None, False),
    ],
)
def test_looks_like_email(text: object, expected: bool) -> None:
    assert looks_like_email(text) is expected


@pytest.mark.parametrize("raw", ["acme.com, acme.de", "www.a.com; www.b.com", "a.io b.io"])
def test_two_addresses_in_one_cell_say_so(raw: str) -> None:
    with pytest.raises(InvalidDomain, match="more than one web address"):
        normalize_domain(raw)


def test_a_name_before_a_domain_is_not_two_addresses() -> None:
    with pytest.raises(InvalidDomain, match="invalid characters"):
        normalize_domain("Acme Inc. acme.com")
