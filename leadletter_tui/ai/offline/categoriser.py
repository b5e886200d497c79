"""Offline industry categoriser: weighted keyword evidence over a researched homepage.

Each category has a curated term list (``industry_terms.txt`` next to this module, in
English plus common German, French, Spanish and Dutch trade words). A term is a word, a
phrase of consecutive words, or a prefix (``plumb*``). The page's fields are read with
different weights (title and domain say most about a business, the body text least); a
term counts once per field, a little more when repeated, so one word said ten times cannot
outvote the rest. The category with the most evidence wins unless the evidence is weak, in
which case the answer is ``other``.

Pure Python (no anthropic, no network); the term file is read on first use.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from leadletter_tui.domain.categories import Category
from leadletter_tui.domain.research import PageResearch

TERMS_FILE = "industry_terms.txt"

# How much a matched term counts, by where it was found.
FIELD_WEIGHTS = {"title": 3.0, "domain": 2.5, "description": 2.5, "headings": 2.0, "text": 1.0}
MIN_SCORE = 6.0  # below this much evidence, the business is "other"
STRONG_SCORE = 20.0  # evidence at which confidence stops growing with the score
MAX_PHRASE = 4  # words in the longest phrase term
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class CategoryGuess:
    category: Category
    confidence: float  # 0..1
    reason: str  # one line: the strongest evidence


@dataclass(frozen=True, slots=True)
class _Terms:
    exact: dict[str, tuple[tuple[Category, float], ...]]  # word or phrase -> categories
    prefixes: dict[str, tuple[tuple[Category, float], ...]]  # prefix -> categories
    prefix_lengths: tuple[int, ...]
    domain_words: tuple[tuple[str, Category, float], ...]  # single words for domain labels


def fold(text: str) -> str:
    """Lowercase and strip accents (é -> e, ü -> u; ß -> ss)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def parse_terms(source: str) -> _Terms:
    """Parse the term-list format (see the header of industry_terms.txt)."""
    exact: dict[str, list[tuple[Category, float]]] = {}
    prefixes: dict[str, list[tuple[Category, float]]] = {}
    category: Category | None = None
    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            category = Category(line[1:-1].strip())
            continue
        weight_text, sep, rest = line.partition(":")
        if not sep or category is None:
            raise ValueError(f"{TERMS_FILE} line {number}: expected 'WEIGHT: terms'")
        weight = float(weight_text)
        for term in rest.split(","):
            is_prefix = term.strip().endswith("*")
            key = " ".join(words(term))
            if not key:
                continue
            target = prefixes if is_prefix and " " not in key else exact
            target.setdefault(key, []).append((category, weight))
    domain_words = tuple(
        (key, cat, weight)
        for table in (exact, prefixes)
        for key, entries in table.items()
        if " " not in key and len(key) >= 5
        for cat, weight in entries
    )
    return _Terms(
        exact={k: tuple(v) for k, v in exact.items()},
        prefixes={k: tuple(v) for k, v in prefixes.items()},
        prefix_lengths=tuple(sorted({len(k) for k in prefixes})),
        domain_words=domain_words,
    )


@cache
def default_terms() -> _Terms:
    source = resources.files(__package__).joinpath(TERMS_FILE).read_text(encoding="utf-8")
    return parse_terms(source)


def _field_matches(tokens: list[str], terms: _Terms) -> dict[tuple[str, Category, float], int]:
    """(term, category, weight) -> how often it occurs in these tokens."""
    found: dict[tuple[str, Category, float], int] = {}
    n = len(tokens)
    for i, token in enumerate(tokens):
        for size in range(1, MAX_PHRASE + 1):
            if i + size > n:
                break
            key = token if size == 1 else " ".join(tokens[i : i + size])
            for cat, weight in terms.exact.get(key, ()):
                found[(key, cat, weight)] = found.get((key, cat, weight), 0) + 1
        for length in terms.prefix_lengths:
            if length > len(token):
                break
            key = token[:length]
            for cat, weight in terms.prefixes.get(key, ()):
                entry = (key + "*", cat, weight)
                found[entry] = found.get(entry, 0) + 1
    return found


def _domain_matches(domain: str, terms: _Terms) -> dict[tuple[str, Category, float], int]:
    """Trade words inside the domain's labels ('mikesplumbing.example' holds 'plumbing')."""
    labels = [label for label in fold(domain).split(".")[:-1] if label != "www"]
    joined = " ".join(labels)
    found: dict[tuple[str, Category, float], int] = {}
    if not joined:
        return found
    for key, cat, weight in terms.domain_words:
        if key in joined:
            found[(key, cat, weight)] = 1
    return found


class OfflineCategoriser:
    """Guesses a business's industry from its homepage research, without a model."""

    def __init__(self, terms: _Terms | None = None) -> None:
        self._terms = terms

    @property
    def terms(self) -> _Terms:
        if self._terms is None:
            self._terms = default_terms()
        return self._terms

    def scores(self, research: PageResearch, domain: str = "") -> dict[Category, float]:
        """Evidence per category (categories with none are left out)."""
        return self._score(research, domain)[0]

    def _score(self, research: PageResearch, domain: str):
        terms = self.terms
        fields = {
            "title": words(research.title),
            "description": words(research.description),
            "headings": words(" . ".join(research.headings)),
            "text": words(research.text),
        }
        matches = {name: _field_matches(tokens, terms) for name, tokens in fields.items()}
        matches["domain"] = _domain_matches(domain or research.domain, terms)
        totals: dict[Category, float] = {}
        evidence: dict[Category, dict[str, float]] = {}
        for name, found in matches.items():
            field_weight = FIELD_WEIGHTS[name]
            for (term, cat, weight), count in found.items():
                value = weight * field_weight * (1.0 + 0.5 * math.log2(min(count, 4)))
                totals[cat] = totals.get(cat, 0.0) + value
                per_term = evidence.setdefault(cat, {})
                per_term[term] = per_term.get(term, 0.0) + value
        return totals, evidence

    def categorise(self, research: PageResearch, domain: str = "") -> CategoryGuess:
        totals, evidence = self._score(research, domain)
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0].value))
        if not ranked:
            return CategoryGuess(Category.OTHER, 0.5, "no industry words found on the page")
        best, top = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if top < MIN_SCORE:
            confidence = round(0.5 + 0.4 * (1 - top / MIN_SCORE), 2)
            return CategoryGuess(
                Category.OTHER, confidence,
                f"too little evidence (best: {best.label}, score {top:.1f})",
            )
        margin = top / (top + runner_up)
        strength = min(1.0, top / STRONG_SCORE)
        confidence = round(max(0.05, min(0.99, margin * (0.5 + 0.5 * strength))), 2)
        strongest: dict[str, float] = {}
        for term, value in evidence[best].items():
            word = term.rstrip("*")
            strongest[word] = strongest.get(word, 0.0) + value
        top_words = sorted(strongest.items(), key=lambda item: -item[1])[:4]
        words_found = ", ".join(word for word, _ in top_words)
        second = f"; next {ranked[1][0].label} {runner_up:.1f}" if len(ranked) > 1 else ""
        return CategoryGuess(
            best, confidence, f"{best.label} {top:.1f}: {words_found}{second}"
        )
