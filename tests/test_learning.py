"""The learning loop (domain/learning.py): explores, exploits, learns per audience, shares
what it knows across audiences, validates rewards, is deterministic under a seed, rebuilds
from stored outcomes, and maps pipeline outcomes to rewards."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from collections import Counter

import pytest

from leadletter_tui.domain.angles import Angle
from leadletter_tui.domain.model import Sentiment, Status
from leadletter_tui.learning import ANGLES, AngleLearner, outcome_reward

BEST_X, BEST_Y = Angle.SAVE_TIME.value, Angle.REPUTATION.value


def feed(learner: AngleLearner, category: str, rates: dict[str, float], sends: int) -> None:
    """`sends` outcomes per angle whose rewards average exactly the given rate (default 5%)."""
    for angle in ANGLES:
        hits = round(sends * rates.get(angle, 0.05))
        for k in range(sends):
            learner.record(category, angle, 1.0 if k < hits else 0.0)


def picks(learner: AngleLearner, category: str, n: int = 300) -> Counter:
    return Counter(learner.choose(category) for _ in range(n))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_fresh_audience_tries_every_angle(seed):
    learner = AngleLearner(seed=seed)
    tried = set()
    for _ in range(80):  # nobody has replied yet: every send earns 0
        angle = learner.choose("dentists")
        assert angle in ANGLES
        tried.add(angle)
        learner.record("dentists", angle, 0.0)
    assert tried == set(ANGLES)


def test_it_exploits_clear_evidence():
    learner = AngleLearner(seed=5)
    feed(learner, "saas", {BEST_X: 0.30}, sends=100)
    counts = picks(learner, "saas")
    assert counts[BEST_X] >= 0.8 * sum(counts.values())
    assert learner.favourite("saas") == BEST_X


def test_it_still_explores_after_weak_evidence():
    learner = AngleLearner(seed=6)
    feed(learner, "saas", {BEST_X: 0.10}, sends=10)  # one reply vs none: not conclusive
    counts = picks(learner, "saas")
    assert len(counts) >= 4
    assert counts.most_common(1)[0][1] < 0.8 * sum(counts.values())


def test_audiences_with_opposite_best_angles_each_get_theirs():
    learner = AngleLearner(seed=7)
    feed(learner, "dentists", {BEST_X: 0.30, BEST_Y: 0.02}, sends=80)
    feed(learner, "plumbers", {BEST_Y: 0.30, BEST_X: 0.02}, sends=80)
    assert learner.favourite("dentists") == BEST_X
    assert learner.favourite("plumbers") == BEST_Y
    assert picks(learner, "dentists").most_common(1)[0][0] == BEST_X
    assert picks(learner, "plumbers").most_common(1)[0][0] == BEST_Y


def test_it_learns_online_per_audience():
    """A simulated run: two audiences whose best angles differ; after 1,500 sends each the
    learner sends most of each audience's messages with that audience's angle."""
    world = {"dentists": {BEST_X: 0.25, BEST_Y: 0.03}, "plumbers": {BEST_Y: 0.25, BEST_X: 0.03}}
    replies = random.Random(11)
    learner = AngleLearner(seed=11)
    late = {audience: Counter() for audience in world}
    for t in range(1500):
        for audience, rates in world.items():
            angle = learner.choose(audience)
            learner.record(audience, angle, float(replies.random() < rates.get(angle, 0.04)))
            if t >= 1000:
                late[audience][angle] += 1
    assert late["dentists"][BEST_X] > 0.7 * 500
    assert late["plumbers"][BEST_Y] > 0.7 * 500


def test_a_new_audience_starts_from_the_pooled_evidence():
    learner = AngleLearner(seed=8)
    feed(learner, "dentists", {BEST_X: 0.25}, sends=100)
    feed(learner, "plumbers", {BEST_X: 0.25}, sends=100)
    estimates = {e.angle: e for e in learner.estimates("florists")}  # never seen
    assert all(e.sends == 0 and e.reward_sum == 0 for e in estimates.values())
    assert learner.favourite("florists") == BEST_X
    assert estimates[BEST_X].favourite
    assert estimates[BEST_X].mean > 2 * max(e.mean for a, e in estimates.items() if a != BEST_X)
    counts = picks(learner, "florists")
    assert counts[BEST_X] > 0.5 * sum(counts.values())
    # without the other audiences' evidence the same seed spreads its picks
    assert picks(AngleLearner(seed=8), "florists")[BEST_X] < counts[BEST_X] / 2


def test_the_prior_follows_the_base_rate():
    """Low overall reply rates pull an untried angle's estimate down to them."""
    learner = AngleLearner(seed=9)
    fresh = {e.angle: e.mean for e in learner.estimates("x")}
    assert all(math.isclose(m, 0.5) for m in fresh.values())
    for angle in ANGLES[:-1]:
        for k in range(100):
            learner.record("x", angle, 1.0 if k < 5 else 0.0)
    untried = learner.estimates("x")[-1]
    assert untried.sends == 0 and untried.mean < 0.1
    assert math.isclose(learner.base_rate(), (1 + 35) / (2 + 700))


