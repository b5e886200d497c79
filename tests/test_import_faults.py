"""Import inputs that used to go wrong (issue 12, defects 2, 3, 5, 14, 15, 16, 19): each is
refused with one line and nothing imported, or read without losing data, and says so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from leadletter_tui.errors import UserError
from leadletter_tui.services import imports as importer

UNCLOSED = b'website,company\nq1.com,"Unterminated\nq2.com,Fine\nq3.com,Fine\n'
SWALLOWING = (b'website,company\nq1.com,"Unterminated\nq2.com,Fine\nq3.com,Fine\n'
              b'q4.com,"closes here\nq5.com,Fine\n')


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- 2. an unclosed quote ------------------------------------------------------------------
@pytest.mark.parametrize("data", [UNCLOSED, SWALLOWING], ids=["runs-to-eof", "swallows-rows"])
def test_cli_refuses_an_unclosed_quote_with_its_line(run_cli, tmp_path, data):
    db = tmp_path / "q.db"
    result = run_cli("--db", db, "import", write(tmp_path, "u.csv", data))
    assert result.code == 2
    assert result.out == ""
    assert len(result.err_lines) == 1
    assert "line 2: a quote opened here is never closed" in result.err
    assert not db.exists() or json.loads(run_cli("--db", db, "list", "--json").out) == []


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parser-process"])
@pytest.mark.parametrize("data", [UNCLOSED, SWALLOWING], ids=["runs-to-eof", "swallows-rows"])
def test_both_parser_paths_refuse_an_unclosed_quote(services, tmp_path, data, parallel):
    # A quote opened further down, after a full batch of good rows.
    good = b"".join(b"ok%d.com,Good %d\n" % (i, i) for i in range(2500))
    body = data.split(b"\n", 1)[1]
    path = write(tmp_path, "late.csv", b"website,company\n" + good + body)
    with pytest.raises(UserError) as err:
        importer.run_import(services, path, parallel=parallel)
    assert f"line {1 + 2500 + 1}: a quote opened here is never closed" in str(err.value)
    assert services.contacts.count() == 0


def test_quoted_line_breaks_and_a_last_row_without_newline_still_import(services, tmp_path):
    data = (b'website,company,notes\na.com,"Acme, Inc.","called twice\nno answer, try May"\n'
            b'b.com,Bee,"one\ntwo\nthree"\nc.com,Sea,last row without newline')
    report = importer.run_import(services, write(tmp_path, "ok.csv", data))
    assert (report.rows, report.created, report.invalid) == (3, 3, 0)
    assert services.contacts.detail("a.com").notes == "called twice\nno answer, try May"
    assert services.contacts.detail("c.com").notes == "last row without newline"


def test_the_preview_names_the_unclosed_quote_too(tmp_path):
    with pytest.raises(UserError, match="line 2: a quote opened here is never closed"):
        importer.preview(write(tmp_path, "u.csv", UNCLOSED))


# --- 3. standard input: bounded, checked as it streams ---------------------------------------
class Endless:
    """A stream that never ends, counting what was read from it."""

    def __init__(self, block: bytes) -> None:
        self.block, self.read_bytes = block, 0

    def read(self, n: int = -1) -> bytes:
        data = (self.block * (1 + (1 << 20) // len(self.block)))[: n if n > 0 else 1 << 20]
        self.read_bytes += len(data)
        return data


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_binary_standard_input_is_refused_after_its_first_block():
    stream, fds = Endless(b"\x00"), _open_fds()
    with pytest.raises(UserError, match="binary file"):
        importer._spool(stream)
    assert stream.read_bytes <= 1 << 20  # one block read, not the whole stream
    assert _open_fds() == fds  # the temporary file is closed (and so gone)


def test_text_that_turns_binary_is_refused_as_it_streams():
    class Turning(Endless):
        def read(self, n=-1):
            if self.read_bytes:
                return super().read(n)
            self.read_bytes = 1
            return b"a.com\n" * 50_000

    stream = Turning(b"\x00")
    with pytest.raises(UserError, match="NUL bytes"):
        importer._spool(stream)
    assert stream.read_bytes <= 2 << 20


def test_standard_input_is_bounded(monkeypatch):
    monkeypatch.setattr(importer, "STDIN_LIMIT", 3 << 20)
    stream, fds = Endless(b"example.com\n"), _open_fds()
    with pytest.raises(UserError, match="too big to buffer"):
        importer._spool(stream)
    assert stream.read_bytes <= 5 << 20
    assert _open_fds() == fds


def test_cli_refuses_binary_standard_input(run_cli, tmp_path):
    result = run_cli("--db", tmp_path / "s.db", "import", "-", input=b"\x00" * 3_000_000)
    assert result.code == 2 and len(result.err_lines) == 1
    assert "standard input" in result.err and "binary" in result.err


def test_utf16_standard_input_still_imports(run_cli, tmp_path):
    data = "website,company\nacme.com,Acme\n".encode("utf-16")
    result = run_cli("--db", tmp_path / "s.db", "import", "-", "--json", input=data)
    assert result.code == 0, result.err
    assert json.loads(result.out)["created"] == 1


# --- 5. named pipes and devices ------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_cli_refuses_a_named_pipe_at_once(run_cli_subprocess, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = run_cli_subprocess("--db", tmp_path / "p.db", "import", fifo, timeout=30)
    assert result.code == 2
    assert result.err_lines == [f"leadletter: error: cannot import {fifo}: it is a named pipe "
                                "(FIFO), not a regular file (for a stream use `leadletter "
                                "import -`)"]


def test_a_device_is_refused(services):
    with pytest.raises(UserError, match="it is a device"):
        importer.run_import(services, "/dev/zero")


# --- 14. one Windows-1252 line in a UTF-8 file ----------------------------------------------
MIXED = ("website,company\nq1.com,Café Zürich\n".encode() + b"q2.com,Caf\xe9 Noir\n"
         + "q3.com,Bäckerei\n".encode())


def test_mixed_file_is_decoded_line_by_line_and_says_so(run_cli, tmp_path):
    db = tmp_path / "m.db"
    result = run_cli("--db", db, "import", write(tmp_path, "m.csv", MIXED))
    assert result.code == 0, result.err
    assert "note: 1 line not valid UTF-8 was read as Windows-1252" in result.out
    names = {c["domain"]: c["business_name"]
             for c in json.loads(run_cli("--db", db, "list", "--json").out)}
    assert names == {"q1.com": "Café Zürich", "q2.com": "Café Noir", "q3.com": "Bäckerei"}
    doc = json.loads(run_cli("--db", db, "import", tmp_path / "m.csv", "--json").out)
    assert doc["warnings"] == ["1 line not valid UTF-8 was read as Windows-1252"]


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parser-process"])
def test_mixed_file_both_parser_paths(services, tmp_path, parallel):
    rows = b"".join(b"r%d.com,Ren\xc3\xa9 %d\n" % (i, i) for i in range(3000))
    path = write(tmp_path, "m.csv", b"website,company\n" + rows + b"x.com,Jos\xe9\r\n")
    report = importer.run_import(services, path, parallel=parallel)
    assert report.created == 3001 and report.warnings
    assert services.contacts.detail("x.com").row.business_name == "José"
    assert services.contacts.detail("r7.com").row.business_name == "René 7"


def test_a_wholly_windows_1252_file_is_still_read_as_such(services, tmp_path):
    report = importer.run_import(services, write(tmp_path, "w.csv", b"website,company\nq.com,Caf\xe9\n"))
    assert report.encoding == "Windows-1252" and report.warnings == []
    assert services.contacts.detail("q.com").row.business_name == "Café"


# --- 15. repeated column names ---------------------------------------------------------------
def test_a_repeated_column_is_kept_as_an_extra_field(run_cli, tmp_path):
    db = tmp_path / "d.db"
    path = write(tmp_path, "d.csv", b"website,company,company\nq1.com,Acme,Acme Holdings\n"
                                    b"q2.com,,Bee Ltd\n")
    result = run_cli("--db", db, "import", path)
    assert result.code == 0, result.err
    assert ("note: column 3 repeats an earlier column's name; its values are kept as the extra "
            "field 'company (2)'") in result.out
    q1 = json.loads(run_cli("--db", db, "show", "q1.com", "--json").out)
    assert (q1["business_name"], q1["extra"]) == ("Acme", {"company (2)": "Acme Holdings"})
    q2 = json.loads(run_cli("--db", db, "show", "q2.com", "--json").out)
    assert q2["extra"] == {"company (2)": "Bee Ltd"}


# --- 16. the parser process killed -----------------------------------------------------------
WRAPPER = """
import sys
from leadletter_tui.services import imports as importer
real = importer.ImportJob.run
def run(self, *args, progress=None, **kwargs):
    told = []
    def hook(rows, done, total):
        if not told:
            told.append(1)
            print("READY", self.batches._pid, flush=True)  # mid-transaction; wait
            sys.stdin.readline()
    return real(self, *args, progress=hook, **kwargs)
