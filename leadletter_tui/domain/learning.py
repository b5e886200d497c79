"""The learning loop: which message angle to use for an audience (an industry category).

`AngleLearner` is a Thompson-sampling bandit over `ANGLES`, one arm set per audience, with a
three-level empirical-Bayes prior so that what is known is shared:

1. base rate: every outcome ever recorded, under a weak Beta(1, 1) prior, gives `p0`;
2. angle, pooled: an angle's outcomes in the *other* audiences, with `p0` as the prior mean
   worth `POOLED_STRENGTH` pseudo-sends, give the pooled posterior of that angle;
3. angle in this audience: the audience's own outcomes for the angle, with the pooled value
   as the prior mean worth `AUDIENCE_STRENGTH` pseudo-sends.

`choose` draws the pooled value of each angle from level 2, then the audience's value from
level 3 given that draw, and takes the largest: an angle nobody has tried is drawn near the
base rate (so it still gets tried), a new audience starts from what the other audiences
showed, and an audience with enough evidence of its own follows it. Rewards are graded
floats in [0, 1] (see `outcome_reward`); a reward r counts as r of a success and 1 - r of
a failure, so the posteriors stay Beta with fractional pseudo-counts.

The state is only the counts (sends and reward sums per audience and angle, in the order
recorded): a learner rebuilt with `from_outcomes` equals one updated live with the same
outcomes in the same order. The random generator is not part of the state.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from leadletter_tui.domain.angles import ANGLES
from leadletter_tui.domain.model import Sentiment, Status

POOLED_STRENGTH = 20.0
"""Pseudo-sends of the base rate in each angle's pooled prior."""
AUDIENCE_STRENGTH = 30.0
"""Pseudo-sends of an angle's pooled value in its per-audience prior."""
# Both strengths were set on benchmarks/bench_learning.py's tuning seeds (1000 and up); its
# figure is flat (within its noise) from 10 to 40 pseudo-sends for either.
BASE_PRIOR = (1.0, 1.0)
"""Beta prior of the base rate over all outcomes (successes, failures)."""

_EPS = 1e-9
_INDEX = {angle: i for i, angle in enumerate(ANGLES)}


@dataclass(frozen=True)
class AngleEstimate:
    """One row of the analytics angle table for an audience."""

    angle: str
    sends: int
    reward_sum: float
    mean: float  # posterior mean of the reward for this angle in this audience
    favourite: bool


class AngleLearner:
    """Learns per audience which angle earns the best reward; see the module docstring."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        # audience -> [sends per angle], [reward sum per angle]  (insertion ordered)
        self._sends: dict[str, list[int]] = {}
        self._rewards: dict[str, list[float]] = {}
        self._pool_sends = [0] * len(ANGLES)
        self._pool_rewards = [0.0] * len(ANGLES)
        self._total_sends = 0
        self._total_reward = 0.0

    @classmethod
    def from_outcomes(
        cls, outcomes: Iterable[tuple[str, str, float]], seed: int | None = None
    ) -> AngleLearner:
        """A learner that has recorded `(category, angle, reward)` outcomes in this order."""
        learner = cls(seed)
        for category, angle, reward in outcomes:
            learner.record(category, angle, reward)
        return learner

    # -- updating -------------------------------------------------------------------------

    def record(self, category: str, angle: str, reward: float) -> None:
        """One outcome: `angle` was sent to `category` and earned `reward` in [0, 1]."""
        i = _angle_index(angle)
        r = _check_reward(reward)
        key = str(category)
        if key not in self._sends:
            self._sends[key] = [0] * len(ANGLES)
            self._rewards[key] = [0.0] * len(ANGLES)
        self._sends[key][i] += 1
        self._rewards[key][i] += r
        self._pool_sends[i] += 1
        self._pool_rewards[i] += r
        self._total_sends += 1
        self._total_reward += r

    def record_many(self, category: str, angle: str, reward: float, count: int) -> None:
        """`count` outcomes with the same reward, as `count` calls of `record` would leave
        the learner (the sums are added one by one, so the floats come out the same)."""
        if count <= 0:
            return
        i = _angle_index(angle)
        r = _check_reward(reward)
        key = str(category)
        if key not in self._sends:
            self._sends[key] = [0] * len(ANGLES)
            self._rewards[key] = [0.0] * len(ANGLES)
        own, pool, total = self._rewards[key][i], self._pool_rewards[i], self._total_reward
        for _ in range(count):
            own += r
            pool += r
            total += r
        self._rewards[key][i], self._pool_rewards[i], self._total_reward = own, pool, total
        self._sends[key][i] += count
        self._pool_sends[i] += count
        self._total_sends += count

    # -- deciding -------------------------------------------------------------------------

    def choose(self, category: str) -> str:
        """Thompson sampling: the angle whose drawn value for `category` is largest."""
        rng = self._rng
        best_angle, best_value = ANGLES[0], -1.0
        for i, angle in enumerate(ANGLES):
            a, b = self._pooled_params(category, i)
            pooled = _clamp(rng.betavariate(a, b))
            a, b = self._audience_params(category, i, pooled)
            value = rng.betavariate(a, b)
            if value > best_value:
                best_angle, best_value = angle, value
        return best_angle

    def estimates(self, category: str) -> list[AngleEstimate]:
        """Every angle for `category`, in `ANGLES` order, with its posterior mean."""
        sends = self._sends.get(str(category), [0] * len(ANGLES))
        rewards = self._rewards.get(str(category), [0.0] * len(ANGLES))
        means = self._means(category)
        fav = _argmax(means)
        return [
            AngleEstimate(angle, sends[i], rewards[i], means[i], i == fav)
            for i, angle in enumerate(ANGLES)
        ]

    def favourite(self, category: str) -> str:
        """The angle with the highest posterior mean for `category` (first in ANGLES on ties)."""
        return ANGLES[_argmax(self._means(category))]

    def base_rate(self) -> float:
        """Posterior mean of the reward over every outcome recorded."""
        s, f = BASE_PRIOR
        return (s + self._total_reward) / (s + f + self._total_sends)

    # -- state ----------------------------------------------------------------------------

    def state(self) -> tuple[tuple[str, tuple[tuple[str, int, float], ...]], ...]:
        """The counts, as plain tuples: ((category, ((angle, sends, reward_sum), ...)), ...).

        Audiences appear in the order first recorded; angles in `ANGLES` order."""
        return tuple(
            (cat, tuple(zip(ANGLES, self._sends[cat], self._rewards[cat])))
            for cat in self._sends
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AngleLearner):
            return NotImplemented
        return self.state() == other.state()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"AngleLearner({len(self._sends)} audiences, {self._total_sends} outcomes)"

    # -- the hierarchy --------------------------------------------------------------------

    def _own(self, category: str, i: int) -> tuple[int, float]:
        sends = self._sends.get(str(category))
        if sends is None:
            return 0, 0.0
        return sends[i], self._rewards[str(category)][i]

    def _pooled_params(self, category: str, i: int) -> tuple[float, float]:
        """Beta parameters of angle i's pooled value, from the audiences other than this one."""
        n, s = self._own(category, i)
        others_n = self._pool_sends[i] - n
        others_s = max(0.0, min(float(others_n), self._pool_rewards[i] - s))
        p0 = self.base_rate()
        return (
            p0 * POOLED_STRENGTH + others_s,
            (1.0 - p0) * POOLED_STRENGTH + (others_n - others_s),
        )

    def _audience_params(self, category: str, i: int, pooled: float) -> tuple[float, float]:
        n, s = self._own(category, i)
        return (
            pooled * AUDIENCE_STRENGTH + s,
            (1.0 - pooled) * AUDIENCE_STRENGTH + max(0.0, n - s),
        )

    def _means(self, category: str) -> list[float]:
        means = []
        for i in range(len(ANGLES)):
            a, b = self._pooled_params(category, i)
            a, b = self._audience_params(category, i, _clamp(a / (a + b)))
            means.append(a / (a + b))
        return means


