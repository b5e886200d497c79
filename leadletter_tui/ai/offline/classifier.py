"""The offline reply classifier: rules for the operational signals, a small model for the rest.

``OfflineClassifier().classify(text, today=...)`` returns a
:class:`~leadletter_tui.domain.reply_text.ReplyAnalysis`, the same shape the Claude classifier
returns. Steps, in order:

1. Only the reply itself is read: :func:`strip_quoted` drops the quoted original and the
   signature, so a "no" above a quoted "let's talk!" stays a no.
2. An unsubscribe request is ``negative`` with ``do_not_contact`` set, whatever else it says.
3. An out-of-office note is ``neutral``, with the return date it states.
4. Everything else is scored by a multinomial logistic regression over word, bigram and
   character features (``reply_features``). Its weights ship in ``reply_model.json``, built
   by ``tools/train_reply_model.py`` from the dev replies and hand-written phrase lists; the
   package never reads tests/. Sentences that try to instruct a classifier are ignored.

A referral to a colleague is reported whatever the sentiment. Pure Python: loading the
weights takes a few milliseconds on the first call; a reply is classified in well under a
millisecond.
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from pathlib import Path

from leadletter_tui.ai.offline.reply_features import features
from leadletter_tui.domain.model import Sentiment
from leadletter_tui.domain.reply_text import (
    ReplyAnalysis,
    detect_out_of_office,
    detect_unsubscribe,
    find_referral,
    strip_quoted,
)

MODEL_PATH = Path(__file__).with_name("reply_model.json")

_LABELS = {
    Sentiment.POSITIVE: "wants to proceed",
    Sentiment.NEUTRAL: "no decision either way",
    Sentiment.NEGATIVE: "declines",
    Sentiment.ASKED_FOR_INFO: "asks for details first",
}


class ReplyModel:
    """Weights of the shipped logistic regression; ``scores`` gives class probabilities."""

    def __init__(self, data: dict) -> None:
        self.classes = tuple(Sentiment(c) for c in data["classes"])
        self.bias = tuple(data["bias"])
        self.weights: dict[str, list[float]] = data["weights"]

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ReplyModel:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, feats: list[str]) -> tuple[list[float], list[tuple[float, str]]]:
        """(probabilities in ``classes`` order, [(weight for the winner, feature)])."""
        s0, s1, s2, s3 = self.bias
        seen: set[str] = set()
        hits: list[tuple[str, list[float]]] = []
        weights = self.weights
        for f in feats:
            if f in seen:
                continue
            seen.add(f)
            w = weights.get(f)
            if w is not None:
                s0 += w[0]
                s1 += w[1]
                s2 += w[2]
                s3 += w[3]
                hits.append((f, w))
        raw = (s0, s1, s2, s3)
        top = max(raw)
        exps = [math.exp(s - top) for s in raw]
        total = sum(exps)
        best = raw.index(top)
        evidence = sorted(((w[best], f) for f, w in hits), reverse=True)
        return [e / total for e in exps], evidence


@cache
def _default_model() -> ReplyModel:
    return ReplyModel.load()


def _shown(feature: str) -> str | None:
    """A feature as a reader would recognise it ("how much"), or None for opaque ones."""
    kind, _, value = feature.partition(":")
    if kind == "w":
        return value
    if kind == "b":
        return value.replace("^_", "").replace("_", " ")
    if kind.startswith("q"):
        return "?"
    return None


def _because(evidence: list[tuple[float, str]]) -> str:
    words: list[str] = []
    for weight, feature in evidence:
        shown = _shown(feature)
        if weight <= 0 or shown is None or shown in words or "0" in shown:
            continue
        words.append(shown)
        if len(words) == 3:
            break
    return ", ".join(f'"{w}"' for w in words)


class OfflineClassifier:
    """Classifies reply text without any network call (see the module docstring)."""

    def __init__(self, model: ReplyModel | None = None) -> None:
        self._model = model

    @property
    def model(self) -> ReplyModel:
        if self._model is None:
            self._model = _default_model()
        return self._model

    def classify(self, text: str, *, today: date | None = None) -> ReplyAnalysis:
        today = today or date.today()
        body = strip_quoted(text if isinstance(text, str) else str(text or ""))
        referral = find_referral(body) if body else None
        if not body.strip():
            return ReplyAnalysis(Sentiment.NEUTRAL, False, None, None,
                                 "empty reply (nothing above the quoted text)")
        if detect_unsubscribe(body):
            return ReplyAnalysis(Sentiment.NEGATIVE, True, None, referral,
                                 "asks to be removed / not emailed again")
        ooo = detect_out_of_office(body, today)
        if ooo is not None:
            back = f", back {ooo.return_date.isoformat()}" if ooo.return_date else ""
            return ReplyAnalysis(Sentiment.NEUTRAL, False, ooo, referral,
                                 f"out-of-office note{back}")
        probs, evidence = self.model.scores(features(body))
        best = max(range(len(probs)), key=probs.__getitem__)
        sentiment = self.model.classes[best]
        if referral is not None and sentiment is Sentiment.NEGATIVE:
            # "not me, talk to Sam" is a hand-over, not a refusal (DESIGN: forwarded = neutral)
            return ReplyAnalysis(Sentiment.NEUTRAL, False, None, referral,
                                 f"hands over to {referral.name or referral.email}")
        because = _because(evidence)
        reason = f"{_LABELS[sentiment]} ({probs[best]:.0%})"
        if because:
            reason += f": {because}"
        if referral is not None:
            reason += f"; points to {referral.name or referral.email}"
        return ReplyAnalysis(sentiment, False, None, referral, reason)
