"""Which text encoding an import file uses, and whether it is text at all.

The files people export are UTF-8 (with or without a byte-order mark), UTF-16 with a BOM
(Excel "Unicode text"), or Windows-1252 / Latin-1 (older Excel and CRM exports). We decide
without guessing where we can:

1. a byte-order mark names the encoding;
2. known binary formats (xlsx/zip, xls, PDF, images, SQLite, gzip) and NUL-ridden or
   control-character-ridden data are refused as "not a text file";
3. if the whole file is valid UTF-8 it is UTF-8 (checked block by block, so a stray
   Windows-1252 byte after the first 64 KB is still caught);
3b. if some lines are UTF-8 (non-ASCII, valid) and others are not, each line is decoded on
   its own: UTF-8, and Windows-1252 for the lines that are not UTF-8 (an export edited in two
   programs); the encoding says how many lines were read that way;
4. otherwise Windows-1252, when the text decodes and reads like Western European text;
5. only then charset-normalizer (imported lazily: ``domain/`` stays light), and if it has no
   answer the file is refused: we never import mojibake silently.

Every refusal is an :class:`UnusableInput` whose message is one line a person can act on.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

SAMPLE_SIZE = 64 * 1024
_SCAN_BLOCK = 1 << 20


class UnusableInput(ValueError):
    """The input as a whole cannot be imported (empty, binary, undecodable, no usable
    column, ...). ``str()`` is one line for the user; nothing is imported."""


@dataclass(frozen=True, slots=True)
class Encoding:
    codec: str  # Python codec name used to decode the whole stream
    label: str  # for people: "UTF-8", "UTF-16 LE with BOM", "Windows-1252"
    line_fallback: str = ""  # decode line by line; lines not valid in `codec` use this one
    fallback_lines: int = 0  # how many lines need the fallback

    @property
    def warning(self) -> str:
        """One line for the import summary when some lines were decoded differently."""
        if not self.fallback_lines:
            return ""
        n = self.fallback_lines
        return (f"{n:,} line{'s' if n != 1 else ''} not valid UTF-8 "
                f"{'were' if n != 1 else 'was'} read as {encoding_label(self.line_fallback)}")


UTF8 = Encoding("utf-8", "UTF-8")

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE mark.
_BOMS = (
    (codecs.BOM_UTF32_LE, Encoding("utf-32", "UTF-32 LE with BOM")),
    (codecs.BOM_UTF32_BE, Encoding("utf-32", "UTF-32 BE with BOM")),
    (codecs.BOM_UTF8, Encoding("utf-8-sig", "UTF-8 with BOM")),
    (codecs.BOM_UTF16_LE, Encoding("utf-16", "UTF-16 LE with BOM")),
    (codecs.BOM_UTF16_BE, Encoding("utf-16", "UTF-16 BE with BOM")),
)

_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive or an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel .xls or other Office document"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "a SQLite database"),
    (b"\x7fELF", "a program"),
)
_SAVE_AS = "export or save it as CSV (UTF-8) and import that file"

# Control bytes that do occur in real text files: TAB LF VT FF CR, SUB (a DOS end-of-file
# marker) and ESC (terminal colour codes in log-ish exports; sanitized on import anyway).
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1a\x1b")
_BAD_CONTROLS = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
_DELETE_NOTHING = bytes(range(256))


def _control_share(data: bytes) -> float:
    """Share of bytes that are control characters no text file contains."""
    if not data:
        return 0.0
    kept = data.translate(_DELETE_NOTHING, _BAD_CONTROLS)
    return (len(data) - len(kept)) / len(data)


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def _utf16_without_bom(head: bytes) -> Encoding | None:
    """UTF-16 text without a mark: ASCII characters leave a NUL in every other byte."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) & ~1]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.6 * half and even_nuls < 0.05 * half:
        enc = Encoding("utf-16-le", "UTF-16 LE (no BOM)")
    elif even_nuls > 0.6 * half and odd_nuls < 0.05 * half:
        enc = Encoding("utf-16-be", "UTF-16 BE (no BOM)")
    else:
        return None
    return enc if _decodes(sample, enc.codec) else None


