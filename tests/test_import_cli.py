"""`leadletter import FILE|- [--format csv|urls] [--dry-run] [--json]`: the DESIGN.md contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def listed(run_cli, db) -> list[dict]:
    result = run_cli("--db", db, "list", "--limit", "0", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_json_contract_and_partial_failure_exit_code(run_cli, tmp_path):
    db = tmp_path / "c.db"
    code, out, err = run_cli("--db", db, "import", DATA / "email_only.csv", "--json")
    assert code == 1 and err == ""
    assert json.loads(out) == {
        "rows": 7, "created": 4, "updated": 0, "duplicates": 0, "invalid": 3,
        "errors": [
            {"line": 3, "reason": "free-mail address, no business domain: 'bob@gmail.com'"},
            {"line": 4, "reason": "free-mail address, no business domain: 'jane.doe@yahoo.co.uk'"},
            {"line": 7, "reason": "not an email address: 'not-an-email'"},
        ],
    }
    assert len(listed(run_cli, db)) == 4


def test_clean_import_exits_zero_with_integer_counts(run_cli, tmp_path):
    db = tmp_path / "c.db"
    code, out, _ = run_cli("--db", db, "import", DATA / "duplicates.csv", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc == {"rows": 6, "created": 2, "updated": 2, "duplicates": 2, "invalid": 0,
                   "errors": []}
    assert all(type(doc[k]) is int for k in ("rows", "created", "updated", "duplicates", "invalid"))
    contacts = {c["domain"]: c for c in listed(run_cli, db)}
    assert contacts["oak-and-ember.com"]["business_name"] == "Oak & Ember"
    assert contacts["oak-and-ember.com"]["contact_name"] == "Liam Brown"
    assert contacts["oak-and-ember.com"]["status"] == "ready"


def test_human_summary(run_cli, tmp_path):
    code, out, err = run_cli("--db", tmp_path / "c.db", "import", DATA / "email_only.csv")
    assert code == 1 and err == ""
    assert out.splitlines() == [
        f"Imported {DATA / 'email_only.csv'} (UTF-8, comma)",
        "  7 rows: 4 created, 0 updated, 0 duplicates, 3 invalid",
        "  columns: Email → email; Name → contact name",
        "Invalid rows:",
        "  line 3: free-mail address, no business domain: 'bob@gmail.com'",
        "  line 4: free-mail address, no business domain: 'jane.doe@yahoo.co.uk'",
        "  line 7: not an email address: 'not-an-email'",
    ]


def test_human_summary_shows_the_first_ten_invalid_rows(run_cli, tmp_path):
    data = tmp_path / "many.csv"
    data.write_text("website\n" + "".join(f"bad{i}\n" for i in range(25)), encoding="utf-8")
    code, out, _ = run_cli("--db", tmp_path / "c.db", "import", data)
    lines = out.splitlines()
    assert code == 1
    assert "Invalid rows (first 10 of 25):" in lines
    assert lines[-2] == "  line 11: host has no dot: 'bad9'"
    assert lines[-1] == "  (--json lists them all)"


def test_dry_run_writes_nothing(run_cli, tmp_path):
    db = tmp_path / "c.db"
    assert run_cli("--db", db, "import", DATA / "pipe.csv").code == 0
    code, out, _ = run_cli("--db", db, "import", DATA / "duplicates.csv", "--dry-run", "--json")
    assert code == 0
    assert json.loads(out)["created"] == 2
    assert {c["domain"] for c in listed(run_cli, db)} == {"acme-plumbing.com", "bitsandbytes.io"}
    code, out, _ = run_cli("--db", db, "import", DATA / "duplicates.csv", "--dry-run")
    assert out.startswith("Dry run, nothing written: ")
    assert "6 rows: 2 would be created, 2 would be updated, 2 duplicates, 0 invalid" in out


def test_url_list_from_stdin(run_cli, tmp_path):
    db = tmp_path / "c.db"
    code, out, _ = run_cli("--db", db, "import", "-", "--format", "urls", "--json",
                           input=(DATA / "urls.txt").read_bytes())
    assert code == 1
    assert json.loads(out)["created"] == 4
    assert {c["domain"] for c in listed(run_cli, db)} == {
        "brightwater-plumbing.co.uk", "summit-dental.com", "keystone-realty.com",
        "hawthorn-spa.com",
    }


def test_csv_from_stdin_in_a_legacy_encoding(run_cli, tmp_path):
    db = tmp_path / "c.db"
    code, _, _ = run_cli("--db", db, "import", "-",
                         input=(DATA / "cp1252_sep_semicolon.csv").read_bytes())
    assert code == 0
    names = {c["domain"]: c["business_name"] for c in listed(run_cli, db)}
    assert names["oeuvre-sport.fr"] == "Œuvre Šport"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("bom_only.csv", "the file is empty"),
        ("binary_garbage.bin", "looks like a binary file"),
        ("spreadsheet.xlsx", "Excel .xlsx"),
        ("no_usable_column.csv", "no usable column"),
        ("header_only.csv", "no data rows"),
        ("does-not-exist.csv", "no such file"),
    ],
)
def test_unusable_input_exits_2_with_one_line(run_cli, tmp_path, name, message):
    db = tmp_path / "c.db"
    assert run_cli("--db", db, "import", DATA / "pipe.csv").code == 0
    code, out, err = run_cli("--db", db, "import", DATA / name, "--json")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("leadletter: error: ") and message in err
    assert len(listed(run_cli, db)) == 2


def test_a_directory_is_unusable(run_cli, tmp_path):
    code, _, err = run_cli("--db", tmp_path / "c.db", "import", tmp_path)
    assert code == 2 and "it is a directory" in err


def test_undecodable_late_in_the_file_exits_2_and_imports_nothing(run_cli, tmp_path):
    data = tmp_path / "late.csv"
    rows = "".join(f"acme{i}.com,Name {i}\n" for i in range(9000))
    data.write_bytes(b"\xef\xbb\xbf" + f"website,name\n{rows}".encode() + b"bad.com,\xff\n")
    db = tmp_path / "c.db"
    code, out, err = run_cli("--db", db, "import", data)
    assert code == 2 and out == "" and "not valid UTF-8" in err
    assert listed(run_cli, db) == []


def test_bad_format_is_a_usage_error(run_cli, tmp_path):
    code, _, err = run_cli("--db", tmp_path / "c.db", "import", DATA / "pipe.csv",
                           "--format", "xlsx")
    assert code == 2 and "xlsx" in err


def test_help_lists_import(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0 and "import" in out
    code, out, _ = run_cli("import", "--help")
    assert code == 0 and "--dry-run" in out and "--format" in out


def test_hostile_text_never_reaches_the_terminal(run_cli, tmp_path):
    data = tmp_path / "evil.csv"
    data.write_bytes(b"website,company\n\x1b]52;c;ZXZpbA==\x07.com,Evil\n")
    code, out, err = run_cli("--db", tmp_path / "c.db", "import", data)
    assert code == 1
    assert "\x1b" not in out + err and "\x07" not in out + err


# --- end to end in real processes -------------------------------------------------------------
def _big_file(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Company,Website,Email,City\n")
        for i in range(rows):
            site = f"https://www.biz{i % (rows - 500)}.com/contact" if i % 97 else "not a site"
            fh.write(f"Biz {i},{site},{'x' if i % 3 else 'info'}@biz{i % (rows - 500)}.com,"
                     f"{'Leeds' if i % 2 else ''}\n")
    return path


def test_parallel_parser_gives_the_same_result(run_cli_subprocess, tmp_path):
    data = _big_file(tmp_path / "big.csv", 30_000)
    results = {}
    for mode in ("0", "1"):
        db = tmp_path / f"p{mode}.db"
        code, out, err = run_cli_subprocess("--db", db, "import", data, "--json",
                                            env={"LEADLETTER_IMPORT_PARALLEL": mode})
        assert code == 1, err
        results[mode] = json.loads(out)
    assert results["0"] == results["1"]
    # 29,500 domains (the first 500 twice); rows with i % 97 == 0 are invalid (310), which
    # leaves 299 domains (multiples of 97 from 582 to 29,488) with no valid row at all.
    assert (results["1"]["rows"], results["1"]["created"], results["1"]["invalid"]) == (
        30_000, 29_201, 310)
    assert results["1"]["created"] + results["1"]["updated"] + results["1"]["duplicates"] \
        + results["1"]["invalid"] == 30_000


def test_parallel_parser_refusal_imports_nothing(run_cli_subprocess, tmp_path):
    data = tmp_path / "late.csv"
    rows = "".join(f"acme{i}.com,Name {i}\n" for i in range(20_000))
    data.write_bytes(b"\xef\xbb\xbf" + f"website,name\n{rows}".encode() + b"bad.com,\xff\n")
    db = tmp_path / "p.db"
    code, out, err = run_cli_subprocess("--db", db, "import", data,
                                        env={"LEADLETTER_IMPORT_PARALLEL": "1"})
    assert (code, out) == (2, "") and "not valid UTF-8" in err
    code, out, _ = run_cli_subprocess("--db", db, "list", "--json")
    assert json.loads(out) == []


def test_the_import_path_does_not_load_textual(tmp_path, isolated_env):
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('MODULES', sorted({m.split('.')[0] for m in sys.modules"
        " if m.split('.')[0] in ('textual', 'rich', 'anthropic')}), file=sys.stderr))\n"
        "from leadletter_tui.cli import main\nmain(sys.argv[1:])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(tmp_path / "c.db"), "import",
         str(DATA / "pipe.csv")],
        capture_output=True, text=True, env=dict(os.environ), timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "MODULES []" in proc.stderr


def test_counts_read_as_english():
    from leadletter_tui.services.imports import ImportReport

    one = ImportReport(rows=1, created=0, duplicates=1)
    assert one.counts_text() == "1 row: 0 created, 0 updated, 1 duplicate, 0 invalid"
    many = ImportReport(rows=2_500, created=2_000, updated=400, duplicates=90, invalid=10,
                        dry_run=True)
    assert many.counts_text() == ("2,500 rows: 2,000 would be created, 400 would be updated, "
                                  "90 duplicates, 10 invalid")
