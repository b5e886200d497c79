"""CLI output: `list` aligns wide characters and shows domains in Unicode (JSON keeps both),
the summary counts against every contact, sort names shared with the TUI, and `export`
writes every field, refusing to replace a file without --force."""

from __future__ import annotations

import csv
import io
import json

import pytest

from leadletter_tui.cli.output import text_width
from leadletter_tui.domain.filters import Sort, SortKey
from leadletter_tui.screens.contacts import SORT_LABELS

ROWS = """domain,business,name,email,notes,Industry,Source
müller-bäckerei.de,Müller Bäckerei,Jörg Müller,jorg@xn--mller-bckerei-hfb76a.de,Called twice,Bakery,fair
東京.jp,東京ラーメン本店,Sato,,,"Food, noodles",web
cafe-emoji.com,Café ☕🍰 Corner,Ana,ana@cafe-emoji.com,,,
plain.com,Plain Shop,Bob,bob@plain.com,,Retail,
"""


@pytest.fixture
def db(run_cli, tmp_path):
    path = tmp_path / "w.db"
    source = tmp_path / "in.csv"
    source.write_text(ROWS, encoding="utf-8")
    result = run_cli("--db", path, "import", source, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["created"] == 4
    run_cli("--db", path, "status", "plain.com", "sent")
    return path


def test_list_aligns_wide_characters(run_cli, db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    result = run_cli("--db", db, "list")
    lines = result.out.splitlines()
    header, rows = lines[0], lines[1:]
    assert len(rows) == 4
    status_col = text_width(header[: header.index("STATUS")])
    for line in rows:
        for word in ("ready", "sent"):
            at = line.find(f" {word} ")
            if at >= 0:
                assert text_width(line[: at + 1]) == status_col, line
                break
        else:
            raise AssertionError(f"no status in {line!r}")
    assert any(line.startswith("müller-bäckerei.de ") for line in rows)  # Unicode, not xn--
    assert any(line.startswith("東京.jp ") for line in rows)


def test_list_json_keeps_domain_and_adds_domain_unicode(run_cli, db):
    items = {i["domain_unicode"]: i for i in json.loads(run_cli("--db", db, "list", "--json").out)}
    assert items["müller-bäckerei.de"]["domain"] == "xn--mller-bckerei-hfb76a.de"
    assert items["東京.jp"]["domain"].startswith("xn--")
    assert items["plain.com"]["domain"] == "plain.com"


def test_list_summary_counts_against_every_contact(run_cli, db):
    result = run_cli("--db", db, "list", "--status", "won")
    assert result.err == "0 of 4 contacts match · won\n"
    result = run_cli("--db", db, "list", "--status", "ready", "--limit", "1")
    assert result.err == "1 shown · 3 of 4 contacts match · ready · --limit 0 shows all\n"


@pytest.mark.parametrize("key", list(SortKey))
def test_one_set_of_sort_names(run_cli, db, key):
    assert SORT_LABELS[key] == key.label  # what the TUI's status line shows
    assert Sort.parse(key.label).key is key and Sort.parse(f"-{key.value}").descending
    assert run_cli("--db", db, "list", "--sort", key.label).code == 0
    assert key.value in run_cli("list", "--help").out


def test_export_carries_every_field(run_cli, db, tmp_path):
    out = tmp_path / "all.csv"
    assert run_cli("--db", db, "export", "-o", out).code == 0
    rows = {r["domain"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"),
                                                               newline=""))}
    m = rows["xn--mller-bckerei-hfb76a.de"]
    assert m["notes"] == "Called twice" and m["Industry"] == "Bakery" and m["Source"] == "fair"
    assert rows["xn--1lqs71d.jp"]["Industry"] == "Food, noodles"
    for column in ("category", "do_not_contact", "created_at", "updated_at", "last_reply_at"):
        assert column in m
    assert rows["plain.com"]["status"] == "sent" and rows["plain.com"]["last_sent_at"]
    items = json.loads(run_cli("--db", db, "export", "--format", "json").out)
    m = next(i for i in items if i["domain_unicode"] == "müller-bäckerei.de")
    assert m["extra"] == {"Industry": "Bakery", "Source": "fair"} and m["notes"] == "Called twice"
    assert {"category", "do_not_contact", "created_at", "updated_at"} <= set(m)


def test_export_refuses_to_replace_without_force_and_bad_paths(run_cli, db, tmp_path):
    out = tmp_path / "x.json"
    out.write_text("precious")
    result = run_cli("--db", db, "export", "-o", out)
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert out.read_text() == "precious"
    assert run_cli("--db", db, "export", "-o", out, "--force").code == 0
    assert len(json.loads(out.read_text())) == 4
    missing = run_cli("--db", db, "export", "-o", tmp_path / "nope" / "x.csv")
    assert missing.code == 2 and "does not exist" in missing.err
    folder = run_cli("--db", db, "export", "-o", tmp_path)
    assert folder.code == 2 and "folder" in folder.err
