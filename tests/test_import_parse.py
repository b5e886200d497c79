"""Reading import files (domain layer only): encodings, delimiters, headers, rows, reasons.

The messy files live in tests/data (see README.md there; make_corpus.py rebuilds them).
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadletter_tui.domain.imports import columns as cols
from leadletter_tui.domain.imports.encoding import UnusableInput, detect_encoding
from leadletter_tui.domain.imports.layout import (
    Candidate,
    Rejected,
    extra_dict,
    inspect_csv,
    inspect_urls,
    iter_csv,
    iter_urls,
    sniff_delimiter,
)
from leadletter_tui.domain.imports.rows import fast_domain
from leadletter_tui.domain.domains import InvalidDomain, normalize_domain

DATA = Path(__file__).parent / "data"
R = "\ufffd"


def parse(source: str | bytes, fmt: str = "csv", mapping=None):
    """(layout, candidates, rejected) for a corpus file name or raw bytes."""
    data = source if isinstance(source, bytes) else (DATA / source).read_bytes()
    fh = io.BytesIO(data)
    layout = inspect_csv(fh, mapping) if fmt == "csv" else inspect_urls(fh)
    items = list(iter_csv(fh, layout) if fmt == "csv" else iter_urls(fh, layout))
    assert all(isinstance(i, (Candidate, Rejected)) for i in items)
    return (
        layout,
        [i for i in items if isinstance(i, Candidate)],
        [i for i in items if isinstance(i, Rejected)],
    )


def by_domain(cands: list[Candidate]) -> dict[str, Candidate]:
    return {c.domain: c for c in cands}


# --- encodings and delimiters -------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("utf8_bom_crlf.csv", "UTF-8 with BOM", "comma"),
        ("utf16_tab.txt", "UTF-16 LE with BOM", "tab"),
        ("cp1252_sep_semicolon.csv", "Windows-1252", "semicolon"),
        ("latin1_semicolon.csv", "Windows-1252", "semicolon"),
        ("cp1251_cyrillic.csv", "Windows-1251", "comma"),
        ("pipe.csv", "UTF-8", "pipe"),
        ("tab.tsv", "UTF-8", "tab"),
        ("quoted.csv", "UTF-8", "comma"),
        ("mac_cr.csv", "UTF-8", "comma"),
    ],
)
def test_encoding_and_delimiter_are_detected(name, encoding, delimiter):
    layout, cands, _ = parse(name)
    assert (layout.encoding.label, layout.delimiter_label) == (encoding, delimiter)
    assert len(cands) >= 2


def test_utf8_bom_crlf_values_are_literal():
    layout, cands, _ = parse("utf8_bom_crlf.csv")
    assert layout.header[0] == "Company Name"  # no BOM left on the first header
    c = by_domain(cands)
    assert [x.line for x in cands] == [2, 3, 4]
    assert c["cafe-lumiere.fr"][2:7] == (
        "Café Lumière", "Amélie Poulain", "amelie@cafe-lumiere.fr", "+33 1 23 45 67 89",
        "Terrace seating",
    )
    assert c["baeckerei-mueller.de"].contact_name == "Jürgen Müller"
    assert c["smorrebrod.dk"].business_name == "Smørrebrød House"
    assert c["smorrebrod.dk"].notes == "Open Mon–Fri"


def test_utf16_keeps_every_script():
    _, cands, _ = parse("utf16_tab.txt")
    c = by_domain(cands)
    assert set(c) == {"zuerich-uhren.ch", "nandu.es", "sushi-tokyo.jp"}
    assert c["sushi-tokyo.jp"].business_name == "東京 Sushi"
    assert c["sushi-tokyo.jp"].contact_name == "山田 太郎"
    assert c["nandu.es"].business_name == "Ñandú Café"
    assert c["zuerich-uhren.ch"].email == "f.duebi@zuerich-uhren.ch"


def test_cp1252_with_sep_line():
    layout, cands, _ = parse("cp1252_sep_semicolon.csv")
    assert layout.sep_line
    assert [x.line for x in cands] == [3, 4, 5]  # the sep= line is line 1, the header line 2
    c = by_domain(cands)
    assert c["cafe-creme.de"].business_name == "Café Crème GmbH"
    assert c["cafe-creme.de"].contact_name == "Zoë Weiß"
    assert c["cafe-creme.de"].notes == "Preis: 250 € – „Premium“"
    assert c["oeuvre-sport.fr"].business_name == "Œuvre Šport"
    assert c["oeuvre-sport.fr"].contact_name == "François L’Hôte"
    assert c["strasse-soehne.at"].notes == "Notiz; mit Semikolon"


def test_latin1_semicolon_with_commas_in_values():
    _, cands, _ = parse("latin1_semicolon.csv")
    c = by_domain(cands)
    assert c["boulangerie-dupre.fr"].business_name == "Boulangerie Dupré, Fils"
    assert c["boulangerie-dupre.fr"].contact_name == "Hélène Dupré"
    assert c["chateau-leoville.fr"].business_name == "Château Léoville, Margaux"
    assert c["cava-bistro.be"].business_name == "Ça Va Bistro"


def test_cp1251_is_decided_by_charset_normalizer():
    _, cands, _ = parse("cp1251_cyrillic.csv")
    c = by_domain(cands)
    assert c["romashka.ru"].business_name == "ООО Ромашка"
    assert c["sever-stroy.ru"].contact_name == "Алексей Смирнов"


def test_quoted_delimiters_quotes_and_newlines():
    _, cands, rejected = parse("quoted.csv")
    c = by_domain(cands)
    assert [x.line for x in cands] == [2, 5, 6]  # rows start on these physical lines
    assert c["harbor-books.com"].business_name == "Harbor Books, Inc."
    assert c["harbor-books.com"].notes == 'Line one\nline two, with comma\nline "three"'
    assert c["harbor-books.com"].contact_name == "Grace Kim"
    assert c["riverside-cafe.com"].business_name == 'The "Riverside" Café'
    assert c["summit-roofing.com"].notes == "multi\nline"
    assert [(r.line, r.reason) for r in rejected] == [(8, "not a web address: 'not a url'")]
    assert rejected[0].cells == ("not a url", "Broken Co", "", "")


def test_pipe_with_quoted_pipe():
    _, cands, _ = parse("pipe.csv")
    assert by_domain(cands)["bitsandbytes.io"].business_name == "Bits | Bytes"


def test_utf16_without_bom_is_recognised():
    data = "domain,name\nacme.com,Acme\n".encode("utf-16-le")
    assert detect_encoding(io.BytesIO(data)).codec == "utf-16-le"


def test_a_late_non_utf8_byte_is_found_beyond_the_sample():
    body = "website,name\n" + "".join(f"acme{i}.com,Müller\n" for i in range(6000))
    data = body.encode("utf-8")
    assert len(data) > 70_000
    assert detect_encoding(io.BytesIO(data)).codec == "utf-8"
    late = data + "late.com,Caf\xe9\n".encode("cp1252")
    enc = detect_encoding(io.BytesIO(late))  # UTF-8 lines stay UTF-8; the one line is not
    assert (enc.codec, enc.line_fallback, enc.fallback_lines) == ("utf-8", "cp1252", 1)


def test_a_stray_nul_is_damage_not_binary():
    layout, cands, _ = parse(b"website,name\nacme.com,Ac\x00me\n")
    assert layout.encoding.codec == "utf-8"
    assert cands[0].contact_name == f"Ac{R}me"


def test_invalid_utf8_after_a_bom_is_refused_while_reading():
    rows = "".join(f"acme{i}.com,Name {i}\n" for i in range(5000))
    data = b"\xef\xbb\xbf" + f"website,name\n{rows}".encode() + b"bad.com,\xff\xfe\n"
    fh = io.BytesIO(data)
    layout = inspect_csv(fh)
    with pytest.raises(UnusableInput, match="not valid UTF-8 with BOM text"):
        list(iter_csv(fh, layout))


def test_an_unclosed_quote_is_refused_with_its_line():
    data = b"website,name\nacme.com,ok\nbeta.com,\"never closed\n" + b"x" * 200_000
    fh = io.BytesIO(data)
    layout = inspect_csv(fh)
    with pytest.raises(UnusableInput, match=r"^line 3: .*field limit.*unclosed"):
        list(iter_csv(fh, layout))


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2;x, y\n4;5;6\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("website\nacme.com\n", ","),  # one column: any delimiter works
        ('name,notes\n"Smith; Jones","a;b;c"\n', ","),
    ],
)
def test_sniff_delimiter(sample, expected):
    assert sniff_delimiter(sample) == expected


@pytest.mark.parametrize("line", ["sep=;", '"sep=;"', "SEP=;", "sep=; "])
def test_sep_line_spellings(line):
    layout, cands, _ = parse(f"{line}\nwebsite;name\nacme.com;A, B\n".encode())
    assert layout.delimiter == ";" and layout.sep_line
    assert cands[0].contact_name == "A, B"


# --- columns ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Website", cols.DOMAIN), ("Web Site", cols.DOMAIN), ("WEB_SITE", cols.DOMAIN),
        ("website-url", cols.DOMAIN), ("URL", cols.DOMAIN), ("Homepage", cols.DOMAIN),
        ("Company Website", cols.DOMAIN), ("domain", cols.DOMAIN), ("Site", cols.DOMAIN),
        ("Company", cols.BUSINESS), ("Company Name", cols.BUSINESS),
        ("organisation", cols.BUSINESS), ("Account Name", cols.BUSINESS),
        ("Business name", cols.BUSINESS), ("Name", cols.CONTACT), ("Full Name", cols.CONTACT),
        ("contact", cols.CONTACT), ("First Name", cols.FIRST), ("first_name", cols.FIRST),
        ("SURNAME", cols.LAST), ("Last-Name", cols.LAST), ("E-mail", cols.EMAIL),
        ("EMAIL ADDRESS", cols.EMAIL), ("e_mail", cols.EMAIL), ("Phone", cols.PHONE),
        ("Phone #", cols.PHONE), ("Mobile Phone", cols.PHONE), ("telephone", cols.PHONE),
        ("Notes", cols.NOTES), ("Comments", cols.NOTES), ("Lead Source", cols.EXTRA),
        ("", cols.EXTRA),
    ],
)
def test_header_synonyms(header, target):
    assert cols.target_for(header) == target


def test_header_variants_and_first_plus_last():
    layout, cands, _ = parse("header_variants.csv")
    assert layout.mapping == (cols.DOMAIN, cols.BUSINESS, cols.FIRST, cols.LAST, cols.EMAIL,
                              cols.PHONE)
    c = by_domain(cands)
    assert c["bluebird-bakery.com"].contact_name == "Chloe Dubois"
    assert c["copper-kettle.co.uk"].contact_name == "Okafor"
    assert c["ironwood-electric.com"].contact_name == "Hiro"
    assert c["bluebird-bakery.com"].phone == "07700 900123"


def test_extra_columns_placeholders_and_surplus_cells():
    layout, cands, _ = parse("extras_placeholders.csv")
    assert layout.header[-1] == "column 6"
    c = by_domain(cands)
    assert c["harbor-law.com"].phone == ""  # "N/A"
    assert extra_dict(c["harbor-law.com"]) == {"Lead Source": "Expo 2024", "Industry": "Legal"}
    assert c["cedar-physio.com"].business_name == ""  # "-"
    assert extra_dict(c["cedar-physio.com"]) == {"Industry": "Health", "column 6": "surplus cell"}
    assert extra_dict(c["cypress-hvac.com"]) == {"column 7": "beyond"}


def test_headerless_column_of_domains():
    layout, cands, _ = parse("headerless.csv")
    assert not layout.has_header
    assert layout.header == ("column 1", "column 2")
    assert layout.mapping == (cols.DOMAIN, cols.EXTRA)
    assert [(c.line, c.domain) for c in cands] == [(1, "acme-widgets.com"), (2, "beta-labs.io")]


def test_title_lines_above_the_header_are_skipped():
    layout, cands, rejected = parse("title_lines.csv")
    assert layout.skip_records == 2 and layout.has_header
    assert layout.header == ("Company Name", "Company Domain Name", "Email", "Lifecycle Stage")
    assert [line for line, _ in layout.sample] == [5, 6, 7]
    assert [(c.line, c.domain, c.business_name) for c in cands] == [
        (5, "harbordental.com", "Harbor Dental"), (6, "oakandember.co.uk", "Oak & Ember")]
    assert [r.line for r in rejected] == [7]


@pytest.mark.parametrize(("data", "skip", "has_header"), [
    (b"My leads\nacme.com\nbeta.io\n", 1, False),  # a title above a bare list
    (b"Leads;;\n;;\nWebsite;Company;City\na.de;A;B\n", 1, True),  # a blank record between
    (b"Website,Company\nacme.com,Acme\n", 0, True),
    (b"acme.com,Acme\nbeta.io,Beta\n", 0, False),
])
def test_where_the_table_starts(data, skip, has_header):
    layout, cands, _ = parse(data)
    assert (layout.skip_records, layout.has_header) == (skip, has_header)
    assert cands and all(c.domain for c in cands)


def test_a_data_row_is_never_taken_for_a_title():
    # Unknown header names above rows of addresses: refused (the mapping is for the user to
    # choose), not a "title" above a headerless list.
    with pytest.raises(UnusableInput, match="no usable column"):
        parse(b"Kunde,Adresse,Info\nAcme,acme.com,a@acme.com\nBeta,beta.io,b@beta.io\n")
    # A wide first row is not a title either.
    with pytest.raises(UnusableInput, match="no usable column"):
        parse(b"a,b,c,d\nWebsite,Company\nacme.com,Acme\n")


def test_spreadsheet_and_web_page_artefacts_are_cleaned():
    data = (
        'Website,Company,Phone\n'
        '="acme.com",Acme,="+1 555 0100"\n'
        '\u00a0beta.io\u00a0,Beta,\n'
        'gam\u200bma.com,Gam\u2060ma,\n'
        '\ufeffdelta.com,"=""Delta"" Ltd",="N/A"\n'
        '"eps.com, eps.de",Eps,\n'
    ).encode("utf-8")
    _, cands, rejected = parse(data)
    assert [(c.domain, c.business_name, c.phone) for c in cands] == [
        ("acme.com", "Acme", "+1 555 0100"), ("beta.io", "Beta", ""),
        ("gamma.com", "Gamma", ""), ("delta.com", '="Delta" Ltd', ""),
    ]
    assert [r.reason for r in rejected] == ["more than one web address (keep one): 'eps.com, eps.de'"]


def test_mapping_can_be_overridden():
    layout = inspect_csv(io.BytesIO((DATA / "tab.tsv").read_bytes()))
    assert layout.mapping == (cols.DOMAIN, cols.BUSINESS, cols.CONTACT, cols.EMAIL, cols.EXTRA)
    changed = layout.with_mapping([cols.DOMAIN, cols.SKIP, cols.CONTACT, cols.SKIP, cols.NOTES])
    fh = io.BytesIO((DATA / "tab.tsv").read_bytes())
    cands = [c for c in iter_csv(fh, changed) if isinstance(c, Candidate)]
    first = by_domain(cands)["greenleaf-dental.com"]
    assert (first.business_name, first.email, first.notes, first.extra) == ("", "", "Health", "")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (["bogus"], "unknown column target"),
        ([cols.SKIP, cols.BUSINESS, cols.CONTACT, cols.SKIP, cols.EXTRA], "no usable column"),
    ],
)
def test_bad_mapping_is_refused(mapping, message):
    layout = inspect_csv(io.BytesIO((DATA / "tab.tsv").read_bytes()))
    with pytest.raises(UnusableInput, match=message):
        layout.with_mapping(mapping)


# --- row rules -------------------------------------------------------------------------------
def test_email_only_rows():
    _, cands, rejected = parse("email_only.csv")
    c = by_domain(cands)
    assert set(c) == {"maple-street-salon.com", "goldenhourphoto.com", "fox-and-hound.ie",
                      "westgate-hvac.com"}
    assert c["fox-and-hound.ie"].email == "kate@fox-and-hound.ie"
    assert c["westgate-hvac.com"].email == "sales@westgate-hvac.com"
    assert c["goldenhourphoto.com"].email == "info@GoldenHourPhoto.com"
    assert [(r.line, r.reason) for r in rejected] == [
        (3, "free-mail address, no business domain: 'bob@gmail.com'"),
        (4, "free-mail address, no business domain: 'jane.doe@yahoo.co.uk'"),
        (7, "not an email address: 'not-an-email'"),
    ]


def test_a_website_wins_over_a_free_mail_address():
    _, cands, _ = parse(b"website,email\nacme.com,acme.shop@gmail.com\nN/A,bob@beta.io\n")
    assert [(c.domain, c.email) for c in cands] == [
        ("acme.com", "acme.shop@gmail.com"), ("beta.io", "bob@beta.io"),
    ]


def test_invalid_web_addresses_have_reasons():
    _, cands, rejected = parse("invalid_urls.csv")
    assert [c.domain for c in cands] == ["xn--bcher-kva.de"]
    assert [(r.line, r.reason) for r in rejected] == [
        (2, "not a web address: 'not a url'"),
        (3, "unsupported scheme 'ftp' in 'ftp://files.example.com'"),
        (4, "'localhost' is not a business domain"),
        (5, "IP addresses are not business domains: '192.168.1.20'"),
        (6, "not a web address: 'http://'"),
        (7, "host has no dot: 'acme'"),
        (9, "empty label in 'a..com'"),
        (10, "a label starts or ends with a hyphen in '-bad-.com'"),
        (11, "no domain, website or email"),
    ]


def test_field_caps():
    _, cands, rejected = parse("overlong.csv")
    (at_cap,) = cands
    assert (len(at_cap.business_name), len(at_cap.contact_name), len(at_cap.phone),
            len(at_cap.notes), len(extra_dict(at_cap)["City"])) == (200, 120, 40, 10_000, 1000)
    assert [(r.line, r.reason) for r in rejected] == [
        (3, "business name is too long (201 characters, at most 200)"),
        (4, "contact name is too long (121 characters, at most 120)"),
        (5, "phone is too long (41 characters, at most 40)"),
        (6, "email is too long (265 characters, at most 254)"),
        (7, "City is too long (1,001 characters, at most 1,000)"),
        (8, "notes are too long (10,001 characters, at most 10,000)"),
    ]
    assert all(len(cell) <= 1000 for r in rejected for cell in r.cells)  # kept cells are cut


def test_control_characters_are_sanitized():
    _, cands, _ = parse("control_chars.csv")
    c = by_domain(cands)
    assert c["evil-corp.com"].business_name == f"Evil{R}]52;c;ZXZpbA=={R} Corp"
    assert c["evil-corp.com"].contact_name == f"Mal{R}lory"
    assert c["evil-corp.com"].notes == f"line1{R}[31mred{R}[0m\nline2"
    assert c["bidi-trick.com"].business_name == f"{R}redaer{R} Ltd"
    assert c["bidi-trick.com"].contact_name == f"Eve{R}2J"
    assert c["tabbed.com"].business_name == "Tab Inside"
    for cand in cands:
        for value in cand[1:7]:
            assert not any(unicodedata.category(ch) == "Cc" for ch in value.replace("\n", ""))


def test_blank_and_whitespace_rows_are_not_rows():
    _, cands, rejected = parse(b"website,name\n\n , \nacme.com,A\n,,\n\nbeta.com,B\n")
    assert [(c.line, c.domain) for c in cands] == [(4, "acme.com"), (7, "beta.com")]
    assert rejected == []


# --- URL lists ---------------------------------------------------------------------------------
def test_url_list():
    layout, cands, rejected = parse("urls.txt", fmt="urls")
    assert layout.format == "urls" and layout.encoding.label == "UTF-8"
    assert [(c.line, c.domain) for c in cands] == [
        (2, "brightwater-plumbing.co.uk"), (4, "summit-dental.com"), (6, "summit-dental.com"),
        (7, "keystone-realty.com"), (10, "hawthorn-spa.com"),
    ]
    assert by_domain(cands)["keystone-realty.com"].email == "sales@keystone-realty.com"
    assert [(r.line, r.reason) for r in rejected] == [
        (8, "not a web address: 'not a url'"),
        (9, "'localhost' is not a business domain"),
    ]


def test_url_list_of_only_comments_is_unusable():
    with pytest.raises(UnusableInput, match="no web addresses"):
        parse(b"# nothing\n\n   \n# here\n", fmt="urls")


# --- unusable input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("bom_only.csv", "only a byte-order mark"),
        ("binary_garbage.bin", "looks like a binary file"),
        ("spreadsheet.xlsx", "Excel .xlsx"),
        ("no_usable_column.csv", r"no usable column.*\(found: Name, City, Notes\)"),
        ("header_only.csv", "no data rows"),
    ],
)
def test_unusable_files(name, message):
    with pytest.raises(UnusableInput, match=message):
        parse(name)


def test_unusable_messages_are_one_line():
    for name in ("empty.csv", "binary_garbage.bin", "spreadsheet.xlsx", "no_usable_column.csv"):
        with pytest.raises(UnusableInput) as info:
            parse(name)
        assert "\n" not in str(info.value)


# --- properties ----------------------------------------------------------------------------------
_LABEL = st.text(alphabet="abcxyz019-_Ü", min_size=0, max_size=8)
_URLISH = st.builds(
    lambda scheme, user, www, labels, tld, dot, port, path: (
        f"{scheme}{user}{www}{'.'.join(labels)}{tld}{dot}{port}{path}"
    ),
    st.sampled_from(["", "http://", "https://", "HTTPS://", "ftp://", "//", "http:///"]),
    st.sampled_from(["", "u@", "u:p@"]),
    st.sampled_from(["", "www.", "WWW.", "www.www."]),
    st.lists(_LABEL, min_size=0, max_size=3),
    st.sampled_from(["", ".com", ".co.uk", ".c0m", ".1", ".-x", ".localhost", ".xn--p1ai"]),
    st.sampled_from(["", "."]),
    st.sampled_from(["", ":80", ":99999", ":x"]),
    st.sampled_from(["", "/", "/a?b#c", "?q", "#f", "\\x", "/@evil.com", " x"]),
)


def _outcome(fn, raw):
    try:
        return fn(raw)
    except InvalidDomain:
        return InvalidDomain


@settings(max_examples=400, deadline=None)
@given(st.one_of(_URLISH, st.text(max_size=40)))
def test_the_domain_shortcut_agrees_with_normalize_domain(raw):
    assert _outcome(fast_domain, raw) == _outcome(normalize_domain, raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from(["csv", "urls"]))
def test_arbitrary_bytes_parse_or_are_refused(data, fmt):
    try:
        _, cands, rejected = parse(data, fmt)
    except UnusableInput as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for c in cands:
        assert normalize_domain(c.domain) == c.domain
        assert all(ch.isprintable() or ch == "\n" or ch == "\t" for v in c[2:7] for ch in v)
    assert all(r.reason for r in rejected)
