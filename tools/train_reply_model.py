"""Train the offline reply model and write leadletter_tui/ai/offline/reply_model.json.

    .venv/bin/python tools/train_reply_model.py          # train on dev + phrases, write
    .venv/bin/python tools/train_reply_model.py --cv 5   # k-fold accuracy on dev only

Multinomial logistic regression (softmax) over the features of
``leadletter_tui.ai.offline.reply_features``, binary presence, L2-regularised, trained with
AdaGrad in pure Python (a few seconds). Training data: tests/data/replies/dev.jsonl and the
phrase lists in tools/reply_phrases.py. heldout.jsonl is NEVER read here (README rule).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from reply_phrases import phrases  # noqa: E402

from leadletter_tui.ai.offline.reply_features import features  # noqa: E402
from leadletter_tui.domain.reply_text import strip_quoted  # noqa: E402

CLASSES = ("positive", "neutral", "negative", "asked_for_info")
DEV = ROOT / "tests/data/replies/dev.jsonl"
OUT = ROOT / "leadletter_tui/ai/offline/reply_model.json"
EPOCHS, RATE, L2, MIN_COUNT = 40, 0.3, 1e-4, 1


def load_dev() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    return [(r["text"], r["label"]) for r in rows]


def vectorise(examples):
    return [(sorted(set(features(strip_quoted(t)))), CLASSES.index(y)) for t, y in examples]


def train(data, seed: int = 7):
    counts: dict[str, int] = {}
    for feats, _ in data:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    weights = {f: [0.0] * 4 for f, n in counts.items() if n >= MIN_COUNT}
    grads_sq = {f: [1e-8] * 4 for f in weights}
    bias, bias_sq = [0.0] * 4, [1e-8] * 4
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for idx in order:
            feats, y = data[idx]
            feats = [f for f in feats if f in weights]
            scores = [bias[k] + sum(weights[f][k] for f in feats) for k in range(4)]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total = sum(exps)
            for k in range(4):
                g = exps[k] / total - (1.0 if k == y else 0.0)
                bias_sq[k] += g * g
                bias[k] -= RATE * g / math.sqrt(bias_sq[k])
                for f in feats:
                    w = weights[f]
                    gk = g + L2 * w[k]
                    grads_sq[f][k] += gk * gk
                    w[k] -= RATE * gk / math.sqrt(grads_sq[f][k])
    return bias, weights


def predict(bias, weights, feats) -> int:
    scores = [bias[k] + sum(weights[f][k] for f in feats if f in weights) for k in range(4)]
    return max(range(4), key=scores.__getitem__)


def cross_validate(k: int, show_errors: bool) -> None:
    """k-fold accuracy of the whole classifier (rules + model) on dev; dev only."""
    from datetime import date

    from leadletter_tui.ai.offline.classifier import OfflineClassifier, ReplyModel

    dev = load_dev()
    extra = vectorise(phrases())
    rng = random.Random(1)
    idx = list(range(len(dev)))
    rng.shuffle(idx)
    vec = vectorise(dev)
    right = 0
    for fold_no in range(k):
        test = set(idx[fold_no::k])
        bias, weights = train([vec[i] for i in idx if i not in test] + extra)
        clf = OfflineClassifier(ReplyModel({"classes": CLASSES, "bias": bias,
                                            "weights": weights}))
        for i in sorted(test):
            got = clf.classify(dev[i][0], today=date(2026, 11, 25))
            if got.sentiment == dev[i][1]:
                right += 1
            elif show_errors:
                print(f"  {dev[i][1]} -> {got.sentiment} [{got.reason}]: {dev[i][0][:80]!r}")
    print(f"{k}-fold accuracy on dev (rules + model): {right / len(dev):.3f} "
          f"({right}/{len(dev)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv", type=int, default=0, help="k-fold cross-validation on dev")
    ap.add_argument("--errors", action="store_true", help="with --cv: list the misses")
    args = ap.parse_args()
    if args.cv:
        cross_validate(args.cv, args.errors)
        return
    bias, weights = train(vectorise(load_dev()) + vectorise(phrases()))
    kept = {f: [round(x, 3) for x in w] for f, w in sorted(weights.items())
            if max(abs(x) for x in w) >= 0.02}
    model = {"classes": list(CLASSES), "bias": [round(b, 3) for b in bias], "weights": kept}
    OUT.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(kept)} features")


if __name__ == "__main__":
    main()