def test_estimates_report_the_counts():
    learner = AngleLearner(seed=1)
    learner.record("saas", BEST_X, 0.8)
    learner.record("saas", BEST_X, 0.3)
    learner.record("saas", BEST_Y, 0.0)
    rows = learner.estimates("saas")
    assert [r.angle for r in rows] == list(ANGLES)
    by_angle = {r.angle: r for r in rows}
    assert (by_angle[BEST_X].sends, by_angle[BEST_X].reward_sum) == (2, pytest.approx(1.1))
    assert (by_angle[BEST_Y].sends, by_angle[BEST_Y].reward_sum) == (1, 0.0)
    assert [r.angle for r in rows if r.favourite] == [learner.favourite("saas")] == [BEST_X]
    assert all(0 < r.mean < 1 for r in rows)


@pytest.mark.parametrize("reward", [-0.01, 1.01, float("nan"), float("inf"), "0.5", None, True])
def test_rewards_outside_zero_one_are_refused(reward):
    learner = AngleLearner()
    with pytest.raises(ValueError):
        learner.record("saas", BEST_X, reward)
    assert learner.state() == ()


@pytest.mark.parametrize("angle", ["free_pizza", "", "MORE_LEADS", None])
def test_unknown_angles_are_refused(angle):
    with pytest.raises(ValueError):
        AngleLearner().record("saas", angle, 0.5)


def test_edges_and_enum_members_are_accepted():
    learner = AngleLearner()
    learner.record("saas", Angle.GROWTH, 0)
    learner.record("saas", "growth", 1)
    learner.record("", "growth", 0.5)  # categories are free strings
    assert learner.estimates("saas")[ANGLES.index("growth")].sends == 2


def test_the_same_seed_makes_the_same_choices():
    def run(seed):
        learner, out = AngleLearner(seed=seed), []
        for i in range(60):
            angle = learner.choose("saas" if i % 2 else "dentists")
            learner.record("saas" if i % 2 else "dentists", angle, (i % 7) / 6)
            out.append(angle)
        return out

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_a_learner_rebuilt_from_outcomes_equals_the_live_one():
    live, outcomes, replies = AngleLearner(seed=2), [], random.Random(2)
    for i in range(400):
        category = ("saas", "dentists", "florists")[i % 3]
        angle = live.choose(category)
        reward = replies.choice([0.0, 0.0, 0.0, 0.1, 0.3, 0.6, 0.8, 1.0])
        live.record(category, angle, reward)
        outcomes.append((category, angle, reward))
    rebuilt = AngleLearner.from_outcomes(iter(outcomes), seed=99)
    assert rebuilt == live
    assert rebuilt.state() == live.state()
    assert [rebuilt.estimates(c) for c in ("saas", "dentists", "new")] == [
        live.estimates(c) for c in ("saas", "dentists", "new")
    ]
    assert AngleLearner.from_outcomes(outcomes[:-1]) != live
    changed = [*outcomes[:-1], (outcomes[-1][0], outcomes[-1][1], 1.0 - outcomes[-1][2])]
    assert AngleLearner.from_outcomes(changed) != live


def test_state_lists_the_counts():
    learner = AngleLearner.from_outcomes([("saas", BEST_X, 0.5), ("dentists", BEST_Y, 1.0)])
    state = dict(learner.state())
    assert list(state) == ["saas", "dentists"]
    assert (BEST_X, 1, 0.5) in state["saas"] and (BEST_Y, 0, 0.0) in state["saas"]
    assert (BEST_Y, 1, 1.0) in state["dentists"]


S = Status
P, N, NEG, INFO = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE,
                   Sentiment.ASKED_FOR_INFO)


@pytest.mark.parametrize(
    "status, sentiment, has_reply, window_passed, expected",
    [
        (S.WON, None, False, False, 1.0),
        (S.WON, NEG, True, True, 1.0),
        (S.REPLIED, P, True, False, 0.8),
        (S.REPLIED, INFO, True, False, 0.6),
        (S.REPLIED, N, True, True, 0.3),
        (S.REPLIED, NEG, True, False, 0.1),
        (S.REPLIED, None, True, False, 0.3),  # reply not classified yet: as neutral
        (S.LOST, NEG, True, True, 0.1),  # lost after replying keeps the reply's grade
        (S.LOST, P, True, False, 0.8),
        (S.LOST, None, False, False, 0.0),
        (S.LOST, None, False, True, 0.0),
        (S.SENT, None, False, True, 0.0),
        (S.SENT, None, False, False, None),
        (S.READY, None, False, False, None),
        (S.READY, None, False, True, None),
        ("replied", "asked_for_info", True, False, 0.6),  # CLI spellings work too
    ],
)
def test_outcome_reward(status, sentiment, has_reply, window_passed, expected):
    got = outcome_reward(status, sentiment, has_reply=has_reply, window_passed=window_passed)
    assert got == expected


def test_outcome_rewards_are_ordered():
    def reply(sentiment):
        return outcome_reward(S.REPLIED, sentiment, has_reply=True, window_passed=False)

    won = outcome_reward(S.WON, None, has_reply=True, window_passed=True)
    silent = outcome_reward(S.SENT, None, has_reply=False, window_passed=True)
    assert won > reply(P) > reply(INFO) > reply(N) > reply(NEG) > silent == 0.0
    assert all(0.0 <= r <= 1.0 for r in (won, silent, *map(reply, Sentiment)))


def test_the_learning_module_imports_nothing_heavy():
    probe = (
        "import json, sys\n"
        "from leadletter_tui.learning import ANGLES, AngleLearner\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert "leadletter_tui" in loaded
    assert loaded.isdisjoint({"textual", "peewee", "playhouse", "anthropic", "click", "rich"})
