"""Which text encoding an import file uses, and whether it is text at all.

The files people export are UTF-8 (with or without a byte-order mark), UTF-16 with a BOM
(Excel "Unicode text"), or Windows-1252 / Latin-1 (older Excel and CRM exports). We decide
without guessing where we can:

1. a byte-order mark names the encoding;
2. known binary formats (xlsx/zip, xls, PDF, images, SQLite, gzip) and NUL-ridden or
   control-character-ridden data are refused as "not a text file";
3. if the whole file is valid UTF-8 it is UTF-8 (checked block by block, so a stray
   Windows-1252 byte after the first 64 KB is still caught);
4. otherwise Windows-1252, when the text decodes and reads like Western European text;
5. only then charset-normalizer (imported lazily: ``domain/`` stays light), and if it has no
   answer the file is refused: we never import mojibake silently.

Every refusal is an :class:`UnusableInput` whose message is one line a person can act on.
"""

from __future__ import annotations

import codecs
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
    kind = _binary_kind(head)
    if kind:
        raise UnusableInput(f"this is not a text file (it looks like {kind}); {_SAVE_AS}")
    if not head.strip():
        raise UnusableInput("the file is empty (only blank lines)")
    nuls = head.count(0)
    if nuls > 2 and nuls * 100 > len(head):  # a stray NUL is damage; many are a format
        enc = _utf16_without_bom(head)
        if enc is not None:
            return enc
        raise UnusableInput(f"this looks like a binary file, not CSV or text; {_SAVE_AS}")
    if _control_share(head) > 0.05:
        raise UnusableInput(f"this looks like a binary file, not CSV or text; {_SAVE_AS}")
    if _all_utf8(fh, head):
        return UTF8
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
