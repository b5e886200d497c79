"""The column-wise batch converter gives exactly what the row converter gives.

`rows.make_converter` defines what a row becomes; `batch.make_batch_converter` is the
fast path an import actually runs. Any row the fast passes cannot vouch for must go to the row
converter, so for arbitrary rows (odd domains and emails, placeholders, caps, control
characters, ragged and blank records, several columns for one field) both must agree, in order.
"""

from __future__ import annotations

import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadletter_tui.domain.imports import columns as cols
from leadletter_tui.domain.imports.batch import Converted, make_batch_converter
from leadletter_tui.domain.imports.rows import Candidate, Rejected, make_converter
from leadletter_tui.domain.model import FIELD_LIMITS
from leadletter_tui.services.import_parser import _pack, _unpack

_SITES = st.sampled_from([
    "acme.com", "www.acme.com", "https://www.Acme.co.uk/contact", "http://acme.com/?utm=x",
    " ACME.COM/ ", "acme", "localhost", "shop.localhost", "xn--80ak6aa92e.com", "münchen.de",
    "http://", "ftp://files.acme.com", "acme.com:8080", "user@acme.com", "acme.com.",
    "-bad-.com", "a" * 64 + ".com", ("a" * 60 + ".") * 5 + "com", "192.168.1.20",
    "acme.com/路径", "\u212aelvin.com", "n/a", "N/A", "n/A", "NULL", "-", "?", "",
    "a-.com", "-a.com", "a..com", ".a.com", "a.1com", "a.-com", "1.2.3.4", "x.y", "www.com",
    "www.-bad.com", "www.www.acme.com", "WWW.ACME.COM/#top", "acme.com?x=1", "a" * 63 + ".io",
    '="acme.com"', '=" acme.com "', '="N/A"', '=""', '="', "ac\u200bme.com", "\ufeffacme.com",
    "acme.com, acme.de",
])
_LABELS = st.lists(st.text(alphabet="abz09-", min_size=0, max_size=5), min_size=1, max_size=4)
_HOSTS = st.builds(
    lambda scheme, www, labels, tail: f"{scheme}{www}{'.'.join(labels)}{tail}",
    st.sampled_from(["", "http://", "https://"]), st.sampled_from(["", "www.", "WWW."]),
    _LABELS, st.sampled_from(["", "/", "/x?y", "#f", ".", "-"]),
)
_EMAILS = st.sampled_from([
    "", "bob@acme.com", "Bob <bob@acme.com>", "mailto:bob@acme.com", "x<bob@acme.com>",
    "bob@gmail.com", "bob@", "not an email", "bob@acme", "b@b.c@d", "bob@acme.com/x",
    "a" * 250 + "@acme.com", "bob:x@acme.com", " bob@acme.com ", "NONE",
    "bob@www.acme.com", "bob@ACME.CO.UK", "bob@xn--80ak6aa92e.com", "bob@shop.localhost",
    "bob@acme-.com", "bob@mail.yahoo.co.uk", "bob@yahoo.fr", "bob@1acme.com", "bob@acme.1com",
    "bob@acme.com#x", "bob@[1.2.3.4]", "bob@acme.com\\x", "bob@münchen.de",
    '="bob@acme.com"', "bob@ac\u200bme.com",
])
_TEXT = st.one_of(
    st.sampled_from(["", " ", "Smith & Sons [UK] Ltd", "José", "Na", "nil", "--", "#N/A",
                     "x" * (FIELD_LIMITS["business_name"] + 1), "line\nbreak", "tab\there",
                     "\x1b[31mred", "\u202eevil", "  padded  ", '="00123"', '="a""b"',
                     "zero\u2060width"]),
    st.text(max_size=12),
)
_CELL = st.one_of(_SITES, _EMAILS, _TEXT)
_TARGETS = st.sampled_from([
    cols.DOMAIN, cols.EMAIL, cols.BUSINESS, cols.CONTACT, cols.FIRST, cols.LAST, cols.PHONE,
    cols.NOTES, cols.EXTRA, cols.SKIP,
])


