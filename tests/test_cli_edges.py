"""Faults found by trying to break the CLI (issue 12): calendar edges, bounded numbers and
whole-or-nothing JSON, passwords in messages, empty values, IDN domain filters, over-long
input echoed in errors. Each test failed before its fix."""

from __future__ import annotations

import io
import json
from datetime import datetime

import click
import pytest
from sample_data import Spec, insert_sample

from leadletter_tui.cli import COMMANDS, cli as cli_group
from leadletter_tui.cli.context import NonEmpty
from leadletter_tui.domain.dates import parse_when, preset_range, range_from_bounds
from leadletter_tui.domain.domains import domain_pattern
from leadletter_tui.domain.text import quote_input
from leadletter_tui.errors import hide_secrets
from leadletter_tui.services.shapes import write_json_array
from leadletter_tui.store.db import DatabaseTarget, describe_error, failure_message, parse_url

IDN = (Spec("xn--bcher-kva.de", "Buchhandlung", "", "", "ready"),
       Spec("shop.xn--bcher-kva.com", "Shop", "", "", "ready"),
       Spec("buecher.de", "Other Books", "", "", "ready"))


@pytest.fixture
def edge_db(open_test_services, tmp_path):
    path = tmp_path / "edges.db"
    svc = open_test_services(path)
    insert_sample(svc.store.db)
    insert_sample(svc.store.db, IDN, first_id=20)
    svc.close()
    return path


@pytest.fixture
def cli(run_cli, edge_db):
    return lambda *args, **kw: run_cli("--db", edge_db, *args, **kw)


