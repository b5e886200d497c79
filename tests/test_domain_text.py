"""Sanitizing untrusted text: no control sequence may survive to reach a terminal."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadletter_tui.domain.text import (
    REPLACEMENT,
    TextTooLong,
    sanitize_line,
    sanitize_text,
    truncate_line,
)

R = REPLACEMENT
OSC52 = "\x1b]52;c;ZXZpbA==\x1b\\"  # "write 'evil' to the clipboard"

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
C0_NOT_SPACE = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c"]
C1_NOT_NEL = [chr(c) for c in range(0x80, 0xA0) if c != 0x85]


def assert_terminal_safe(s: str, allowed: str = "") -> None:
    """No C0/C1 control, DEL, bidi control or surrogate, except the ``allowed`` ones."""
    for ch in s:
        if ch in allowed:
            continue
        cat = unicodedata.category(ch)
        assert cat not in ("Cc", "Cs"), repr(s)
        assert ch not in BIDI, repr(s)
        assert ch not in "\u2028\u2029", repr(s)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("Acme Plumbing", "Acme Plumbing"),
        ("  padded  ", "padded"),
        (42, "42"),
        (3.5, "3.5"),
        ("Zoë Ångström 山田", "Zoë Ångström 山田"),
        ("a\r\nb", "a b"),
        ("a\rb", "a b"),
        ("a\nb", "a b"),
        ("a\tb", "a b"),
        ("a\x0bb\x0cc", "a b c"),
        ("a\x85b\u2028c\u2029d", "a b c d"),
        ("a\n\nb", "a  b"),  # one space per break, runs are not collapsed
        ("\r\nname\r\n", "name"),
        ("a\x00b", f"a{R}b"),
        ("a\x7fb", f"a{R}b"),
        ("a\x9b31mb", f"a{R}31mb"),  # C1 CSI
        ("a\x07b", f"a{R}b"),  # BEL
        ("\u202eevil", f"{R}evil"),  # RLO
        ("x\u2066y\u2069", f"x{R}y{R}"),
        ("\x1b[31mred\x1b[0m", f"{R}[31mred{R}[0m"),
        (OSC52, f"{R}]52;c;ZXZpbA=={R}\\"),
        ("a\ud800b", f"a{R}b"),  # lone surrogate would crash the terminal writer
    ],
)
def test_sanitize_line(raw: object, expected: str) -> None:
    assert sanitize_line(raw) == expected


@pytest.mark.parametrize("ch", C0_NOT_SPACE + ["\x7f"] + C1_NOT_NEL + BIDI)
def test_sanitize_line_replaces_every_dangerous_char(ch: str) -> None:
    assert sanitize_line(f"a{ch}b") == f"a{R}b"
    assert sanitize_text(f"a{ch}b") == f"a{R}b"


def test_osc52_never_survives() -> None:
    for fn in (sanitize_line, sanitize_text):
        out = fn(f"Hi {OSC52} there")
        assert "\x1b" not in out
        assert "\x9d" not in out
        assert_terminal_safe(out, allowed="\n\t")


def test_max_len_counts_the_sanitized_result() -> None:
    assert sanitize_line("  abc  ", max_len=3) == "abc"
    assert sanitize_line("a" * 200, max_len=200) == "a" * 200
    with pytest.raises(TextTooLong) as err:
        sanitize_line("a" * 312, max_len=200)
    assert err.value.field_len == 312
    assert err.value.max_len == 200
    assert str(err.value) == "too long (312 characters, at most 200)"
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("fn", [sanitize_line, sanitize_text])
def test_max_len_on_slow_path(fn) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TextTooLong, match=r"too long \(5 characters, at most 4\)"):
        fn("ab\x00cd", max_len=4)


@pytest.mark.parametrize(
    ("raw", "max_len", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("Acme Plumbing and Heating", 10, "Acme Plum…"),
        ("word word word", 6, "word…"),  # no space before the ellipsis
        ("abc", 1, "…"),
        ("abc", 0, ""),
        ("a\x1bbcdef", 4, f"a{R}b…"),
        (None, 5, ""),
    ],
)
def test_truncate_line(raw: object, max_len: int, expected: str) -> None:
    out = truncate_line(raw, max_len)
    assert out == expected
    assert len(out) <= max_len


def test_truncate_line_rejects_negative() -> None:
    with pytest.raises(ValueError):
        truncate_line("x", -1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("Hi Bob,\n\nThanks!", "Hi Bob,\n\nThanks!"),
        ("Hi\r\nthere\r\n", "Hi\nthere"),
        ("a\rb\rc", "a\nb\nc"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("a\x85b\u2028c\u2029d", "a\nb\nc\nd"),
        ("col1\tcol2", "col1\tcol2"),
        ("\n\n  \n  indented first line\nnext", "  indented first line\nnext"),
        ("   leading spaces kept", "   leading spaces kept"),
        ("body\n\n   \n", "body"),
        ("   \n\t\n ", ""),
        ("a\x0bb\x0cc", f"a{R}b{R}c"),
        ("a\x00b\x7fc\x9bd", f"a{R}b{R}c{R}d"),
        ("\u202egnp.exe", f"{R}gnp.exe"),
        ("quote:\n> \x1b[2Jwiped", f"quote:\n> {R}[2Jwiped"),
    ],
)
def test_sanitize_text(raw: object, expected: str) -> None:
    assert sanitize_text(raw) == expected


def test_sanitize_text_max_len() -> None:
    assert sanitize_text("ab\r\ncd", max_len=5) == "ab\ncd"
    with pytest.raises(TextTooLong, match=r"too long \(7 characters, at most 5\)"):
        sanitize_text("abc\ndef", max_len=5)


def test_clean_values_are_returned_unchanged() -> None:
    value = "Acme GmbH & Co. KG"
    assert sanitize_line(value) == value
    assert sanitize_text(value) == value


@given(st.text())
def test_sanitize_line_output_is_always_terminal_safe(value: str) -> None:
    out = sanitize_line(value)
    assert_terminal_safe(out)
    assert "\n" not in out and "\t" not in out
    assert out == out.strip()
    assert sanitize_line(out) == out  # idempotent


@given(st.text())
def test_sanitize_text_output_is_always_terminal_safe(value: str) -> None:
    out = sanitize_text(value)
    assert_terminal_safe(out, allowed="\n\t")
    assert "\r" not in out
    assert out == out.rstrip()
    assert sanitize_text(out) == out  # idempotent
