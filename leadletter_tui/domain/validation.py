"""Message validation: the rules every outgoing message passes (DESIGN.md, "no AI tells").

The rules, each reported as a :class:`Problem` with a stable ``code``:

- ``dash``: no em dash (U+2014) or en dash (U+2013), in the subject or the body.
- ``double_hyphen``: no ``--`` (two or more hyphens in a row), the typewriter em dash.
- ``stock_phrase``: none of :data:`STOCK_PHRASES`, matched case-insensitively, on word
  boundaries, with curly or straight apostrophes, and with a space or a hyphen (or nothing)
  where the phrase has either ("game-changer", "game changer", "gamechanger"). The last word
  may carry a plain inflection (s, es, d, ed, ing): "unlocked", "leverages". "Quick question"
  is on the list in the subject too: it is the most copied cold-email subject there is.
- ``long_sentence``: a bloated sentence is one of more than :data:`MAX_SENTENCE_WORDS` (28)
  words. Sentences end at ``.``, ``!``, ``?`` or a line break.
- ``stacked_filler``: also bloated: two intensifiers in a row ("really very", "just really",
  "truly incredibly"), from :data:`FILLERS`.
- ``subject_empty``, ``subject_too_long`` (more than 60 characters), ``subject_multiline``.
- ``body_too_short`` / ``body_too_long``: the body has 40 to 200 words (:func:`word_count`,
  greeting and sign-off included).

:func:`repair` fixes only what is mechanical (dashes, whitespace); it never adds words.
:func:`shared_runs` finds word runs two texts share (the follow-up rule: a follow-up never
repeats six words in a row of an earlier message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STOCK_PHRASES: tuple[str, ...] = (
    "I hope this email finds you well",
    "I hope this finds you well",
    "hope you're doing well",
    "hope you are doing well",
    "hope all is well",
    "I came across your website",
    "I stumbled upon",
    "I wanted to reach out",
    "I'm reaching out",
    "I am reaching out",
    "just checking in",
    "just following up",
    "touch base",
    "circle back",
    "circling back",
    "leverage",
    "leveraging",
    "game-changer",
    "game-changing",
    "in today's fast-paced",
    "fast-paced world",
    "ever-evolving",
    "synergy",
    "synergies",
    "low-hanging fruit",
    "take it to the next level",
    "to the next level",
    "at the end of the day",
    "cutting-edge",
    "state-of-the-art",
    "best-in-class",
    "world-class",
    "unlock",
    "unlocking",
    "revolutionize",
    "revolutionise",
    "revolutionizing",
    "revolutionising",
    "quick question",
    "pick your brain",
    "win-win",
    "think outside the box",
    "move the needle",
    "paradigm shift",
    "deep dive",
    "dive deep",
    "delve",
    "supercharge",
    "skyrocket",
    "seamless",
    "seamlessly",
    "empower",
    "look no further",
    "don't hesitate to reach out",
    "feel free to reach out",
    "hop on a call",
    "value-add",
    "thought leader",
    "elevate your",
)

MAX_SENTENCE_WORDS = 28
SUBJECT_MAX_CHARS = 60
BODY_MIN_WORDS = 40
BODY_MAX_WORDS = 200

FILLERS: frozenset[str] = frozenset(
    "really very truly extremely incredibly super totally absolutely basically literally "
    "genuinely actually highly just quite".split()
)
"""Intensifiers and fillers; two of them in a row make a sentence bloated."""


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str  # one line, for the user


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})
_WORD = re.compile(r"[^\W_]+(?:['./][^\W_]+)*(?:-[^\W_]+)*")
_RUN_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_DASHES = ("\u2014", "\u2013")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _phrase_pattern(phrase: str) -> str:
    # a hyphen may be a hyphen, a space or nothing; a space may be a space or a hyphen
    body = "".join(
        r"[\s-]*" if ch == "-" else r"[\s-]+" if ch == " " else re.escape(ch)
        for ch in phrase.lower()
    )
    return rf"(?<![\w'])(?P<p>{body})(?:s|es|d|ed|ing)?(?![\w'])"


_STOCK_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (p, re.compile(_phrase_pattern(p), re.IGNORECASE)) for p in STOCK_PHRASES
)


def normalize_apostrophes(text: str) -> str:
    return text.translate(_APOSTROPHES)


def word_count(text: str) -> int:
    """Words in ``text``: runs of letters/digits, joined by ' . / or - inside ("24/7",
    "acme.com", "same-day" count as one)."""
    return len(_WORD.findall(normalize_apostrophes(text)))


_ANY_STOCK = re.compile("|".join(f"(?:{rx.pattern.replace('(?P<p>', '(')})" for _p, rx in _STOCK_RES),
                        re.IGNORECASE)


def find_stock_phrases(text: str) -> list[str]:
    """The stock phrases in ``text`` (as listed in STOCK_PHRASES), in list order."""
    flat = normalize_apostrophes(text)
    if not _ANY_STOCK.search(flat):  # one pass for the usual case: none at all
        return []
    return [phrase for phrase, rx in _STOCK_RES if rx.search(flat)]


def sentences(text: str) -> list[str]:
    """Split at . ! ? followed by space, and at line breaks; empty pieces dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _stacked_filler(sentence: str) -> str | None:
    words = [w.lower() for w in _RUN_WORD.findall(normalize_apostrophes(sentence))]
    for a, b in zip(words, words[1:]):
        if a in FILLERS and b in FILLERS:
            return f"{a} {b}"
    return None