def _decodes(data: bytes, codec: str) -> bool:
    """Whether ``data`` (possibly cut mid-character at the end) decodes strictly."""
    try:
        codecs.getincrementaldecoder(codec)("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _all_utf8(fh: BinaryIO, head: bytes) -> bool:
    """Validate the whole stream as UTF-8, block by block (ASCII blocks cost nothing)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    block = head
    try:
        while block:
            if not block.isascii():
                decoder.decode(block)
            block = fh.read(_SCAN_BLOCK)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _reads_western(text: str) -> bool:
    """Western European text has a few accented letters among many ASCII ones.

    Text in another single-byte encoding (Cyrillic, Greek, ...) decoded as Windows-1252 turns
    into runs of accented Latin letters, so a high share of non-ASCII letters means "not
    Western, ask charset-normalizer".
    """
    letters = non_ascii = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if ord(ch) > 127:
                non_ascii += 1
    return letters == 0 or non_ascii <= 0.3 * letters


def _ask_charset_normalizer(head: bytes) -> Encoding | None:
    try:
        from charset_normalizer import from_bytes  # lazy: heavy, and rarely needed
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    best = from_bytes(head).best()
    if best is None or not best.encoding:
        return None
    codec = codecs.lookup(best.encoding).name
    if codec in ("ascii", "utf-8"):
        return None  # it would not have failed as UTF-8
    return Encoding(codec, encoding_label(codec))


def encoding_label(codec: str) -> str:
    """A codec name as people know it: cp1251 -> Windows-1251, iso8859-2 -> ISO-8859-2."""
    name = codec.replace("_", "-").lower()
    if name.startswith("cp125"):
        return "Windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "ISO-8859-" + name[8:]
    return name.upper()


def detect_encoding(fh: BinaryIO) -> Encoding:
    """Decide how to decode the seekable binary stream ``fh`` (left at position 0).

    Raises :class:`UnusableInput` for empty, binary or undecodable input.
    """
    fh.seek(0)
    head = fh.read(SAMPLE_SIZE)
    try:
        return _detect(fh, head)
    finally:
        fh.seek(0)


def check_text_head(head: bytes) -> bool:
    """Refuse the first bytes of a stream if they are not text (raises UnusableInput); true
    when they are UTF-16/32, where NUL bytes are normal."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc.codec != "utf-8-sig"
    return _not_binary(head) is not None


def _not_binary(head: bytes) -> Encoding | None:
    """Raise UnusableInput for binary data; a UTF-16 encoding found without a BOM, else None."""
    kind = _binary_kind(head)
    if kind:
        raise UnusableInput(f"this is not a text file (it looks like {kind}); {_SAVE_AS}")
    nuls = head.count(0)
    if nuls > 2 and nuls * 100 > len(head):  # a stray NUL is damage; many are a format
        enc = _utf16_without_bom(head)
        if enc is not None:
            return enc
        raise UnusableInput(f"this looks like a binary file, not CSV or text; {_SAVE_AS}")
    if _control_share(head) > 0.05:
        raise UnusableInput(f"this looks like a binary file, not CSV or text; {_SAVE_AS}")
    return None


def _detect(fh: BinaryIO, head: bytes) -> Encoding:
    if not head:
        raise UnusableInput("the file is empty")
    for bom, enc in _BOMS:
        if head.startswith(bom):
            try:
                text = codecs.getincrementaldecoder(enc.codec)("strict").decode(head, final=False)
            except UnicodeDecodeError:
                family = enc.label.split(" ")[0]
                raise UnusableInput(
                    f"the file starts with a {family} byte-order mark but is not valid "
                    f"{family}; {_SAVE_AS}"
                ) from None
            if not text.strip() and len(head) < SAMPLE_SIZE:
                raise UnusableInput("the file is empty (it holds only a byte-order mark)")
            return enc
    if _binary_kind(head) is None and not head.strip():
        raise UnusableInput("the file is empty (only blank lines)")
    wide = _not_binary(head)
    if wide is not None:
        return wide
    if _all_utf8(fh, head):
        return UTF8
    mixed = _mixed_utf8(fh)
    if mixed is not None:
        return mixed
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _reads_western(text):
        return Encoding("cp1252", "Windows-1252")
    enc = _ask_charset_normalizer(head)
    if enc is not None:
        return enc
    raise UnusableInput(
        "cannot tell which text encoding this file uses (it is not UTF-8, UTF-16 or "
        "Windows-1252); save it as CSV (UTF-8) and import that file"
    )


def _mixed_utf8(fh: BinaryIO) -> Encoding | None:
    """UTF-8 with some lines that are not (decoded as Windows-1252), when some non-ASCII
    line is valid UTF-8; None when none is (then the file is read as one encoding)."""
    fh.seek(0)
    good = bad = 0
    for raw in fh:
        if not raw.isascii():
            try:
                raw.decode("utf-8")
                good += 1
            except UnicodeDecodeError:
                bad += 1
    if not good:
        return None
    return Encoding("utf-8", "UTF-8", line_fallback="cp1252", fallback_lines=bad)


_LONE_CR = re.compile(r"\r(?!\n)(?=.)", re.DOTALL)
_AFTER_CR = re.compile(r"(?<=\r)(?!\n)(?=.)", re.DOTALL)


class LineDecoded:
    """A text view of a binary stream that decodes each line on its own: UTF-8, else the
    fallback encoding (Windows-1252; Latin-1 for its five unassigned bytes). Lines end as in
    the file (CR LF, LF or CR), as ``csv`` wants them. Counts ``fallback_lines``."""

    def __init__(self, fh: BinaryIO, fallback: str) -> None:
        self._lines = self._decode(fh, fallback)
        self._rest = ""
        self.fallback_lines = 0

    def _decode(self, fh: BinaryIO, fallback: str) -> Iterator[str]:
        for raw in fh:
            try:
                s = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.fallback_lines += 1
                try:
                    s = raw.decode(fallback)
                except UnicodeDecodeError:
                    s = raw.decode("latin-1")
            if "\r" in s and _LONE_CR.search(s):
                yield from _AFTER_CR.split(s)
            else:
                yield s

    def __iter__(self) -> LineDecoded:
        return self

    def __next__(self) -> str:
        if self._rest:
            line, self._rest = self._rest, ""
            return line
        return next(self._lines)

    def readline(self) -> str:
        return next(self, "")

    def read(self, size: int = -1) -> str:
        parts, have = [], 0
        while size < 0 or have < size:
            line = next(self, "")
            if not line:
                break
            parts.append(line)
            have += len(line)
        text = "".join(parts)
        if 0 <= size < len(text):
            text, self._rest = text[:size], text[size:]
        return text

    def detach(self) -> None:
        """The binary stream stays open (as ``TextIOWrapper.detach`` leaves it)."""
