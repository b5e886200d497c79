"""The merge rule and the counts text (domain/imports/merge.py, counts.py), as pure functions.

The store runs the rule inside its transaction (tests/test_import_store.py checks the whole
path on a database); here each decision is checked on its own.
"""

from __future__ import annotations

import json

import pytest

from leadletter_tui.domain.imports import merge
from leadletter_tui.domain.imports.counts import MergeCounts, counts_text
from leadletter_tui.domain.imports.rows import Candidate


def row(domain: str, line: int = 2, **fields) -> Candidate:
    return Candidate(line, domain, **fields)


def stored(cid: int, domain: str, business="", contact="", email="", phone="", notes="",
           extra="") -> tuple:
    return (cid, domain, business, contact, email, phone, notes, extra)


def classify(rows, stored_rows=()):
    counts = MergeCounts()
    state = merge.classify(rows, {s[1]: s for s in stored_rows}, counts)
    return state, (counts.created, counts.updated, counts.duplicates)


def test_first_row_creates_later_rows_fill_or_duplicate():
    state, counts = classify([
        row("acme.com", 2, business_name="Acme"),
        row("acme.com", 3, email="bob@acme.com", business_name="Other name"),
        row("acme.com", 4, business_name="Acme", email="bob@acme.com"),
        row("beta.io", 5),
    ])
    assert counts == (2, 1, 1)
    acme = state["acme.com"]
    assert acme[merge.ID] is None  # created by this import
    assert acme[merge.FIELDS] == ["Acme", "", "bob@acme.com", "", ""]  # first value kept
    assert acme[merge.FILLED] == {"email"}


def test_a_stored_contact_is_filled_never_overwritten():
    state, counts = classify(
        [row("acme.com", phone="555", email="new@acme.com"), row("acme.com", phone="777")],
        [stored(7, "acme.com", email="old@acme.com")],
    )
    assert counts == (0, 1, 1)
    s = state["acme.com"]
    assert s[merge.ID] == 7
    assert s[merge.FIELDS] == ["", "", "old@acme.com", "555", ""]
    assert s[merge.FILLED] == {"phone"}


def test_a_stored_contact_that_changes_nothing_is_a_duplicate():
    state, counts = classify([row("acme.com", email="bob@acme.com")],
                             [stored(3, "acme.com", email="bob@acme.com")])
    assert counts == (0, 0, 1)
    assert state["acme.com"][merge.FILLED] is None


def test_extra_keys_fold_like_headers_and_keep_the_stored_spelling():
    s = [1, "", "", "", "", "", '{"City":"Leeds","Size":""}', None]
    filled = merge.merge_row(s, row("acme.com", extra='{"CITY":"York","size":"12","Tier":"A"}'))
    assert filled == {"Size", "Tier"}
    assert s[merge.EXTRA] == {"City": "Leeds", "Size": "12", "Tier": "A"}
    assert json.loads(merge.state_extra(s)) == {"City": "Leeds", "Size": "12", "Tier": "A"}


@pytest.mark.parametrize("current", [
    '{"City":"Leeds","Tier":"A"}',  # as stored: text
    {"City": "Leeds", "Tier": "A"},  # already decoded by an earlier row
])
def test_extra_equal_to_the_contacts_fills_nothing(current):
    s = [1, "Acme", "", "", "", "", current, None]
    assert merge.merge_row(s, row("acme.com", extra='{"City":"Leeds","Tier":"A"}')) is None
    assert merge.state_extra(s) == '{"City":"Leeds","Tier":"A"}'


def test_extra_text_round_trips_and_bad_stored_json_counts_as_none():
    extra = {"Stadt": "München", 'say "hi"': "a\\b"}
    assert merge.decode_extra(merge.encode_extra(extra)) == extra
    assert merge.encode_extra({}) == ""
    assert merge.decode_extra("not json") == {} and merge.decode_extra("[1]") == {}
    assert merge.decode_extra('{"n": 1, "x": null}') == {"n": "1", "x": ""}


def test_filled_detail_names_fields_in_order_and_stays_short():
    assert merge.filled_detail({"phone", "business_name"}) == "import filled business name, phone"
    long = merge.filled_detail({f"field {i:03}" for i in range(100)})
    assert len(long) == 300 and long.endswith("\u2026")


@pytest.mark.parametrize(("args", "dry_run", "text"), [
    ((0, 0, 1, 0, 1), False, "1 row: 0 created, 0 updated, 1 duplicate, 0 invalid"),
    ((4, 0, 0, 3, 7), False, "7 rows: 4 created, 0 updated, 0 duplicates, 3 invalid"),
    ((2_000, 400, 90, 10, 2_500), True,
     "2,500 rows: 2,000 would be created, 400 would be updated, 90 duplicates, 10 invalid"),
    ((0, 0, 0, 0, 0), True,
     "0 rows: 0 would be created, 0 would be updated, 0 duplicates, 0 invalid"),
])
def test_counts_text(args, dry_run, text):
    assert counts_text(*args, dry_run=dry_run) == text


def test_every_summary_uses_the_one_counts_text():
    from leadletter_tui.cli.imports import summary_lines
    from leadletter_tui.screens.import_screen import counts_line
    from leadletter_tui.services.imports import ImportReport

    report = ImportReport(rows=9, created=5, updated=1, duplicates=2, invalid=1, dry_run=True,
                          source="x.csv", encoding="UTF-8", format="urls")
    text = counts_text(5, 1, 2, 1, 9, dry_run=True)
    assert report.counts_text() == text
    assert summary_lines(report)[1] == "  " + text
    assert counts_line(report) == "Dry run — " + text