def _angle_index(angle: str) -> int:
    try:
        return _INDEX[str(angle)]
    except (KeyError, TypeError):
        raise ValueError(f"unknown angle {angle!r}; expected one of {', '.join(ANGLES)}") from None


def _check_reward(reward: float) -> float:
    if isinstance(reward, bool) or not isinstance(reward, int | float):
        raise ValueError(f"reward must be a number in [0, 1], got {reward!r}")
    r = float(reward)
    if not (0.0 <= r <= 1.0) or math.isnan(r):
        raise ValueError(f"reward must be in [0, 1], got {reward!r}")
    return r


def _clamp(p: float) -> float:
    return min(1.0 - _EPS, max(_EPS, p))


def _argmax(values: list[float]) -> int:
    best = 0
    for i, v in enumerate(values):
        if v > values[best]:
            best = i
    return best


# -- what an outcome is worth -----------------------------------------------------------

REPLY_REWARDS: dict[Sentiment, float] = {
    Sentiment.POSITIVE: 0.8,  # wants to proceed: one step short of a win
    Sentiment.ASKED_FOR_INFO: 0.6,  # engaged, not yet committed
    Sentiment.NEUTRAL: 0.3,  # a reply, but no interest shown (out of office, "not now")
    Sentiment.NEGATIVE: 0.1,  # a reply that declines: the angle was at least read
}
WON_REWARD = 1.0
NO_REPLY_REWARD = 0.0
UNCLASSIFIED_REPLY_REWARD = REPLY_REWARDS[Sentiment.NEUTRAL]


def outcome_reward(
    status: Status | str,
    sentiment: Sentiment | str | None,
    *,
    has_reply: bool,
    window_passed: bool,
) -> float | None:
    """The reward a contact's outcome gives the angle of its first message, or None when it
    is not known (yet).

    - won: 1.0, whatever the replies said;
    - a reply (status replied, or `has_reply`): graded by its sentiment, positive 0.8 >
      asked_for_info 0.6 > neutral 0.3 > negative 0.1; a reply not classified yet counts as
      neutral. A contact Lost after replying keeps its reply's grade: the angle earned the
      reply, what happened next says little about it;
    - no reply: 0.0 once lost, or once the follow-up window has passed; None while still
      inside the window;
    - never sent (ready): None.
    """
    status = Status(status)
    if status is Status.WON:
        return WON_REWARD
    if status is Status.READY:
        return None
    if has_reply or status is Status.REPLIED:
        if sentiment is None:
            return UNCLASSIFIED_REPLY_REWARD
        return REPLY_REWARDS[Sentiment(sentiment)]
    if status is Status.LOST or window_passed:
        return NO_REPLY_REWARD
    return None
