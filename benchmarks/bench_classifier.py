"""Offline reply classifier: accuracy and confusion matrix on the labelled replies, and speed.

    .venv/bin/python benchmarks/bench_classifier.py [--set heldout|dev|both]

heldout.jsonl is only measured, never tuned on (tests/data/replies/README.md). Speed is
replies per second over the dev and heldout texts repeated, on one core, after the first call
(which loads the weights); the import time of the classifier module is printed too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leadletter_tui.ai.offline.classifier import OfflineClassifier  # noqa: E402
from leadletter_tui.domain.model import Sentiment  # noqa: E402

DATA = ROOT / "tests/data/replies"
TODAY = date(2026, 11, 25)
ORDER = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE, Sentiment.ASKED_FOR_INFO)


def load(name: str) -> list[tuple[str, Sentiment]]:
    lines = (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    return [(r["text"], Sentiment(r["label"])) for r in map(json.loads, filter(None, lines))]


def evaluate(name: str, clf: OfflineClassifier, show_errors: bool) -> None:
    rows = load(name)
    matrix = {(t, p): 0 for t in ORDER for p in ORDER}
    errors = []
    for text, truth in rows:
        got = clf.classify(text, today=TODAY)
        matrix[truth, got.sentiment] += 1
        if got.sentiment is not truth:
            errors.append((truth, got, text))
    right = sum(matrix[s, s] for s in ORDER)
    note = ("  (the model's training data: see tools/train_reply_model.py --cv 5 for a fair figure)"
            if name == "dev" else "  (never tuned on)")
    print(f"{name}: accuracy {right / len(rows):.3f} ({right}/{len(rows)}){note}")
    width = 15
    print("  truth \\ predicted".ljust(22) + "".join(s.value.rjust(width) for s in ORDER))
    for t in ORDER:
        print(f"  {t.value:<20}" + "".join(str(matrix[t, p]).rjust(width) for p in ORDER))
    if show_errors:
        for truth, got, text in errors:
            print(f"  - {truth.value} -> {got.sentiment.value} [{got.reason}]: {text[:90]!r}")
    print()


def speed(clf: OfflineClassifier) -> None:
    texts = [t for t, _ in load("dev") + load("heldout")]
    clf.classify(texts[0], today=TODAY)
    reps = 10
    start = time.perf_counter()
    for _ in range(reps):
        for text in texts:
            clf.classify(text, today=TODAY)
    elapsed = time.perf_counter() - start
    print(f"speed: {reps * len(texts) / elapsed:,.0f} replies/s ({reps * len(texts)} replies)")
    probe = ("import time; t = time.perf_counter(); "
             "import leadletter_tui.ai.offline.classifier as c; a = time.perf_counter(); "
             "c.OfflineClassifier().classify('ok'); b = time.perf_counter(); "
             "print(f'import: {(a - t) * 1000:.1f} ms, first classify (loads weights): '"
             "f'{(b - a) * 1000:.1f} ms')")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    print(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=("heldout", "dev", "both"), default="both")
    ap.add_argument("--errors", action="store_true", help="list misclassified dev replies")
    args = ap.parse_args()
    clf = OfflineClassifier()
    for name in ("heldout", "dev"):
        if args.set in (name, "both"):
            evaluate(name, clf, args.errors and name == "dev")
    speed(clf)


if __name__ == "__main__":
    main()