def failed_cleanly(result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, one short error line (returned)."""
    assert result.code == 2, result
    assert result.out == ""
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("leadletter: error: ") and "Traceback" not in result.err
    assert "unexpected" not in line, line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def statuses(cli) -> dict[str, str]:
    result = cli("list", "--json")
    assert result.code == 0, result.err
    return {item["domain"]: item["status"] for item in json.loads(result.out)}


# --- 6: dates at the calendar's edges -----------------------------------------------------
@pytest.mark.parametrize("args", [
    ("list", "--sent-to", "9999-12-31"),
    ("list", "--sent-from", "0001-01-01"),
    ("list", "--sent-from", "1969-12-31"),
    ("list", "--sent-to", "2101-01-01T00:00:00"),
    ("export", "--sent-to", "9999-12-31"),
])
def test_dates_outside_1970_2100_are_refused(cli, args):
    failed_cleanly(cli(*args), "out of range", "1970-01-01 to 2100-12-31")


def test_status_at_year_one_is_refused_and_changes_nothing(cli):
    before = statuses(cli)
    failed_cleanly(cli("status", "acme.com", "sent", "--at", "0001-01-01"), "--at", "out of range")
    assert statuses(cli) == before


def test_frozen_now_at_year_one_is_refused(cli, monkeypatch):
    monkeypatch.setenv("LEADLETTER_NOW", "0001-01-01T00:00:00")
    failed_cleanly(cli("list", "--sent", "last-week"), "LEADLETTER_NOW", "out of range")


def test_supported_range_edges():
    assert parse_when("1970-01-01") == datetime(1970, 1, 1)
    assert parse_when("2100-12-31T23:59:59") == datetime(2100, 12, 31, 23, 59, 59)
    assert range_from_bounds(None, "2100-12-31")[1] == datetime(2101, 1, 1)
    for text in ("1969-12-31", "2101-01-01", "9999-12-31", "0001-01-01"):
        with pytest.raises(ValueError, match="out of range"):
            parse_when(text)
    with pytest.raises(ValueError, match="current date"):  # a clock (not only the env) at 1 AD
        preset_range("last-week", datetime(1, 1, 1))


# --- 7: bounded numbers, whole-or-nothing JSON ------------------------------------------
@pytest.mark.parametrize("args", [
    ("list", "--limit", "9223372036854775808", "--json"),
    ("list", "--limit", "9223372036854775808"),
    ("list", "--limit", "1000000001", "--json"),
])
def test_huge_limit_is_a_usage_error_with_nothing_on_stdout(cli, args):
    failed_cleanly(cli(*args), "--limit")


def test_huge_demo_seed_is_a_usage_error(cli):
    failed_cleanly(cli("demo", "--contacts", "5", "--seed", "99999999999999999999999"), "--seed")


def _rows(n: int, fail_at: int | None = None, exc: BaseException | None = None):
    for i in range(n):
        if i == fail_at:
            raise exc or RuntimeError("database went away")
        yield {"i": i}


def test_json_array_failing_at_once_writes_nothing():
    out = io.StringIO()
    with pytest.raises(RuntimeError):
        write_json_array(_rows(5, fail_at=0), out)
    assert out.getvalue() == ""


@pytest.mark.parametrize("exc", [RuntimeError("db"), KeyboardInterrupt()])
def test_json_array_failing_midway_is_still_one_document(exc):
    out = io.StringIO()
    with pytest.raises(type(exc)):
        write_json_array(_rows(5, fail_at=3, exc=exc), out)
    assert json.loads(out.getvalue()) == [{"i": 0}, {"i": 1}, {"i": 2}]


def test_json_array_whole_and_empty():
    for n in (0, 1, 4):
        out = io.StringIO()
        assert write_json_array(_rows(n), out) == n
        assert json.loads(out.getvalue()) == [{"i": i} for i in range(n)]
    out = io.StringIO()
    write_json_array(_rows(2), out)
    assert out.getvalue().startswith("[\n")  # `| head -1` still reads "[" alone


# --- 8: passwords never echoed ----------------------------------------------------------
@pytest.mark.parametrize("url", ["postgresql://ll:s3cret@127.0.0.1:5432",
                                 "postgresql://ll:s3cret@/",
                                 "postgres://ll:s3cret@127.0.0.1:99999/db",
                                 "postgresql://ll:s3cret@127.0.0.1:notaport/db"])
def test_password_never_in_database_errors(run_cli, url):
    result = run_cli("--db", url, "list")
    line = failed_cleanly(result)
    assert "s3cret" not in result.err
    assert "ll@" in line  # still says which user and server


def test_password_scrubbed_from_driver_errors():
    target = parse_url("postgresql://ll:s3cret@db.example:5432/crm")
    assert "s3cret" not in target.display
    driver = Exception('invalid dsn: "host=db.example user=ll password=s3cret dbname=crm"')
    assert "s3cret" not in describe_error(driver, target)
    echoed = Exception("could not connect to postgresql://ll:s3cret@db.example:5432/crm: refused")
    assert "s3cret" not in describe_error(echoed, target)
    bare = Exception("authentication failed for ll (tried s3cret)")  # the literal, anywhere
    assert "s3cret" not in describe_error(bare, target)
    import peewee

    assert "s3cret" not in failure_message(peewee.OperationalError(
        "connection to postgresql://ll:s3cret@db.example/crm failed"))
    assert hide_secrets("password='a b' x") == "password=*** x"


def test_percent_encoded_password_hidden_in_both_forms():
    target = DatabaseTarget("postgresql://ll:p%40ss%3Aword@h/db", "postgresql")
    text = target.hide("auth failed: p@ss:word / p%40ss%3Aword")
    assert "p@ss:word" not in text and "p%40ss%3Aword" not in text


# --- 12: an empty value is an error -----------------------------------------------------
@pytest.mark.parametrize("args, option", [
    (("--db", "", "list"), "--db"),
    (("list", "--sent", ""), "--sent"),
    (("list", "--sort", ""), "--sort"),
    (("list", "--view", " "), "--view"),
    (("list", "--domain", ""), "--domain"),
    (("list", "--search", ""), "--search"),
    (("list", "--status", "sent", "--status", ""), "--status"),
    (("export", "-o", ""), "--output"),
    (("generate", "x.example", "--name", ""), "--name"),
])
def test_empty_values_are_errors(run_cli, edge_db, isolated_env, args, option):
    full = args if args[0] == "--db" else ("--db", str(edge_db), *args)
    failed_cleanly(run_cli(*full), option, "empty value")
    assert not isolated_env.default_db.exists()  # --db "" never meant the default database


def test_empty_at_does_not_stamp_now(cli):
    before = statuses(cli)
    failed_cleanly(cli("status", "acme.com", "sent", "--at", ""), "--at")
    assert statuses(cli) == before


def test_every_text_option_of_every_command_refuses_empty():
    """New options get the check for free: the group wraps every text/path parameter."""
    ctx = click.Context(cli_group)
    checked = 0
    for name in COMMANDS:
        command = cli_group.get_command(ctx, name)
        for param in command.params:
            if getattr(param, "is_flag", False):
                continue
            assert isinstance(param.type, NonEmpty), f"{name} {param.name}: not checked"
            checked += 1
    assert checked > 10
    assert isinstance(next(p for p in cli_group.params if p.name == "db").type, NonEmpty)


def test_defaults_that_are_empty_still_work(cli):
    assert cli("list", "--status", "won").code == 0  # generate's --name "" default, etc.


# --- 13: IDN in domain filters ----------------------------------------------------------
@pytest.mark.parametrize("typed, found", [
    ("bücher.de", {"xn--bcher-kva.de"}),
    ("BÜCHER.DE", {"xn--bcher-kva.de"}),
    ("bücher", {"xn--bcher-kva.de", "shop.xn--bcher-kva.com"}),  # a whole label
    ("*.bücher.*", {"shop.xn--bcher-kva.com"}),
    ("bücher。de", {"xn--bcher-kva.de"}),  # ideographic full stop
    ("xn--bcher", {"xn--bcher-kva.de", "shop.xn--bcher-kva.com"}),  # ASCII: as before
    ("uecher", {"buecher.de"}),
    ("ücher", set()),  # part of a non-ASCII label: punycode has no such piece
])
def test_list_domain_filter_accepts_unicode(cli, typed, found):
    result = cli("list", "--domain", typed, "--json")
    assert result.code == 0, result.err
    assert {item["domain"] for item in json.loads(result.out)} == found


def test_saved_view_and_filter_form_get_the_same_conversion(services):
    flt = services.contacts.make_filter(domain="Bücher.de")  # the TUI modal and views call this
    assert [c.value for c in flt.conditions] == ["xn--bcher-kva.de"]
    assert "bücher.de" in flt.summary()  # shown as typed


def test_domain_pattern_rules():
    assert domain_pattern("Shop.Acme.COM") == "shop.acme.com"
    assert domain_pattern("café.fr") == "xn--caf-dma.fr"
    assert domain_pattern("bü*.de") == "bü*.de"  # a wildcard inside a Unicode label: kept
    assert domain_pattern("🙂" * 80) == "🙂" * 80  # too long to convert: kept, never raises


# --- 17: over-long input is cut in errors -------------------------------------------------
BIG = "a" * 10_000_000


@pytest.mark.parametrize("args", [
    ("list", "--sort", BIG), ("show", BIG), ("list", "--status", BIG),
    ("list", "--sent-from", BIG), ("list", "--sent", BIG), ("list", "--view", BIG),
    ("views", "--delete", BIG), ("export", "--format", BIG), ("status", "acme.com", BIG),
    ("status", "acme.com", "sent", "--at", BIG), ("list", "--limit", BIG),
])
def test_huge_arguments_give_short_error_lines(cli, args):
    result = cli(*args)
    line = failed_cleanly(result)
    assert len(result.err) < 700, len(result.err)
    assert "10,000,000 characters" in line, line


def test_quote_input():
    assert quote_input("abc") == "'abc'"
    long = quote_input("x" * 500)
    assert long.endswith("' (500 characters)") and len(long) < 110
    assert quote_input("a\x1b[31mb") == "'a\ufffd[31mb'"


def test_import_summary_names_a_few_columns_of_a_wide_file(run_cli, tmp_path):
    header = ",".join(["website", *(f"column{i}" for i in range(100_000))])
    row = ",".join(["q1.example", *("x" for _ in range(100_000))])
    path = tmp_path / "wide.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = run_cli("--db", tmp_path / "wide.db", "import", path, "--dry-run")
    assert max(len(line) for line in (result.out + result.err).splitlines()) < 2_000, result.code