importer.ImportJob.run = run
from leadletter_tui.cli import main
main(sys.argv[1:])
"""


def test_a_killed_parser_process_is_one_clear_line_and_nothing_is_imported(
        run_cli, tmp_path, db_dump, isolated_env):
    db = tmp_path / "k.db"
    assert run_cli("--db", db, "import", write(tmp_path, "one.csv", b"website\nfirst.com\n")).code == 0
    before = db_dump(db)
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("website,company,email\n")
        fh.writelines(f"https://www.co{i}.com/,Company {i},info@co{i}.com\n" for i in range(120_000))
    script = tmp_path / "wrapper.py"
    script.write_text(WRAPPER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--db", str(db), "import", str(big)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "LEADLETTER_IMPORT_PARALLEL": "1"}, cwd=isolated_env.root)
    word, pid = proc.stdout.readline().split()
    assert word == b"READY" and int(pid) > 0
    os.kill(int(pid), signal.SIGKILL)
    out, err = proc.communicate(b"\n", timeout=60)
    assert proc.returncode == 2
    assert err.decode().splitlines() == [
        "leadletter: error: the import parser stopped unexpectedly (killed by signal 9 SIGKILL); "
        "nothing was imported"]
    assert db_dump(db) == before


# --- 19. a file that changes while it is read ------------------------------------------------
@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parser-process"])
def test_a_file_truncated_during_the_import_imports_nothing(services, tmp_path, parallel):
    path = tmp_path / "t.csv"
    path.write_text("website,company\n" + "".join(f"t{i}.com,Company {i}\n" for i in range(9000)),
                    encoding="utf-8")
    cut = []

    def progress(rows: int, done: int, total: int) -> None:
        if not cut:  # after the first batch: another program cuts the file mid-row
            cut.append(rows)
            os.truncate(path, path.stat().st_size // 2 + 3)

    with pytest.raises(UserError) as err:
        importer.run_import(services, path, progress=progress, parallel=parallel)
    assert "changed while it was being imported" in str(err.value)
    assert "nothing was imported" in str(err.value)
    assert services.contacts.count() == 0


def test_a_file_appended_to_during_the_import_imports_nothing(services, tmp_path):
    path = write(tmp_path, "a.csv", b"website\n" + b"".join(b"a%d.com\n" % i for i in range(5000)))

    def progress(rows, done, total):
        with path.open("ab") as fh:
            fh.write(b"late.com\n")

    with pytest.raises(UserError, match="changed while it was being imported"):
        importer.run_import(services, path, progress=progress, parallel=False)
    assert services.contacts.count() == 0