def _dash_problems(label: str, text: str) -> list[Problem]:
    out = []
    if any(d in text for d in _DASHES):
        out.append(Problem("dash", f"{label} has an em or en dash (\u2014 or \u2013)"))
    if "--" in text:
        out.append(Problem("double_hyphen", f"{label} has a double hyphen (--)"))
    return out


def _short(sentence: str, limit: int = 40) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "\u2026"


def validate(subject: str, body: str) -> list[Problem]:
    """Every rule the message breaks (empty list: good to send)."""
    problems: list[Problem] = []
    stripped = subject.strip()
    if not stripped:
        problems.append(Problem("subject_empty", "the subject is empty"))
    if "\n" in stripped or "\r" in stripped:
        problems.append(Problem("subject_multiline", "the subject must be one line"))
    if len(stripped) > SUBJECT_MAX_CHARS:
        problems.append(Problem(
            "subject_too_long",
            f"the subject has {len(stripped)} characters (at most {SUBJECT_MAX_CHARS})"))
    problems += _dash_problems("the subject", subject)
    problems += _dash_problems("the body", body)
    for label, text in (("the subject", subject), ("the body", body)):
        for phrase in find_stock_phrases(text):
            problems.append(Problem("stock_phrase", f'{label} uses the stock phrase "{phrase}"'))
    for sentence in sentences(body):
        n = word_count(sentence)
        if n > MAX_SENTENCE_WORDS:
            problems.append(Problem(
                "long_sentence",
                f'a sentence has {n} words (at most {MAX_SENTENCE_WORDS}): "{_short(sentence)}"'))
        if (pair := _stacked_filler(sentence)) is not None:
            problems.append(Problem("stacked_filler", f'stacked filler words: "{pair}"'))
    n = word_count(body)
    if n < BODY_MIN_WORDS:
        problems.append(Problem("body_too_short", f"the body has {n} words (at least {BODY_MIN_WORDS})"))
    elif n > BODY_MAX_WORDS:
        problems.append(Problem("body_too_long", f"the body has {n} words (at most {BODY_MAX_WORDS})"))
    return problems


# A dash run: em/en dashes or two or more hyphens, with the spaces around it.
_DASH_RUN = re.compile(r"[ \t]*(?:[\u2014\u2013]+|-{2,})[ \t]*")
_DIGIT_RANGE = re.compile(r"(?<=\d)[ \t]*(?:[\u2014\u2013]|-{2,})[ \t]*(?=\d)")


def _fix_dashes(text: str) -> str:
    text = _DIGIT_RANGE.sub("-", text)  # 9–5 -> 9-5: a plain hyphen is allowed
    out_lines = []
    for line in text.split("\n"):
        # a dash leading a line (a bullet, the "-- " signature marker) is dropped
        line = re.sub(r"^(\s*)(?:[\u2014\u2013]+|-{2,})[ \t]*", r"\1", line)
        line = re.sub(r"[ \t]*(?:[\u2014\u2013]+|-{2,})[ \t]*$", "", line)
        line = _DASH_RUN.sub(_dash_replacement, line)
        out_lines.append(line)
    return "\n".join(out_lines)


def _dash_replacement(m: re.Match[str]) -> str:
    rest = m.string[m.end():]
    before = m.string[: m.start()].rstrip()
    if before.endswith((".", "!", "?", ",", ";", ":")):
        return " "
    nxt = re.match(r"[A-Z][a-z]*", rest)
    if nxt and nxt.group(0) != "I":
        return ". "  # the dash joined two sentences
    return ", "


def _collapse(text: str) -> str:
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*([.!?])", r"\1", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def repair(subject: str, body: str) -> tuple[str, str]:
    """Fix the mechanical problems without inventing text.

    Dashes (—, –, --) become a comma, or a full stop when a new sentence starts after them;
    between digits they become a hyphen; leading/trailing dashes on a line are dropped.
    Whitespace is collapsed (one space inside lines, at most one blank line between
    paragraphs); the subject becomes one line.
    """
    subject = " ".join(_collapse(_fix_dashes(subject.replace("\r", " "))).split())
    body = _collapse(_fix_dashes(body.replace("\r\n", "\n").replace("\r", "\n")))
    return subject, body


def run_words(text: str) -> list[str]:
    """The words of ``text`` for run comparison: lower case, apostrophes unified,
    punctuation dropped (hyphenated words count as their parts)."""
    return _RUN_WORD.findall(normalize_apostrophes(text).lower())


def shared_runs(a: str, b: str, n: int = 6) -> set[tuple[str, ...]]:
    """Runs of ``n`` words that occur in both texts (case- and punctuation-insensitive)."""
    wa, wb = run_words(a), run_words(b)
    grams_a = {tuple(wa[i:i + n]) for i in range(len(wa) - n + 1)}
    if not grams_a:
        return set()
    return {g for i in range(len(wb) - n + 1) if (g := tuple(wb[i:i + n])) in grams_a}
