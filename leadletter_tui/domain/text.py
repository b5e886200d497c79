"""Sanitizing untrusted text at the data boundary.

Everything that comes from outside (CSV fields, pasted replies, fetched page text, AI output)
passes through :func:`sanitize_line` or :func:`sanitize_text` before it is stored or shown.
After that no control character can reach a terminal: C0 and C1 controls (so no ESC, no CSI
``0x9b``, no OSC 52 clipboard writes), DEL, bidirectional overrides/isolates (the "Trojan
Source" characters) and lone surrogates (which would crash the terminal writer) are replaced by
a visible U+FFFD, so the user can see that something was there.

Both functions are built on ``str.translate`` with prebuilt tables and have a fast path for
already-clean input: they run on every imported CSV field.
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"
"""What a dangerous character is replaced with (visible, never interpreted)."""

ELLIPSIS = "\u2026"

# Line-ish separators: a space in a single-line field, a newline in a multi-line field.
_LINE_BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029")

# Every code point that must never be passed through as-is.
_DANGEROUS: tuple[int, ...] = (
    *range(0x00, 0x20),  # C0 controls (ESC, BEL, NUL, ...)
    0x7F,  # DEL
    *range(0x80, 0xA0),  # C1 controls (CSI 0x9b, OSC 0x9d, NEL 0x85, ...)
    *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
    *range(0x2066, 0x206A),  # LRI RLI FSI PDI
    0x2028,  # LINE SEPARATOR
    0x2029,  # PARAGRAPH SEPARATOR
    *range(0xD800, 0xE000),  # lone surrogates (unencodable, would crash output)
)


def _build_table(keep: dict[str, str]) -> dict[int, str]:
    """A translate table: every dangerous code point -> U+FFFD, except the ``keep`` mapping."""
    table = {cp: REPLACEMENT for cp in _DANGEROUS}
    table.update({ord(ch): repl for ch, repl in keep.items()})
    return table


# Single-line fields: every line break and TAB becomes one space.
_LINE_TABLE = _build_table({ch: " " for ch in (*_LINE_BREAKS, "\t")})
# Multi-line fields: LF and TAB survive, the Unicode line separators become LF. CR is
# normalised before translation; a CR that is still present cannot happen, but map it anyway.
_TEXT_TABLE = _build_table(
    {"\n": "\n", "\t": "\t", "\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)


class TextTooLong(ValueError):
    """A sanitized value is longer than the field allows."""

    def __init__(self, field_len: int, max_len: int) -> None:
        self.field_len = field_len
        self.max_len = max_len
        super().__init__(f"too long ({field_len} characters, at most {max_len})")


def _as_str(value: object) -> str:
    """``None`` -> ``""``; anything else -> its ``str()``."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    return str(value)


def _check_len(result: str, max_len: int | None) -> str:
    if max_len is not None and len(result) > max_len:
        raise TextTooLong(len(result), max_len)
    return result


def sanitize_line(value: object, max_len: int | None = None) -> str:
    """Make ``value`` safe as a single line of text (a name, an email, a title).

    Line breaks (CR LF, CR, LF, VT, FF, NEL, U+2028, U+2029) and TAB become one space each;
    every other control character, DEL and the bidi embedding/override/isolate characters
    become U+FFFD. Leading and trailing whitespace is stripped.

    Raises :class:`TextTooLong` if ``max_len`` is given and the result is longer.
    """
    s = _as_str(value)
    if s.isprintable():  # the common case: nothing to replace
        return _check_len(s.strip(), max_len)
    if "\r\n" in s:
        s = s.replace("\r\n", " ")
    return _check_len(s.translate(_LINE_TABLE).strip(), max_len)


def truncate_line(value: object, max_len: int) -> str:
    """Like :func:`sanitize_line`, but cut an over-long result to ``max_len`` characters.

    A cut value ends with "…" (the ellipsis counts towards ``max_len``).
    """
    if max_len < 0:
        raise ValueError(f"max_len must be >= 0, not {max_len}")
    s = sanitize_line(value)
    if len(s) <= max_len:
        return s
    if max_len == 0:
        return ""
    return s[: max_len - 1].rstrip() + ELLIPSIS


QUOTE_LIMIT = 80
"""How many characters of a user's value an error message quotes (`quote_input`)."""


def quote_input(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A user's value as an error message quotes it: sanitised, in single quotes, cut to
    ``limit`` characters with "…" and the full length when longer ("'aaaa…' (10,000,000
    characters)"). The one helper every error that echoes input goes through, so a 10 MB
    argument never becomes a 10 MB line."""
    text = _as_str(value)
    total = len(text)
    if total <= limit:
        return f"'{sanitize_line(text)}'"
    return f"'{truncate_line(text[: limit + 1], limit)}' ({total:,} characters)"


def cut_line(text: str, limit: int = 500, total: int | None = None) -> str:
    """A whole message line cut to ``limit`` characters ("…" and the full length added):
    the last guard, for messages built from input that did not go through `quote_input`.
    ``total``: the length before an earlier cut, if there was one."""
    total = max(len(text), total or 0)
    if total <= limit:
        return text
    return f"{text[: limit - 1]}{ELLIPSIS} ({total:,} characters)"


def _strip_leading_blank_lines(s: str) -> str:
    """Drop whitespace-only lines at the start, keeping the first real line's indentation."""
    stripped = s.lstrip()
    if not stripped:
        return ""
    head = s[: len(s) - len(stripped)]
    last_nl = head.rfind("\n")
    return s[last_nl + 1 :] if last_nl >= 0 else s


def sanitize_text(value: object, max_len: int | None = None) -> str:
    """Make ``value`` safe as multi-line text (notes, message bodies, replies).

    CR LF and lone CR become LF, as do NEL, U+2028 and U+2029. LF and TAB are kept; every
    other control character, DEL and the bidi controls become U+FFFD. Leading blank lines and
    trailing whitespace are removed; indentation and inner blank lines are kept.

    Raises :class:`TextTooLong` if ``max_len`` is given and the result is longer.
    """
    s = _as_str(value)
    if s.isprintable():  # one clean line: only trailing whitespace to drop
        return _check_len(s.rstrip(), max_len)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = s.translate(_TEXT_TABLE).rstrip()
    if s[:1].isspace():
        s = _strip_leading_blank_lines(s)
    return _check_len(s, max_len)