@st.composite
def _batches(draw):
    width = draw(st.integers(1, 6))
    mapping = [draw(_TARGETS) for _ in range(width)]
    if cols.DOMAIN not in mapping and cols.EMAIL not in mapping:
        mapping[0] = draw(st.sampled_from([cols.DOMAIN, cols.EMAIL]))
    header = tuple(f"Col {i}" if i % 2 else f"col {i}" for i in range(width))

    def cell_for(i):
        target = mapping[i] if i < width else cols.EXTRA
        by_target = {cols.DOMAIN: st.one_of(_SITES, _HOSTS, _TEXT), cols.EMAIL: _EMAILS}
        return draw(by_target.get(target, _CELL))

    rows = []
    for _ in range(draw(st.integers(0, 25))):
        n = draw(st.sampled_from([width] * 6 + [0, max(0, width - 1), width + 1]))
        rows.append([cell_for(i) for i in range(n)])
    return tuple(mapping), header, rows


def _reference(mapping, header, rows, lines):
    convert = make_converter(mapping, header)
    return [item for item in map(convert, rows, lines) if item is not None]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_batches())
def test_batch_converter_agrees_with_the_row_converter(batch):
    mapping, header, rows = batch
    lines = [2 + 2 * i for i in range(len(rows))]
    expected = _reference(mapping, header, rows, lines)
    got = make_batch_converter(mapping, header)([list(r) for r in rows], lines)
    assert got.items() == expected
    assert got.rows == len(expected)
    assert all(len(f) == len(got.lines) for f in got.fields)


@settings(max_examples=100, deadline=None)
@given(_batches())
def test_a_batch_survives_the_pipe(batch):
    mapping, header, rows = batch
    lines = list(range(1, len(rows) + 1))
    converted = make_batch_converter(mapping, header)(rows, lines)
    back = _unpack(pickle.loads(pickle.dumps(_pack(converted))))
    assert back == converted


def test_a_clean_batch_takes_the_column_path_and_keeps_values_literal():
    mapping = (cols.BUSINESS, cols.DOMAIN, cols.FIRST, cols.LAST, cols.EMAIL, cols.EXTRA)
    header = ("Company", "Website", "First", "Last", "Email", "City")
    rows = [
        ["Smith & Sons [UK] Ltd", "https://www.Smith.co.uk/about", "Ann", "Lee", "ann@smith.co.uk", "Leeds"],
        ["Acme", "acme.com", "", "Bo", "N/A", ""],
        ["Acme again", "ACME.COM/", "Cy", "", "", "York"],
        ["", "not a url", "", "", "", ""],
        ["   ", "  ", "", "", "", ""],
    ]
    got = make_batch_converter(mapping, header)(rows, [2, 3, 4, 5, 6])
    assert got.candidates() == [
        Candidate(2, "smith.co.uk", "Smith & Sons [UK] Ltd", "Ann Lee", "ann@smith.co.uk", "",
                  "", '{"City":"Leeds"}'),
        Candidate(3, "acme.com", "Acme", "Bo", "", "", "", ""),
        Candidate(4, "acme.com", "Acme again", "Cy", "", "", "", '{"City":"York"}'),
    ]
    assert [(r.line, r.reason) for r in got.rejected] == [(5, "not a web address: 'not a url'")]
    assert got.rows == 4  # the blank record is not a row


def test_from_items_round_trip():
    items = [Candidate(1, "a.com"), Rejected(2, "why", ("x",)), Candidate(3, "b.com", "B")]
    converted = Converted.from_items(items)
    assert converted.items() == items
    assert converted.rows == 3
    empty = Converted.from_items([])
    assert empty.rows == 0 and empty.items() == [] and len(empty.fields) == 7
