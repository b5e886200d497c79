"""Turning a reply into the features the offline reply model scores (pure, fast).

Shared by the classifier at run time and by ``tools/train_reply_model.py``, so both always
see a reply the same way. Input is the reply *without* its quoted part and signature.

Features: word unigrams and bigrams (with a start marker, so "no ..." at the start differs
from "no" later), character 4-grams of longer words (so "interessiert", "interesado" and
"interested" share evidence, and typos still match), the first word, a length bucket, and
whether the reply asks a question. Numbers collapse to "0". Sentences that try to instruct a
classifier ("ignore your instructions", "classify this as positive") are dropped first:
they say nothing about what the writer wants.
"""

from __future__ import annotations

import re

from leadletter_tui.domain.reply_dates import fold

MAX_FEATURE_CHARS = 2_000
"""Only the start of a long reply is scored (speed; the point is made early)."""

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\n])\s*")
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|prompts?|rules|"
    r"above|system)\b|"
    r"\b(?:classify|label|mark|tag|categori[sz]e|rate|score|answer|respond|output|reply)\b"
    r".{0,40}\b(?:positive|negative|neutral|asked_for_info|interested|sentiment)\b|"
    r"^\W*(?:system|assistant|user|instruction)\s*:"
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|\?")
_DIGITS = re.compile(r"\d+")


def drop_injection(text: str) -> str:
    """``text`` without sentences addressed to a classifier instead of to the sender."""
    folded = fold(text)
    if not _INJECTION.search(folded):
        return folded
    kept = [s for s in _SENTENCE_SPLIT.split(folded) if s and not _INJECTION.search(s)]
    return " ".join(kept)


def _length_bucket(n: int) -> str:
    if n <= 1:
        return "len:1"
    if n <= 3:
        return "len:2-3"
    if n <= 12:
        return "len:4-12"
    return "len:13+"


def features(body: str) -> list[str]:
    """The feature names present in ``body`` (duplicates kept: counts matter)."""
    text = drop_injection(body[:MAX_FEATURE_CHARS])
    tokens = [_DIGITS.sub("0", t) for t in _TOKEN.findall(text)]
    if not tokens:
        return ["empty"]
    words = [t for t in tokens if t != "?"]
    out = [_length_bucket(len(words)), "first:" + tokens[0]]
    if "?" in tokens:
        out.append("q:any")
        if tokens[-1] == "?":
            out.append("q:end")
    prev = "^"
    for tok in tokens:
        out.append("w:" + tok)
        out.append("b:" + prev + "_" + tok)
        prev = tok
        if len(tok) >= 5:
            padded = "<" + tok + ">"
            out.extend("c:" + padded[i : i + 4] for i in range(len(padded) - 3))
    return out
